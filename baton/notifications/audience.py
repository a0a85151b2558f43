"""Who hears of an Activity, and why: the rules of the inbox (通知).

`VERBS` names every verb anyone may hear of; the fan-out receiver checks it before it enqueues
anything, so most writes (a card dragged within its list, a tag created) cost nothing more.

`audience(activity, snapshot=...)` returns a `Plan`: the object the activity concerns (title,
address) and, per recipient, the kind and the reason (the strongest one: a mention beats an
assignment beats everything else). The actor never hears of their own change, and nobody hears
of what they may no longer see: the candidates are filtered, in one query, by the same rules as
the object's access helper (projects: project_people; documents: document_readers; calendars:
calendar_people), by membership of the organization and by `is_active`.

A card's followers are its participants (Follow in the task panel makes you one; creating the
card or commenting on it does too, as Trello's "watch" does) and its owner (负责人).
"""

from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth import get_user_model
from django.urls import reverse

from baton.activity.models import Activity
from baton.discussion.queries import comments_of
from baton.lib.markdown import plain_text
from baton.notifications.models import Kind, Notification

# Kinds from strongest to weakest: one recipient gets one notification per activity.
STRENGTH = {Kind.MENTION: 3, Kind.ASSIGNMENT: 2}

# The card fields whose change its followers hear of (moves within a list, tags, custom fields
# and the participants themselves are not news).
NOTABLE_TASK_FIELDS = {"title", "description", "assignee", "due_date", "start_date", "priority"}
# An event's fields whose change its participants hear of ("the time moved" or "it changed").
EVENT_TIME_FIELDS = {"start", "end", "all_day", "timezone", "rrule"}
EVENT_FIELDS = EVENT_TIME_FIELDS | {"title", "location"}

TASK_VERBS = {
    "task.created",
    "task.updated",
    "task.moved",
    "task.completed",
    "task.reopened",
    "task.archived",
    "task.restored",
    "task.deleted",
    "task.attached",
    "comment.added",
    "comment.edited",
}
DOCUMENT_VERBS = {
    "document.saved",
    "document.restored",
    "document.commented",
    "document.comment_edited",
    "document.followers_added",
}
EVENT_VERBS = {
    "event.created",
    "event.updated",
    "event.deleted",
    "event.occurrence_deleted",
    "event.commented",
    "event.comment_edited",
    "event.responded",
}
VERBS = frozenset(TASK_VERBS | DOCUMENT_VERBS | EVENT_VERBS)
# Verbs whose object is gone once the job runs: the receiver notes its people beforehand.
SNAPSHOT_VERBS = {"task.deleted", "event.deleted"}


@dataclass
class Plan:
    """Whom to tell, and what the notifications say about the target."""

    target_type: str = ""
    target_id: int = 0
    target_title: str = ""
    target_url: str = ""
    data: dict[str, Any] = field(default_factory=dict)
    # recipient id -> kind
    recipients: dict[int, str] = field(default_factory=dict)
    # recipient id -> extra data for that one (e.g. {"invited": True})
    extra: dict[int, dict] = field(default_factory=dict)

    def add(self, user_ids, kind: str, **extra) -> None:
        for uid in user_ids:
            if uid is None:
                continue
            old = self.recipients.get(uid)
            if old is None or STRENGTH.get(kind, 1) > STRENGTH.get(old, 1):
                self.recipients[uid] = kind
                if extra:
                    self.extra[uid] = extra
                else:
                    self.extra.pop(uid, None)

    def notifications(self, activity: Activity) -> list[Notification]:
        return [
            Notification(
                recipient_id=uid,
                organization_id=activity.organization_id,
                activity=activity,
                actor_id=activity.actor_id,
                kind=kind,
                verb=activity.verb,
                data={**self.data, **self.extra.get(uid, {})},
                target_type=self.target_type,
                target_id=self.target_id,
                target_title=self.target_title[:300],
                target_url=self.target_url[:300],
            )
            for uid, kind in self.recipients.items()
        ]


