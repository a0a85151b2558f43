// Documents: the Markdown editor (toolbar, live preview, autosaved draft, pasted and dropped
// images, the conflict view's merge buttons) and presence (who else has the document open).
// The server renders the preview with the same sanitising pipeline as the saved document.

const PREVIEW_DELAY = 350; // ms after the last keystroke
const VIEWS = ["write", "split", "preview"];
const VIEW_KEY = "baton.documents.view";

function csrfToken() {
  const meta = document.querySelector('meta[name="csrf-token"]');
  return meta ? meta.content : "";
}

// A FormData that also carries the CSRF token in the body: sendBeacon cannot set headers.
function formWith(fields) {
  const data = new FormData();
  data.append("csrfmiddlewaretoken", csrfToken());
  Object.entries(fields).forEach(([key, value]) => data.append(key, value));
  return data;
}

function post(url, data) {
  return fetch(url, {
    method: "POST",
    body: data,
    credentials: "same-origin",
    headers: { "X-CSRFToken": csrfToken(), Accept: "application/json" },
  });
}

// Replace the selection (keeping the browser's undo history where it can).
function replaceSelection(area, text, selectFrom, selectTo) {
  const start = area.selectionStart;
  area.focus();
  const inserted = document.execCommand && document.execCommand("insertText", false, text);
  if (!inserted) {
    area.setRangeText(text, start, area.selectionEnd, "end");
    area.dispatchEvent(new Event("input", { bubbles: true }));
  }
  if (selectFrom !== undefined) area.setSelectionRange(start + selectFrom, start + selectTo);
}

// Select whole lines around the selection, so prefixes apply to each of them.
function selectLines(area) {
  const value = area.value;
  const start = value.lastIndexOf("\n", area.selectionStart - 1) + 1;
  let end = value.indexOf("\n", area.selectionEnd);
  if (end < 0 || (area.selectionEnd > area.selectionStart && value[area.selectionEnd - 1] === "\n"))
    end = end < 0 ? value.length : area.selectionEnd - 1;
  area.setSelectionRange(start, end);
  return value.slice(start, end);
}

const LINE_PREFIXES = {
  h1: "# ",
  h2: "## ",
  h3: "### ",
  ul: "- ",
  task: "- [ ] ",
  quote: "> ",
};
const WRAPS = { bold: "**", italic: "*", strike: "~~" };

function prefixLines(area, prefix) {
  const caretOnly = area.selectionStart === area.selectionEnd;
  const lines = selectLines(area).split("\n");
  const heading = /^#{1,6} /;
  const all = lines.every((line) => line.startsWith(prefix));
  const changed = lines.map((line, index) => {
    if (all) return line.slice(prefix.length); // pressing again removes it
    if (prefix === "ol") return `${index + 1}. ${line}`;
    return prefix.startsWith("#") ? prefix + line.replace(heading, "") : prefix + line;
  });
  const text = changed.join("\n");
  // A caret stays a caret (at the line's end, ready to type); a selection stays selected.
  if (caretOnly) replaceSelection(area, text, text.length, text.length);
  else replaceSelection(area, text, 0, text.length);
}

function wrap(area, marker, placeholder) {
  const selected = area.value.slice(area.selectionStart, area.selectionEnd) || placeholder;
  replaceSelection(area, marker + selected + marker, marker.length, marker.length + selected.length);
}

function tableTemplate(column) {
  const head = `| ${column} 1 | ${column} 2 | ${column} 3 |`;
  return `${head}\n| --- | --- | --- |\n|  |  |  |\n|  |  |  |\n`;
}

// What the textarea's caret sits after: a table or block must start on a line of its own.
function blockGap(area) {
  const before = area.value.slice(0, area.selectionStart);
  if (!before || before.endsWith("\n\n")) return "";
  return before.endsWith("\n") ? "\n" : "\n\n";
}

function hasFiles(event) {
  const types = event.dataTransfer ? Array.from(event.dataTransfer.types || []) : [];
  return types.includes("Files");
}

