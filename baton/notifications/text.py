"""describe(notification): what happened, in the active language, without the actor's name
(the inbox shows the person beside it; a mail says "<name>: <text>").

The inbox and the mails both use it; mails call it inside translation.override(language).
"""

import datetime as dt

from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from baton.notifications.models import Kind, Notification

FIELD_NAMES = {
    "title": lambda: _("the title"),
    "description": lambda: _("the description"),
    "assignee": lambda: _("the owner"),
    "due_date": lambda: _("the due date"),
    "start_date": lambda: _("the start date"),
    "priority": lambda: _("the priority"),
    "location": lambda: _("the place"),
}


def _date(value) -> str:
    try:
        day = dt.date.fromisoformat(str(value)[:10])
    except (TypeError, ValueError):
        return ""
    return formats.date_format(day, "SHORT_DATE_FORMAT")


def _task(n: Notification, data: dict) -> str:
    verb = n.verb
    if verb == "task.created":
        return _("assigned a new card to you")
    if verb == "task.updated":
        fields = data.get("fields") or []
        if n.kind == Kind.ASSIGNMENT:
            return _("assigned the card to you")
        if fields == ["due_date"]:
            when = _date(data.get("due_date"))
            if when:
                return _("changed the due date to %(date)s") % {"date": when}
            return _("removed the due date")
        names = [FIELD_NAMES[f]() for f in fields if f in FIELD_NAMES]
        if names:
            return _("changed %(fields)s") % {"fields": _(", ").join(names)}
        return _("changed the card")
    if verb == "task.moved":
        if data.get("done"):
            return _("completed the card (moved it to %(list)s)") % {"list": data.get("list", "")}
        return _("moved the card to %(list)s") % {"list": data.get("list", "")}
    if verb == "task.completed":
        return _("completed the card")
    if verb == "task.reopened":
        return _("reopened the card")
    if verb == "task.archived":
        return _("archived the card")
    if verb == "task.restored":
        return _("restored the card from the archive")
    if verb == "task.deleted":
        return _("deleted the card")
    if verb == "task.attached":
        count = len(data.get("names") or []) or 1
        return ngettext("attached a file", "attached %(n)d files", count) % {"n": count}
    if verb in ("comment.added", "comment.edited"):
        if n.kind == Kind.MENTION:
            return _("mentioned you in a comment")
        return _("commented on the card")
    return _("changed the card")


def _document(n: Notification, data: dict) -> str:
    verb = n.verb
    if n.kind == Kind.MENTION:
        return _("mentioned you in a comment on the document")
    if verb == "document.saved":
        return _("saved version %(n)s of the document") % {"n": data.get("version") or "?"}
    if verb == "document.restored":
        return _("restored an earlier version of the document")
    if verb == "document.followers_added":
        return _("added you as a follower of the document")
    if verb.startswith("document.comment"):
        return _("commented on the document")
    return _("changed the document")


def _event(n: Notification, data: dict) -> str:
    verb = n.verb
    if n.kind == Kind.MENTION:
        return _("mentioned you in a comment on the event")
    if data.get("invited"):
        return _("invited you to the event")
    if verb == "event.updated":
        if data.get("moved"):
            return _("changed the time of the event")
        return _("changed the event")
    if verb == "event.deleted":
        return _("cancelled the event")
    if verb == "event.occurrence_deleted":
        return _("cancelled one occurrence of the event")
    if verb == "event.responded":
        response = data.get("response")
        if response == "accepted":
            return _("accepted your invitation")
        if response == "declined":
            return _("declined your invitation")
        return _("answered your invitation")
    if verb.startswith("event.comment"):
        return _("commented on the event")
    return _("changed the event")


def describe(notification: Notification) -> str:
    """What happened, e.g. "把卡片分配给了你" / "assigned the card to you"."""
    data = notification.data or {}
    if notification.verb.startswith("reminder."):
        from baton.notifications.reminders import reminder_text

        return reminder_text(notification)
    if notification.target_type == "task":
        return _task(notification, data)
    if notification.target_type == "document":
        return _document(notification, data)
    if notification.target_type == "event":
        return _event(notification, data)
    return notification.verb


def target_parts(notification: Notification) -> tuple[str, str]:
    """(reference, title) of the target: ("SH-42", "Banner for 双11") for a card, ("", title)
    for anything else."""
    reference = (notification.data or {}).get("reference") or ""
    title = notification.target_title
    if reference and title.startswith(reference):
        title = title[len(reference) :].strip()
    return reference, title
