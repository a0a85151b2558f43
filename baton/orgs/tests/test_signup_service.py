"""sign_up(): the account and its first organization (or the invited one) in one transaction."""

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from baton.accounts.models import User
from baton.orgs.models import Organization, Role
from baton.orgs.services import invite, sign_up

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery staple"


def test_sign_up_makes_the_new_person_owner_of_a_new_organization():
    with translation.override("en"):
        membership = sign_up(name="王小明", email="xm@example.com", password=PASSWORD)
    assert membership.role == Role.OWNER
    assert membership.organization.name == "王小明's team"
    assert membership.user.last_org == membership.organization


def test_sign_up_with_an_invitation_joins_it_with_the_invited_role(org, alice):
    invitation = invite(actor=alice, organization=org, email="xm@example.com", role=Role.GUEST)
    membership = sign_up(
        name="王小明", email="XM@example.com", password=PASSWORD, invitation=invitation
    )
    assert (membership.organization, membership.role) == (org, Role.GUEST)
    assert Organization.objects.count() == 1


def test_a_failed_sign_up_leaves_no_account_behind(org, alice):
    invitation = invite(actor=alice, organization=org, email="someone@example.com")
    with pytest.raises(ValidationError):
        sign_up(name="王小明", email="xm@example.com", password=PASSWORD, invitation=invitation)
    with pytest.raises(ValidationError) as error:
        sign_up(
            name="王小明", email="xm@example.com", password=PASSWORD, organization_name="店" * 81
        )
    assert "organization_name" in error.value.message_dict
    assert not User.objects.filter(email="xm@example.com").exists()


def test_sign_up_errors_are_keyed_by_field(alice):
    with pytest.raises(ValidationError) as error:
        sign_up(name="Al", email="Alice@example.com", password=PASSWORD)
    assert list(error.value.message_dict) == ["email"]
    with pytest.raises(ValidationError) as error:
        sign_up(name="Al", email="al@example.com", password="al@example.com")
    assert list(error.value.message_dict) == ["password"]
