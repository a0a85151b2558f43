"""A document: reading it, editing it (toolbar, preview, autosaved draft, images), presence.

Reading needs the viewer role, everything that writes the editor role (403 otherwise); someone who
may not see the document gets 404 everywhere. Saving a version is a plain form POST: a stale save
answers 409 with the conflict view (the other person's version, the person's own text, the
difference and a merge box), and keeps the person's text as their draft, so nothing is lost.
"""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from baton.accounts.requests import AuthenticatedRequest
from baton.documents import services
from baton.documents.forms import (
    DocumentSaveForm,
    DocumentTextForm,
    DraftForm,
    PresenceForm,
    PreviewForm,
)
from baton.documents.models import (
    NOTE_MAX_LENGTH,
    TITLE_MAX_LENGTH,
    Document,
    DocumentDraft,
    DocumentRole,
)
from baton.documents.permissions import (
    document_role,
    get_document_for_user_or_404,
    require_document_role,
)
from baton.documents.presenters import file_url, markdown_for
from baton.documents.services.presence import PRESENCE_EVERY, present_people
from baton.files import storage as filekit
from baton.files.permissions import get_attachment_or_404
from baton.lib.diff import diff_texts
from baton.lib.markdown import TASK_REFERENCE, render_document
from baton.projects.models import Task
from baton.projects.permissions import visible_projects
from baton.projects.queries import app_page

AUTOSAVE_EVERY = 3  # seconds between draft autosaves while typing
MAX_REFERENCES = 200  # task references looked up per rendering


def _document(request: HttpRequest, slug: str, document_id: int, role=DocumentRole.VIEWER):
    document = get_document_for_user_or_404(request.user, slug, document_id)
    require_document_role(request.user, document, role)
    return document


def _page_context(request: HttpRequest, document: Document, **context) -> dict:
    """What app.html needs (organization, sidebar projects) and what every document page shows."""
    org = document.organization
    return {
        **app_page(request.user, org, nav="documents"),
        "document": document,
        "role": document_role(request.user, document),
        "crumbs": _folder_chain(document),
        "presence_every": PRESENCE_EVERY,
        **context,
    }


def _folder_chain(document: Document) -> list:
    """The document's folder and its parents, outermost first (folders nest a few levels)."""
    chain, folder, seen = [], document.folder, set()
    while folder is not None and folder.pk not in seen and len(chain) < 12:
        chain.insert(0, folder)
        seen.add(folder.pk)
        folder = folder.parent
    return chain


def task_links(request: HttpRequest, document: Document, text: str):
    """A resolver for render_document: the URL of each task the text names that this person may
    see, looked up in one query."""
    refs = {match for match in TASK_REFERENCE.findall(text)[:MAX_REFERENCES]}
    if not refs:
        return None
    wanted = {(ref.split("-")[0], int(ref.split("-")[1])) for ref in refs}
    tasks = Task.objects.filter(
        project__in=visible_projects(request.user, document.organization),
        project__key__in={key for key, _n in wanted},
        number__in={number for _k, number in wanted},
    ).values_list("project__key", "number")
    found = {f"{key}-{number}" for key, number in tasks if (key, number) in wanted}
    slug = document.organization.slug

    def url(ref: str) -> str | None:
        return reverse("projects:task", args=[slug, ref]) if ref in found else None

    return url


def _rendered(request: HttpRequest, document: Document, text: str):
    return render_document(text, references=task_links(request, document, text))


# ---------------------------------------------------------------- reading


@login_required
@require_safe
def document_page(request: AuthenticatedRequest, slug: str, document_id: int) -> HttpResponse:
    """The document, rendered, with its table of contents and who else has it open."""
    document = _document(request, slug, document_id)
    services.touch_presence(actor=request.user, document=document, editing=False)
    rendered = _rendered(request, document, document.body)
    draft = DocumentDraft.objects.filter(document=document, user=request.user).first()
    context = _page_context(
        request,
        document,
        html=rendered.html,
        toc=rendered.toc,
        present=present_people(document, viewer=request.user),
        draft=draft,
        editing=False,
    )
    return render(request, "documents/document.html", context)


@login_required
@require_POST
def document_presence(request: AuthenticatedRequest, slug: str, document_id: int) -> HttpResponse:
    """The heartbeat (every few seconds): `editing=1` from the editor; `left=1` when the page
    closes. Answers with who else is there."""
    document = _document(request, slug, document_id)
    form = PresenceForm(request.POST)
    beat = form.cleaned_data if form.is_valid() else {"editing": False, "left": False}
    editing = beat["editing"]
    if beat["left"]:
        services.leave_document(actor=request.user, document=document, editing=editing)
        return HttpResponse(status=204)
    services.touch_presence(actor=request.user, document=document, editing=editing)
    context = {
        "document": document,
        "present": present_people(document, viewer=request.user),
        "editing": editing,
    }
    return render(request, "documents/_presence.html", context)


# ---------------------------------------------------------------- editing


def _editor_context(request: HttpRequest, document: Document, **context) -> dict:
    context.setdefault("title", document.title)
    context.setdefault("body", document.body)
    context.setdefault("base_version", document.version)
    context.setdefault("note", "")
    context.setdefault("errors", {})
    return _page_context(
        request,
        document,
        present=present_people(document, viewer=request.user),
        editing=True,
        autosave_every=AUTOSAVE_EVERY,
        title_max=TITLE_MAX_LENGTH,
        note_max=NOTE_MAX_LENGTH,
        max_upload_bytes=filekit.max_upload_bytes(),
        max_upload_label=filekit.max_upload_label(),
        **context,
    )


