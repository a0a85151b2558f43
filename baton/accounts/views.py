"""Sign-up, log-in, password reset, profile and language. Thin adapters over the services."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login, update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required, login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import Resolver404, resolve, reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST

from baton.accounts import backends
from baton.accounts.forms import (
    InvitationTokenForm,
    LanguageForm,
    LoginForm,
    PasswordChangeForm,
    ProfileForm,
    SignupForm,
)
from baton.accounts.limits import (
    clear_login_failures,
    reset_limit_message,
    reset_requests_exceeded,
)
from baton.accounts.models import User
from baton.accounts.requests import AuthenticatedRequest
from baton.accounts.services import LANGUAGES, PROFILE_FIELDS, change_password, update_profile
from baton.calendars.services import apply_default_holidays
from baton.core.forms import add_service_errors
from baton.core.links import site_url
from baton.orgs.models import Invitation, Membership
from baton.orgs.services import invitation_problem, sign_up

BACKEND = backends.PATH


def _safe_next(request: HttpRequest, posted: str, default: str = "/") -> str:
    """The page to go back to: the posted one, else the query's, if it is on this site."""
    candidate = posted or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return default


class LoginView(auth_views.LoginView):
    form_class = LoginForm
    template_name = "accounts/login.html"
    redirect_authenticated_user = True
    # "/" picks the organization the user last worked in (baton.core.views.home).
    next_page = "/"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        # Arriving from an invitation: "create an account" keeps the invitation.
        try:
            match = resolve(context.get("next") or "")
        except Resolver404:
            match = None
        if match and match.view_name == "orgs:invitation_accept":
            context["invite_token"] = match.kwargs["token"]
        return context

    def form_valid(self, form):
        clear_login_failures(form.get_user().email)
        return super().form_valid(form)


class PasswordResetView(auth_views.PasswordResetView):
    template_name = "accounts/password_reset_form.html"
    email_template_name = "accounts/email/password_reset.txt"
    subject_template_name = "accounts/email/password_reset_subject.txt"
    success_url = reverse_lazy("accounts:password_reset_done")

    @property
    def extra_email_context(self):
        # The link in the mail points where this request came in (`make run PORT=…`).
        return {"site_url": site_url(self.request)}

    def form_valid(self, form):
        if reset_requests_exceeded(self.request, form.cleaned_data["email"]):
            form.add_error(None, reset_limit_message())
            return self.render_to_response(self.get_context_data(form=form), status=429)
        return super().form_valid(form)


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "accounts/password_reset_done.html"


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:password_reset_complete")

    def form_valid(self, form):
        # Whoever reads the account's mail may log in again at once: the reset is the way back in
        # after too many failed logins.
        response = super().form_valid(form)
        clear_login_failures(self.user.email)
        return response


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "accounts/password_reset_complete.html"


def _invitation_from(request: HttpRequest) -> Invitation | None:
    posted, asked = InvitationTokenForm(request.POST), InvitationTokenForm(request.GET)
    token = (posted.is_valid() and posted.cleaned_data["invite"]) or (
        asked.is_valid() and asked.cleaned_data["invite"]
    )
    if not token:
        return None
    invitation = Invitation.objects.select_related("organization").filter(token=token).first()
    if invitation is None:
        raise Http404
    return invitation


@login_not_required
@sensitive_post_parameters("password")
@never_cache
def signup(request: HttpRequest) -> HttpResponse:
    """Create an account and its first organization, or join the one an invitation names."""
    invitation = _invitation_from(request)
    if request.user.is_authenticated:
        if invitation is not None:
            return redirect("orgs:invitation_accept", invitation.token)
        return redirect("/")
    problem = invitation_problem(invitation) if invitation is not None else None
    form = SignupForm(request.POST or None, invitation=invitation)
    status = 200
    if request.method == "POST" and problem is None:
        if form.is_valid():
            data = form.cleaned_data
            try:
                membership = sign_up(
                    name=data["name"],
                    email=data["email"],
                    password=data["password"],
                    organization_name=data.get("organization_name", ""),
                    invitation=invitation,
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                login(request, membership.user, backend=BACKEND)
                if invitation is None:
                    # A team signing up in Chinese sees China's holidays from the first day.
                    apply_default_holidays(
                        actor=membership.user,
                        organization=membership.organization,
                        language=request.LANGUAGE_CODE,
                    )
                    messages.success(request, _("Welcome to Baton! Create your first project."))
                else:
                    messages.success(
                        request,
                        _("You joined %(org)s.") % {"org": membership.organization.name},
                    )
                return redirect("orgs:home", membership.organization.slug)
        status = 422
    return render(
        request,
        "accounts/signup.html",
        {
            "form": form,
            "invitation": invitation,
            "invitation_problem": problem,
        },
        status=status,
    )


def _last_org(user: User):
    """The organization the sidebar shows on pages that belong to no organization."""
    membership = (
        Membership.objects.select_related("organization")
        .filter(user=user)
        .order_by("organization__name")
    )
    chosen = None
    if user.last_org_id:
        chosen = membership.filter(organization_id=user.last_org_id).first()
    chosen = chosen or membership.first()
    if chosen is None:
        return None
    org = chosen.organization
    org.membership = chosen
    return org


def account_page(request: HttpRequest, template: str, context: dict, *, status: int = 200):
    """A page in the app layout outside any organization: the sidebar shows the last one used."""
    org = _last_org(request.user)
    return render(request, template, {"org": org, "nav": "profile", **context}, status=status)


def _profile_form(user: User, data=None) -> ProfileForm:
    return ProfileForm(data, initial={field: getattr(user, field) for field in PROFILE_FIELDS})


@login_required
def profile(request: AuthenticatedRequest) -> HttpResponse:
    """Name, language, time zone and avatar colour; the password form posts to password_change."""
    user = request.user
    form = _profile_form(user, request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                update_profile(actor=user, **form.cleaned_data)
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("Your profile was saved."))
                return redirect("accounts:profile")
        status = 422
    return account_page(
        request,
        "accounts/profile.html",
        {"form": form, "password_form": PasswordChangeForm()},
        status=status,
    )


@login_required
@require_POST
@sensitive_post_parameters("old_password", "new_password")
def password_change(request: AuthenticatedRequest) -> HttpResponse:
    form = PasswordChangeForm(request.POST)
    if form.is_valid():
        try:
            change_password(
                actor=request.user,
                old_password=form.cleaned_data["old_password"],
                new_password=form.cleaned_data["new_password"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            # Keep this session; every other session of the account ends.
            update_session_auth_hash(request, request.user)
            messages.success(request, _("Your password was changed."))
            return redirect("accounts:profile")
    return account_page(
        request,
        "accounts/profile.html",
        {"form": _profile_form(request.user), "password_form": form},
        status=422,
    )


@login_not_required
@require_POST
def language(request: HttpRequest) -> HttpResponse:
    """Switch the interface language: stored on the profile when logged in, else in a cookie."""
    form = LanguageForm(request.POST)
    data = form.cleaned_data if form.is_valid() else {"language": "", "next": ""}
    code = data["language"]
    response = HttpResponseRedirect(_safe_next(request, data["next"]))
    if code not in LANGUAGES:
        return response
    if request.user.is_authenticated:
        update_profile(actor=request.user, language=code)
    # The cookie too, so the choice survives logging out.
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        code,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        path=settings.LANGUAGE_COOKIE_PATH,
        domain=settings.LANGUAGE_COOKIE_DOMAIN,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
    )
    return response
