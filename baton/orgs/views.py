"""Organization pages: projects overview, members and invitations, teams, settings.

Every view finds the organization with `get_org_for_user_or_404` first, so an outsider gets 404
for every URL here, reads and writes alike. Writes go through services.py; a ValidationError is
shown next to the field (forms) or as a flash message (one-button forms); PermissionDenied
becomes 403.
"""

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_not_required, login_required
from django.core.exceptions import ValidationError
from django.db.models import Count, Prefetch, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from baton.accounts.requests import AuthenticatedRequest
from baton.calendars import queries as calendar_queries
from baton.calendars import services as calendar_services
from baton.core.forms import add_service_errors
from baton.core.links import absolute_url, site_url
from baton.orgs import services
from baton.orgs.forms import (
    InviteEmailForm,
    InviteLinkForm,
    MemberRoleForm,
    OrganizationForm,
    TeamForm,
    TeamMembersForm,
)
from baton.orgs.models import Invitation, Membership, Organization, Role, Team
from baton.orgs.permissions import (
    can_create,
    get_org_for_user_or_404,
    may_assign_role,
    may_manage_member,
    require_org_manager,
)
from baton.projects.permissions import visible_projects

ROLE_ORDER = {Role.OWNER: 0, Role.ADMIN: 1, Role.MEMBER: 2, Role.GUEST: 3}


def org_page(
    request: HttpRequest,
    org: Organization | None,
    template: str,
    context: dict,
    *,
    nav: str = "projects",
    status: int = 200,
) -> HttpResponse:
    """Render a page in the app layout with the sidebar of `org` (its projects, the active tab)."""
    return render(request, template, {"org": org, "nav": nav, **context}, status=status)


def _is_manager(org: Organization) -> bool:
    return org.membership.is_manager


def _error_message(error: ValidationError) -> str:
    return " ".join(error.messages)


# ---------------------------------------------------------------- organizations


@login_required
def home(request: AuthenticatedRequest, slug: str) -> HttpResponse:
    """The organization's projects as cards, archived ones apart. `/` comes back here next time."""
    org = get_org_for_user_or_404(request.user, slug)
    services.switch_organization(actor=request.user, organization=org)
    open_tasks = Q(tasks__archived_at__isnull=True, tasks__parent__isnull=True)
    projects = list(
        org.projects.filter(pk__in=visible_projects(request.user, org).values("pk"))
        .annotate(
            task_count=Count("tasks", filter=open_tasks, distinct=True),
            done_count=Count(
                "tasks", filter=open_tasks & Q(tasks__completed_at__isnull=False), distinct=True
            ),
        )
        .order_by("name")
    )
    active = [p for p in projects if p.archived_at is None]
    archived = [p for p in projects if p.archived_at is not None]
    return org_page(
        request,
        org,
        "orgs/home.html",
        {
            "projects": active,
            "archived_projects": archived,
            "can_create_project": can_create(org),
        },
        nav="projects",
    )


@login_required
def create(request: AuthenticatedRequest) -> HttpResponse:
    """Another organization, owned by whoever creates it."""
    form = OrganizationForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                org = services.create_organization(
                    actor=request.user, name=form.cleaned_data["name"]
                )
                calendar_services.apply_default_holidays(
                    actor=request.user,
                    organization=org,
                    language=request.user.language or request.LANGUAGE_CODE,
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("%(org)s was created.") % {"org": org.name})
                return redirect("orgs:home", org.slug)
        status = 422
    current = None
    if request.user.last_org_id:
        current = (
            Membership.objects.select_related("organization")
            .filter(user=request.user, organization_id=request.user.last_org_id)
            .first()
        )
    org = None
    if current is not None:
        org = current.organization
        org.membership = current
    return org_page(request, org, "orgs/create.html", {"form": form}, nav="", status=status)


@login_required
def org_settings(request: AuthenticatedRequest, slug: str) -> HttpResponse:
    """Rename the organization (owners and admins)."""
    org = get_org_for_user_or_404(request.user, slug)
    require_org_manager(request.user, org)
    form = OrganizationForm(request.POST or None, initial={"name": org.name})
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.rename_organization(
                    actor=request.user, organization=org, name=form.cleaned_data["name"]
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("The organization was renamed."))
                return redirect("orgs:settings", org.slug)
        status = 422
    context = {"form": form, "holidays_on": calendar_queries.public_holidays_on(org)}
    return org_page(request, org, "orgs/settings.html", context, nav="members", status=status)


# ---------------------------------------------------------------- members


