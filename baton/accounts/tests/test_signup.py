import pytest
from django.urls import reverse

from baton.accounts.models import User
from baton.activity.models import Activity
from baton.orgs.models import Membership, Organization, Role

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery staple"


def signup_data(**overrides) -> dict:
    data = {
        "name": "Dora",
        "email": "dora@example.com",
        "password": PASSWORD,
        "organization_name": "Dora's Tea Shop",
    }
    data.update(overrides)
    return data


def test_the_signup_page_shows_the_form(english):
    response = english().get(reverse("accounts:signup"))
    assert response.status_code == 200
    assert b'name="organization_name"' in response.content
    assert b'name="password"' in response.content


def test_signing_up_creates_the_user_and_an_organization_and_logs_in(english):
    client = english()
    response = client.post(reverse("accounts:signup"), signup_data())

    user = User.objects.get(email="dora@example.com")
    org = Organization.objects.get(name="Dora's Tea Shop")
    assert user.name == "Dora"
    assert user.check_password(PASSWORD)
    assert user.password.startswith("argon2")
    assert Membership.objects.get(organization=org).user == user
    assert Membership.objects.get(organization=org).role == Role.OWNER
    assert user.last_org == org
    assert Activity.objects.filter(verb="org.created", organization=org).count() == 1
    assert response.status_code == 302
    assert response["Location"] == reverse("orgs:home", args=[org.slug])
    assert client.get(reverse("accounts:profile")).status_code == 200


def test_the_organization_is_named_after_the_person_when_left_empty(english):
    english().post(reverse("accounts:signup"), signup_data(organization_name=""))
    assert Organization.objects.get().name == "Dora's team"


def test_signup_with_invalid_data_keeps_what_was_typed_and_shows_errors(english):
    response = english().post(
        reverse("accounts:signup"),
        signup_data(email="not-an-address", password="123", organization_name="茶叶铺"),
    )
    assert response.status_code == 422
    content = response.content.decode()
    assert 'value="Dora"' in content
    assert 'value="not-an-address"' in content
    assert 'value="茶叶铺"' in content
    assert "Enter a valid email address." in content
    assert 'class="field-error"' in content
    assert not User.objects.exists()
    assert not Organization.objects.exists()


def test_a_weak_password_is_rejected_with_the_validators_message(english):
    response = english().post(reverse("accounts:signup"), signup_data(password="12345678"))
    assert response.status_code == 422
    assert "This password is too common." in response.content.decode()
    assert not User.objects.exists()


def test_an_empty_or_over_long_name_is_rejected(english):
    for name in ["", "   ", "x" * 81]:
        response = english().post(reverse("accounts:signup"), signup_data(name=name))
        assert response.status_code == 422
    assert not User.objects.exists()


def test_an_over_long_organization_name_is_rejected_and_nothing_is_created(english):
    response = english().post(reverse("accounts:signup"), signup_data(organization_name="店" * 81))
    assert response.status_code == 422
    assert "at most 80 characters" in response.content.decode()
    assert not User.objects.exists()
    assert not Organization.objects.exists()


def test_an_email_already_registered_in_another_case_is_rejected(english, alice):
    response = english().post(reverse("accounts:signup"), signup_data(email="ALICE@Example.COM"))
    assert response.status_code == 422
    assert "An account with this e-mail address already exists." in response.content.decode()
    assert User.objects.filter(email__iexact="alice@example.com").count() == 1
    assert not Organization.objects.filter(name="Dora's Tea Shop").exists()


def test_emails_are_stored_in_lower_case(english):
    english().post(reverse("accounts:signup"), signup_data(email="Dora@Example.com"))
    assert User.objects.get().email == "dora@example.com"


def test_signing_up_with_an_invitation_joins_that_organization_instead(english, org, alice):
    from baton.orgs.services import invite

    invitation = invite(actor=alice, organization=org, role=Role.MEMBER)
    client = english()
    page = client.get(reverse("accounts:signup") + f"?invite={invitation.token}")
    assert page.status_code == 200
    assert b'name="organization_name"' not in page.content
    assert b"Alice Shop" in page.content

    response = client.post(
        reverse("accounts:signup") + f"?invite={invitation.token}",
        signup_data(invite=invitation.token),
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("orgs:home", args=[org.slug])
    dora = User.objects.get(email="dora@example.com")
    assert Membership.objects.get(user=dora).organization == org
    assert Membership.objects.get(user=dora).role == Role.MEMBER
    assert Organization.objects.count() == 1


def test_signing_up_with_an_email_invitation_for_someone_else_creates_nothing(english, org, alice):
    from baton.orgs.services import invite

    invitation = invite(actor=alice, organization=org, email="erin@example.com")
    response = english().post(reverse("accounts:signup"), signup_data(invite=invitation.token))
    assert response.status_code == 422
    assert "This invitation was sent to another e-mail address." in response.content.decode()
    assert not User.objects.filter(email="dora@example.com").exists()


def test_signing_up_with_a_revoked_invitation_says_so(english, org, alice):
    from baton.orgs.services import invite, revoke_invitation

    invitation = invite(actor=alice, organization=org)
    revoke_invitation(actor=alice, invitation=invitation)
    url = reverse("accounts:signup") + f"?invite={invitation.token}"
    assert "This invitation was revoked." in english().get(url).content.decode()
    english().post(url, signup_data(invite=invitation.token))
    assert not User.objects.filter(email="dora@example.com").exists()


def test_signing_up_with_an_unknown_invitation_is_not_found(english):
    assert english().get(reverse("accounts:signup") + "?invite=nope").status_code == 404
