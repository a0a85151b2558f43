"""The documents page: folders, the list of documents, the trash, import and export.

Three places list documents with the same template: the organization's documents (home), a
project's Documents tab, and a folder of either. Home and the tab list every document of their
place, newest change first; a folder lists its own documents in their chosen order (drag to
reorder) under its subfolders.
"""

from dataclasses import dataclass, field

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from baton.accounts.requests import AuthenticatedRequest
from baton.core.forms import add_service_errors
from baton.documents import exports, services
from baton.documents.forms import (
    ArchiveForm,
    DocumentCreateForm,
    DocumentMoveForm,
    DocumentReorderForm,
    FolderCreateForm,
    FolderForm,
    FolderParentForm,
    ImportForm,
)
from baton.documents.models import (
    TRASH_DAYS,
    Document,
    DocumentRole,
    Folder,
)
from baton.documents.permissions import (
    can_manage_folders,
    get_document_for_user_or_404,
    get_folder_for_user_or_404,
    mark_document_roles,
    require_document_role,
    visible_documents,
)
from baton.documents.services.placement import trash_cutoff
from baton.documents.services.transfer import MAX_FILES
from baton.orgs.permissions import get_org_for_user_or_404, require_creator
from baton.projects.permissions import (
    editable_projects,
    get_project_for_user_or_404,
)
from baton.projects.queries import app_page

LIST_LIMIT = 500


def _page_context(request: HttpRequest, org, **context) -> dict:
    """What every app.html page needs: the organization and the sidebar's projects."""
    context.setdefault("nav", "documents")
    return app_page(request.user, org, **context)


def _errors(error: ValidationError) -> list[str]:
    return list(error.messages)


# ---------------------------------------------------------------- the folder tree


@dataclass
class FolderNode:
    folder: Folder
    depth: int = 0
    count: int = 0
    children: list["FolderNode"] = field(default_factory=list)

    @property
    def pk(self) -> int:
        return self.folder.pk

    @property
    def indented(self) -> str:
        """The name indented by its depth, for a <select> of folders."""
        return "\u3000" * self.depth + self.folder.name


@dataclass
class Tree:
    roots: list[FolderNode]
    nodes: dict[int, FolderNode]

    def path(self, folder_id: int | None) -> list[Folder]:
        """The folders from the top down to `folder_id`, for breadcrumbs and labels."""
        path = []
        while folder_id in self.nodes:
            folder = self.nodes[folder_id].folder
            path.append(folder)
            folder_id = folder.parent_id
        return path[::-1]

    def below(self, folder_id: int) -> set[int]:
        found, stack = set(), [folder_id]
        while stack:
            pk = stack.pop()
            found.add(pk)
            stack.extend(child.pk for child in self.nodes[pk].children)
        return found

    def flat(self) -> list[FolderNode]:
        """Every folder, depth first, in order (for menus)."""
        out: list[FolderNode] = []

        def walk(nodes):
            for node in nodes:
                out.append(node)
                walk(node.children)

        walk(self.roots)
        return out


def _tree(user, org, project) -> Tree:
    """The place's folders, nested, with how many listed documents each holds: two queries."""
    folders = list(Folder.objects.filter(organization=org, project=project))
    nodes = {f.pk: FolderNode(f) for f in folders}
    counts = (
        visible_documents(user, org)
        .filter(project=project, archived_at__isnull=True, folder__isnull=False)
        .values("folder")
        .annotate(n=Count("pk"))
    )
    for row in counts:
        if row["folder"] in nodes:
            nodes[row["folder"]].count = row["n"]
    roots = []
    for folder in folders:
        parent = nodes.get(folder.parent_id)
        (parent.children if parent else roots).append(nodes[folder.pk])

    def set_depth(items, depth):
        for node in items:
            node.depth = depth
            set_depth(node.children, depth + 1)

    set_depth(roots, 0)
    return Tree(roots, nodes)


# ---------------------------------------------------------------- the lists


def _listed(user, org, project, folder, *, archived: bool):
    documents = (
        visible_documents(user, org)
        .filter(project=project, archived_at__isnull=not archived)
        .select_related("folder", "updated_by")
        .annotate(follower_count=Count("followers", distinct=True))
    )
    if folder is not None:
        return documents.filter(folder=folder).order_by("position", "id")
    return documents.order_by("-updated_at", "-id")