def _members_context(request: HttpRequest, org: Organization) -> dict:
    memberships = list(
        Membership.objects.filter(organization=org)
        .select_related("user")
        .prefetch_related(
            Prefetch(
                "user__teams",
                queryset=Team.objects.filter(organization=org).order_by("name"),
                to_attr="org_teams",
            )
        )
    )
    memberships.sort(key=lambda m: (ROLE_ORDER.get(m.role, 9), m.user.name.lower(), m.pk))
    manager = _is_manager(org)
    is_owner = org.membership.role == Role.OWNER
    roles = [(role.value, role.label) for role in Role if may_assign_role(org.membership, role)]
    for m in memberships:
        m.is_me = m.user_id == request.user.pk
        m.can_change_role = may_manage_member(org.membership, m)
        m.can_remove = not m.is_me and m.can_change_role
    context = {
        "memberships": memberships,
        "can_manage": manager,
        "is_owner": is_owner,
        "role_choices": roles,
        "invitations": [],
    }
    if manager:
        now = timezone.now()
        invitations = list(
            org.invitations.filter(revoked_at__isnull=True, expires_at__gt=now)
            .filter(Q(email="") | Q(accepted_at__isnull=True))
            .select_related("invited_by")
        )
        for invitation in invitations:
            invitation.url = absolute_url(
                reverse("orgs:invitation_accept", args=[invitation.token]), request
            )
        context["invitations"] = invitations
        context["email_form"] = InviteEmailForm()
        context["link_form"] = InviteLinkForm()
    return context


@login_required
def members(request: AuthenticatedRequest, slug: str) -> HttpResponse:
    """Everyone in the organization; owners and admins also manage roles and invitations."""
    org = get_org_for_user_or_404(request.user, slug)
    return org_page(
        request, org, "orgs/members.html", _members_context(request, org), nav="members"
    )


def _membership_or_404(org: Organization, membership_id: int) -> Membership:
    membership = get_object_or_404(
        Membership.objects.select_related("user"), pk=membership_id, organization=org
    )
    membership.organization = org  # keeps the actor's membership attached for the services
    return membership


@login_required
@require_POST
def member_role(request: AuthenticatedRequest, slug: str, membership_id: int) -> HttpResponse:
    org = get_org_for_user_or_404(request.user, slug)
    membership = _membership_or_404(org, membership_id)
    form = MemberRoleForm(request.POST)
    role = form.cleaned_data["role"] if form.is_valid() else ""
    try:
        services.change_member_role(actor=request.user, membership=membership, role=role)
    except ValidationError as error:
        messages.error(request, _error_message(error))
    else:
        messages.success(
            request,
            _("%(name)s is now %(role)s.")
            % {"name": membership.user.name, "role": membership.get_role_display()},
        )
    return redirect("orgs:members", org.slug)


@login_required
@require_POST
def member_remove(request: AuthenticatedRequest, slug: str, membership_id: int) -> HttpResponse:
    """Remove someone (owners and admins), or leave when it is one's own membership."""
    org = get_org_for_user_or_404(request.user, slug)
    membership = _membership_or_404(org, membership_id)
    return _remove(request, org, membership)


@login_required
@require_POST
def leave(request: AuthenticatedRequest, slug: str) -> HttpResponse:
    org = get_org_for_user_or_404(request.user, slug)
    return _remove(request, org, org.membership)


def _remove(request: HttpRequest, org: Organization, membership: Membership) -> HttpResponse:
    leaving = membership.user_id == request.user.pk
    name = membership.user.name
    try:
        services.remove_member(actor=request.user, membership=membership)
    except ValidationError as error:
        messages.error(request, _error_message(error))
        return redirect("orgs:members", org.slug)
    if leaving:
        messages.success(request, _("You left %(org)s.") % {"org": org.name})
        return redirect("/")
    messages.success(request, _("%(name)s was removed from the organization.") % {"name": name})
    return redirect("orgs:members", org.slug)


