"""The list view, the filter bar the board shares with it, and saved views.

A view's state lives in its URL: the filters (filters.py), and for the list its sort and
grouping (table.py). Filter links and forms carry real hrefs; with htmx they swap only the
page's #view (the sidebar stays), and the URL is pushed so a reload or a shared link shows the
same cards.
"""

import json
from urllib.parse import parse_qsl

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.decorators.http import require_GET, require_POST

from baton.accounts.requests import AuthenticatedRequest
from baton.core.forms import errors_by_field
from baton.projects import services
from baton.projects.filter_parser import parse_filter
from baton.projects.filters import filter_context
from baton.projects.forms import (
    LayoutForm,
    RowPageForm,
    SavedViewCreateForm,
    SavedViewUpdateForm,
    ViewStateForm,
)
from baton.projects.models import FieldKind, Priority, SavedView
from baton.projects.permissions import can_edit, can_shape
from baton.projects.rows import RowContext, group_token, render_row, render_rows
from baton.projects.services.saved_views import can_manage_saved_view
from baton.projects.table import (
    COLUMNS,
    parse_group,
    parse_sort,
    rows_for,
    task_table,
)
from baton.projects.table import group_choices as table_group_choices
from baton.projects.views.base import board_urls, cleaned, page_context, project_or_404

# ---------------------------------------------------------------- the filter bar


def is_view_swap(request: HttpRequest) -> bool:
    """An htmx request that replaces the page's #view (a filter, a sort, a saved view)."""
    return bool(request.htmx) and request.htmx.target == "view"


def render_view(request: HttpRequest, template: str, context: dict) -> HttpResponse:
    swap = is_view_swap(request)
    response = render(request, f"{template}#view" if swap else template, context)
    patch_vary_headers(response, ["HX-Target"])
    return response


def view_urls(org, project) -> dict:
    return {
        "board": reverse("projects:board", args=[org.slug, project.key]),
        "list": reverse("projects:list", args=[org.slug, project.key]),
    }


def filter_bar(request: HttpRequest, org, project, *, layout: str, extra=(), ctx=None) -> dict:
    """Parse the request's filters and give the template what the filter bar shows: the filter,
    its chips' links, the switch between board and list keeping the filters, the URLs that load
    the filter form and the saved views. Costs no query without filters."""
    ctx = ctx or filter_context(project, request.user)
    card_filter = parse_filter(request.GET, ctx)
    urls = view_urls(org, project)
    base = urls[layout]
    card_filter.link(base, extra)
    filter_query = card_filter.query()
    query = card_filter.query(extra)
    archived = [pair for pair in card_filter.pairs if pair[0] == "archived"]
    toggled = (
        card_filter.query(extra, without=tuple(archived))
        if archived
        else card_filter.query([*extra, ("archived", "1")])
    )
    state = {"layout": layout, "query": query}
    return {
        "filter": card_filter,
        "filter_ctx": ctx,
        "layout": layout,
        "filter_query": filter_query,
        "view_query": query,
        "view_url": base,
        "board_link": _with_query(urls["board"], filter_query),
        "list_link": _with_query(urls["list"], filter_query),
        "archived_link": _with_query(base, toggled),
        "filters_url": _with_query(
            reverse("projects:filters", args=[org.slug, project.key]),
            card_filter.query([*extra, ("layout", layout)]),
        ),
        "views_url": reverse("projects:views", args=[org.slug, project.key]),
        "view_state": json.dumps(state),
        "panel_headers": json.dumps(
            {"X-Baton-Layout": layout, "X-Baton-Return": _with_query(base, query)}
        ),
        "extra_pairs": list(extra),
    }


def _with_query(url: str, query: str) -> str:
    return f"{url}?{query}" if query else url


@login_required
@require_GET
def filter_form(request: AuthenticatedRequest, slug: str, key: str) -> HttpResponse:
    """The filter bar's form (loaded when it is first opened): every facet, the current values
    ticked."""
    org, project = project_or_404(request, slug, key)
    layout = cleaned(LayoutForm(request.GET))["layout"]
    ctx = filter_context(project, request.user)
    extra = _list_extra(request, ctx) if layout == "list" else []
    bar = filter_bar(request, org, project, layout=layout, extra=extra, ctx=ctx)
    context = {
        "org": org,
        "project": project,
        **bar,
        "priorities": Priority.choices,
        "field_inputs": _field_inputs(ctx, bar["filter"]),
    }
    return render(request, "projects/_filter_bar.html#filter-form", context)


