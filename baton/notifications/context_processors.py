from baton.notifications.queries import unread_count


def notifications(request) -> dict:
    """The bell's unread count: a callable, so only a page that renders the bell runs its one
    COUNT query (htmx partials do not)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    cache: dict[str, int] = {}

    def unread() -> int:
        if "n" not in cache:
            cache["n"] = unread_count(user)
        return cache["n"]

    return {"unread_notifications": unread}
