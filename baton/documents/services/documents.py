"""Writing documents: create one, save a version (conflict-safe), restore an old one, autosave a
private draft, follow.

Saving is optimistic: the editor carries the version it started from, and the save moves the
document from that version to the next in one conditional UPDATE. If someone saved in between,
nothing is written and ConflictError carries both texts back to the person.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from baton.accounts.models import User
from baton.core.errors import ConflictError
from baton.core.validation import optional_text, parse_int, required_text
from baton.documents import versions
from baton.documents.models import (
    BODY_MAX_LENGTH,
    NOTE_MAX_LENGTH,
    TITLE_MAX_LENGTH,
    Document,
    DocumentDraft,
    DocumentFollower,
    DocumentRole,
    DocumentTaskLink,
    DocumentVersion,
    DocumentVisibility,
    Folder,
)
from baton.documents.permissions import (
    can_manage_folders,
    document_role,
    require_document_role,
)
from baton.documents.queries import version_text
from baton.documents.services.base import publish, record
from baton.lib.markdown import TASK_REFERENCE
from baton.orgs.permissions import require_org_member
from baton.projects.models import Task
from baton.projects.permissions import can_edit

MAX_TASK_LINKS = 200  # the task numbers of one text turned into links


def _body(value: str | None) -> str:
    value = (value or "").replace("\r\n", "\n")
    if len(value) > BODY_MAX_LENGTH:
        raise ValidationError(
            {
                "body": _(
                    "A document holds at most %(n)s characters (this one has %(m)s). "
                    "Split it into several documents."
                )
                % {"n": f"{BODY_MAX_LENGTH:,}", "m": f"{len(value):,}"}
            }
        )
    return value


def _title(value: str | None) -> str:
    return required_text(value, field="title", max_length=TITLE_MAX_LENGTH)


def _check_place(actor, organization, project, folder: Folder | None) -> None:
    """A document goes into the organization, or a project the actor edits, and a folder of the
    same place."""
    if project is not None:
        if project.organization_id != organization.pk:
            raise ValidationError({"project": _("Not one of the choices.")})
        if not can_edit(actor, project):
            raise PermissionDenied
    if folder is not None and (
        folder.organization_id != organization.pk
        or folder.project_id != getattr(project, "pk", None)
    ):
        raise ValidationError({"folder": _("Not one of the choices.")})


def create_document(
    *,
    actor: User,
    organization,
    title: str,
    body: str = "",
    project=None,
    folder: Folder | None = None,
    visibility: str | None = None,
    access: str = DocumentRole.EDITOR,
) -> Document:
    """A new document; its author follows it. A body given here (an import, a template) is its
    version 1; an empty document has no version yet (`version` 0) until its first save, so the
    history never starts with an empty version."""
    require_org_member(actor, organization)
    if not can_manage_folders(actor, organization, project):
        raise PermissionDenied
    _check_place(actor, organization, project, folder)
    title, body = _title(title), _body(body)
    if visibility is None:
        visibility = DocumentVisibility.PROJECT if project else DocumentVisibility.ORGANIZATION
    if visibility not in DocumentVisibility.values or access not in DocumentRole.values:
        raise ValidationError({"visibility": _("Not one of the choices.")})
    if visibility == DocumentVisibility.PROJECT and project is None:
        raise ValidationError(
            {"visibility": _("Only a project's document can be for its members.")}
        )
    now = timezone.now()
    with transaction.atomic():
        document = Document.objects.create(
            organization=organization,
            project=project,
            folder=folder,
            title=title,
            body=body,
            version=1 if body else 0,
            visibility=visibility,
            access=access,
            position=now.timestamp(),
            created_by=actor,
            updated_by=actor,
        )
        if body:
            _store_version(document, number=1, previous=None, author=actor, note="")
        DocumentFollower.objects.create(document=document, user=actor)
        sync_task_links(document)
        record(actor, "document.created", document, {"title": title})
    return document


def _store_version(
    document: Document,
    *,
    number: int,
    previous: str | None,
    author,
    note: str,
    restored_from: int | None = None,
) -> DocumentVersion:
    stored = versions.encode(number, previous, document.body)
    return DocumentVersion.objects.create(
        document=document,
        number=number,
        title=document.title,
        note=note,
        author=author,
        size=len(document.body),
        added=stored.added,
        removed=stored.removed,
        kind=stored.kind,
        data=stored.data,
        restored_from=restored_from,
    )


def save_version(
    *,
    actor: User,
    document: Document,
    title: str,
    body: str,
    base_version: int,
    note: str = "",
    restored_from: int | None = None,
) -> Document:
    """Save what `actor` typed, started from `base_version`, as the next version.

    Raises ConflictError when a newer version was saved meanwhile (nothing is written, and the
    person's draft is kept). Saving the same text and title again without a note changes
    nothing."""
    require_document_role(actor, document, DocumentRole.EDITOR)
    title, body = _title(title), _body(body)
    note = optional_text(note, field="note", max_length=NOTE_MAX_LENGTH)
    if base_version is not None:  # None: the version typed from is unknown, so it is stale
        base_version = parse_int(base_version, field="base_version")
    if base_version != document.version:
        document.refresh_from_db()
        if base_version != document.version:
            raise _stale(document, title=title, body=body)
    if title == document.title and body == document.body and not note:
        DocumentDraft.objects.filter(document=document, user=actor).delete()
        return document
    previous, number, now = document.body, base_version + 1, timezone.now()
    with transaction.atomic():
        moved = Document.objects.filter(pk=document.pk, version=base_version).update(
            version=number, title=title, body=body, updated_by=actor, updated_at=now
        )
        if not moved:  # someone saved between our read and this write
            document.refresh_from_db()
            raise _stale(document, title=title, body=body)
        document.version, document.title, document.body = number, title, body
        document.updated_by, document.updated_at = actor, now
        stored = _store_version(
            document,
            number=number,
            previous=previous,
            author=actor,
            note=note,
            restored_from=restored_from,
        )
        DocumentDraft.objects.filter(document=document, user=actor).delete()
        sync_task_links(document)
        data = {"version": number, "note": note, "added": stored.added, "removed": stored.removed}
        if restored_from:
            data["restored_from"] = restored_from
        record(actor, "document.restored" if restored_from else "document.saved", document, data)
        publish(document, "document.saved", version=number, actor=actor)
    return document


def restore_version(*, actor: User, document: Document, number: int, base_version: int) -> Document:
    """Make an old version the newest again, as a new version: nothing in between is lost."""
    require_document_role(actor, document, DocumentRole.EDITOR)
    old = version_text(document, number)
    return save_version(
        actor=actor,
        document=document,
        title=old.title,
        body=old.body,
        base_version=base_version,
        note=_("Restored version %(n)d") % {"n": number},
        restored_from=number,
    )


# ---------------------------------------------------------------- drafts


def save_draft(*, actor: User, document: Document, title: str, body: str, base_version: int):
    """Keep what `actor` is typing (autosaved every few seconds), private to them until they save
    a version. Not a change anyone else sees, so it records no Activity row."""
    require_document_role(actor, document, DocumentRole.EDITOR)
    title = optional_text(title, field="title", max_length=TITLE_MAX_LENGTH)
    body = _body(body)
    base_version = parse_int(base_version, field="base_version")
    draft, _created = DocumentDraft.objects.update_or_create(
        document=document,
        user=actor,
        defaults={"title": title, "body": body, "base_version": base_version},
    )
    return draft


def discard_draft(*, actor: User, document: Document) -> None:
    require_document_role(actor, document, DocumentRole.VIEWER)
    DocumentDraft.objects.filter(document=document, user=actor).delete()


# ---------------------------------------------------------------- followers


def follow_document(*, actor: User, document: Document, following: bool = True) -> None:
    """Anyone who may read a document follows or unfollows it."""
    require_document_role(actor, document, DocumentRole.VIEWER)
    with transaction.atomic():
        if following:
            _row, created = DocumentFollower.objects.get_or_create(document=document, user=actor)
            changed = created
        else:
            changed = bool(
                DocumentFollower.objects.filter(document=document, user=actor).delete()[0]
            )
        if changed:
            verb = "document.followed" if following else "document.unfollowed"
            record(actor, verb, document)


def add_followers(*, actor: User, document: Document, users=(), teams=()) -> list:
    """Add people, and every member of the given teams, as followers (when sharing). Those who
    may not read the document are left out. Returns the people added."""
    require_document_role(actor, document, DocumentRole.VIEWER)
    candidates = {user.pk: user for user in users}
    for team in teams:
        if team.organization_id != document.organization_id:
            raise ValidationError({"teams": _("Not one of the choices.")})
        candidates.update({member.pk: member for member in team.members.all()})
    already = set(
        DocumentFollower.objects.filter(document=document, user_id__in=candidates).values_list(
            "user_id", flat=True
        )
    )
    added = [
        person
        for pk, person in candidates.items()
        if pk not in already and document_role(person, document) is not None
    ]
    if not added:
        return []
    with transaction.atomic():
        DocumentFollower.objects.bulk_create(
            [DocumentFollower(document=document, user=person) for person in added]
        )
        record(actor, "document.followers_added", document, {"users": [p.pk for p in added]})
    return added


# ---------------------------------------------------------------- links to tasks


def sync_task_links(document: Document) -> None:
    """The tasks the text names (SH-12) in the document's organization become its mention links;
    links made by hand from a card stay."""
    found = TASK_REFERENCE.findall(document.body)[:MAX_TASK_LINKS]
    references = {(key, int(number)) for key, _dash, number in (r.rpartition("-") for r in found)}
    wanted = set()
    if references:
        match = Q()
        for key, number in references:
            match |= Q(project__key=key, number=number)
        wanted = set(
            Task.objects.filter(
                match, project__organization_id=document.organization_id
            ).values_list("pk", flat=True)
        )
    links = DocumentTaskLink.objects.filter(document=document, kind=DocumentTaskLink.MENTION)
    current = set(links.values_list("task_id", flat=True))
    links.filter(task_id__in=current - wanted).delete()
    DocumentTaskLink.objects.bulk_create(
        [
            DocumentTaskLink(document=document, task_id=pk, kind=DocumentTaskLink.MENTION)
            for pk in wanted - current
        ]
    )


def _stale(document: Document, *, title: str, body: str) -> ConflictError:
    message = _("Someone saved a newer version (%(n)d) while you were editing.") % {
        "n": document.version
    }
    return ConflictError(document, message, title=title, body=body)
