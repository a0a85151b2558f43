// The sidebar's search box: results drop down as you type (htmx fetches them), arrow keys move
// through them, Enter opens the chosen one (or the full results page), Esc closes.

export function registerSearch(Alpine) {
  Alpine.data("searchBox", () => ({
    open: false,
    active: -1,
    results() {
      return Array.from(this.$refs.dropdown.querySelectorAll(".search-result"));
    },
    show() {
      this.open = this.$refs.input.value.trim() !== "";
    },
    close() {
      this.open = false;
      this.active = -1;
    },
    escape() {
      this.close();
      this.$refs.input.blur();
    },
    // A new page of results: nothing chosen yet; shown only while there is a query.
    refreshed() {
      this.active = -1;
      this.show();
    },
    next() {
      this.move(1);
    },
    previous() {
      this.move(-1);
    },
    move(step) {
      const results = this.results();
      if (!results.length) return;
      this.open = true;
      this.active = (this.active + step + results.length) % results.length;
      results.forEach((result, index) => {
        result.classList.toggle("is-active", index === this.active);
        result.setAttribute("aria-selected", index === this.active ? "true" : "false");
      });
      results[this.active].scrollIntoView({ block: "nearest" });
    },
    choose(event) {
      const chosen = this.results()[this.active];
      if (this.open && chosen) {
        event.preventDefault();
        window.location.assign(chosen.href);
      }
    },
  }));
}
