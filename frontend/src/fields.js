// Custom fields: the settings' list of fields (drag a row by its handle to reorder), the form
// that adds or edits a field (options appear for select types; "Add an option" adds a row), and
// the required fields under a list's quick-add (emptied after each card, like the title).
import { sortableRows } from "./checklist.js";

const SELECT_KINDS = ["select", "multi"];

export function registerFields(Alpine, htmx) {
  Alpine.data("fieldList", sortableRows(htmx, "data-field-id"));

  Alpine.data("fieldForm", () => ({
    kind: "text",
    init() {
      this.kind = this.$el.dataset.kind || "text";
    },
    get hasOptions() {
      return SELECT_KINDS.includes(this.kind);
    },
    pick(event) {
      this.kind = event.target.value;
    },
    // A new option row from the form's <template>, with its own index and the next colour.
    add() {
      const rows = this.$refs.rows;
      const index = Number(rows.dataset.next || rows.children.length);
      rows.dataset.next = String(index + 1);
      const holder = document.createElement("ol");
      holder.innerHTML = this.$refs.blank.innerHTML.replaceAll("__i__", String(index));
      const row = holder.firstElementChild;
      const colours = row.querySelectorAll("input[type=radio]");
      if (colours.length) colours[index % colours.length].checked = true;
      rows.appendChild(row);
      row.querySelector("input[type=text]").focus();
    },
  }));

  Alpine.data("quickAddFields", () => ({
    init() {
      const form = this.$el.closest("form");
      if (!form) return;
      form.addEventListener("htmx:afterRequest", (event) => {
        const status = event.detail.xhr ? event.detail.xhr.status : 0;
        if (!event.detail.successful || status < 200 || status >= 300) return;
        this.$el.querySelectorAll("input, select").forEach((input) => {
          if (input.type === "checkbox" || input.type === "radio") input.checked = false;
          else input.value = "";
        });
      });
    },
  }));
}
