"""Versions of a document: the history, one version, a comparison of two, restoring one.

Everyone who may read the document sees its history, any version and any comparison; editors
restore (a restore is a new version, asked for first; a stale page gets a conflict message and
nothing is written). Bad version numbers get a clear message, never a server error.
"""

from dataclasses import dataclass, field

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_POST

from baton.accounts.requests import AuthenticatedRequest
from baton.core.validation import parse_int
from baton.documents import queries, services
from baton.documents.diffview import diff_body
from baton.documents.forms import RestoreForm
from baton.documents.models import Document, DocumentRole, DocumentVersion
from baton.documents.permissions import (
    document_role,
    get_document_for_user_or_404,
    require_document_role,
)
from baton.lib.diff import Diff, DiffRow
from baton.lib.markdown import render_markdown
from baton.projects.queries import app_page

CONTEXT_LINES = 3
# Versions on one page of the history (the newest first; older ones a click away): a script
# saved 500 times still opens at once.
HISTORY_PAGE = 100


def page_context(request: HttpRequest, document: Document, **context) -> dict:
    """What every document page of this module needs: app.html's organization and sidebar, the
    document and the reader's role."""
    org = document.organization
    return {
        **app_page(request.user, org, nav="documents"),
        "document": document,
        "role": document_role(request.user, document),
        "can_edit": document_role(request.user, document) == DocumentRole.EDITOR,
        **context,
    }


def _number(value) -> int | None:
    """A version number from the request; None when it cannot be one."""
    try:
        return parse_int(value, field="number", minimum=1)
    except ValidationError:
        return None


# ---------------------------------------------------------------- the history


def version_rows(document: Document, rows: list[dict]) -> list[dict]:
    """History rows with what each shows worked out once here: the template then loops over
    plain values (a history of 500 versions renders in a few milliseconds)."""
    prefix = reverse("documents:version", args=[document.organization.slug, document.pk, 1])[:-1]
    compare = reverse("documents:compare", args=[document.organization.slug, document.pk])
    label = _("Version %(n)d")
    for row in rows:
        number = row["number"]
        row["label"] = label % {"n": number}
        row["url"] = f"{prefix}{number}"
        row["changes_url"] = f"{compare}?a={number - 1}&b={number}" if number > 1 else ""
        row["author"] = row["author__name"] or row["author__email"] or _("Someone")
        row["when"] = timezone.localtime(row["created_at"]).strftime("%Y-%m-%d %H:%M")
        row["retitled"] = row["title"] != document.title
    return rows


def history_page(document: Document, before: int | None) -> list[dict]:
    """The HISTORY_PAGE newest versions below `before` (all versions from the newest when None),
    newest first, in one query."""
    rows = DocumentVersion.objects.filter(document=document)
    if before is not None:
        rows = rows.filter(number__lt=before)
    rows = rows.order_by("-number").values(*queries.HISTORY_FIELDS)[:HISTORY_PAGE]
    return version_rows(document, list(rows))


def _render_history(request, document, *, status=200, errors=None) -> HttpResponse:
    before = _number(request.GET.get("before"))
    versions = history_page(document, before)
    context = page_context(
        request,
        document,
        versions=versions,
        errors=errors or [],
        newest_shown=before is None or before > document.version,
        older=versions[1]["number"] if len(versions) > 1 else None,
        older_page=versions[-1]["number"] if versions and versions[-1]["number"] > 1 else None,
    )
    return render(request, "documents/history.html", context, status=status)


@login_required
@require_GET
def document_history(request: AuthenticatedRequest, slug: str, document_id: int) -> HttpResponse:
    """Every saved version, newest first: number, author, time, note, lines added and removed."""
    document = get_document_for_user_or_404(request.user, slug, document_id)
    return _render_history(request, document)


@login_required
@require_GET
def document_version(
    request: AuthenticatedRequest, slug: str, document_id: int, number: int
) -> HttpResponse:
    """One saved version, rendered as the document page renders the newest."""
    document = get_document_for_user_or_404(request.user, slug, document_id)
    try:
        version = queries.version_text(document, number)
    except ValidationError:
        raise Http404 from None
    context = page_context(
        request,
        document,
        version=version,
        html=render_markdown(version.body),
        restoring=request.GET.get("restore") == "1",  # "Restore" in the history opens the ask
    )
    return render(request, "documents/version.html", context)


# ---------------------------------------------------------------- comparing two versions


@dataclass
class Hunk:
    """Changed rows with their context, and how many unchanged rows were folded before them."""

    skipped: int
    rows: list[DiffRow] = field(default_factory=list)


