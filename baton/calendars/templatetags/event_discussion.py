"""The event panel's files and comments, rendered inside the panel's own response: the panel
view stays as it is, and the whole panel is still one request in a fixed number of queries."""

from django import template
from django.template.loader import render_to_string
from django.utils.safestring import SafeString

from baton.calendars.queries import section_context

register = template.Library()

SECTION = "calendars/_event_discussion.html#event-discussion"


@register.simple_tag(takes_context=True)
def event_discussion(context, event) -> SafeString:
    request = context["request"]
    section = section_context(request.user, event)
    section.update(errors={}, typed={})
    return render_to_string(SECTION, section, request=request)
