"""Followers, sharing, comments, and the documents a task is linked with.

Each htmx write answers with the partial it changed (422 with the messages and the typed text on
bad input); without htmx it redirects back to the page. Outsiders get 404 everywhere; read-only
people get 403 on sharing and on others' comments, and nothing changes.
"""

from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from baton.accounts.requests import AuthenticatedRequest
from baton.discussion.forms import ResolveForm, posted_body
from baton.discussion.models import Comment
from baton.discussion.permissions import get_comment_or_404
from baton.documents import queries, services
from baton.documents.forms import (
    FollowersForm,
    FollowForm,
    ShareAddForm,
    ShareAudienceForm,
    ShareForm,
    ShareMemberForm,
    TaskDocumentForm,
)
from baton.documents.models import (
    Document,
    DocumentMember,
    DocumentRole,
)
from baton.documents.permissions import (
    get_document_for_user_or_404,
    require_document_role,
    visible_documents,
)
from baton.documents.views.history import page_context
from baton.orgs.models import Membership, Team
from baton.projects.permissions import get_task_for_user_or_404

FOLLOWERS = "documents/_followers.html#document-followers"
COMMENTS = "documents/_document_comments.html#document-comments"
SHARE = "documents/_share_dialog.html#share-dialog"
TASK_DOCUMENTS = "documents/_task_documents.html#task-documents"


def _document(request: HttpRequest, slug: str, document_id) -> Document:
    return get_document_for_user_or_404(request.user, slug, document_id)


def _back_to_document(document: Document, anchor: str = "") -> HttpResponse:
    url = reverse("documents:document", args=[document.organization.slug, document.pk])
    return redirect(url + anchor)


# ---------------------------------------------------------------- followers


def _render_followers(request, document, *, status=200, errors=None) -> HttpResponse:
    context = {
        "document": document,
        "org": document.organization,
        "side": queries.side_context(request.user, document),
        "errors": errors or {},
    }
    return render(request, FOLLOWERS, context, status=status)


@login_required
@require_POST
def document_follow(request: AuthenticatedRequest, slug: str, document_id: int) -> HttpResponse:
    """Follow (`following=1`, the default) or unfollow (`following=0`) the document."""
    document = _document(request, slug, document_id)
    form = FollowForm(request.POST)
    following = not form.is_valid() or form.cleaned_data["following"]
    services.follow_document(actor=request.user, document=document, following=following)
    if request.htmx:
        return _render_followers(request, document)
    return _back_to_document(document)


@login_required
@require_http_methods(["GET", "POST"])
def document_followers(request: AuthenticatedRequest, slug: str, document_id: int) -> HttpResponse:
    """GET: the followers (a page; the partial for htmx). POST: add people (`users`) and whole
    teams (`teams`) of the organization as followers; those who may not read it are left out."""
    document = _document(request, slug, document_id)
    if request.method == "GET":
        if request.htmx:
            return _render_followers(request, document)
        context = page_context(
            request, document, side=queries.side_context(request.user, document), errors={}
        )
        return render(request, "documents/followers.html", context)
    require_document_role(request.user, document, DocumentRole.VIEWER)
    form = FollowersForm(request.POST)
    chosen = form.cleaned_data if form.is_valid() else {"users": [], "teams": []}
    members = Membership.objects.filter(organization_id=document.organization_id)
    users = get_user_model().objects.filter(pk__in=chosen["users"], memberships__in=members)
    teams = Team.objects.filter(pk__in=chosen["teams"], organization_id=document.organization_id)
    if not users and not teams:
        errors = {"followers": [_("Choose people or teams to add as followers.")]}
        return _render_followers(request, document, status=422, errors=errors)
    services.add_followers(
        actor=request.user, document=document, users=list(users), teams=list(teams)
    )
    if request.htmx:
        return _render_followers(request, document)
    return redirect("documents:followers", slug=slug, document_id=document.pk)


# ---------------------------------------------------------------- sharing


