"""Folders of documents: create, rename, move (nested, never into themselves) and delete.

A folder lives in the organization or in one project, like the documents it holds. Deleting a
folder that still holds documents (in it or in a folder below it) is refused: documents are only
ever trashed one by one by someone who may edit them, so a folder's deletion never hides a
document its author could not see go. Documents already in the trash lose their folder and come
back at the top level when restored.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from baton.accounts.models import User
from baton.activity.services import record_activity
from baton.core.validation import required_text
from baton.documents.models import Document, Folder
from baton.documents.permissions import can_manage_folders
from baton.orgs.permissions import require_org_member

FOLDER_NAME_MAX_LENGTH = 60
MAX_DEPTH = 8


def _record(actor, verb: str, folder: Folder, data: dict | None = None):
    return record_activity(
        actor=actor,
        verb=verb,
        target=folder,
        organization_id=folder.organization_id,
        project_id=folder.project_id,
        data=data,
    )


def _require_manager(actor, folder: Folder) -> None:
    if not can_manage_folders(actor, folder.organization, folder.project):
        raise PermissionDenied


def _name(value: str | None) -> str:
    return required_text(value, field="name", max_length=FOLDER_NAME_MAX_LENGTH)


def folder_depth(folder: Folder | None) -> int:
    """How many folders deep `folder` is (a top-level folder is 1)."""
    depth = 0
    while folder is not None:
        depth += 1
        folder = folder.parent
    return depth


def descendant_ids(folder: Folder) -> set[int]:
    """The ids of the folder and every folder below it (one query: the place's folders)."""
    children: dict[int | None, list[int]] = {}
    rows = Folder.objects.filter(
        organization_id=folder.organization_id,
        project_id=folder.project_id,  # type: ignore[misc]  # None matches NULL
    ).values_list("pk", "parent_id")
    for pk, parent_id in rows:
        children.setdefault(parent_id, []).append(pk)
    found, stack = set(), [folder.pk]
    while stack:
        pk = stack.pop()
        found.add(pk)
        stack.extend(children.get(pk, []))
    return found


def _check_parent(folder_place: tuple, parent: Folder | None) -> None:
    if parent is None:
        return
    if (parent.organization_id, parent.project_id) != folder_place:
        raise ValidationError({"parent": _("Choose a folder of the same place.")})


def create_folder(
    *, actor: User, organization, name: str, parent: Folder | None = None, project=None
):
    """A new folder at the end of its parent (or of the top level)."""
    require_org_member(actor, organization)
    if project is not None and project.organization_id != organization.pk:
        raise ValidationError({"project": _("Not one of the choices.")})
    if not can_manage_folders(actor, organization, project):
        raise PermissionDenied
    name = _name(name)
    _check_parent((organization.pk, getattr(project, "pk", None)), parent)
    if folder_depth(parent) >= MAX_DEPTH:
        raise ValidationError({"parent": _("Folders nest at most %(n)d deep.") % {"n": MAX_DEPTH}})
    with transaction.atomic():
        folder = Folder.objects.create(
            organization=organization,
            project=project,
            parent=parent,
            name=name,
            position=timezone.now().timestamp(),
            created_by=actor,
        )
        _record(actor, "folder.created", folder, {"name": name})
    return folder


def rename_folder(*, actor: User, folder: Folder, name: str) -> Folder:
    _require_manager(actor, folder)
    name = _name(name)
    if name == folder.name:
        return folder
    old = folder.name
    with transaction.atomic():
        Folder.objects.filter(pk=folder.pk).update(name=name)
        folder.name = name
        _record(actor, "folder.renamed", folder, {"old": old, "new": name})
    return folder


def move_folder(*, actor: User, folder: Folder, parent: Folder | None) -> Folder:
    """Put the folder (with everything in it) into `parent`, or at the top level when None."""
    _require_manager(actor, folder)
    _check_parent((folder.organization_id, folder.project_id), parent)
    if parent is not None and parent.pk in descendant_ids(folder):
        raise ValidationError({"parent": _("A folder cannot go into itself or a folder below it.")})
    if folder_depth(parent) + _height(folder) > MAX_DEPTH:
        raise ValidationError({"parent": _("Folders nest at most %(n)d deep.") % {"n": MAX_DEPTH}})
    if folder.parent_id == getattr(parent, "pk", None):
        return folder
    with transaction.atomic():
        position = timezone.now().timestamp()
        Folder.objects.filter(pk=folder.pk).update(parent=parent, position=position)
        folder.parent, folder.position = parent, position
        _record(actor, "folder.moved", folder, {"parent": getattr(parent, "pk", None)})
    return folder


def _height(folder: Folder) -> int:
    """How many levels the folder and those below it take (a folder without children: 1)."""
    rows = Folder.objects.filter(
        organization_id=folder.organization_id,
        project_id=folder.project_id,  # type: ignore[misc]  # None matches NULL
    ).values_list("pk", "parent_id")
    children: dict[int | None, list[int]] = {}
    for pk, parent_id in rows:
        children.setdefault(parent_id, []).append(pk)

    def height(pk: int) -> int:
        return 1 + max((height(child) for child in children.get(pk, [])), default=0)

    return height(folder.pk)


def delete_folder(*, actor: User, folder: Folder) -> None:
    """Delete an empty folder and the empty folders below it. Refused while any of them holds a
    document that is not in the trash (archived ones count)."""
    _require_manager(actor, folder)
    ids = descendant_ids(folder)
    if Document.objects.filter(folder_id__in=ids, deleted_at__isnull=True).exists():
        raise ValidationError(
            _(
                "“%(name)s” still holds documents. Move them to another folder or delete them "
                "first; then delete the folder."
            )
            % {"name": folder.name}
        )
    with transaction.atomic():
        _record(actor, "folder.deleted", folder, {"name": folder.name})
        Folder.objects.filter(pk__in=ids).delete()
