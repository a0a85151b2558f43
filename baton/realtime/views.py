"""Presence: who else is viewing a board, a card or a document right now.

The SSE streams keep one Presence row per connection and channel (stream.py) and publish
`presence.changed` on the channel when someone arrives or leaves; the page then asks this view
for the avatars of the others.
"""

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from baton.accounts.requests import AuthenticatedRequest
from baton.realtime.channels import PRESENCE_KINDS, may_listen, parse_channel
from baton.realtime.stream import present_users

# More than this many faces say nothing more; the rest is a count.
SHOWN = 6


@login_required
@require_GET
def presence(request: AuthenticatedRequest) -> HttpResponse:
    """GET /presence/?channel=project:3 → the avatars of the other people connected to it."""
    channel = request.GET.get("channel", "")
    parsed = parse_channel(channel)
    if parsed is None or parsed[0] not in PRESENCE_KINDS:
        return HttpResponse("Ask for a project, task or document channel.", status=400)
    if not may_listen(request.user, channel):
        raise Http404
    people = present_users(channel, exclude_user_id=request.user.pk)
    context = {
        "channel": channel,
        "people": people[:SHOWN],
        "more": max(len(people) - SHOWN, 0),
        "everyone": people,
    }
    response = render(request, "realtime/presence.html", context)
    response["Cache-Control"] = "no-store"
    return response
