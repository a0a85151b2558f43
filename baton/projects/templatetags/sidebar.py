"""The app shell's projects: app.html reads them itself, so no view builds the sidebar."""

from django import template

from baton.projects.permissions import visible_projects

register = template.Library()


@register.simple_tag(takes_context=True)
def sidebar_projects(context, org):
    """The open projects of `org` the person may open (one query, run only when a page renders
    the sidebar; htmx partials do not)."""
    if org is None:
        return []
    return list(visible_projects(context["request"].user, org).filter(archived_at__isnull=True))
