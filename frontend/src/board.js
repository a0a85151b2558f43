// The Kanban board: drag cards within and between lists, drag lists to reorder them.
// A drop sends one small request with the card's new neighbours; the server answers with the
// card (and the two list headers, out of band) and the page never reloads.
import Sortable from "sortablejs";

import { adjustCount, toast } from "./ui.js";

function cardId(element) {
  return element ? element.dataset.taskId : "";
}

function neighbour(element, direction) {
  let node = element[direction];
  while (node && !node.dataset?.taskId) node = node[direction];
  return node;
}

export function registerBoard(Alpine, htmx) {
  Alpine.data("board", () => ({
    sortables: [],
    init() {
      this.makeListsSortable();
      this.$el.querySelectorAll("[data-cards]").forEach((el) => this.makeCardsSortable(el));
      // Lists added later (new list, live refresh) get drag and drop too.
      this.$el.addEventListener("htmx:afterSettle", (event) => {
        event.target.querySelectorAll?.("[data-cards]").forEach((el) => {
          if (!el.sortableReady) this.makeCardsSortable(el);
        });
      });
    },
    destroy() {
      this.sortables.forEach((sortable) => sortable.destroy());
    },
    makeCardsSortable(element) {
      element.sortableReady = true;
      this.sortables.push(
        Sortable.create(element, {
          group: "cards",
          draggable: "[data-task-id]",
          filter: "[data-no-drag]",
          preventOnFilter: false,
          animation: 120,
          ghostClass: "card-ghost",
          chosenClass: "card-chosen",
          dragClass: "card-dragging",
          forceFallback: false,
          fallbackTolerance: 4,
          delayOnTouchOnly: true,
          delay: 180,
          disabled: element.dataset.readonly === "true",
          onEnd: (event) => this.cardDropped(event),
        }),
      );
    },
    makeListsSortable() {
      const lists = this.$el.querySelector("[data-lists]");
      if (!lists || lists.dataset.readonly === "true") return;
      this.sortables.push(
        Sortable.create(lists, {
          draggable: "[data-list-id]",
          handle: "[data-list-handle]",
          animation: 150,
          ghostClass: "list-ghost",
          onEnd: (event) => this.listDropped(event),
        }),
      );
    },
    cardDropped(event) {
      const card = event.item;
      if (event.from === event.to && event.oldIndex === event.newIndex) return;
      const list = event.to.closest("[data-list-id]");
      const values = {
        list: list.dataset.listId,
        after: cardId(neighbour(card, "previousElementSibling")),
        before: cardId(neighbour(card, "nextElementSibling")),
      };
      const fromId = event.from.closest("[data-list-id]").dataset.listId;
      let failed = false;
      const revert = () => {
        failed = true;
        const anchor = event.from.children[event.oldIndex] || null;
        event.from.insertBefore(card, anchor);
      };
      const moved = () => {
        if (failed || fromId === list.dataset.listId) return;
        adjustCount(fromId, -1);
        adjustCount(list.dataset.listId, 1);
      };
      card.addEventListener("htmx:responseError", revert, { once: true });
      // push: "false": the card's own hx-push-url is for opening it, not for moving it.
      htmx
        .ajax("POST", card.dataset.moveUrl, {
          source: card,
          target: card,
          swap: "outerHTML",
          values,
          push: "false",
        })
        .then(moved, revert);
    },
    listDropped(event) {
      if (event.oldIndex === event.newIndex) return;
      const item = event.item;
      let previous = item.previousElementSibling;
      while (previous && !previous.dataset.listId) previous = previous.previousElementSibling;
      htmx
        .ajax("POST", item.dataset.moveUrl, {
          source: item,
          swap: "none",
          values: { after: previous ? previous.dataset.listId : "" },
        })
        .catch(() => toast("⚠"));
    },
  }));
}