def _place_urls(org, project, folder) -> dict:
    if folder is not None:
        here = reverse("documents:folder", args=[org.slug, folder.pk])
    elif project is not None:
        here = reverse("documents:project", args=[org.slug, project.key])
    else:
        here = reverse("documents:home", args=[org.slug])
    query = f"?folder={folder.pk}" if folder else (f"?project={project.key}" if project else "")
    return {
        "here_url": here,
        "create_url": reverse("documents:create", args=[org.slug]) + query,
        "import_url": reverse("documents:import", args=[org.slug]) + query,
    }


def _listing(request: HttpRequest, org, project=None, folder=None, **extra) -> dict:
    user = request.user
    archived = request.GET.get("archived") == "1"
    tree = _tree(user, org, project)
    rows = list(_listed(user, org, project, folder, archived=archived)[: LIST_LIMIT + 1])
    mark_document_roles(user, org, rows)
    base = visible_documents(user, org).filter(project=project)
    if folder is not None:
        base = base.filter(folder=folder)
    archived_count = base.filter(archived_at__isnull=False).count()
    node = tree.nodes.get(folder.pk) if folder else None
    move_targets = []
    if folder is not None:
        below = tree.below(folder.pk)
        move_targets = [n for n in tree.flat() if n.pk not in below]
    return _page_context(
        request,
        org,
        project=project,
        folder=folder,
        tab="documents" if project else None,
        tree=tree,
        breadcrumbs=tree.path(folder.pk) if folder else [],
        subfolders=node.children if node else [],
        documents=rows[:LIST_LIMIT],
        more=len(rows) > LIST_LIMIT,
        archived=archived,
        archived_count=archived_count,
        can_manage=can_manage_folders(user, org, project),
        move_targets=move_targets,
        folder_url_prefix=reverse("documents:folder", args=[org.slug, 0])[:-1],
        **_place_urls(org, project, folder),
        **extra,
    )


def _render_listing(request, org, project=None, folder=None, *, status=200, **extra):
    context = _listing(request, org, project, folder, **extra)
    return render(request, "documents/home.html", context, status=status)


@login_required
@require_GET
def documents_home(request: AuthenticatedRequest, slug: str) -> HttpResponse:
    org = get_org_for_user_or_404(request.user, slug)
    return _render_listing(request, org)


@login_required
@require_GET
def project_documents(request: AuthenticatedRequest, slug: str, key: str) -> HttpResponse:
    project = get_project_for_user_or_404(request.user, slug, key)
    return _render_listing(request, project.organization, project)


@login_required
@require_GET
def folder_page(request: AuthenticatedRequest, slug: str, folder_id: int) -> HttpResponse:
    folder = get_folder_for_user_or_404(request.user, slug, folder_id)
    org = get_org_for_user_or_404(request.user, slug)
    return _render_listing(request, org, folder.project, folder)


# ---------------------------------------------------------------- folders


def _parent_folder(request: HttpRequest, slug: str, form) -> Folder | None:
    """The folder a FolderParentForm names (404 for one the person may not see), or None."""
    value = form.cleaned_data["parent"] if form.is_valid() else ""
    return get_folder_for_user_or_404(request.user, slug, value) if value else None


def _back_to(folder: Folder | None, org, project) -> HttpResponse:
    if folder is not None:
        return redirect("documents:folder", org.slug, folder.pk)
    if project is not None:
        return redirect("documents:project", org.slug, project.key)
    return redirect("documents:home", org.slug)


@login_required
@require_POST
def folder_create(request: AuthenticatedRequest, slug: str) -> HttpResponse:
    org = get_org_for_user_or_404(request.user, slug)
    form = FolderCreateForm(request.POST)
    parent = _parent_folder(request, slug, form)
    data = form.cleaned_data if form.is_valid() else {"project": "", "name": ""}
    project = parent.project if parent else None
    if parent is None and data["project"]:
        project = get_project_for_user_or_404(request.user, slug, data["project"])
    name = data["name"]
    try:
        folder = services.create_folder(
            actor=request.user, organization=org, name=name, parent=parent, project=project
        )
    except ValidationError as error:
        return _render_listing(
            request,
            org,
            project,
            parent,
            status=422,
            new_folder_errors=_errors(error),
            new_folder_name=name,
        )
    messages.success(request, _("Folder “%(name)s” created.") % {"name": folder.name})
    return redirect("documents:folder", org.slug, folder.pk)


