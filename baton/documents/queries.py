"""Reads for the document pages: a version's text, the history, a comparison, and what the side
panel, the comments, the share dialog and a task's documents section show (a fixed number of
queries each, whatever the number of followers, comments, members or links)."""

from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.urls import reverse
from django.utils.translation import gettext as _

from baton.discussion.queries import comments_of, mention_people_json, rendered
from baton.documents import versions
from baton.documents.models import (
    Document,
    DocumentFollower,
    DocumentMember,
    DocumentRole,
    DocumentTaskLink,
    DocumentVersion,
    DocumentVisibility,
)
from baton.documents.permissions import (
    document_readers,
    document_role,
    may_moderate,
    may_resolve,
    visible_documents,
)
from baton.lib.diff import Diff, diff_texts
from baton.orgs.models import Membership, Role, Team
from baton.projects.permissions import can_edit, visible_projects

HISTORY_FIELDS = (
    "number",
    "title",
    "note",
    "author__name",
    "author__email",
    "created_at",
    "restored_from",
    "size",
    "added",
    "removed",
)


def version_text(document: Document, number: int) -> DocumentVersion:
    """Version `number` of this document with its full text as `.body`, in one query (the rows
    since the last full text before it). Another document's version is not found:
    ValidationError."""
    rows = list(
        DocumentVersion.objects.filter(
            document=document,
            number__gt=number - versions.KEYFRAME_EVERY,
            number__lte=number,
        ).order_by("number")
    )
    if not rows or rows[-1].number != number:
        raise ValidationError({"version": _("This document has no version %(n)s.") % {"n": number}})
    start = max(i for i, row in enumerate(rows) if row.kind == versions.FULL)
    wanted = rows[-1]
    wanted.body = versions.rebuild((row.kind, row.data) for row in rows[start:])
    return wanted


def history(document: Document) -> list[dict]:
    """Every saved version, newest first, without the texts (one query)."""
    return list(
        DocumentVersion.objects.filter(document=document)
        .order_by("-number")
        .values(*HISTORY_FIELDS)
    )


def compare(
    document: Document, old: int, new: int
) -> tuple[DocumentVersion, DocumentVersion, Diff]:
    """Two versions of the document and the difference from the first to the second."""
    before, after = version_text(document, old), version_text(document, new)
    return before, after, diff_texts(before.body, after.body)


# ---------------------------------------------------------------- panels: side, comments, sharing

SHOWN_CHOICES = 200  # documents offered when linking one to a card


# ---------------------------------------------------------------- followers and related tasks


def followers_context(user, document: Document) -> dict:
    """The followers (oldest first), whether `user` follows, and who else may be added."""
    rows = DocumentFollower.objects.filter(document=document).select_related("user")
    followers = [row.user for row in rows.order_by("created_at", "id")]
    role = document_role(user, document)
    can_add = role is not None
    following_ids = {person.pk for person in followers}
    candidates, teams = [], []
    if can_add:
        candidates = [p for p in document_readers(document) if p.pk not in following_ids]
        teams = list(Team.objects.filter(organization_id=document.organization_id))
    return {
        "followers": followers,
        "following": user.pk in following_ids,
        "can_add_followers": can_add,
        "follower_candidates": candidates,
        "follower_teams": teams,
    }


def related_tasks(user, document: Document) -> list[dict]:
    """The tasks the document names or is linked with that `user` may see, each once."""
    projects = visible_projects(user, document.organization).values("pk")
    links = (
        DocumentTaskLink.objects.filter(document=document, task__project__in=projects)
        .select_related("task__project")
        .order_by("task__project__key", "task__number")
    )
    tasks: dict[int, dict] = {}
    for link in links:
        task = link.task
        ref = f"{task.project.key}-{task.number}"
        entry = tasks.setdefault(task.pk, {"task": task, "ref": ref, "kinds": set()})
        entry["kinds"].add(link.kind)
    return list(tasks.values())


