// The filter bar's form and the list view's table.
//
// filterForm: a GET form whose empty inputs are left out of the URL (?owner=me, not
// ?owner=me&due_from=&due_to=&cf_3=…).
// listView: a row's <select>s hold only their current option (a page of a hundred rows stays
// small); the options are copied from the page's <template id="row-options-…"> when a select is
// first focused or pressed, before the browser opens it. The header's box ticks every row.

function fillSelect(select) {
  if (select.dataset.filled) return;
  const template = document.getElementById(`row-options-${select.dataset.options}`);
  if (!template) return;
  const value = select.dataset.value ?? select.value;
  select.replaceChildren(template.content.cloneNode(true));
  select.value = value;
  select.dataset.filled = "true";
}

// The task panel stays outside #view (a filter replaces #view, not an open panel): after each
// swap it learns the view's new URL, where closing it returns, and on the list view the headers
// that ask the server to refresh a row rather than a board card.
function syncPanel() {
  const view = document.getElementById("view");
  const host = document.querySelector(".panel-host");
  if (!view || !host || !view.dataset.viewUrl) return;
  host.dataset.boardUrl = view.dataset.viewUrl;
  if (view.dataset.layout === "list") {
    const headers = { "X-Baton-Layout": "list", "X-Baton-Return": view.dataset.viewUrl };
    host.setAttribute("hx-headers", JSON.stringify(headers));
  }
}

export function registerFilters(Alpine) {
  document.addEventListener("htmx:afterSettle", syncPanel);

  Alpine.data("filterForm", () => ({
    clean(event) {
      const data = event.detail.formData;
      if (!data) return;
      const kept = [...data.entries()].filter(([, value]) => String(value).trim() !== "");
      [...new Set(data.keys())].forEach((name) => data.delete(name));
      kept.forEach(([name, value]) => data.append(name, value));
    },
  }));

  Alpine.data("listView", () => ({
    init() {
      const fill = (event) => {
        const select = event.target.closest?.("select[data-options]");
        if (select) fillSelect(select);
      };
      // Capture: the options must be there before the select opens or reads a key.
      this.$el.addEventListener("mousedown", fill, true);
      this.$el.addEventListener("focusin", fill, true);
      this.$el.addEventListener("keydown", fill, true);
    },
    toggleAll(event) {
      const on = event.target.checked;
      this.$el.querySelectorAll("input.bulk-check").forEach((box) => {
        if (box.checked === on) return;
        box.checked = on;
        box.dispatchEvent(new Event("change", { bubbles: true }));
      });
    },
  }));

  // A filtered board shows "3 / 120" in a list's header: the cards that match, then all of its
  // cards. board.js keeps the first number right after a drag; this keeps the second.
  document.addEventListener("end", (event) => {
    const card = event.item;
    if (!card?.dataset?.taskId || !event.from || event.from === event.to) return;
    const from = event.from.closest("[data-list-id]");
    const to = event.to.closest("[data-list-id]");
    if (!from || !to) return;
    card.addEventListener(
      "htmx:afterRequest",
      (response) => {
        if (!response.detail.successful) return;
        [
          [from, -1],
          [to, 1],
        ].forEach(([list, delta]) => {
          const total = list.querySelector(".list-total");
          if (!total) return;
          const count = Number(total.dataset.total || 0) + delta;
          total.dataset.total = String(count);
          total.textContent = `/ ${count}`;
        });
      },
      { once: true },
    );
  });
}
