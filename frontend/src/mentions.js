// The comment box: "@" followed by a few letters offers the project's people; Enter or a click
// puts "@Name " in the text. Ctrl+Enter (or ⌘+Enter) sends the comment.
const MAX_MATCHES = 8;

export function registerMentions(Alpine) {
  Alpine.data("mentions", () => ({
    people: [],
    matches: [],
    active: 0,
    start: -1, // where the "@" being completed is in the text
    open: false,
    init() {
      try {
        this.people = JSON.parse(this.$el.dataset.people || "[]");
      } catch {
        this.people = [];
      }
    },
    typed() {
      const input = this.$refs.input;
      const before = input.value.slice(0, input.selectionStart);
      const at = before.lastIndexOf("@");
      const query = at >= 0 ? before.slice(at + 1) : "";
      const boundary = at === 0 || /\s/.test(before.charAt(at - 1));
      if (at < 0 || !boundary || /\s/.test(query) || query.length > 20) return this.hide();
      const wanted = query.toLowerCase();
      this.matches = this.people
        .filter((person) => person.name.toLowerCase().includes(wanted))
        .slice(0, MAX_MATCHES);
      this.start = at;
      this.active = 0;
      this.open = this.matches.length > 0;
    },
    hide() {
      this.open = false;
      this.matches = [];
    },
    optionClass(index) {
      return index === this.active ? "mention-option active" : "mention-option";
    },
    avatarClass(person) {
      return `avatar avatar-xs c-${person.color}`;
    },
    choose(index) {
      const person = this.matches[index];
      const input = this.$refs.input;
      if (!person) return;
      const before = input.value.slice(0, this.start);
      const after = input.value.slice(input.selectionStart);
      const inserted = `@${person.name} `;
      input.value = before + inserted + after;
      const caret = before.length + inserted.length;
      input.setSelectionRange(caret, caret);
      input.focus();
      this.hide();
    },
    keydown(event) {
      if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
        event.preventDefault();
        this.hide();
        this.$el.requestSubmit();
        return;
      }
      if (!this.open) return;
      if (event.key === "ArrowDown" || event.key === "ArrowUp") {
        event.preventDefault();
        const step = event.key === "ArrowDown" ? 1 : -1;
        this.active = (this.active + step + this.matches.length) % this.matches.length;
      } else if (event.key === "Enter" || event.key === "Tab") {
        event.preventDefault();
        this.choose(this.active);
      } else if (event.key === "Escape") {
        event.stopPropagation(); // closes the menu, not the panel
        this.hide();
      }
    },
  }));
}