def side_context(user, document: Document) -> dict:
    return {
        **followers_context(user, document),
        "tasks": related_tasks(user, document),
        "can_edit": document_role(user, document) == DocumentRole.EDITOR,
    }


# ---------------------------------------------------------------- comments


def comments_context(user, document: Document) -> dict:
    """Comments oldest first (the newest beside the box), with mentions marked and what `user`
    may do with each; resolved ones are counted so the page can fold them."""
    role = document_role(user, document)
    moderator = role is not None and may_moderate(user, document)
    rows = (
        comments_of(document).select_related("author", "resolved_by").prefetch_related("mentions")
    )
    comments = rendered(list(rows))
    for comment in comments:
        mine = comment.author_id == user.pk
        comment.editable = role is not None and mine
        comment.deletable = role is not None and (mine or moderator)
        comment.resolvable = may_resolve(user, document, comment, role)
    return {
        "comments": comments,
        "comments_url": reverse(
            "documents:comments", args=[document.organization.slug, document.pk]
        )
        + "/",
        "open_count": sum(1 for c in comments if c.resolved_at is None),
        "resolved_count": sum(1 for c in comments if c.resolved_at is not None),
        "can_comment": role is not None,
        "mention_people": mention_people_json(document_readers(document)) if role else "[]",
    }


# ---------------------------------------------------------------- the share dialog


def share_context(user, document: Document) -> dict:
    """The audience, the named people and teams with their roles, and whom else one may name."""
    members = list(
        DocumentMember.objects.filter(document=document)
        .select_related("user", "team")
        .annotate(team_size=Count("team__members"))
        .order_by("team__name", "user__name", "pk")
    )
    memberships = Membership.objects.filter(organization_id=document.organization_id)
    guests = set(memberships.filter(role=Role.GUEST).values_list("user_id", flat=True))
    for member in members:
        member.is_guest = member.user_id in guests
    named_users = {m.user_id for m in members if m.user_id}
    named_teams = {m.team_id for m in members if m.team_id}
    people = [
        (row.user, row.user_id in guests)
        for row in memberships.select_related("user").order_by("user__name", "user_id")
        if row.user_id not in named_users
    ]
    teams = Team.objects.filter(organization_id=document.organization_id).exclude(
        pk__in=named_teams
    )
    return {
        "members": members,
        "people_choices": people,
        "team_choices": list(teams),
        "visibility_choices": [
            choice
            for choice in DocumentVisibility.choices
            if choice[0] != DocumentVisibility.PROJECT or document.project_id
        ],
        "access_choices": DocumentRole.choices,
        "can_share": document_role(user, document) == DocumentRole.EDITOR,
    }


# ---------------------------------------------------------------- a task's documents


def task_documents_context(user, task) -> dict:
    """The documents that mention or link `task` and that `user` may read, and (for members of
    the task's project) the documents they may link to it."""
    organization = task.project.organization
    readable = visible_documents(user, organization).filter(archived_at__isnull=True)
    links = (
        DocumentTaskLink.objects.filter(task=task, document__in=readable)
        .select_related("document")
        .order_by("document__title", "document_id")
    )
    documents: dict[int, dict] = {}
    for link in links:
        entry = documents.setdefault(link.document_id, {"document": link.document, "kinds": set()})
        entry["kinds"].add(link.kind)
    can_link = can_edit(user, task.project)
    choices = []
    if can_link:
        linked = [pk for pk, entry in documents.items() if DocumentTaskLink.LINK in entry["kinds"]]
        choices = list(
            readable.exclude(Q(pk__in=linked))
            .order_by("-updated_at")
            .values("pk", "title")[:SHOWN_CHOICES]
        )
    reference = f"{task.project.key}-{task.number}"
    return {
        "task": task,
        "org": organization,
        "task_documents_url": reverse(
            "documents:task_documents", args=[organization.slug, reference]
        ),
        "task_docs": list(documents.values()),
        "can_link": can_link,
        "document_choices": choices,
    }
