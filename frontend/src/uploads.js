// Attachments in the task panel (and the calendar's event panel).
//   attachments   the card's files section: choose files, drop them anywhere on the panel (an
//                 overlay says where they go), or paste an image outside a text field; a progress
//                 bar while they upload (htmx's XHR upload events); the image viewer (click a
//                 thumbnail; ← → move, Esc closes), for the card's images and each comment's.
//   commentFiles  files for the comment being written: chosen, dropped on the comment box or
//                 pasted into it; sent with the comment (the form is multipart).
// Files are given to a form's own <input type=file> (through a DataTransfer), so htmx sends them
// as any form field, and a browser without JavaScript still has a working form.

const PASTED_NAME = /^image\.(png|jpe?g|gif|webp)$/i;
const FIELDS = "input, textarea, select, [contenteditable]";

function carriesFiles(event) {
  const types = event.dataTransfer ? Array.from(event.dataTransfer.types || []) : [];
  return types.includes("Files");
}

function typingIn(target) {
  return target instanceof Element && (target.isContentEditable || Boolean(target.closest(FIELDS)));
}

function pad(n) {
  return String(n).padStart(2, "0");
}

// A screenshot pasted from the clipboard is called "image.png" by every browser: give it a
// name people can tell apart in the list ("Pasted image 2026-11-11 14.30.05.png").
function namePasted(files, prefix) {
  const now = new Date();
  const stamp =
    `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())} ` +
    `${pad(now.getHours())}.${pad(now.getMinutes())}.${pad(now.getSeconds())}`;
  return files.map((file, index) => {
    if (file.name && !PASTED_NAME.test(file.name)) return file;
    const extension = (file.type.split("/")[1] || "png").replace("jpeg", "jpg");
    const suffix = files.length > 1 ? `-${index + 1}` : "";
    return new File([file], `${prefix} ${stamp}${suffix}.${extension}`, { type: file.type });
  });
}

function setFiles(input, files, { append = false } = {}) {
  const transfer = new DataTransfer();
  if (append) Array.from(input.files || []).forEach((file) => transfer.items.add(file));
  files.forEach((file) => transfer.items.add(file));
  input.files = transfer.files;
  input.dispatchEvent(new Event("change", { bubbles: true }));
}

function humanSize(bytes) {
  if (bytes < 1024) return `${bytes} B`;
  const units = ["KB", "MB", "GB"];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return `${value < 10 ? value.toFixed(1) : Math.round(value)} ${units[unit]}`;
}

// Progress of an htmx request made by `form`: percent from its XHR's upload events.
function watchProgress(component, form) {
  const mine = (event) => event.detail && event.detail.elt === form;
  const handlers = {
    "htmx:beforeRequest": (event) => {
      if (!mine(event)) return;
      component.percent = 0;
      component.uploading = component.hasUpload();
    },
    "htmx:xhr:progress": (event) => {
      if (!mine(event) || !event.detail.lengthComputable || !event.detail.total) return;
      const percent = Math.round((100 * event.detail.loaded) / event.detail.total);
      component.percent = Math.max(component.percent, percent);
    },
    "htmx:afterRequest": (event) => {
      if (mine(event)) component.uploading = false;
    },
  };
  Object.entries(handlers).forEach(([name, handler]) => form.addEventListener(name, handler));
  return () =>
    Object.entries(handlers).forEach(([name, handler]) => form.removeEventListener(name, handler));
}

