// The documents pages: a folder's documents reordered by dragging their handle (the server gets
// the new neighbours; a refused move puts the row back), and any document the person may edit
// dropped on a folder of the tree to move it there (one small request; the page updates itself).
import { sortableRows } from "./checklist.js";
import { toast } from "./ui.js";

const MOVE_TYPE = "application/x-baton-document";

function csrfToken() {
  const meta = document.querySelector('meta[name="csrf-token"]');
  return meta ? meta.content : "";
}

function bumpCount(folderId, delta) {
  const link = document.querySelector(`[data-drop-folder="${folderId}"]`);
  if (!link) return;
  let badge = link.querySelector(".docs-count");
  if (!badge) {
    badge = document.createElement("span");
    badge.className = "docs-count";
    badge.textContent = "0";
    link.appendChild(badge);
  }
  const count = Math.max(0, Number(badge.textContent || 0) + delta);
  badge.textContent = String(count);
  if (count === 0) badge.remove();
}

// After a move: a folder's page loses the row; the lists of every document show its new folder.
function showMoved(row, answer) {
  const from = row.dataset.folder || "";
  if (from) bumpCount(from, -1);
  if (answer.folder) bumpCount(answer.folder, 1);
  const page = document.querySelector("[data-current-folder]");
  if (page && page.dataset.currentFolder !== String(answer.folder || "")) {
    row.remove();
    return;
  }
  row.dataset.folder = answer.folder ? String(answer.folder) : "";
  const cell = row.querySelector(".docs-col-folder");
  if (cell) {
    cell.textContent = "";
    const text = document.createElement(answer.folder ? "a" : "span");
    text.className = answer.folder ? "docs-folder-link truncate" : "muted";
    text.textContent = answer.name || "—";
    if (answer.folder) text.href = `${cell.dataset.folderUrl}${answer.folder}`;
    cell.appendChild(text);
  }
}

export function registerDocumentPages(Alpine, htmx) {
  Alpine.data("docOrder", sortableRows(htmx, "data-document"));

  // On the list: a row being dragged carries its move URL.
  Alpine.data("docDrag", () => ({
    init() {
      this.$el.addEventListener("dragstart", (event) => {
        const row = event.target.closest && event.target.closest("[data-folder-move]");
        if (!row || !event.dataTransfer) return;
        event.dataTransfer.setData(MOVE_TYPE, row.dataset.folderMove);
        document.body.classList.add("docs-dragging");
        window.__draggedDocumentRow = row;
      });
      this.$el.addEventListener("dragend", () => {
        document.body.classList.remove("docs-dragging");
      });
    },
  }));

  // On the tree: folders accept a dropped document.
  Alpine.data("folderDrop", () => ({
    init() {
      const target = (event) => event.target.closest && event.target.closest("[data-drop-folder]");
      const carries = (event) =>
        event.dataTransfer && Array.from(event.dataTransfer.types || []).includes(MOVE_TYPE);
      this.$el.addEventListener("dragover", (event) => {
        const link = target(event);
        if (!link || !carries(event)) return;
        event.preventDefault();
        event.dataTransfer.dropEffect = "move";
        link.classList.add("is-drop-target");
      });
      this.$el.addEventListener("dragleave", (event) => {
        const link = target(event);
        if (link && !link.contains(event.relatedTarget)) link.classList.remove("is-drop-target");
      });
      this.$el.addEventListener("drop", (event) => {
        const link = target(event);
        if (!link || !carries(event)) return;
        event.preventDefault();
        link.classList.remove("is-drop-target");
        this.move(event.dataTransfer.getData(MOVE_TYPE), link.dataset.dropFolder);
      });
    },
    async move(url, folder) {
      const row = window.__draggedDocumentRow;
      const body = new FormData();
      body.append("folder", folder);
      const response = await fetch(url, {
        method: "POST",
        body,
        headers: { "X-CSRFToken": csrfToken(), "HX-Request": "true" },
        credentials: "same-origin",
      });
      if (!response.ok) {
        toast((await response.text()) || `Error ${response.status}`);
        return;
      }
      const answer = await response.json();
      if (row) showMoved(row, answer);
      toast(answer.message, "success");
    },
  }));
}