@login_required
@require_POST
def folder_rename(request: AuthenticatedRequest, slug: str, folder_id: int) -> HttpResponse:
    folder = get_folder_for_user_or_404(request.user, slug, folder_id)
    org = folder.organization
    form = FolderForm(request.POST)
    name = form.cleaned_data["name"] if form.is_valid() else ""
    try:
        services.rename_folder(actor=request.user, folder=folder, name=name)
    except ValidationError as error:
        folder.refresh_from_db()
        return _render_listing(
            request,
            org,
            folder.project,
            folder,
            status=422,
            rename_errors=_errors(error),
            rename_value=name,
        )
    return redirect("documents:folder", org.slug, folder.pk)


@login_required
@require_POST
def folder_move(request: AuthenticatedRequest, slug: str, folder_id: int) -> HttpResponse:
    folder = get_folder_for_user_or_404(request.user, slug, folder_id)
    parent = _parent_folder(request, slug, FolderParentForm(request.POST))
    try:
        services.move_folder(actor=request.user, folder=folder, parent=parent)
    except ValidationError as error:
        folder.refresh_from_db()
        return _render_listing(
            request,
            folder.organization,
            folder.project,
            folder,
            status=422,
            move_errors=_errors(error),
        )
    return redirect("documents:folder", slug, folder.pk)


@login_required
@require_POST
def folder_delete(request: AuthenticatedRequest, slug: str, folder_id: int) -> HttpResponse:
    folder = get_folder_for_user_or_404(request.user, slug, folder_id)
    org, project, parent = folder.organization, folder.project, folder.parent
    try:
        services.delete_folder(actor=request.user, folder=folder)
    except ValidationError as error:
        return _render_listing(
            request, org, project, folder, status=422, page_errors=_errors(error)
        )
    messages.success(request, _("Folder “%(name)s” deleted.") % {"name": folder.name})
    return _back_to(parent, org, project)


# ---------------------------------------------------------------- creating documents


def _folder_choices(user, org, projects) -> tuple[list, dict[str, Folder]]:
    """(value, label) pairs for every folder a new document may go into, and the folders by
    value: the organization's folders and those of the given projects (one query)."""
    folders = list(
        Folder.objects.filter(organization=org)
        .filter(Q(project__isnull=True) | Q(project__in=projects))
        .select_related("project")
        .order_by("project__name", "position", "id")
    )
    by_id = {f.pk: f for f in folders}

    def label(folder: Folder) -> str:
        names, seen = [], set()
        while folder is not None and folder.pk not in seen:
            seen.add(folder.pk)
            names.append(folder.name)
            folder = by_id.get(folder.parent_id)
        return " › ".join(reversed(names))  # noqa: RUF001 (a breadcrumb separator)

    choices = [
        (str(f.pk), (f"{f.project.name}: " if f.project else "") + label(f)) for f in folders
    ]
    choices.sort(key=lambda c: (bool(by_id[int(c[0])].project_id), c[1]))
    return choices, {str(f.pk): f for f in folders}