@login_required
@require_POST
def invite(request: AuthenticatedRequest, slug: str) -> HttpResponse:
    """An invitation by e-mail (kind=email) or a shareable link (kind=link)."""
    org = get_org_for_user_or_404(request.user, slug)
    require_org_manager(request.user, org)
    form = InviteLinkForm(request.POST)
    by_email = not form.has_error("kind") and form.cleaned_data["kind"] == "email"
    if by_email:
        form = InviteEmailForm(request.POST)
    if form.is_valid():
        try:
            invitation = services.invite(
                actor=request.user,
                organization=org,
                email=form.cleaned_data.get("email", ""),
                role=form.cleaned_data["role"],
                site_url=site_url(request),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            if invitation.email:
                messages.success(
                    request, _("An invitation was sent to %(email)s.") % {"email": invitation.email}
                )
            else:
                messages.success(
                    request, _("A new invitation link was created. Share it with your team.")
                )
            return redirect("orgs:members", org.slug)
    context = _members_context(request, org)
    context["email_form" if by_email else "link_form"] = form
    return org_page(request, org, "orgs/members.html", context, nav="members", status=422)


@login_required
@require_POST
def invitation_revoke(request: AuthenticatedRequest, slug: str, invitation_id: int) -> HttpResponse:
    org = get_org_for_user_or_404(request.user, slug)
    invitation = get_object_or_404(Invitation, pk=invitation_id, organization=org)
    invitation.organization = org
    services.revoke_invitation(actor=request.user, invitation=invitation)
    messages.success(request, _("The invitation was revoked; its link no longer works."))
    return redirect("orgs:members", org.slug)


@login_not_required
def invitation_accept(request: HttpRequest, token: str) -> HttpResponse:
    """The page an invitation link opens: log in or sign up first, then join with one button."""
    invitation = get_object_or_404(
        Invitation.objects.select_related("organization", "invited_by"), token=token
    )
    org = invitation.organization
    user = request.user if request.user.is_authenticated else None
    existing = (
        Membership.objects.filter(organization=org, user=user).first() if user is not None else None
    )
    status = 200
    if request.method == "POST":
        if user is None:
            return redirect(f"{reverse('accounts:login')}?next={request.path}")
        try:
            services.accept_invitation(actor=user, invitation=invitation)
        except ValidationError as error:
            problem = _error_message(error)
            status = 400
        else:
            services.switch_organization(actor=user, organization=org)
            messages.success(request, _("Welcome to %(org)s!") % {"org": org.name})
            return redirect("orgs:home", org.slug)
    else:
        problem = None if existing else services.invitation_problem(invitation, user)
    return render(
        request,
        "orgs/invitation.html",
        {"invitation": invitation, "organization": org, "problem": problem, "membership": existing},
        status=status,
    )


# ---------------------------------------------------------------- teams


def _org_people(org: Organization):
    return get_user_model().objects.filter(memberships__organization=org).order_by("name", "pk")


def _teams_context(org: Organization) -> dict:
    teams = org.teams.prefetch_related(
        Prefetch("members", queryset=get_user_model().objects.order_by("name", "pk"))
    ).order_by("name")
    return {"teams": list(teams), "can_manage": _is_manager(org)}


@login_required
def teams(request: AuthenticatedRequest, slug: str) -> HttpResponse:
    """Departments (运营, 设计, 推广, 客服, 仓储…) with their people."""
    org = get_org_for_user_or_404(request.user, slug)
    context = _teams_context(org)
    if context["can_manage"]:
        context["form"] = TeamForm()
    return org_page(request, org, "orgs/teams.html", context, nav="teams")


@login_required
@require_POST
def team_create(request: AuthenticatedRequest, slug: str) -> HttpResponse:
    org = get_org_for_user_or_404(request.user, slug)
    require_org_manager(request.user, org)
    form = TeamForm(request.POST)
    if form.is_valid():
        try:
            team = services.create_team(
                actor=request.user,
                organization=org,
                name=form.cleaned_data["name"],
                color=form.cleaned_data["color"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request, _("Team %(name)s was created. Now add its people.") % {"name": team.name}
            )
            return redirect("orgs:team_edit", org.slug, team.pk)
    context = _teams_context(org)
    context["form"] = form
    return org_page(request, org, "orgs/teams.html", context, nav="teams", status=422)


def _team_or_404(org: Organization, team_id: int) -> Team:
    team = get_object_or_404(Team, pk=team_id, organization=org)
    team.organization = org
    return team


def _render_team_edit(request, org, team, form, members_form, *, status=200) -> HttpResponse:
    return org_page(
        request,
        org,
        "orgs/team_edit.html",
        {"team": team, "form": form, "members_form": members_form},
        nav="teams",
        status=status,
    )


@login_required
def team_edit(request: AuthenticatedRequest, slug: str, team_id: int) -> HttpResponse:
    """Rename or recolour a team (POST here); its members are set with team_members."""
    org = get_org_for_user_or_404(request.user, slug)
    team = _team_or_404(org, team_id)
    require_org_manager(request.user, org)
    form = TeamForm(request.POST or None, initial={"name": team.name, "color": team.color})
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.update_team(
                    actor=request.user,
                    team=team,
                    name=form.cleaned_data["name"],
                    color=form.cleaned_data["color"],
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("The team was saved."))
                return redirect("orgs:team_edit", org.slug, team.pk)
        status = 422
    members_form = TeamMembersForm(
        people=_org_people(org),
        initial={"members": list(team.members.values_list("pk", flat=True))},
    )
    return _render_team_edit(request, org, team, form, members_form, status=status)


@login_required
@require_POST
def team_members(request: AuthenticatedRequest, slug: str, team_id: int) -> HttpResponse:
    org = get_org_for_user_or_404(request.user, slug)
    team = _team_or_404(org, team_id)
    require_org_manager(request.user, org)
    members_form = TeamMembersForm(request.POST, people=_org_people(org))
    if members_form.is_valid():
        try:
            services.set_team_members(
                actor=request.user, team=team, user_ids=members_form.cleaned_data["members"]
            )
        except ValidationError as error:
            add_service_errors(members_form, error)
        else:
            messages.success(request, _("The team's members were saved."))
            return redirect("orgs:teams", org.slug)
    form = TeamForm(initial={"name": team.name, "color": team.color})
    return _render_team_edit(request, org, team, form, members_form, status=422)


@login_required
@require_POST
def team_delete(request: AuthenticatedRequest, slug: str, team_id: int) -> HttpResponse:
    org = get_org_for_user_or_404(request.user, slug)
    team = _team_or_404(org, team_id)
    name = team.name
    services.delete_team(actor=request.user, team=team)
    messages.success(request, _("Team %(name)s was deleted.") % {"name": name})
    return redirect("orgs:teams", org.slug)
