from django.conf import settings


def baton(request) -> dict:
    """What the base layout needs on every page: the user's organizations for the switcher."""
    context = {"BATON_SITE_URL": settings.SITE_URL}
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        # A callable, which templates call only when the layout renders the switcher: partials
        # (most htmx answers) do not even build the queryset.
        context["my_memberships"] = lambda: user.memberships.select_related(
            "organization"
        ).order_by("organization__name")
    return context