export function registerDocuments(Alpine, htmx) {
  // Tells the server who has the page open; the polled partial (_presence.html) shows the others.
  // When the page closes, a beacon says so at once (only for this kind of page: opening the
  // editor from the document must not undo the editor's own heartbeat).
  Alpine.data("docPresence", () => ({
    init() {
      this.leave = () => {
        const editing = this.$root.dataset.editing || "0";
        navigator.sendBeacon(this.$root.dataset.url, formWith({ left: "1", editing }));
      };
      window.addEventListener("pagehide", this.leave);
    },
    destroy() {
      window.removeEventListener("pagehide", this.leave);
    },
  }));

  Alpine.data("docEditor", () => ({
    view: "split",
    status: "",
    dirty: false,
    saving: false,
    leaving: false,
    dragging: false,
    uploadError: "",
    previewTimer: null,

    init() {
      const stored = window.localStorage && window.localStorage.getItem(VIEW_KEY);
      if (VIEWS.includes(stored)) this.view = stored;
      if (window.matchMedia("(max-width: 900px)").matches && this.view === "split") this.view = "write";
      this.refreshPreview();
      const every = Number(this.$root.dataset.autosaveEvery || 3) * 1000;
      this.timer = window.setInterval(() => this.autosave(), every);
      this.flush = (event) => this.saveOnLeave(event);
      window.addEventListener("pagehide", this.flush);
      document.addEventListener("visibilitychange", this.flush);
    },
    destroy() {
      window.clearInterval(this.timer);
      window.removeEventListener("pagehide", this.flush);
      document.removeEventListener("visibilitychange", this.flush);
    },

    // ------------------------------------------------ layout
    get layoutClass() {
      return `doc-editor is-${this.view}${this.dragging ? " is-dragging" : ""}`;
    },
    get writeClass() {
      return this.view === "write" ? "doc-view is-active" : "doc-view";
    },
    get splitClass() {
      return this.view === "split" ? "doc-view is-active" : "doc-view";
    },
    get previewClass() {
      return this.view === "preview" ? "doc-view is-active" : "doc-view";
    },
    get writePressed() {
      return this.view === "write" ? "true" : "false";
    },
    get splitPressed() {
      return this.view === "split" ? "true" : "false";
    },
    get previewPressed() {
      return this.view === "preview" ? "true" : "false";
    },
    get dropClass() {
      return this.dragging ? "doc-pane doc-pane-source is-dropping" : "doc-pane doc-pane-source";
    },
    setView(event) {
      this.view = event.currentTarget.dataset.view;
      if (window.localStorage) window.localStorage.setItem(VIEW_KEY, this.view);
      if (this.view !== "write") this.refreshPreview();
    },

    // ------------------------------------------------ typing, preview, draft
    typed() {
      this.dirty = true;
      this.status = this.$root.dataset.labelUnsaved;
      window.clearTimeout(this.previewTimer);
      this.previewTimer = window.setTimeout(() => this.refreshPreview(), PREVIEW_DELAY);
    },
    refreshPreview() {
      if (this.view === "write") return;
      htmx.ajax("POST", this.$root.dataset.previewUrl, {
        target: this.$refs.preview,
        swap: "innerHTML",
        values: { body: this.$refs.source.value },
      });
    },
    draftFields() {
      return {
        title: this.$refs.title.value,
        body: this.$refs.source.value,
        base_version: this.$refs.base.value,
      };
    },
    autosave() {
      if (!this.dirty || this.saving || this.leaving) return;
      this.saving = true;
      this.dirty = false;
      this.status = this.$root.dataset.labelSaving;
      post(this.$root.dataset.draftUrl, formWith(this.draftFields()))
        .then((response) => response.json().then((data) => ({ ok: response.ok, data })))
        .then(({ ok, data }) => {
          if (!ok) throw new Error((data.errors && Object.values(data.errors).flat().join(" ")) || "");
          if (!this.dirty) this.status = `${this.$root.dataset.labelSaved} ${data.at}`;
        })
        .catch((error) => {
          this.dirty = true; // try again on the next tick
          this.status = error.message || this.$root.dataset.labelOffline;
        })
        .finally(() => {
          this.saving = false;
        });
    },
    // The tab is closing or hidden: whatever was typed since the last autosave goes now.
    saveOnLeave(event) {
      if (this.leaving || !this.dirty) return;
      if (event.type === "visibilitychange" && document.visibilityState !== "hidden") return;
      this.dirty = false;
      navigator.sendBeacon(this.$root.dataset.draftUrl, formWith(this.draftFields()));
    },
    submitted() {
      // Saving a version (or discarding the draft) replaces the draft: no autosave after it.
      this.leaving = true;
      this.dirty = false;
    },
    discarding() {
      this.leaving = true;
      this.dirty = false;
    },
    keydown(event) {
      const mod = event.ctrlKey || event.metaKey;
      if (!mod) return;
      const key = event.key.toLowerCase();
      if (key === "s") {
        event.preventDefault();
        this.$root.requestSubmit();
      } else if (key === "b" || key === "i") {
        event.preventDefault();
        this.apply(key === "b" ? "bold" : "italic");
      }
    },

    // ------------------------------------------------ toolbar
    format(event) {
      this.apply(event.currentTarget.dataset.md);
    },
    apply(kind) {
      const area = this.$refs.source;
      const data = this.$root.dataset;
      if (LINE_PREFIXES[kind]) prefixLines(area, LINE_PREFIXES[kind]);
      else if (kind === "ol") prefixLines(area, "ol");
      else if (WRAPS[kind]) wrap(area, WRAPS[kind], data.labelLink);
      else if (kind === "link") {
        const text = area.value.slice(area.selectionStart, area.selectionEnd) || data.labelLink;
        const url = "https://";
        replaceSelection(area, `[${text}](${url})`, text.length + 3, text.length + 3 + url.length);
      } else if (kind === "code") {
        const selected = area.value.slice(area.selectionStart, area.selectionEnd);
        if (selected.includes("\n") || !selected) {
          const gap = blockGap(area);
          const block = `${gap}\`\`\`\n${selected}\n\`\`\`\n`;
          replaceSelection(area, block, gap.length + 4, gap.length + 4 + selected.length);
        } else wrap(area, "`", selected);
      } else if (kind === "table") {
        const gap = blockGap(area);
        const table = tableTemplate(data.labelColumn);
        replaceSelection(area, gap + table, gap.length + 2, gap.length + 2 + data.labelColumn.length + 2);
      }
      this.typed();
    },

    // ------------------------------------------------ images
    chooseImage() {
      this.$refs.picker.click();
    },
    picked() {
      const files = Array.from(this.$refs.picker.files || []);
      this.$refs.picker.value = "";
      if (files.length) this.upload(files);
    },
    pasted(event) {
      const files = Array.from((event.clipboardData && event.clipboardData.files) || []);
      if (!files.length) return;
      event.preventDefault();
      this.upload(files);
    },
    dragover(event) {
      if (!hasFiles(event)) return;
      event.preventDefault();
      event.dataTransfer.dropEffect = "copy";
      this.dragging = true;
    },
    dragleave() {
      this.dragging = false;
    },
    dropped(event) {
      if (!hasFiles(event)) return;
      event.preventDefault();
      this.dragging = false;
      const files = Array.from(event.dataTransfer.files || []);
      if (files.length) this.upload(files);
    },
    upload(files) {
      const data = this.$root.dataset;
      const limit = Number(data.maxBytes || 0);
      const tooBig = files.find((file) => limit && file.size > limit);
      if (tooBig) {
        this.uploadError = data.tooLarge.replace("{name}", tooBig.name);
        return;
      }
      this.uploadError = "";
      const area = this.$refs.source;
      // Insert, never replace: after the line the caret is on, as a paragraph of its own.
      const lineEnd = area.value.indexOf("\n", area.selectionEnd);
      const at = lineEnd < 0 ? area.value.length : lineEnd;
      area.setSelectionRange(at, at);
      const marker = `![${data.labelUploading} ${files.map((f) => f.name).join(", ")}…]()`;
      const gap = blockGap(area);
      replaceSelection(area, `${gap}${marker}\n`);
      this.typed();
      const form = formWith({});
      files.forEach((file) => form.append("files", file, file.name || data.labelImage));
      post(data.uploadUrl, form)
        .then((response) => response.json().then((body) => ({ ok: response.ok, body })))
        .then(({ ok, body }) => {
          if (!ok) throw new Error((body.errors || []).join(" "));
          this.swapMarker(marker, body.files.map((file) => file.markdown).join("\n"));
        })
        .catch((error) => {
          this.swapMarker(marker, "");
          this.uploadError = `${data.labelUploadFailed}: ${error.message}`;
        });
    },
    swapMarker(marker, text) {
      const area = this.$refs.source;
      const at = area.value.indexOf(marker);
      if (at < 0) {
        if (text) area.value += `\n${text}\n`;
      } else {
        area.setRangeText(text, at, at + marker.length, "preserve");
      }
      this.typed();
    },

    // ------------------------------------------------ conflict view
    useTheirs() {
      this.replaceAll(this.$refs.theirs.value);
    },
    useMine() {
      this.replaceAll(this.$refs.mine.value);
    },
    replaceAll(text) {
      const area = this.$refs.source;
      area.focus();
      area.select();
      replaceSelection(area, text);
      this.typed();
    },
  }));
}
