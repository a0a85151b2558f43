// Small components shared by every page: toasts, menus, dialogs, the side panel, quick-add forms.

export function toast(message, kind = "error") {
  const host = document.getElementById("toasts");
  if (!host || !message) return;
  const item = document.createElement("div");
  item.className = `toast toast-${kind}`;
  item.setAttribute("role", "status");
  item.textContent = message;
  host.appendChild(item);
  setTimeout(() => item.remove(), 5000);
}

// Raise or lower a list header's card count (after a quick-add or a move), keeping its WIP mark.
export function adjustCount(listId, delta) {
  const badge = document.getElementById(`list-count-${listId}`);
  if (!badge) return;
  const count = Number(badge.dataset.count || 0) + delta;
  const wip = Number(badge.dataset.wip || 0);
  badge.dataset.count = String(count);
  badge.textContent = wip ? `${count}/${wip}` : String(count);
  badge.classList.toggle("over-limit", wip > 0 && count > wip);
}

function messageFor(status) {
  const messages = document.getElementById("error-messages");
  if (!messages) return `Error ${status}`;
  return messages.dataset[`e${status}`] || messages.dataset.other;
}

export function registerUi(Alpine, htmx) {
  document.addEventListener("htmx:responseError", (event) => {
    toast(messageFor(event.detail.xhr.status));
  });
  document.addEventListener("htmx:sendError", () => toast(messageFor("offline")));
  // The server can ask for a toast with an HX-Trigger: {"toast": "..."} header, or
  // {"toast": {"message": "...", "kind": "error"}} for an error that leaves the page as it is.
  document.addEventListener("toast", (event) =>
    toast(event.detail.message || event.detail.value, event.detail.kind || "info"),
  );

  // A piece of the page its own Cancel button takes away (a form loaded into the panel).
  Alpine.data("dismissable", () => ({
    dismiss() {
      this.$root.remove();
    },
  }));

  Alpine.data("menu", () => ({
    open: false,
    get openClass() {
      return { "is-open": this.open };
    },
    toggle() {
      this.open = !this.open;
    },
    close() {
      this.open = false;
    },
  }));

  // A quick-add form: Enter submits through htmx, then the box empties and stays open.
  Alpine.data("quickAdd", () => ({
    open: false,
    show() {
      this.open = true;
      this.$nextTick(() => this.$refs.input && this.$refs.input.focus());
    },
    hide() {
      this.open = false;
    },
    afterRequest(event) {
      // A 422 counts as "successful" for htmx (it is swapped into the error slot): keep the text.
      const status = event.detail.xhr ? event.detail.xhr.status : 0;
      if (!event.detail.successful || status < 200 || status >= 300) return;
      const list = this.$el.closest("[data-list-id]"); // a card's quick-add, not "Add a list"
      if (list) adjustCount(list.dataset.listId, 1);
      this.$refs.input.value = "";
      this.$refs.input.focus();
      const error = this.$el.querySelector(".field-error");
      if (error) error.textContent = "";
    },
    keydown(event) {
      if (event.key === "Escape") this.hide();
      if (event.key === "Enter" && !event.shiftKey && event.target.tagName === "TEXTAREA") {
        event.preventDefault();
        htmx.trigger(this.$el.querySelector("form"), "submit");
      }
    },
  }));

  // The task side panel: shown whenever it has content; closing it returns to the board's URL.
  Alpine.data("panel", () => ({
    get isOpen() {
      return this.hasContent;
    },
    hasContent: false,
    init() {
      this.hasContent = Boolean(this.$refs.body.querySelector(".task-detail"));
      this.$refs.body.addEventListener("htmx:afterSettle", () => this.refresh());
      document.addEventListener("htmx:afterSettle", () => this.refresh());
      window.addEventListener("popstate", () => this.refresh());
    },
    refresh() {
      this.hasContent = Boolean(this.$refs.body.querySelector(".task-detail"));
    },
    close() {
      this.$refs.body.innerHTML = "";
      this.hasContent = false;
      const back = this.$el.dataset.boardUrl;
      if (back && window.location.pathname !== back) window.history.pushState({}, "", back);
    },
    keydown(event) {
      if (event.key !== "Escape" || event.target.closest("textarea, input")) return;
      // Read the panel itself: Esc may come right after a swap, before htmx:afterSettle.
      this.refresh();
      if (this.hasContent) this.close();
    },
  }));

  // Markdown editor: write or preview (the preview is rendered by the server's own pipeline).
  Alpine.data("markdownEditor", () => ({
    mode: "write",
    get writing() {
      return this.mode === "write";
    },
    get previewing() {
      return this.mode === "preview";
    },
    write() {
      this.mode = "write";
    },
    preview() {
      this.mode = "preview";
      const source = this.$refs.source;
      // $el is the tab that was clicked; the URL is on the component's root (the form).
      htmx.ajax("POST", this.$root.dataset.previewUrl, {
        target: this.$refs.preview,
        swap: "innerHTML",
        values: { text: source.value },
      });
    },
  }));

  // A read-only field with a Copy button (invitation links).
  Alpine.data("copyField", () => ({
    copied: false,
    select() {
      this.$refs.field.select();
    },
    copy() {
      this.$refs.field.select();
      const done = () => {
        this.copied = true;
        setTimeout(() => (this.copied = false), 2000);
      };
      if (navigator.clipboard) navigator.clipboard.writeText(this.$refs.field.value).then(done, done);
      else done();
    },
  }));

  // A confirmation before destructive forms (delete a card, remove a member).
  // Ask before a destructive submit. htmx sends its request whatever a submit listener does, so
  // for htmx forms the question is asked on htmx:confirm, which holds the request until answered.
  Alpine.data("confirmSubmit", () => ({
    init() {
      this.$el.addEventListener("htmx:confirm", (event) => {
        if (event.target !== this.$el) return;
        event.preventDefault();
        if (window.confirm(this.$el.dataset.confirm)) event.detail.issueRequest(true);
      });
    },
    confirm(event) {
      if (this.$el.hasAttribute("hx-post")) return;
      if (!window.confirm(this.$el.dataset.confirm)) event.preventDefault();
    },
  }));

  // An inline editor that swaps a heading for an input (task title, list name).
  Alpine.data("inlineEdit", () => ({
    editing: false,
    edit() {
      this.editing = true;
      this.$nextTick(() => {
        // The description's textarea belongs to a nested component (markdownEditor), so it is
        // not among this component's $refs: find it.
        const input = this.$refs.input || this.$root.querySelector("textarea");
        if (!input) return;
        input.focus();
        if (input.tagName === "INPUT") input.select();
      });
    },
    cancel() {
      this.editing = false;
    },
    keydown(event) {
      if (event.key === "Escape") this.cancel();
    },
  }));
}