@login_required
@require_http_methods(["GET", "POST"])
def document_create(request: AuthenticatedRequest, slug: str) -> HttpResponse:
    org = get_org_for_user_or_404(request.user, slug)
    require_creator(org)
    projects = list(editable_projects(request.user, org).order_by("name"))
    choices, folders = _folder_choices(request.user, org, projects)
    initial = {"folder": request.GET.get("folder", ""), "project": request.GET.get("project", "")}
    if initial["folder"] in folders and folders[initial["folder"]].project:
        initial["project"] = folders[initial["folder"]].project.key
    if initial["project"]:
        initial["visibility"] = "project"
    form = DocumentCreateForm(
        data=request.POST if request.method == "POST" else None,
        initial=initial,
        projects=projects,
        folders=choices,
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        folder = folders.get(data["folder"])
        project = next((p for p in projects if p.key == data["project"]), None)
        if folder is not None and not data["project"]:
            project = folder.project  # the folder decides the place when no project is chosen
        try:
            document = services.create_document(
                actor=request.user,
                organization=org,
                title=data["title"],
                project=project,
                folder=folder,
                visibility=data["visibility"],
            )
        except ValidationError as error:
            if "folder" in getattr(error, "error_dict", {}):
                error = ValidationError({"folder": _("This folder belongs to another place.")})
            add_service_errors(form, error)
        except PermissionDenied:
            form.add_error(None, _("You cannot add documents here."))
        else:
            return redirect("documents:edit", org.slug, document.pk)
    back = _back_to(folders.get(initial["folder"]), org, None)["Location"]
    context = _page_context(request, org, form=form, back_url=back)
    return render(request, "documents/create.html", context, status=422 if form.errors else 200)


# ---------------------------------------------------------------- import


@login_required
@require_http_methods(["GET", "POST"])
def documents_import(request: AuthenticatedRequest, slug: str) -> HttpResponse:
    org = get_org_for_user_or_404(request.user, slug)
    require_creator(org)
    projects = list(editable_projects(request.user, org).order_by("name"))
    choices, folders = _folder_choices(request.user, org, projects)
    form = ImportForm(
        data=request.POST if request.method == "POST" else None,
        files=request.FILES if request.method == "POST" else None,
        initial={"folder": request.GET.get("folder", "")},
        folders=choices,
    )
    valid = request.method == "POST" and form.is_valid()
    posted = form.cleaned_data.get("project", "") if form.is_bound else ""
    project_key = request.GET.get("project", "") or posted  # the import link's, else the page's
    project = next((p for p in projects if p.key == project_key), None)
    context = {"errors": {}, "result": None, "max_files": MAX_FILES, "project": project}
    status = 200
    if valid:
        folder = folders.get(form.cleaned_data["folder"])
        files = [(f.name, f.read()) for f in form.cleaned_data["files"]]
        try:
            result = services.import_markdown_files(
                actor=request.user, organization=org, files=files, folder=folder, project=project
            )
        except ValidationError as error:
            context["errors"] = getattr(error, "message_dict", {"files": error.messages})
            status = 422
        except PermissionDenied:
            context["errors"] = {"files": [_("You cannot add documents here.")]}
            status = 403
        else:
            context["result"] = result
            status = 200 if result.imported else 422
    context.update(form=form, import_project=project, import_project_key=project_key)
    template = "documents/import.html#import-body" if request.htmx else "documents/import.html"
    return render(request, template, _page_context(request, org, **context), status=status)


# ---------------------------------------------------------------- trash


@login_required
@require_GET
def trash_page(request: AuthenticatedRequest, slug: str) -> HttpResponse:
    """Documents deleted in the last TRASH_DAYS days, newest first; older ones are no longer
    shown (`baton purge_trash` deletes them)."""
    org = get_org_for_user_or_404(request.user, slug)
    cutoff = trash_cutoff()
    rows = list(
        visible_documents(request.user, org, trashed=True)
        .filter(deleted_at__gte=cutoff)
        .select_related("folder", "project", "updated_by")
        .order_by("-deleted_at", "-id")[:LIST_LIMIT]
    )
    mark_document_roles(request.user, org, rows)
    now = timezone.now()
    for row in rows:
        row.days_left = max(0, TRASH_DAYS - (now - row.deleted_at).days)
    context = _page_context(request, org, documents=rows, trash_days=TRASH_DAYS)
    return render(request, "documents/trash.html", context)


# ---------------------------------------------------------------- one document's place


def _editable(request: HttpRequest, slug: str, document_id: int, *, trashed=False) -> Document:
    document = get_document_for_user_or_404(request.user, slug, document_id, trashed=trashed)
    require_document_role(request.user, document, DocumentRole.EDITOR)
    return document


def _neighbour(request: HttpRequest, slug: str, value: str | None) -> Document | None:
    return get_document_for_user_or_404(request.user, slug, value) if value else None


@login_required
@require_http_methods(["GET", "POST"])
def document_move(request: AuthenticatedRequest, slug: str, document_id: int) -> HttpResponse:
    """GET: the folders to move to. POST `folder`: move there. POST `after`/`before` (a drag in
    a folder's list: the rows it now follows and precedes): put it between them, answering 204."""
    document = _editable(request, slug, document_id)
    org = document.organization
    reorder = DocumentReorderForm(request.POST)
    if request.method == "POST" and reorder.requested():
        try:
            services.reorder_document(
                actor=request.user,
                document=document,
                # the page sends the row it now follows ("after") and the one it precedes
                above=_neighbour(request, slug, reorder.cleaned_data["after"]),
                below=_neighbour(request, slug, reorder.cleaned_data["before"]),
            )
        except ValidationError as error:
            return HttpResponse(" ".join(error.messages), status=422)
        return HttpResponse(status=204)
    tree = _tree(request.user, org, document.project)
    errors = []
    if request.method == "POST":
        form = DocumentMoveForm(request.POST, folders=tree.nodes)
        folder = form.cleaned_data["folder"] if form.is_valid() else None
        if not form.is_valid():
            errors = list(form.errors["folder"])
        else:
            try:
                services.move_document(actor=request.user, document=document, folder=folder)
            except ValidationError as error:
                errors = _errors(error)
        if request.htmx:  # dropped on a folder of the tree: the page updates itself
            return _move_answer(document, folder, errors)
        if not errors:
            messages.success(request, _moved_message(document, folder))
            return _back_to(folder, org, document.project)
    context = _page_context(
        request,
        org,
        document=document,
        targets=tree.flat(),
        errors=errors,
        project=document.project,
    )
    return render(request, "documents/move.html", context, status=422 if errors else 200)


def _moved_message(document: Document, folder: Folder | None) -> str:
    where = folder.name if folder else _("the top level")
    return _("“%(title)s” moved to %(where)s.") % {"title": document.title, "where": where}


def _move_answer(document: Document, folder: Folder | None, errors: list[str]) -> HttpResponse:
    if errors:
        return HttpResponse(" ".join(errors), status=422, content_type="text/plain")
    return JsonResponse(
        {
            "message": _moved_message(document, folder),
            "folder": getattr(folder, "pk", None),
            "name": getattr(folder, "name", ""),
        }
    )


@login_required
@require_POST
def document_archive(request: AuthenticatedRequest, slug: str, document_id: int) -> HttpResponse:
    document = _editable(request, slug, document_id)
    form = ArchiveForm(request.POST)
    archived = not form.is_valid() or form.cleaned_data["archived"]
    services.archive_document(actor=request.user, document=document, archived=archived)
    if archived:
        messages.success(request, _("“%(title)s” archived.") % {"title": document.title})
        return _back_to(document.folder, document.organization, document.project)
    messages.success(
        request, _("“%(title)s” is back from the archive.") % {"title": document.title}
    )
    return redirect("documents:document", slug, document.pk)


@login_required
@require_POST
def document_delete(request: AuthenticatedRequest, slug: str, document_id: int) -> HttpResponse:
    document = _editable(request, slug, document_id)
    services.trash_document(actor=request.user, document=document)
    messages.success(
        request,
        _("“%(title)s” moved to the trash. You can restore it there for %(n)d days.")
        % {"title": document.title, "n": TRASH_DAYS},
    )
    return _back_to(document.folder, document.organization, document.project)


@login_required
@require_POST
def document_untrash(request: AuthenticatedRequest, slug: str, document_id: int) -> HttpResponse:
    document = _editable(request, slug, document_id, trashed=True)
    try:
        services.untrash_document(actor=request.user, document=document)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("documents:trash", slug)
    messages.success(request, _("“%(title)s” restored.") % {"title": document.title})
    return redirect("documents:trash", slug)


# ---------------------------------------------------------------- export


@login_required
@require_GET
def export_markdown(request: AuthenticatedRequest, slug: str, document_id: int) -> HttpResponse:
    document = get_document_for_user_or_404(request.user, slug, document_id)
    return exports.markdown_response(document)


@login_required
@require_GET
def export_html(request: AuthenticatedRequest, slug: str, document_id: int) -> HttpResponse:
    document = get_document_for_user_or_404(request.user, slug, document_id)
    return exports.html_response(document)
