from django.conf import settings


def baton(request) -> dict:
    """What the base layout needs on every page: the user's organizations for the switcher."""
    context = {"BATON_SITE_URL": settings.SITE_URL}
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        # Lazy: evaluated only when the layout renders the switcher, never for partials.
        context["my_memberships"] = user.memberships.select_related("organization").order_by(
            "organization__name"
        )
    return context
