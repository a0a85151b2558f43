// The participants of an event: type a few letters of a name or e-mail, pick with the mouse or
// the arrow keys and Enter; chosen people show as chips (Backspace in the empty box removes the
// last one). The real <select multiple> stays in the form and holds the choice, so the page
// works without JavaScript (the plain list) and the server reads the same field either way.
const MAX_SHOWN = 50;

function person(option) {
  const name = option.textContent.trim();
  const email = option.dataset.email || "";
  return { option, name, email, haystack: `${name} ${email}`.toLowerCase() };
}

export function registerPeoplePicker(Alpine) {
  Alpine.data("peoplePicker", () => ({
    people: [],
    matches: [],
    active: -1,
    init() {
      const select = this.$el.querySelector("select");
      const { box, query, options } = this.$refs;
      this.select = select;
      this.people = Array.from(select.options).map(person);
      // With JavaScript the picker replaces the list; the label now names the search box.
      query.id = `${select.id}_search`;
      const label = document.querySelector(`label[for="${select.id}"]`);
      if (label) label.htmlFor = query.id;
      select.hidden = true;
      select.tabIndex = -1;
      box.hidden = false;
      query.addEventListener("input", () => this.show());
      // A click opens the list; tabbing through the form does not (it would cover the fields).
      query.addEventListener("click", () => this.show());
      box.addEventListener("click", (event) => {
        if (event.target === box) query.focus();
      });
      query.addEventListener("blur", () => this.hide());
      query.addEventListener("keydown", (event) => this.keydown(event));
      // A click on an option must not blur the box first (the list would close under it).
      options.addEventListener("mousedown", (event) => event.preventDefault());
      options.addEventListener("click", (event) => {
        const item = event.target.closest("[data-index]");
        if (item) this.choose(Number(item.dataset.index));
      });
      this.$refs.chips.addEventListener("click", (event) => {
        const button = event.target.closest("button[data-value]");
        if (button) this.remove(button.dataset.value);
      });
      this.renderChips();
    },
    show() {
      const words = this.$refs.query.value.trim().toLowerCase().split(/\s+/).filter(Boolean);
      this.matches = this.people
        .filter((p) => !p.option.selected && words.every((w) => p.haystack.includes(w)))
        .slice(0, MAX_SHOWN);
      this.active = this.matches.length ? 0 : -1;
      this.renderOptions(words.length > 0);
    },
    hide() {
      this.matches = [];
      this.active = -1;
      this.$refs.options.hidden = true;
      this.$refs.query.setAttribute("aria-expanded", "false");
      this.$refs.query.removeAttribute("aria-activedescendant");
    },
    choose(index) {
      const chosen = this.matches[index];
      if (!chosen) return;
      chosen.option.selected = true;
      this.select.dispatchEvent(new Event("change", { bubbles: true }));
      this.$refs.query.value = "";
      this.renderChips();
      this.show();
    },
    remove(value) {
      const found = this.people.find((p) => p.option.value === value);
      if (!found) return;
      found.option.selected = false;
      this.select.dispatchEvent(new Event("change", { bubbles: true }));
      this.renderChips();
      if (document.activeElement === this.$refs.query) this.show();
      else this.$refs.query.focus();
    },
    keydown(event) {
      const open = !this.$refs.options.hidden;
      if (event.key === "ArrowDown" || event.key === "ArrowUp") {
        event.preventDefault();
        if (!open) return this.show();
        if (!this.matches.length) return;
        const step = event.key === "ArrowDown" ? 1 : -1;
        this.active = (this.active + step + this.matches.length) % this.matches.length;
        this.renderOptions(true);
      } else if (event.key === "Enter") {
        // Enter picks a person; it never submits the form from this box.
        event.preventDefault();
        if (open && this.active >= 0) this.choose(this.active);
      } else if (event.key === "Escape" && open) {
        event.stopPropagation(); // closes the list, not the panel
        this.hide();
      } else if (event.key === "Backspace" && !this.$refs.query.value) {
        const chosen = this.people.filter((p) => p.option.selected);
        const last = chosen[chosen.length - 1];
        if (last) this.remove(last.option.value);
      }
    },
    renderChips() {
      const chips = this.$refs.chips;
      const removeLabel = this.$el.dataset.remove || "Remove";
      chips.replaceChildren(
        ...this.people
          .filter((p) => p.option.selected)
          .map((p) => {
            const chip = document.createElement("li");
            chip.className = "people-chip";
            const name = document.createElement("span");
            name.className = "people-chip-name";
            name.textContent = p.name;
            if (p.email) name.title = p.email;
            const button = document.createElement("button");
            button.type = "button";
            button.className = "people-chip-remove";
            button.dataset.value = p.option.value;
            button.setAttribute("aria-label", `${removeLabel} ${p.name}`);
            button.textContent = "×";
            chip.append(name, button);
            return chip;
          }),
      );
      chips.hidden = chips.children.length === 0;
    },
    renderOptions(typed) {
      const list = this.$refs.options;
      const query = this.$refs.query;
      const baseId = list.id;
      if (!this.matches.length) {
        const empty = document.createElement("li");
        empty.className = "people-picker-empty";
        empty.textContent = typed ? this.$el.dataset.noMatch : this.$el.dataset.everyone;
        list.replaceChildren(empty);
      } else {
        list.replaceChildren(
          ...this.matches.map((p, index) => {
            const item = document.createElement("li");
            item.id = `${baseId}_${index}`;
            item.className = index === this.active ? "people-option active" : "people-option";
            item.setAttribute("role", "option");
            item.setAttribute("aria-selected", index === this.active ? "true" : "false");
            item.dataset.index = String(index);
            const name = document.createElement("span");
            name.className = "people-option-name";
            name.textContent = p.name;
            const email = document.createElement("span");
            email.className = "people-option-email";
            email.textContent = p.email === p.name ? "" : p.email;
            item.append(name, email);
            return item;
          }),
        );
      }
      list.hidden = false;
      query.setAttribute("aria-expanded", "true");
      if (this.active >= 0) {
        const current = document.getElementById(`${baseId}_${this.active}`);
        query.setAttribute("aria-activedescendant", current.id);
        current.scrollIntoView({ block: "nearest" });
      } else {
        query.removeAttribute("aria-activedescendant");
      }
    },
  }));
}
