"""Forms parse and render; the rules (uniqueness, password strength, valid values) live in
services.py, whose ValidationErrors the views show next to these fields."""

import zoneinfo

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from baton.accounts.models import LANGUAGE_CHOICES, User
from baton.core.colors import PALETTE
from baton.core.forms import TextField

NAME_MAX_LENGTH = User._meta.get_field("name").max_length


class LoginForm(AuthenticationForm):
    """Django's login form with an e-mail label; addresses are compared without case."""

    username = forms.EmailField(
        label=_("E-mail"),
        widget=forms.EmailInput(attrs={"autofocus": True, "autocomplete": "email"}),
    )

    def clean_username(self) -> str:
        return self.cleaned_data["username"].strip().lower()


class SignupForm(forms.Form):
    name = forms.CharField(
        label=_("Your name"),
        max_length=NAME_MAX_LENGTH,
        widget=forms.TextInput(attrs={"autocomplete": "name", "autofocus": True}),
    )
    email = forms.EmailField(
        label=_("E-mail"), max_length=254, widget=forms.EmailInput(attrs={"autocomplete": "email"})
    )
    password = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("At least 8 characters; not only digits, not a common password."),
    )
    organization_name = forms.CharField(
        label=_("Organization name"),
        max_length=80,
        required=False,
        help_text=_("Your company or team. Leave it empty to call it “<your name>'s team”."),
    )

    def __init__(self, *args, invitation=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if invitation is not None:
            # Joining an existing organization: nothing to name.
            del self.fields["organization_name"]
            if invitation.email:
                self.fields["email"].initial = invitation.email


def timezone_choices() -> list[tuple[str, str]]:
    return [(name, name.replace("_", " ")) for name in sorted(zoneinfo.available_timezones())]


class ProfileForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=NAME_MAX_LENGTH)
    language = forms.ChoiceField(
        label=_("Language"),
        required=False,
        choices=[("", _("Same as the browser")), *LANGUAGE_CHOICES],
    )
    # Validated against zoneinfo by update_profile too; the choices keep the select honest.
    timezone = forms.ChoiceField(label=_("Time zone"), choices=timezone_choices)
    avatar_color = forms.ChoiceField(
        label=_("Avatar colour"), choices=PALETTE, widget=forms.RadioSelect
    )


class PasswordChangeForm(forms.Form):
    old_password = forms.CharField(
        label=_("Current password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    new_password = forms.CharField(
        label=_("New password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("At least 8 characters; not only digits, not a common password."),
    )


class LanguageForm(forms.Form):
    """The language menu: a code (the view keeps only those Baton speaks) and the page to go back
    to (the view keeps only a safe one)."""

    language = TextField()
    next = TextField()


class InvitationTokenForm(forms.Form):
    """The invitation a sign-up comes from (`invite`, posted by the form or in the query)."""

    invite = TextField()
