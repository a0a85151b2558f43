"""Tags: the Tags section of a project's settings (project admins rename, recolour, delete and
merge tags and add a ready-made set; members read it).

The forms post with htmx and get the section back (`_tag_settings.html#tags-section`), with the
typed values and the messages when a change is refused (422). Without htmx they redirect to the
settings page, with the message as a flash. Creating a tag (here or from a card's picker) is
`tasks.tag_create`, which answers the same way when it comes from this section.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from baton.accounts.requests import AuthenticatedRequest
from baton.core.forms import errors_by_field
from baton.projects import queries, services
from baton.projects.forms import TagMergeForm, TagSetForm, TagUpdateForm
from baton.projects.models import Tag
from baton.projects.permissions import can_admin
from baton.projects.views.base import cleaned, project_or_404


def _tag(request: HttpRequest, slug: str, key: str, tag_id: int):
    """A tag of a project the user may see (404 otherwise), with its project attached."""
    org, project = project_or_404(request, slug, key)
    tag = Tag.objects.filter(project=project, pk=tag_id).first()
    if tag is None:
        raise Http404
    tag.project = project
    return org, project, tag


def missing_from_set(tags: list[Tag], tag_set: str = "after_sales") -> list[tuple[str, str]]:
    """The (name, colour) of the set's tags the project does not have yet."""
    have = {tag.name.casefold() for tag in tags}
    return [(n, c) for n, c in services.TAG_SETS[tag_set] if n.casefold() not in have]


def section(
    request: HttpRequest, org, project, *, status: int = 200, notice: str = "", **state
) -> HttpResponse:
    """The Tags section (htmx) or, without htmx, the settings page it belongs to."""
    if not request.htmx:
        if status >= 400:
            for message_list in (state.get("tag_errors") or {}).values():
                for message in message_list:
                    messages.error(request, message)
        elif notice:
            messages.success(request, notice)
        return redirect("projects:settings", org.slug, project.key)
    context = {"org": org, "project": project, "notice": notice, **state}
    context.update(section_context(request, project))
    return render(request, "projects/_tag_settings.html#tags-section", context, status=status)


def section_context(request: HttpRequest, project) -> dict:
    tags = queries.tags_with_counts(project)
    return {
        "tag_rows": tags,
        "tag_set_missing": missing_from_set(tags),
        "is_admin": can_admin(request.user, project),
    }


def _refused(request, org, project, error: ValidationError, **state) -> HttpResponse:
    return section(request, org, project, status=422, tag_errors=errors_by_field(error), **state)


@login_required
@require_POST
def tag_update(request: AuthenticatedRequest, slug: str, key: str, tag_id: int) -> HttpResponse:
    org, project, tag = _tag(request, slug, key, tag_id)
    typed = cleaned(TagUpdateForm(request.POST))  # None: not sent, kept
    try:
        services.update_tag(actor=request.user, tag=tag, **typed)
    except ValidationError as error:
        return _refused(request, org, project, error, edit_tag_id=tag.pk, tag_typed=typed)
    return section(request, org, project, notice=_("Tag %(name)s saved.") % {"name": tag.name})


@login_required
@require_POST
def tag_delete(request: AuthenticatedRequest, slug: str, key: str, tag_id: int) -> HttpResponse:
    org, project, tag = _tag(request, slug, key, tag_id)
    cards = services.delete_tag(actor=request.user, tag=tag)
    notice = ngettext(
        "Tag %(name)s deleted; it was on %(n)d card.",
        "Tag %(name)s deleted; it was on %(n)d cards.",
        cards,
    ) % {"name": tag.name, "n": cards}
    return section(request, org, project, notice=notice)


@login_required
@require_POST
def tag_merge(request: AuthenticatedRequest, slug: str, key: str, tag_id: int) -> HttpResponse:
    """Merge this tag into the tag posted as `target`."""
    org, project, source = _tag(request, slug, key, tag_id)
    try:
        target_id = cleaned(TagMergeForm(request.POST))["target"]
        target = Tag.objects.filter(project=project, pk=target_id).first() if target_id else None
        if target is None:
            raise ValidationError({"target": _("Choose a tag of this project.")})
        target.project = project
        services.merge_tags(actor=request.user, source=source, target=target)
    except ValidationError as error:
        return _refused(request, org, project, error, merge_tag_id=source.pk)
    notice = _("Tag %(name)s merged into %(target)s.") % {
        "name": source.name,
        "target": target.name,
    }
    return section(request, org, project, notice=notice)


@login_required
@require_POST
def tag_set_add(request: AuthenticatedRequest, slug: str, key: str) -> HttpResponse:
    """Add the tags of a ready-made set (the after-sales types) that the project lacks."""
    org, project = project_or_404(request, slug, key)
    tag_set = cleaned(TagSetForm(request.POST))["set"]
    try:
        added = services.add_tag_set(actor=request.user, project=project, tag_set=tag_set)
    except ValidationError as error:
        return _refused(request, org, project, error)
    if added:
        names = " · ".join(tag.name for tag in added)
        notice = _("Tags added: %(names)s.") % {"names": names}
    else:
        notice = _("The project has these tags already.")
    return section(request, org, project, notice=notice)