def worth_telling(activity: Activity) -> bool:
    """Whether anyone may hear of `activity`: a cheap look at its verb and data, done inside the
    write (no query), so most writes enqueue nothing."""
    verb, data = activity.verb, activity.data or {}
    if verb not in VERBS:
        return False
    if verb == "task.moved":
        return data.get("field") == "list"
    if verb == "task.created" and "assignee" in data:
        # Only the owner it was created with hears of it, and the actor never does: a quick-add
        # (no owner) enqueues no job, which the worker would run only to tell nobody.
        return data["assignee"] not in (None, activity.actor_id)
    if verb == "task.updated":
        return any(c.get("field") in NOTABLE_TASK_FIELDS for c in data.get("changes", []))
    if verb == "event.updated":
        return bool(set(data) & (EVENT_FIELDS | {"participants"}))
    return True


def snapshot(activity: Activity) -> dict:
    """For a deletion, the people of the object while it still exists (one query; called by the
    receiver inside the deleting transaction, before the row goes)."""
    if activity.verb == "task.deleted":
        from baton.projects.models import Task

        task = Task.objects.filter(pk=activity.target_id).values("assignee_id").first()
        ids = list(
            Task.participants.through.objects.filter(task_id=activity.target_id).values_list(
                "user_id", flat=True
            )
        )
        if task:
            ids.append(task["assignee_id"])
        return {"people": sorted({i for i in ids if i})}
    if activity.verb == "event.deleted":
        from baton.calendars.models import Event

        rows = Event.objects.filter(pk=activity.target_id).values_list(
            "calendar_id", "attendance__user_id"
        )
        rows = list(rows)
        calendar_id = rows[0][0] if rows else None
        return {"people": sorted({u for _c, u in rows if u}), "calendar": calendar_id}
    return {}


def audience(activity: Activity, snapshot: dict | None = None) -> Plan:
    """Who hears of `activity` and why (see the module's docstring)."""
    snapshot = snapshot or {}
    plan = Plan()
    verb = activity.verb
    if verb in TASK_VERBS:
        visible = _task_plan(activity, plan, snapshot)
    elif verb in DOCUMENT_VERBS:
        visible = _document_plan(activity, plan)
    elif verb in EVENT_VERBS:
        visible = _event_plan(activity, plan, snapshot)
    else:
        return plan
    plan.recipients.pop(activity.actor_id, None)
    if not plan.recipients or visible is None:
        plan.recipients.clear()
        return plan
    allowed = set(
        visible.filter(
            pk__in=list(plan.recipients),
            is_active=True,
            memberships__organization_id=activity.organization_id,
        )
        .order_by()
        .values_list("pk", flat=True)
    )
    plan.recipients = {uid: kind for uid, kind in plan.recipients.items() if uid in allowed}
    return plan


# ---------------------------------------------------------------- cards