def _cleaned(form) -> dict:
    """A share form's values: its fields only parse (text, ids), so it is always valid."""
    if not form.is_valid():
        raise ValidationError(next(iter(form.errors.values())))
    return form.cleaned_data


def _render_share(
    request, document, *, status=200, errors=None, full=False, refresh_followers=False
) -> HttpResponse:
    context = page_context(
        request,
        document,
        refresh_followers=refresh_followers,
        share=queries.share_context(request.user, document),
        side=queries.side_context(request.user, document),
        errors=errors or {},
    )
    template = "documents/share.html" if full else SHARE
    return render(request, template, context, status=status)


def _share_change(request, document: Document) -> None:
    """Apply one change of the share dialog, named by `action`."""
    action, actor = _cleaned(ShareForm(request.POST))["action"], request.user
    if action == "audience":
        audience = _cleaned(ShareAudienceForm(request.POST))
        services.share_document(
            actor=actor,
            document=document,
            visibility=audience["visibility"],
            access=audience["access"],
        )
    elif action == "add":
        _share_with(request, document)
    elif action in ("role", "remove"):
        change = _cleaned(ShareMemberForm(request.POST))
        member = None
        if change["member"] is not None:
            member = DocumentMember.objects.filter(document=document, pk=change["member"]).first()
        if member is None:
            raise ValidationError({"member": _("Not one of the choices.")})
        if action == "remove":
            services.remove_document_member(actor=actor, document=document, member_id=member.pk)
        else:
            services.set_document_member(
                actor=actor,
                document=document,
                user=member.user,
                team=member.team,
                role=change["role"],
            )
    else:
        raise ValidationError({"action": _("Not one of the choices.")})


def _share_with(request, document: Document) -> None:
    """Name a person (`who=user:3`) or a team (`who=team:5`) with a role; with `follow`, they
    (every member of the team) also become followers."""
    shared = _cleaned(ShareAddForm(request.POST))
    kind, pk = shared["who"]
    user = team = None
    if kind == "user" and pk is not None:
        user = (
            get_user_model()
            .objects.filter(pk=pk, memberships__organization_id=document.organization_id)
            .first()
        )
    elif kind == "team" and pk is not None:
        team = Team.objects.filter(pk=pk, organization_id=document.organization_id).first()
    if user is None and team is None:
        raise ValidationError({"who": _("Choose a person or a team.")})
    services.set_document_member(
        actor=request.user,
        document=document,
        user=user,
        team=team,
        role=shared["role"],
    )
    if shared["follow"]:
        services.add_followers(
            actor=request.user,
            document=document,
            users=[user] if user else [],
            teams=[team] if team else [],
        )


@login_required
@require_http_methods(["GET", "POST"])
def document_share(request: AuthenticatedRequest, slug: str, document_id: int) -> HttpResponse:
    """GET: the share dialog (a page; the partial for htmx; read-only for readers). POST (editors):
    set the audience and its access, name people or teams with a role, change or remove one."""
    document = _document(request, slug, document_id)
    if request.method == "GET":
        return _render_share(request, document, full=not request.htmx)
    require_document_role(request.user, document, DocumentRole.EDITOR)
    try:
        _share_change(request, document)
    except ValidationError as error:
        errors = {"share": error.messages}
        return _render_share(request, document, status=422, errors=errors, full=not request.htmx)
    if request.htmx:  # the followers beside the dialog may have grown too
        return _render_share(request, document, refresh_followers=True)
    return redirect("documents:share", slug=slug, document_id=document.pk)


# ---------------------------------------------------------------- comments


def _render_comments(request, document, *, status=200, errors=None, typed=None) -> HttpResponse:
    context = {
        "document": document,
        "org": document.organization,
        "talk": queries.comments_context(request.user, document),
        "errors": errors or {},
        "typed": typed or {},
    }
    return render(request, COMMENTS, context, status=status)