def _field_inputs(ctx, card_filter) -> list[dict]:
    """Custom fields as the filter form asks for them, with the values the filter holds."""
    inputs = []
    for custom in ctx.fields:
        param = f"cf_{custom.pk}"
        options = []
        if custom.kind in (FieldKind.SELECT, FieldKind.MULTI):
            options = [
                {"id": str(o.get("id")), "name": o.get("name", ""), "color": o.get("color", "")}
                for o in custom.options or []
            ]
        inputs.append(
            {
                "field": custom,
                "param": param,
                "kind": custom.kind,
                "options": options,
                "selected": card_filter.selected.get(param, []),
                "value": card_filter.value(param),
                "from": card_filter.value(f"{param}_from"),
                "to": card_filter.value(f"{param}_to"),
            }
        )
    return inputs


# ---------------------------------------------------------------- the list view


def _list_extra(request: HttpRequest, ctx) -> list[tuple[str, str]]:
    """The list view's own parameters, canonical: sort and group (defaults left out)."""
    extra = []
    sort = parse_sort(request.GET.get("sort"), ctx)
    if sort.param:
        extra.append(("sort", sort.param))
    group = parse_group(request.GET.get("group"), ctx)
    if group:
        extra.append(("group", group))
    return extra


def _row_context(request: HttpRequest, org, project, ctx, editable: bool) -> RowContext:
    return RowContext(
        ctx=ctx,
        task_prefix=board_urls(org, project)["task_prefix"],
        can_edit=editable,
    )


@login_required
@require_GET
def list_view(request: AuthenticatedRequest, slug: str, key: str) -> HttpResponse:
    """The project's cards as a table: one row per top-level card, sortable, groupable."""
    org, project = project_or_404(request, slug, key)
    ctx = filter_context(project, request.user)
    sort = parse_sort(request.GET.get("sort"), ctx)
    group = parse_group(request.GET.get("group"), ctx)
    extra = _list_extra(request, ctx)
    bar = filter_bar(request, org, project, layout="list", extra=extra, ctx=ctx)
    table = task_table(bar["filter"], ctx, sort=sort, group=group)
    editable = can_edit(request.user, project)
    rc = _row_context(request, org, project, ctx, editable)
    filters_and_group = bar["filter"].query([("group", group)] if group else [])
    filters_and_sort = bar["filter"].query([("sort", sort.param)] if sort.param else [])
    context = page_context(
        request,
        org,
        project=project,
        can_edit=editable,
        table=table,
        rows_html=render_rows(table.rows, rc, group=group, groups=table.groups),
        more_url=_more_url(org, project, bar, table),
        headers=_headers(ctx, bar["view_url"], sort, filters_and_group),
        group_links=(links := _group_links(ctx, bar["view_url"], group, filters_and_sort)),
        group_label=next((link["label"] for link in links if link["active"] and group), ""),
        columns=rc.columns,
        people=ctx.people,
        lists=ctx.lists,
        priorities=Priority.choices,
        **bar,
        **board_urls(org, project),
    )
    return render_view(request, "projects/list.html", context)


def _more_url(org, project, bar, table) -> str:
    if not table.has_more:
        return ""
    extra = [*bar["extra_pairs"], ("offset", str(table.next_offset))]
    if table.group and table.rows:
        extra.append(("last_group", group_token(table.rows[-1].get("group_key"))))
    url = reverse("projects:list_rows", args=[org.slug, project.key])
    return _with_query(url, bar["filter"].query(extra))