def _task_plan(activity: Activity, plan: Plan, snapshot: dict):
    from baton.projects.models import Project, Task
    from baton.projects.queries import project_people

    data = activity.data or {}
    verb = activity.verb
    if verb == "task.deleted":
        project = (
            Project.objects.select_related("organization").filter(pk=activity.project_id).first()
        )
        if project is None:
            return None
        plan.target_type, plan.target_id = "task", activity.target_id
        plan.target_title = f"{data.get('reference', '')} {data.get('title', '')}".strip()
        plan.target_url = reverse(
            "projects:board", kwargs={"slug": project.organization.slug, "key": project.key}
        )
        plan.data = {"reference": data.get("reference", "")}
        plan.add(snapshot.get("people", []), Kind.TASK)
        return project_people(project)

    task = (
        Task.objects.select_related("project__organization", "list")
        .filter(pk=activity.target_id)
        .first()
    )
    if task is None:
        return None
    project = task.project
    plan.target_type, plan.target_id = "task", task.pk
    plan.target_title = f"{task.reference} {task.title}"
    plan.target_url = reverse(
        "projects:task", kwargs={"slug": project.organization.slug, "ref": task.reference}
    )
    plan.data = {"reference": task.reference}

    def followers() -> list[int]:
        ids = list(task.participants.values_list("pk", flat=True))
        return [task.assignee_id, *ids]

    if verb == "task.created":
        # The owner it was created with (it may have changed before the job ran: that change
        # tells its own story).
        plan.add([data.get("assignee", task.assignee_id)], Kind.ASSIGNMENT)
    elif verb == "task.updated":
        changes = [c for c in data.get("changes", []) if c.get("field") in NOTABLE_TASK_FIELDS]
        if not changes:
            return project_people(project)
        fields = [c["field"] for c in changes]
        plan.data["fields"] = fields
        for change in changes:
            if change["field"] == "due_date":
                plan.data["due_date"] = change.get("new")
            if change["field"] == "title":
                plan.data["old_title"] = change.get("old")
        plan.add(followers(), Kind.TASK)
        if "assignee" in fields:
            plan.add([task.assignee_id], Kind.ASSIGNMENT)
    elif verb == "task.moved":
        if data.get("field") != "list":
            return None  # a move within its list
        plan.data["list"] = data.get("new", "")
        plan.data["done"] = task.completed_at is not None and task.list.is_done
        plan.add(followers(), Kind.TASK)
    elif verb == "task.attached":
        plan.data["names"] = list(data.get("names", []))[:5]
        plan.add(followers(), Kind.TASK)
    elif verb in ("comment.added", "comment.edited"):
        comment = comments_of(task).filter(pk=data.get("comment")).first()
        if comment is None:
            return None
        _tell_of_comment(plan, comment, added=verb == "comment.added", everyone=followers)
    else:  # completed, reopened, archived, restored
        plan.add(followers(), Kind.TASK)
    return project_people(project)


def _excerpt(body: str, length: int = 140) -> str:
    """The comment's words as a reader sees them (no `**`, no link targets), on one line."""
    text = plain_text(body or "")
    return text if len(text) <= length else text[: length - 1] + "…"


KIND_OF_TARGET = {"task": Kind.TASK, "document": Kind.DOCUMENT, "event": Kind.EVENT}


def _tell_of_comment(plan: Plan, comment, *, added: bool, everyone) -> None:
    """A new comment tells everyone concerned (`everyone()`); the people it @mentions hear of it
    as a mention, and an edited comment tells only the people it newly names."""
    plan.data["comment"] = comment.pk
    plan.data["excerpt"] = _excerpt(comment.body)
    mentioned = list(comment.mentions.values_list("pk", flat=True))
    if added:
        plan.add(everyone(), KIND_OF_TARGET[plan.target_type])
    else:
        mentioned = _not_yet_mentioned(mentioned, plan.target_type, plan.target_id, comment.pk)
    plan.add(mentioned, Kind.MENTION)


def _not_yet_mentioned(user_ids, target_type: str, target_id: int, comment_id: int) -> list[int]:
    """An edited comment tells only the people it newly names."""
    if not user_ids:
        return []
    told = set(
        Notification.objects.filter(
            target_type=target_type,
            target_id=target_id,
            kind=Kind.MENTION,
            recipient_id__in=user_ids,
            data__comment=comment_id,
        ).values_list("recipient_id", flat=True)
    )
    return [uid for uid in user_ids if uid not in told]


# ---------------------------------------------------------------- documents


