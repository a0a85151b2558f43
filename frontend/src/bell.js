// The bell in the sidebar: the unread count of the notifications inbox, kept current by the live
// events of the user's channel ("notification.created" from the fan-out, "notification.read"
// from another tab marking read), which live.js re-dispatches as document "baton:live" events.
export function registerBell(Alpine) {
  Alpine.data("bell", () => ({
    unread: 0,
    init() {
      this.unread = Number(this.$el.dataset.unread) || 0;
      this.onLive = (event) => {
        const data = event.detail || {};
        if (data.type !== "notification.created" && data.type !== "notification.read") return;
        const unread = Number(data.unread);
        if (Number.isFinite(unread) && unread >= 0) this.unread = unread;
      };
      document.addEventListener("baton:live", this.onLive);
    },
    destroy() {
      document.removeEventListener("baton:live", this.onLive);
    },
    get label() {
      return this.unread > 99 ? "99+" : String(this.unread);
    },
    get hidden() {
      return this.unread <= 0;
    },
  }));
}
