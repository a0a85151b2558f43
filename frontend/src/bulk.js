// Selecting several cards: shift-click a card on the board (or click it in "Select" mode), or
// tick the list view's checkboxes. The selection bar (projects/_bulk_bar.html) shows the count
// and posts the selected ids with the chosen action; the server then reloads the page.

const selected = new Set();

function hiddenInput(id) {
  const input = document.createElement("input");
  input.type = "hidden";
  input.name = "tasks";
  input.value = id;
  return input;
}

// Mark selected cards and rows (also those swapped in later) and refresh the bar.
function sync(htmx) {
  document.querySelectorAll("[data-task-id]").forEach((element) => {
    element.classList.toggle("is-selected", selected.has(element.dataset.taskId));
  });
  document.querySelectorAll("input.bulk-check").forEach((box) => {
    box.checked = selected.has(box.value);
  });
  const ids = document.getElementById("bulk-ids");
  if (ids) ids.replaceChildren(...[...selected].map(hiddenInput));
  window.dispatchEvent(new CustomEvent("bulk-changed", { detail: { count: selected.size } }));
  const menus = document.getElementById("bulk-menus");
  if (selected.size && menus) htmx.trigger(menus, "bulk-open");
}

function toggle(id, htmx, on = !selected.has(id)) {
  if (on) selected.add(id);
  else selected.delete(id);
  sync(htmx);
}

function clear(htmx) {
  selected.clear();
  sync(htmx);
}

export function registerBulk(Alpine, htmx) {
  // Capture phase: the click is taken before htmx opens the card's panel.
  document.addEventListener(
    "click",
    (event) => {
      const card = event.target.closest(".card[data-task-id]");
      if (!card || !document.getElementById("bulk-bar")) return;
      if (!event.shiftKey && !document.body.classList.contains("is-selecting")) return;
      event.preventDefault();
      event.stopPropagation();
      toggle(card.dataset.taskId, htmx);
    },
    true,
  );
  document.addEventListener("change", (event) => {
    if (event.target.matches("input.bulk-check")) {
      toggle(event.target.value, htmx, event.target.checked);
    }
  });
  document.addEventListener("htmx:afterSettle", () => {
    if (selected.size) sync(htmx);
  });

  Alpine.data("bulkBar", () => ({
    count: 0,
    init() {
      window.addEventListener("bulk-changed", (event) => {
        this.count = event.detail.count;
      });
      window.addEventListener("keydown", (event) => {
        if (event.key === "Escape" && this.count) this.clear();
      });
    },
    get label() {
      const template = this.count === 1 ? this.$root.dataset.one : this.$root.dataset.many;
      return template.replace("{n}", String(this.count));
    },
    clear() {
      clear(htmx);
    },
  }));

  Alpine.data("bulkToggle", () => ({
    on: false,
    get activeClass() {
      return { "is-active": this.on };
    },
    get pressed() {
      return this.on ? "true" : "false";
    },
    toggle() {
      this.on = !this.on;
      document.body.classList.toggle("is-selecting", this.on);
      if (!this.on) clear(htmx);
    },
  }));
}