def _document_plan(activity: Activity, plan: Plan):
    from baton.documents.models import Document, DocumentFollower
    from baton.documents.permissions import document_readers

    document = (
        Document.objects.select_related("organization", "project")
        .filter(pk=activity.target_id, deleted_at__isnull=True)
        .first()
    )
    if document is None:
        return None
    data = activity.data or {}
    verb = activity.verb
    plan.target_type, plan.target_id = "document", document.pk
    plan.target_title = document.title
    plan.target_url = reverse(
        "documents:document",
        kwargs={"slug": document.organization.slug, "document_id": document.pk},
    )

    def followers() -> list[int]:
        return list(
            DocumentFollower.objects.filter(document=document).values_list("user_id", flat=True)
        )

    if verb in ("document.saved", "document.restored"):
        plan.data = {"version": data.get("version"), "note": data.get("note", "")}
        plan.add(followers(), Kind.DOCUMENT)
    elif verb == "document.followers_added":
        plan.add(data.get("users", []), Kind.DOCUMENT)
    else:  # a comment, added or edited
        comment = comments_of(document).filter(pk=data.get("comment")).first()
        if comment is None:
            return None
        _tell_of_comment(plan, comment, added=verb == "document.commented", everyone=followers)
    return document_readers(document)


# ---------------------------------------------------------------- events


def _event_plan(activity: Activity, plan: Plan, snapshot: dict):
    from baton.calendars.models import Calendar, Event, EventParticipant
    from baton.calendars.permissions import calendar_people

    data = activity.data or {}
    verb = activity.verb
    if verb == "event.deleted":
        calendar = (
            Calendar.objects.select_related("organization")
            .filter(pk=snapshot.get("calendar"))
            .first()
        )
        if calendar is None:
            return None
        plan.target_type, plan.target_id = "event", activity.target_id
        plan.target_title = data.get("title", "")
        plan.target_url = reverse("calendars:home", kwargs={"slug": calendar.organization.slug})
        people = snapshot.get("people", [])
        plan.add(people, Kind.EVENT)
        # They were invited: they could see it, whatever the calendar's visibility.
        return get_user_model().objects.filter(pk__in=people)

    event = (
        Event.objects.select_related("calendar__organization").filter(pk=activity.target_id).first()
    )
    if event is None:
        return None
    plan.target_type, plan.target_id = "event", event.pk
    plan.target_title = event.title
    plan.target_url = reverse(
        "calendars:event", kwargs={"slug": event.calendar.organization.slug, "event_id": event.pk}
    )
    plan.data = {"start": event.start.isoformat() if event.start else None}

    def participants() -> list[int]:
        return list(EventParticipant.objects.filter(event=event).values_list("user_id", flat=True))

    if verb == "event.created":
        plan.add(participants(), Kind.EVENT, invited=True)
    elif verb == "event.updated":
        changed = set(data) & (EVENT_FIELDS | {"participants"})
        if not changed:
            return None
        people = participants()
        if "participants" in changed:
            invited = _not_yet_invited(data.get("participants") or [], event)
            plan.add(invited, Kind.EVENT, invited=True)
        changed.discard("participants")
        if changed:
            plan.data["fields"] = sorted(changed)
            plan.data["moved"] = bool(changed & EVENT_TIME_FIELDS)
            plan.add([p for p in people if p not in plan.recipients], Kind.EVENT)
    elif verb == "event.occurrence_deleted":
        plan.data["occurrence"] = data.get("occurrence")
        plan.add(participants(), Kind.EVENT)
    elif verb == "event.responded":
        plan.data["response"] = data.get("response", "")
        plan.add([event.created_by_id], Kind.EVENT)
    else:  # a comment, added or edited
        comment = comments_of(event).filter(pk=data.get("comment")).first()
        if comment is None:
            return None
        _tell_of_comment(plan, comment, added=verb == "event.commented", everyone=participants)
    return calendar_people(event.calendar, event)


def _not_yet_invited(user_ids, event) -> list[int]:
    """Of the event's participants after an edit, those never told of it before (the Activity row
    keeps the new list only)."""
    ids = [int(u) for u in user_ids if str(u).isdigit()]
    if not ids:
        return []
    told = set(
        Notification.objects.filter(
            target_type="event", target_id=event.pk, recipient_id__in=ids, data__invited=True
        ).values_list("recipient_id", flat=True)
    )
    return [uid for uid in ids if uid not in told]