def _typed(form: DocumentTextForm) -> dict:
    """What the editor sent. The version the typing started from is None when the form does not
    say (or says something no version can be): saving then counts as stale, so the conflict view
    shows both texts."""
    if form.is_valid():
        return form.cleaned_data
    return {"title": "", "body": "", "note": "", "base_version": None, "discard": False}


@login_required
@require_http_methods(["GET", "POST"])
def document_edit(request: AuthenticatedRequest, slug: str, document_id: int) -> HttpResponse:
    """GET: the editor, with the person's unsaved draft put back if they have one. POST: save a
    version (title, body, base_version, note)."""
    document = _document(request, slug, document_id, DocumentRole.EDITOR)
    if request.method == "GET":
        return _edit_page(request, document)
    typed = _typed(DocumentSaveForm(request.POST))
    title, body, note, base = typed["title"], typed["body"], typed["note"], typed["base_version"]
    try:
        services.save_version(
            actor=request.user,
            document=document,
            title=title,
            body=body,
            base_version=base,
            note=note,
        )
    except ValidationError as error:
        context = _editor_context(
            request,
            document,
            title=title,
            body=body,
            note=note,
            base_version="" if base is None else base,
            errors=error.message_dict,
        )
        return render(request, "documents/edit.html", context, status=422)
    except services.ConflictError as conflict:
        return _conflict(request, document, conflict, base=base, note=note)
    return redirect("documents:document", slug, document.pk)


def _edit_page(request: HttpRequest, document: Document) -> HttpResponse:
    services.touch_presence(actor=request.user, document=document, editing=True)
    draft = DocumentDraft.objects.filter(document=document, user=request.user).first()
    if draft is None or (draft.body, draft.title) == (document.body, document.title):
        # Nothing to offer: no draft, or one that says what the document already says (an
        # autosave that crossed the person's own save).
        return render(request, "documents/edit.html", _editor_context(request, document))
    context = _editor_context(
        request,
        document,
        title=draft.title or document.title,
        body=draft.body,
        base_version=draft.base_version,
        draft=draft,
        draft_is_stale=draft.base_version != document.version,
    )
    return render(request, "documents/edit.html", context)


def _conflict(request: HttpRequest, document: Document, conflict, *, base: int | None, note: str):
    """409: the newest version beside the person's own text; the merge box starts with their
    text and saves against the newest version. Their text is kept as their draft meanwhile."""
    current = conflict.current
    services.save_draft(
        actor=request.user,
        document=current,
        title=conflict.kept["title"],
        body=conflict.kept["body"],
        base_version=base or 0,
    )
    diff = diff_texts(current.body, conflict.kept["body"])
    context = _editor_context(
        request,
        current,
        title=conflict.kept["title"],
        body=conflict.kept["body"],
        base_version=current.version,
        note=note,
        conflict=conflict,
        their_author=current.updated_by,
        their_body=current.body,
        their_title=current.title,
        diff=diff,
        hunks=diff.hunks(3),
    )
    return render(request, "documents/edit.html", context, status=409)


@login_required
@require_POST
def document_draft(request: AuthenticatedRequest, slug: str, document_id: int) -> HttpResponse:
    """Autosave of what the person is typing (every few seconds, and when the page closes);
    `discard=1` throws the draft away. JSON: {"saved": true, "at": "…"} or the errors (422)."""
    document = _document(request, slug, document_id, DocumentRole.EDITOR)
    typed = _typed(DraftForm(request.POST))
    if typed["discard"]:
        services.discard_draft(actor=request.user, document=document)
        if request.headers.get("Accept", "").startswith("application/json"):
            return JsonResponse({"discarded": True})
        return redirect("documents:edit", slug, document.pk)
    try:
        services.save_draft(
            actor=request.user,
            document=document,
            title=typed["title"],
            body=typed["body"],
            base_version=typed["base_version"] or 0,
        )
    except ValidationError as error:
        return JsonResponse({"saved": False, "errors": error.message_dict}, status=422)
    at = timezone.localtime().strftime("%H:%M:%S")
    return JsonResponse({"saved": True, "at": at})


@login_required
@require_POST
def document_preview(request: AuthenticatedRequest, slug: str, document_id: int) -> HttpResponse:
    """The editor's live preview: the same pipeline as the document page (sanitised, anchors,
    task links)."""
    document = _document(request, slug, document_id, DocumentRole.EDITOR)
    form = PreviewForm(request.POST)
    text = form.cleaned_data["body"] if form.is_valid() else ""
    rendered = _rendered(request, document, text)
    return render(request, "documents/_preview.html", {"html": rendered.html})


# ---------------------------------------------------------------- files


@login_required
@require_POST
def document_file_upload(
    request: AuthenticatedRequest, slug: str, document_id: int
) -> JsonResponse:
    """Pasted or dropped files (`files`): stored, and answered with the Markdown to insert."""
    document = _document(request, slug, document_id, DocumentRole.EDITOR)
    try:
        added = services.add_document_files(
            actor=request.user, document=document, files=request.FILES.getlist("files")
        )
    except ValidationError as error:
        return JsonResponse({"errors": error.messages}, status=422)
    files = []
    for attachment in added:
        attachment.owner = document
        files.append(
            {
                "name": attachment.name,
                "url": file_url(attachment),
                "markdown": markdown_for(attachment),
            }
        )
    return JsonResponse({"files": files})


@login_required
@require_safe
def document_file(
    request: AuthenticatedRequest, slug: str, document_id: int, file_id: int, name: str
):
    """A file of this document (404 for another document's), to anyone who may read it: raster
    images inline, anything else as a download."""
    document = _document(request, slug, document_id)
    attachment = get_attachment_or_404(document, file_id)
    return filekit.attachment_response(request, attachment)