def fold(diff: Diff, context: int | None) -> tuple[list[Hunk], int]:
    """The diff's rows as hunks (all of them in one when `context` is None), and the number of
    unchanged rows folded after the last hunk."""
    if context is None:
        return [Hunk(0, list(diff.rows))], 0
    keep = set()
    for index, row in enumerate(diff.rows):
        if row.kind != "equal":
            keep.update(range(index - context, index + context + 1))
    hunks: list[Hunk] = []
    previous = -1
    for index in sorted(i for i in keep if 0 <= i < len(diff.rows)):
        if not hunks or index != previous + 1:
            hunks.append(Hunk(index - previous - 1))
        hunks[-1].rows.append(diff.rows[index])
        previous = index
    return hunks, len(diff.rows) - previous - 1


def compare_choices(document: Document) -> list[tuple[int, str]]:
    """Every version as (number, "Version 3 · 王芳 · 11-25 09:30") for the two pickers."""
    label = _("Version %(n)d")
    rows = DocumentVersion.objects.filter(document=document).order_by("-number")
    return [
        (
            number,
            f"{label % {'n': number}} · {name or email or ''} · "
            f"{timezone.localtime(created).strftime('%m-%d %H:%M')}",
        )
        for number, name, email, created in rows.values_list(
            "number", "author__name", "author__email", "created_at"
        )
    ]


def _folded_label(count: int) -> str:
    return ngettext("⋯ %(n)d unchanged line", "⋯ %(n)d unchanged lines", count) % {"n": count}


def _compare_choice(request, document) -> tuple[int, int, list[str]]:
    """Which two versions to compare (?a=&b=), the older first; by default the newest and the one
    before it. Returns the errors for anything that is not a version of this document."""
    default_b = document.version
    default_a = max(1, default_b - 1)
    a = _number(request.GET.get("a", default_a))
    b = _number(request.GET.get("b", default_b))
    errors = []
    for value in (a, b):
        if value is None or value > document.version:
            errors.append(_("Choose two versions between 1 and %(n)d.") % {"n": document.version})
            return default_a, default_b, errors
    return min(a, b), max(a, b), errors


@login_required
@require_GET
def document_compare(request: AuthenticatedRequest, slug: str, document_id: int) -> HttpResponse:
    """Two versions side by side or inline, word by word (each Chinese character on its own),
    only the changed parts with a few lines around them unless ?all=1."""
    document = get_document_for_user_or_404(request.user, slug, document_id)
    if not document.version:  # nothing saved yet: the history says so
        return redirect("documents:history", slug, document.pk)
    a, b, errors = _compare_choice(request, document)
    view = "split" if request.GET.get("view") == "split" else "inline"
    whole = request.GET.get("all") == "1"
    context = page_context(
        request, document, a=a, b=b, view=view, whole=whole, errors=errors, history=[]
    )
    if errors:
        context["history"] = compare_choices(document)
        return render(request, "documents/compare.html", context, status=422)
    before, after, diff = queries.compare(document, a, b)
    hunks, trailing = fold(diff, None if whole else CONTEXT_LINES)
    context.update(
        before=before,
        after=after,
        diff=diff,
        rows_html=diff_body(
            hunks,
            trailing,
            view=view,
            folded=_folded_label,
            all_url=f"?a={a}&b={b}&view={view}&all=1",
        ),
        history=compare_choices(document),
    )
    return render(request, "documents/compare.html", context)


# ---------------------------------------------------------------- restoring


@login_required
@require_POST
def document_restore(request: AuthenticatedRequest, slug: str, document_id: int) -> HttpResponse:
    """Make version `number` the newest again, as a new version, from the page's `base_version`.
    422 for a number that is not a version of this document; 409 when someone saved since the
    page was opened (nothing is written; the history shows the newer version)."""
    document = get_document_for_user_or_404(request.user, slug, document_id)
    require_document_role(request.user, document, DocumentRole.EDITOR)
    form = RestoreForm(request.POST)
    asked = form.cleaned_data if form.is_valid() else {"number": None, "base_version": None}
    number, base = asked["number"], asked["base_version"]
    if number is None or base is None:
        return _render_history(
            request, document, status=422, errors=[_("Choose a version to restore.")]
        )
    try:
        services.restore_version(
            actor=request.user, document=document, number=number, base_version=base
        )
    except ValidationError as error:
        return _render_history(request, document, status=422, errors=error.messages)
    except services.ConflictError as conflict:
        message = _(
            "Version %(n)d was saved while you were looking at the history: nothing was "
            "restored. Check the newest version, then restore again if you still want to."
        ) % {"n": conflict.current.version}
        return _render_history(request, conflict.current, status=409, errors=[message])
    messages.success(
        request,
        _("Version %(old)d restored as version %(new)d.")
        % {"old": number, "new": document.version},
    )
    return redirect("documents:history", slug=slug, document_id=document.pk)