def _headers(ctx, base: str, sort, other_query: str) -> list[dict]:
    """The table's column headers: label, the link that sorts by it, the current direction."""
    labels = {
        "number": _("No."),
        "title": _("Title"),
        "list": _("List"),
        "owner": pgettext("task", "Owner"),
        "due": _("Due"),
        "priority": _("Priority"),
        "tags": _("Tags"),
    }
    keys = [k for k in COLUMNS if k in labels] + [f"cf_{c.pk}" for c in ctx.fields]
    names = {**labels, **{f"cf_{c.pk}": c.name for c in ctx.fields}}
    kinds = {f"cf_{c.pk}": c.kind for c in ctx.fields}
    headers = []
    for key in keys:
        query = "&".join(q for q in (other_query, f"sort={sort.toggled(key)}") if q)
        direction = ("desc" if sort.descending else "asc") if sort.key == key else ""
        headers.append(
            {
                "key": key,
                "label": names[key],
                "url": f"{base}?{query}",
                "direction": direction,
                "css": f"col-field col-kind-{kinds[key]}" if key in kinds else f"col-{key}",
            }
        )
    return headers


def _group_links(ctx, base: str, group: str, other_query: str) -> list[dict]:
    links = [{"value": "", "label": _("No grouping"), "url": _with_query(base, other_query)}]
    for value, label in table_group_choices(ctx):
        query = "&".join(q for q in (other_query, f"group={value}") if q)
        links.append({"value": value, "label": label, "url": f"{base}?{query}"})
    for link in links:
        link["active"] = link["value"] == group
    return links


@login_required
@require_GET
def list_rows(request: AuthenticatedRequest, slug: str, key: str) -> HttpResponse:
    """The next page of the list view's rows (loaded as the user scrolls)."""
    org, project = project_or_404(request, slug, key)
    page = RowPageForm(request.GET)
    if not page.is_valid():
        return HttpResponse(_("Invalid page."), status=400)
    offset = page.cleaned_data["offset"]
    ctx = filter_context(project, request.user)
    sort = parse_sort(request.GET.get("sort"), ctx)
    group = parse_group(request.GET.get("group"), ctx)
    extra = _list_extra(request, ctx)
    bar = filter_bar(request, org, project, layout="list", extra=extra, ctx=ctx)
    table = task_table(
        bar["filter"], ctx, sort=sort, group=group, offset=offset, with_counts=bool(group)
    )
    rc = _row_context(request, org, project, ctx, can_edit(request.user, project))
    html = render_rows(
        table.rows,
        rc,
        group=group,
        groups=table.groups,
        last_group=page.cleaned_data["last_group"] if group else None,
    )
    context = {
        "rows_html": html,
        "more_url": _more_url(org, project, bar, table),
        "columns": rc.columns,
    }
    return render(request, "projects/list.html#rows-page", context)


def render_row_response(
    request: HttpRequest, org, task, *, status: int = 200, errors=None, typed=None, conflict=None
) -> HttpResponse:
    """A list view row, answering an inline edit (task_update, task_move, task_done with
    `view=row`): as saved, or with what the user typed and why it was not saved."""
    project = task.project
    ctx = filter_context(project, request.user)
    rc = _row_context(request, org, project, ctx, can_edit(request.user, project))
    (row,) = rows_for(ctx, [task.pk])
    html = render_row(row, rc, errors=errors, typed=typed, conflict=conflict)
    return HttpResponse(html, status=status)


def row_oob(request: HttpRequest, org, task) -> str:
    """The row of `task`, to replace it out of band on a list page beside the task panel."""
    if task.parent_id or task.archived_at:
        return ""
    project = task.project
    ctx = filter_context(project, request.user)
    rc = _row_context(request, org, project, ctx, can_edit(request.user, project))
    rows = rows_for(ctx, [task.pk])
    if not rows:
        return ""
    return f"<template>{render_row(rows[0], rc, oob=True)}</template>"


def row_deleted_oob(task_id: int) -> str:
    """Removes a deleted card's row(s) from a list page, out of band."""
    return (
        f"<template><tr hx-swap-oob=\"delete:tr[data-task-id='{int(task_id)}']\"></tr></template>"
    )


def is_list_panel(request: HttpRequest) -> bool:
    """Whether an htmx request comes from the task panel of a list page (its headers say so)."""
    return request.htmx and request.headers.get("X-Baton-Layout") == "list"


def list_return_url(request: HttpRequest, org, project) -> str:
    """The list page the panel was opened from (its URL with the filters), checked to be this
    project's list view."""
    url = reverse("projects:list", args=[org.slug, project.key])
    back = request.headers.get("X-Baton-Return", "")
    return back if back == url or back.startswith(url + "?") else url


# ---------------------------------------------------------------- saved views


