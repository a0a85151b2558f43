import datetime

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from baton.activity.models import Activity
from baton.orgs.models import Invitation, Membership, Role

pytestmark = pytest.mark.django_db


def url(name, org, *args):
    return reverse(f"orgs:{name}", args=[org.slug, *args])


def accept_url(invitation) -> str:
    return reverse("orgs:invitation_accept", args=[invitation.token])


def test_an_owner_invites_by_email_and_a_mail_is_sent(
    english, org, alice, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = english(alice).post(
            url("invite", org), {"kind": "email", "email": "Dora@Example.com", "role": "admin"}
        )
    assert response.status_code == 302
    invitation = Invitation.objects.get()
    assert (invitation.email, invitation.role, invitation.invited_by) == (
        "dora@example.com",
        Role.ADMIN,
        alice,
    )
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["dora@example.com"]
    assert "http://testserver" + accept_url(invitation) in mail.outbox[0].body  # the request's
    page = english(alice).get(url("members", org)).content.decode()
    assert "dora@example.com" in page
    assert url("invitation_revoke", org, invitation.pk) in page


def test_a_link_invitation_is_shown_with_its_full_url(english, org, alice):
    response = english(alice).post(
        url("invite", org), {"kind": "link", "role": "guest"}, follow=True
    )
    invitation = Invitation.objects.get()
    assert invitation.email == ""
    assert invitation.role == Role.GUEST
    content = response.content.decode()
    assert f'value="http://testserver{accept_url(invitation)}"' in content
    assert 'class="copy-field"' in content


def test_bad_invitations_are_refused_next_to_the_field(english, org, alice, bob):
    client = english(alice)
    for data, message in [
        (
            {"kind": "email", "email": "not an address", "role": "member"},
            "Enter a valid email address.",
        ),
        (
            {"kind": "email", "email": "bob@example.com", "role": "member"},
            "bob@example.com is already a member.",
        ),
        ({"kind": "email", "email": "dora@example.com", "role": "owner"}, "Select a valid choice."),
        ({"kind": "link", "role": "emperor"}, "Select a valid choice."),
    ]:
        response = client.post(url("invite", org), data)
        assert response.status_code == 422
        assert message in response.content.decode()
    assert not Invitation.objects.exists()
    # What was typed stays in the form.
    response = client.post(url("invite", org), {"kind": "email", "email": "x@y", "role": "member"})
    assert 'value="x@y"' in response.content.decode()


def test_members_and_guests_cannot_invite_or_revoke(client_for, org, alice, bob, carol):
    from baton.orgs.services import invite

    link = invite(actor=alice, organization=org)
    for person in (bob, carol):
        client = client_for(person)
        assert client.post(url("invite", org), {"kind": "link", "role": "admin"}).status_code == 403
        assert (
            client.post(
                url("invite", org), {"kind": "email", "email": "d@example.com", "role": "admin"}
            ).status_code
            == 403
        )
        assert client.post(url("invitation_revoke", org, link.pk)).status_code == 403
    assert Invitation.objects.count() == 1
    link.refresh_from_db()
    assert link.revoked_at is None


def test_the_invitation_page_asks_visitors_to_log_in_or_sign_up(english, org, alice):
    from baton.orgs.services import invite

    invitation = invite(actor=alice, organization=org)
    response = english().get(accept_url(invitation))
    assert response.status_code == 200
    content = response.content.decode()
    assert "Join Alice Shop on Baton" in content
    assert f"{reverse('accounts:signup')}?invite={invitation.token}" in content
    assert f"{reverse('accounts:login')}?next={accept_url(invitation)}" in content


def test_the_login_page_reached_from_an_invitation_offers_signing_up_with_it(english, org, alice):
    from baton.orgs.services import invite

    invitation = invite(actor=alice, organization=org)
    page = english().get(f"{reverse('accounts:login')}?next={accept_url(invitation)}")
    assert f"?invite={invitation.token}" in page.content.decode()


def test_the_invited_person_accepts_an_email_invitation(english, org, alice, make_user):
    from baton.orgs.services import invite

    dora = make_user("Dora")
    invitation = invite(actor=alice, organization=org, email="dora@example.com", role="admin")
    client = english(dora)
    assert b"Join Alice Shop" in client.get(accept_url(invitation)).content
    response = client.post(accept_url(invitation))
    assert response.status_code == 302
    assert response["Location"] == url("home", org)
    assert Membership.objects.get(organization=org, user=dora).role == Role.ADMIN
    dora.refresh_from_db()
    assert dora.last_org == org
    invitation.refresh_from_db()
    assert invitation.accepted_by == dora
    assert Activity.objects.filter(verb="invitation.accepted").count() == 1
    # Single use: it leaves the pending list and cannot be used again.
    assert invitation not in english(alice).get(url("members", org)).context["invitations"]


def test_someone_with_another_email_cannot_accept_an_email_invitation(
    english, org, alice, make_user
):
    from baton.orgs.services import invite

    erin = make_user("Erin")
    invitation = invite(actor=alice, organization=org, email="dora@example.com")
    client = english(erin)
    page = client.get(accept_url(invitation)).content.decode()
    assert "This invitation was sent to another e-mail address." in page
    response = client.post(accept_url(invitation))
    assert response.status_code == 400
    assert "This invitation was sent to another e-mail address." in response.content.decode()
    assert not Membership.objects.filter(user=erin).exists()


def test_a_revoked_invitation_cannot_be_accepted(english, org, alice, make_user):
    from baton.orgs.services import invite

    dora = make_user("Dora")
    invitation = invite(actor=alice, organization=org, email="dora@example.com")
    assert english(alice).post(url("invitation_revoke", org, invitation.pk)).status_code == 302
    invitation.refresh_from_db()
    assert invitation.revoked_at is not None

    client = english(dora)
    assert "This invitation was revoked." in client.get(accept_url(invitation)).content.decode()
    response = client.post(accept_url(invitation))
    assert response.status_code == 400
    assert "This invitation was revoked." in response.content.decode()
    assert not Membership.objects.filter(user=dora).exists()
    assert "This invitation was revoked." in english().get(accept_url(invitation)).content.decode()


def test_an_expired_invitation_cannot_be_accepted(english, org, alice, make_user):
    from baton.orgs.services import invite

    dora = make_user("Dora")
    invitation = invite(actor=alice, organization=org)
    Invitation.objects.filter(pk=invitation.pk).update(
        expires_at=timezone.now() - datetime.timedelta(minutes=1)
    )
    response = english(dora).post(accept_url(invitation))
    assert response.status_code == 400
    assert "This invitation has expired." in response.content.decode()
    assert not Membership.objects.filter(user=dora).exists()


def test_an_email_invitation_works_once(english, org, alice, make_user):
    from baton.orgs.services import invite, remove_member

    dora = make_user("Dora")
    invitation = invite(actor=alice, organization=org, email="dora@example.com")
    english(dora).post(accept_url(invitation))
    remove_member(actor=dora, membership=Membership.objects.get(user=dora))
    response = english(dora).post(accept_url(invitation))
    assert response.status_code == 400
    assert "This invitation was already used." in response.content.decode()
    assert not Membership.objects.filter(user=dora).exists()


def test_a_link_invitation_lets_two_people_join(client_for, org, alice, make_user):
    from baton.orgs.services import invite

    invitation = invite(actor=alice, organization=org, role=Role.GUEST)
    for name in ("Dora", "Erin"):
        person = make_user(name)
        assert client_for(person).post(accept_url(invitation)).status_code == 302
        assert Membership.objects.get(organization=org, user=person).role == Role.GUEST
    invitation.refresh_from_db()
    assert invitation.revoked_at is None
    assert invitation in client_for(alice).get(url("members", org)).context["invitations"]


def test_a_member_opening_the_invitation_is_told_they_are_in(english, org, alice, bob):
    from baton.orgs.services import invite

    invitation = invite(actor=alice, organization=org)
    content = english(bob).get(accept_url(invitation)).content.decode()
    assert "You are already a member of this organization." in content


def test_accepting_needs_a_login(client, org, alice):
    from baton.orgs.services import invite

    invitation = invite(actor=alice, organization=org)
    response = client.post(accept_url(invitation))
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('accounts:login')}?next={accept_url(invitation)}"
    assert Membership.objects.filter(organization=org).count() == 3


def test_an_unknown_token_is_not_found(english):
    assert english().get(reverse("orgs:invitation_accept", args=["nope"])).status_code == 404


def test_logging_in_from_the_invitation_returns_there(english, org, alice, make_user):
    from baton.orgs.services import invite

    make_user("Dora")
    invitation = invite(actor=alice, organization=org)
    response = english().post(
        f"{reverse('accounts:login')}?next={accept_url(invitation)}",
        {
            "username": "dora@example.com",
            "password": "correct horse battery staple",
            "next": accept_url(invitation),
        },
    )
    assert response["Location"] == accept_url(invitation)


def test_a_failing_mail_server_does_not_lose_the_invitation(
    english, org, alice, monkeypatch, django_capture_on_commit_callbacks
):
    def broken(**kwargs):
        raise OSError("connection refused")

    monkeypatch.setattr("django.core.mail.send_mail", broken)
    with django_capture_on_commit_callbacks(execute=True):
        response = english(alice).post(
            url("invite", org), {"kind": "email", "email": "dora@example.com", "role": "member"}
        )
    assert response.status_code == 302
    assert Invitation.objects.get().email == "dora@example.com"