export function registerUploads(Alpine, htmx) {
  Alpine.data("attachments", () => ({
    dragging: false,
    depth: 0,
    uploading: false,
    percent: 0,
    count: 0,
    clientError: "",
    viewing: false,
    items: [],
    index: 0,
    opener: null,

    init() {
      // The task panel, or any container marked data-drop-zone (the calendar's event panel).
      this.panel = this.$el.closest("[data-drop-zone], .task-detail") || document.body;
      this.cleanups = [];
      const on = (target, name, handler, options) => {
        target.addEventListener(name, handler, options);
        this.cleanups.push(() => target.removeEventListener(name, handler, options));
      };
      on(this.panel, "dragenter", (event) => this.dragEnter(event));
      on(this.panel, "dragover", (event) => this.dragOver(event));
      on(this.panel, "dragleave", (event) => this.dragLeave(event));
      on(this.panel, "drop", (event) => this.drop(event));
      on(this.panel, "click", (event) => this.clicked(event));
      on(document, "paste", (event) => this.pasted(event));
      // Before every other key handler (the panel's Esc, the board's shortcuts), while viewing.
      on(window, "keydown", (event) => this.keydown(event), true);
      if (this.$refs.form) this.cleanups.push(watchProgress(this, this.$refs.form));
    },
    destroy() {
      this.cleanups.forEach((cleanup) => cleanup());
    },

    get canUpload() {
      return Boolean(this.$refs.form);
    },
    hasUpload() {
      return this.count > 0;
    },
    get progressLabel() {
      return `${this.$root.dataset.uploading} ${this.count} · ${this.percent}%`;
    },

    // ---- choosing, dropping, pasting
    choose() {
      if (this.$refs.input) this.$refs.input.click();
    },
    chosen(event) {
      if (this.sending) return; // the change our own setFiles() announces
      const files = Array.from(this.$refs.input.files || []);
      if (files.length) this.upload(files);
    },
    upload(files) {
      this.clientError = "";
      const limit = Number(this.$root.dataset.maxBytes || 0);
      const tooLarge = files.find((file) => limit && file.size > limit);
      if (tooLarge) {
        this.clientError = this.$root.dataset.tooLarge.replace("{name}", tooLarge.name);
        this.$refs.input.value = "";
        return;
      }
      this.count = files.length;
      this.sending = true;
      setFiles(this.$refs.input, files);
      this.sending = false;
      htmx.trigger(this.$refs.form, "submit");
    },
    dragEnter(event) {
      if (!carriesFiles(event)) return;
      event.preventDefault();
      this.depth += 1;
      this.dragging = this.canUpload;
    },
    dragOver(event) {
      if (!carriesFiles(event)) return;
      event.preventDefault(); // without this the browser opens the file instead
      event.dataTransfer.dropEffect = this.canUpload ? "copy" : "none";
      this.dragging = this.canUpload;
    },
    dragLeave(event) {
      if (!carriesFiles(event)) return;
      this.depth = Math.max(0, this.depth - 1);
      if (this.depth === 0) this.dragging = false;
    },
    drop(event) {
      if (!carriesFiles(event)) return;
      event.preventDefault();
      this.depth = 0;
      this.dragging = false;
      const files = Array.from(event.dataTransfer.files || []);
      if (!files.length || !this.canUpload) return;
      const commentBox = event.target instanceof Element && event.target.closest(".comment-form");
      const commentInput = commentBox && commentBox.querySelector("[data-comment-files]");
      if (commentInput) setFiles(commentInput, files, { append: true });
      else this.upload(files);
    },
    pasted(event) {
      const files = Array.from((event.clipboardData && event.clipboardData.files) || []);
      if (!files.length || !this.canUpload || !this.panel.isConnected) return;
      const target = event.target;
      const named = namePasted(files, this.$root.dataset.pasted);
      const commentBox = target instanceof Element && target.closest(".comment-form");
      if (commentBox) {
        const input = commentBox.querySelector("[data-comment-files]");
        if (!input) return;
        event.preventDefault();
        setFiles(input, named, { append: true });
        return;
      }
      // Anywhere else while the panel is open (focus may still be on the card that opened it),
      // but never into another field.
      if (typingIn(target)) return;
      event.preventDefault();
      this.upload(named);
    },

    // ---- the viewer
    clicked(event) {
      const item = event.target instanceof Element && event.target.closest("[data-viewer-item]");
      if (!item || event.ctrlKey || event.metaKey || event.shiftKey || event.button !== 0) return;
      event.preventDefault();
      const group = item.closest("[data-viewer-group]") || this.panel;
      this.items = Array.from(group.querySelectorAll("[data-viewer-item]")).map((link) => ({
        src: link.getAttribute("href"),
        name: link.dataset.name,
        meta: link.dataset.meta,
        download: link.dataset.download,
      }));
      this.index = Array.from(group.querySelectorAll("[data-viewer-item]")).indexOf(item);
      this.opener = item;
      this.viewing = true;
      this.$nextTick(() => this.$refs.close && this.$refs.close.focus());
    },
    get current() {
      return this.items[this.index] || {};
    },
    get currentSrc() {
      return this.current.src || "";
    },
    get currentName() {
      return this.current.name || "";
    },
    get currentMeta() {
      return this.current.meta || "";
    },
    get currentDownload() {
      return this.current.download || "";
    },
    get several() {
      return this.items.length > 1;
    },
    get position() {
      return `${this.index + 1} / ${this.items.length}`;
    },
    next() {
      if (this.items.length) this.index = (this.index + 1) % this.items.length;
    },
    previous() {
      if (this.items.length) this.index = (this.index - 1 + this.items.length) % this.items.length;
    },
    close() {
      this.viewing = false;
      if (this.opener && this.opener.isConnected) this.opener.focus({ preventScroll: true });
    },
    keydown(event) {
      if (!this.viewing) return;
      const actions = { Escape: "close", ArrowRight: "next", ArrowLeft: "previous" };
      const action = actions[event.key];
      if (!action) return;
      event.preventDefault();
      event.stopPropagation(); // Esc closes the viewer, not the panel behind it
      this[action]();
    },
  }));

  Alpine.data("commentFiles", () => ({
    chosen: [],
    uploading: false,
    percent: 0,
    init() {
      const form = this.$el.closest("form");
      if (form) this.stop = watchProgress(this, form);
    },
    destroy() {
      if (this.stop) this.stop();
    },
    hasUpload() {
      return this.chosen.length > 0;
    },
    get hasFiles() {
      return this.chosen.length > 0;
    },
    refresh() {
      this.chosen = Array.from(this.$refs.input.files || []).map((file, index) => ({
        key: `${index}-${file.name}-${file.size}`,
        name: file.name,
        size: humanSize(file.size),
      }));
    },
    remove(index) {
      const files = Array.from(this.$refs.input.files || []).filter((_file, i) => i !== index);
      setFiles(this.$refs.input, files);
    },
  }));
}