def _saved_views_context(request: HttpRequest, org, project, *, layout: str, query: str) -> dict:
    urls = view_urls(org, project)
    current = sorted(_pairs(query))
    saved = list(SavedView.objects.filter(project=project).order_by("name", "id"))
    shaper = can_shape(request.user, project)
    for view in saved:
        view.url = _with_query(urls.get(view.layout, urls["board"]), view.query)
        view.is_current = view.layout == layout and sorted(_pairs(view.query)) == current
        view.can_manage = can_manage_saved_view(request.user, view)
        view.can_delete = view.can_manage and shaper  # guests rename their views, never delete
    return {
        "org": org,
        "project": project,
        "saved_views": saved,
        "layout": layout,
        "view_query": query,
        "can_edit": can_edit(request.user, project),
    }


def _pairs(query: str) -> list:
    return parse_qsl(query or "")


def _state(form: ViewStateForm) -> tuple[str, str]:
    """The layout and query of the page a saved-views request comes from."""
    data = cleaned(form)
    return data["layout"], data["query"]


@login_required
@require_GET
def saved_views(request: AuthenticatedRequest, slug: str, key: str) -> HttpResponse:
    """The saved views menu (loaded when it is first opened)."""
    org, project = project_or_404(request, slug, key)
    layout, query = _state(ViewStateForm(request.GET))
    context = _saved_views_context(request, org, project, layout=layout, query=query)
    return render(request, "projects/_saved_views.html#saved-views", context)


def _saved_view(project, view_id: int) -> SavedView:
    saved_view = SavedView.objects.filter(project=project, pk=view_id).first()
    if saved_view is None:
        raise Http404
    saved_view.project = project
    return saved_view


def _saved_views_answer(request, org, project, *, layout, query, status=200, **extra):
    if not request.htmx:
        for message in extra.get("errors", {}).values():
            messages.error(request, " ".join(message))
        return redirect(_with_query(view_urls(org, project)[layout], query))
    context = _saved_views_context(request, org, project, layout=layout, query=query)
    context.update(extra, open=True)
    return render(request, "projects/_saved_views.html#saved-views", context, status=status)


@login_required
@require_POST
def saved_view_create(request: AuthenticatedRequest, slug: str, key: str) -> HttpResponse:
    org, project = project_or_404(request, slug, key)
    form = SavedViewCreateForm(request.POST)
    layout, query = _state(form)
    name = form.cleaned_data["name"]
    try:
        services.create_saved_view(
            actor=request.user, project=project, name=name, layout=layout, query=query
        )
    except ValidationError as error:
        return _saved_views_answer(
            request,
            org,
            project,
            layout=layout,
            query=query,
            status=422,
            errors=errors_by_field(error),
            typed_name=name,
        )
    return _saved_views_answer(request, org, project, layout=layout, query=query)


@login_required
@require_POST
def saved_view_update(
    request: AuthenticatedRequest, slug: str, key: str, view_id: int
) -> HttpResponse:
    """Rename a saved view (`name`), or give it the page's current filters (`replace=1`)."""
    org, project = project_or_404(request, slug, key)
    saved_view = _saved_view(project, view_id)
    form = SavedViewUpdateForm(request.POST)
    layout, query = _state(form)
    name = form.cleaned_data["name"]
    changes = {} if name is None else {"name": name}
    if form.cleaned_data["replace"]:
        changes.update(layout=layout, query=query)
    try:
        services.update_saved_view(actor=request.user, saved_view=saved_view, **changes)
    except ValidationError as error:
        return _saved_views_answer(
            request,
            org,
            project,
            layout=layout,
            query=query,
            status=422,
            errors=errors_by_field(error),
            editing=saved_view.pk,
            typed_name=name or "",
        )
    return _saved_views_answer(request, org, project, layout=layout, query=query)


@login_required
@require_POST
def saved_view_delete(
    request: AuthenticatedRequest, slug: str, key: str, view_id: int
) -> HttpResponse:
    org, project = project_or_404(request, slug, key)
    saved_view = _saved_view(project, view_id)
    layout, query = _state(ViewStateForm(request.POST))
    services.delete_saved_view(actor=request.user, saved_view=saved_view)
    return _saved_views_answer(request, org, project, layout=layout, query=query)
