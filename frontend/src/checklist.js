// A card's checklist in the task panel: drag a subtask by its handle to reorder it. The page
// moves the row itself and sends its new neighbours; a refused move puts the row back.
import Sortable from "sortablejs";

function subtaskId(element) {
  return element ? element.dataset.subtaskId : "";
}

export function registerChecklist(Alpine, htmx) {
  Alpine.data("checklist", () => ({
    sortable: null,
    init() {
      if (this.$el.dataset.readonly === "true") return;
      this.sortable = Sortable.create(this.$el, {
        draggable: "[data-subtask-id]",
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
          values: {
            after: subtaskId(row.previousElementSibling),
            before: subtaskId(row.nextElementSibling),
          },
        })
        .catch(revert);
    },
  }));
}
