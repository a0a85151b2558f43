"""Forms parse and render; services.py decides what is allowed and valid."""

from django import forms
from django.utils.translation import gettext_lazy as _

from baton.core.colors import PALETTE
from baton.core.forms import TextField
from baton.orgs.models import Role

INVITE_ROLES = [(role.value, role.label) for role in Role if role != Role.OWNER]


class OrganizationForm(forms.Form):
    name = forms.CharField(
        label=_("Organization name"),
        max_length=80,
        widget=forms.TextInput(attrs={"autofocus": True}),
        help_text=_("Your company, shop or team, e.g. 「杭州小米粒服饰」."),
    )


class InviteLinkForm(forms.Form):
    # Which of the two invitation forms was posted: "email" is InviteEmailForm, anything else this.
    kind = TextField(widget=forms.HiddenInput)
    role = forms.ChoiceField(label=_("Role"), choices=INVITE_ROLES, initial=Role.MEMBER)


class InviteEmailForm(InviteLinkForm):
    email = forms.EmailField(
        label=_("E-mail"), max_length=254, widget=forms.EmailInput(attrs={"autocomplete": "off"})
    )

    field_order = ["kind", "email", "role"]


class MemberRoleForm(forms.Form):
    """A member's new role, from the members page's menu (the service checks it)."""

    role = TextField()


class TeamForm(forms.Form):
    name = forms.CharField(label=_("Team name"), max_length=60)
    color = forms.ChoiceField(
        label=_("Colour"), choices=PALETTE, initial="blue", widget=forms.RadioSelect
    )


class TeamMembersForm(forms.Form):
    members = forms.TypedMultipleChoiceField(
        label=_("Members"),
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, people=(), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["members"].choices = [(user.pk, user.name) for user in people]
