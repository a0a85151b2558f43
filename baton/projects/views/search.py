"""Search over the tasks and comments a person may see: as you type (a dropdown under the
sidebar's search box) and as a page of its own."""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from baton.accounts.requests import AuthenticatedRequest
from baton.orgs.permissions import get_org_for_user_or_404
from baton.projects import queries
from baton.projects.forms import SearchForm
from baton.projects.views.base import cleaned, page_context

AS_YOU_TYPE = 8
PAGE = 50


@login_required
@require_GET
def search(request: AuthenticatedRequest, slug: str) -> HttpResponse:
    org = get_org_for_user_or_404(request.user, slug)
    data = cleaned(SearchForm(request.GET))
    query = data["q"]
    dropdown = request.htmx and data["as"] == "dropdown"
    limit = AS_YOU_TYPE if dropdown else PAGE
    context = {
        "org": org,
        "query": query,
        "results": queries.search_tasks(request.user, org, query, limit=limit) if query else [],
        "limit": limit,
    }
    if dropdown:
        return render(request, "projects/search.html#search-results", context)
    context.update(page_context(request, org, nav="search"))
    return render(request, "projects/search.html", context)
