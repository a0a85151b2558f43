// Rows reordered by dragging their handle: a card's checklist in the task panel, the fields in a
// project's settings. The page moves the row itself and sends its new neighbours (the ids in
// the rows' `idAttribute`); a refused move puts the row back.
import Sortable from "sortablejs";

export function sortableRows(htmx, idAttribute) {
  const idOf = (element) => (element ? element.getAttribute(idAttribute) : "");
  return () => ({
    sortable: null,
    init() {
      if (this.$el.dataset.readonly === "true") return;
      this.sortable = Sortable.create(this.$el, {
        draggable: `[${idAttribute}]`,
        handle: "[data-drag-handle]",
        animation: 120,
        ghostClass: "card-ghost",
        onEnd: (event) => this.dropped(event),
      });
    },
    destroy() {
      if (this.sortable) this.sortable.destroy();
    },
    dropped(event) {
      if (event.oldIndex === event.newIndex) return;
      const row = event.item;
      const revert = () => {
        row.remove();
        event.from.insertBefore(row, event.from.children[event.oldIndex] || null);
      };
      row.addEventListener("htmx:responseError", revert, { once: true });
      htmx
        .ajax("POST", row.dataset.moveUrl, {
          source: row,
          swap: "none",
          values: { after: idOf(row.previousElementSibling), before: idOf(row.nextElementSibling) },
        })
        .catch(revert);
    },
  });
}

export function registerChecklist(Alpine, htmx) {
  Alpine.data("checklist", sortableRows(htmx, "data-subtask-id"));
}