def _comment(request, slug: str, document_id, comment_id) -> Comment:
    """A comment of this document (404 for outsiders and for any other document's comment)."""
    document = _document(request, slug, document_id)
    comment = get_comment_or_404(document, comment_id)
    comment.owner = document
    return comment


def _comments_done(request, document) -> HttpResponse:
    if request.htmx:
        return _render_comments(request, document)
    return _back_to_document(document, "#document-comments")


@login_required
@require_http_methods(["GET", "POST"])
def document_comments(request: AuthenticatedRequest, slug: str, document_id: int) -> HttpResponse:
    """GET: the comments section. POST: add a comment (Markdown; @names people who can read)."""
    document = _document(request, slug, document_id)
    if request.method == "GET":
        return _render_comments(request, document)
    body = posted_body(request)
    try:
        services.add_document_comment(actor=request.user, document=document, body=body)
    except ValidationError as error:
        errors, typed = {"comment": error.messages}, {"comment": body}
        return _render_comments(request, document, status=422, errors=errors, typed=typed)
    return _comments_done(request, document)


@login_required
@require_POST
def comment_edit(
    request: AuthenticatedRequest, slug: str, document_id: int, comment_id: int
) -> HttpResponse:
    comment = _comment(request, slug, document_id, comment_id)
    body = posted_body(request)
    try:
        services.edit_document_comment(actor=request.user, comment=comment, body=body)
    except ValidationError as error:
        errors = {"comment_edit": error.messages}
        typed = {"comment_edit_id": comment.pk, "comment_edit": body}
        return _render_comments(request, comment.owner, status=422, errors=errors, typed=typed)
    return _comments_done(request, comment.owner)


@login_required
@require_POST
def comment_delete(
    request: AuthenticatedRequest, slug: str, document_id: int, comment_id: int
) -> HttpResponse:
    comment = _comment(request, slug, document_id, comment_id)
    services.delete_document_comment(actor=request.user, comment=comment)
    return _comments_done(request, comment.owner)


@login_required
@require_POST
def comment_resolve(
    request: AuthenticatedRequest, slug: str, document_id: int, comment_id: int
) -> HttpResponse:
    """Resolve (`resolved=1`, the default) or reopen (`resolved=0`) a comment."""
    comment = _comment(request, slug, document_id, comment_id)
    form = ResolveForm(request.POST)
    form.is_valid()
    resolved = form.cleaned_data["resolved"]
    services.resolve_document_comment(actor=request.user, comment=comment, resolved=resolved)
    return _comments_done(request, comment.owner)


# ---------------------------------------------------------------- a task's documents


def _render_task_documents(request, task, *, status=200, errors=None) -> HttpResponse:
    context = queries.task_documents_context(request.user, task)
    context["errors"] = errors or {}
    return render(request, TASK_DOCUMENTS, context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def task_documents(request: AuthenticatedRequest, slug: str, ref: str) -> HttpResponse:
    """GET: the documents that mention or link the task (the task panel's section). POST
    (members of the task's project): link `document` to the card, or unlink it with
    `action=unlink`."""
    task = get_task_for_user_or_404(request.user, slug, ref)
    if request.method == "GET":
        return _render_task_documents(request, task)
    form = TaskDocumentForm(request.POST)
    chosen = form.cleaned_data if form.is_valid() else {"document": None, "action": ""}
    document = (
        visible_documents(request.user, task.project.organization)
        .filter(pk__in=[chosen["document"]] if chosen["document"] else [])
        .select_related("organization", "project")
        .first()
    )
    if document is None:
        errors = {"document": [_("Choose a document to link.")]}
        return _render_task_documents(request, task, status=422, errors=errors)
    try:
        if chosen["action"] == "unlink":
            services.unlink_document_from_task(actor=request.user, document=document, task=task)
        else:
            services.link_document_to_task(actor=request.user, document=document, task=task)
    except ValidationError as error:
        return _render_task_documents(
            request, task, status=422, errors={"document": error.messages}
        )
    if request.htmx:
        return _render_task_documents(request, task)
    return redirect("projects:task", slug=slug, ref=ref)
