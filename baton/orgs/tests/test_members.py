import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from baton.activity.models import Activity
from baton.orgs.models import Invitation, Membership, Role, Team
from baton.orgs.services import create_team, invite, set_team_members

pytestmark = pytest.mark.django_db


def roles(org) -> dict[str, str]:
    return {m.user.name: m.role for m in org.memberships.select_related("user")}


def url(name, org, *args):
    return reverse(f"orgs:{name}", args=[org.slug, *args])


def test_everyone_in_the_organization_sees_the_members(client_for, org, alice, bob, carol):
    team = create_team(actor=alice, organization=org, name="客服", color="teal")
    set_team_members(actor=alice, team=team, user_ids=[bob.pk])
    for person in (alice, bob, carol):
        response = client_for(person).get(url("members", org))
        assert response.status_code == 200
        content = response.content.decode()
        for name, email in [("Alice", "alice@"), ("Bob", "bob@"), ("Carol", "carol@")]:
            assert name in content
            assert email in content
        assert '<span class="tag c-teal">客服</span>' in content


def test_only_owners_and_admins_see_the_controls(client_for, org, alice, bob, carol):
    manager_page = client_for(alice).get(url("members", org)).content.decode()
    assert 'name="role"' in manager_page
    assert url("invite", org) in manager_page
    for person in (bob, carol):
        page = client_for(person).get(url("members", org)).content.decode()
        assert 'name="role"' not in page
        assert url("invite", org) not in page
        assert url("member_remove", org, org.memberships.get(user=alice).pk) not in page
        assert url("leave", org) in page  # anyone can leave


def test_mallory_gets_404_for_the_members_page_and_every_write(client_for, org, mallory, bob):
    client = client_for(mallory)
    bob_membership = org.memberships.get(user=bob)
    link = invite(actor=org.memberships.get(role=Role.OWNER).user, organization=org)
    team = create_team(actor=link.invited_by, organization=org, name="仓储")
    before = (
        roles(org),
        Invitation.objects.count(),
        Activity.objects.count(),
        list(Team.objects.values_list("name", flat=True)),
    )

    assert client.get(url("members", org)).status_code == 404
    assert client.get(url("teams", org)).status_code == 404
    assert client.get(url("team_edit", org, team.pk)).status_code == 404
    posts = [
        (url("member_role", org, bob_membership.pk), {"role": "guest"}),
        (url("member_remove", org, bob_membership.pk), {}),
        (url("leave", org), {}),
        (url("invite", org), {"kind": "email", "email": "m@example.com", "role": "admin"}),
        (url("invite", org), {"kind": "link", "role": "admin"}),
        (url("invitation_revoke", org, link.pk), {}),
        (url("settings", org), {"name": "Mallory's now"}),
        (url("team_create", org), {"name": "Spies", "color": "red"}),
        (url("team_edit", org, team.pk), {"name": "Spies", "color": "red"}),
        (url("team_members", org, team.pk), {"members": [bob.pk]}),
        (url("team_delete", org, team.pk), {}),
    ]
    for target, data in posts:
        assert client.post(target, data).status_code == 404, target

    link.refresh_from_db()
    assert link.revoked_at is None
    assert (
        roles(org),
        Invitation.objects.count(),
        Activity.objects.count(),
        list(Team.objects.values_list("name", flat=True)),
    ) == before
    assert not team.members.exists()


def test_the_owner_changes_a_role(client_for, org, alice, bob):
    response = client_for(alice).post(
        url("member_role", org, org.memberships.get(user=bob).pk), {"role": "admin"}
    )
    assert response.status_code == 302
    assert roles(org)["Bob"] == Role.ADMIN
    assert Activity.objects.filter(verb="member.role_changed").count() == 1


def test_an_admin_changes_roles_but_cannot_make_owners(client_for, org, alice, bob, carol):
    Membership.objects.filter(user=bob).update(role=Role.ADMIN)
    client = client_for(bob)
    client.post(url("member_role", org, org.memberships.get(user=carol).pk), {"role": "member"})
    assert roles(org)["Carol"] == Role.MEMBER
    response = client.post(
        url("member_role", org, org.memberships.get(user=carol).pk), {"role": "owner"}
    )
    assert response.status_code == 403
    response = client.post(
        url("member_role", org, org.memberships.get(user=alice).pk), {"role": "guest"}
    )
    assert response.status_code == 403
    assert roles(org) == {"Alice": "owner", "Bob": "admin", "Carol": "member"}


def test_members_and_guests_cannot_change_roles_or_remove_people(
    client_for, org, alice, bob, carol
):
    for person in (bob, carol):
        client = client_for(person)
        alice_m = org.memberships.get(user=alice)
        other = org.memberships.exclude(user__in=[person, alice]).get()
        assert client.post(url("member_role", org, other.pk), {"role": "admin"}).status_code == 403
        assert (
            client.post(url("member_role", org, alice_m.pk), {"role": "guest"}).status_code == 403
        )
        assert client.post(url("member_remove", org, other.pk)).status_code == 403
    assert roles(org) == {"Alice": "owner", "Bob": "member", "Carol": "guest"}


def test_an_unknown_role_is_refused_with_a_message(english, org, alice, bob):
    response = english(alice).post(
        url("member_role", org, org.memberships.get(user=bob).pk),
        {"role": "emperor"},
        follow=True,
    )
    assert "Unknown role." in response.content.decode()
    assert roles(org)["Bob"] == Role.MEMBER


def test_the_last_owner_cannot_be_demoted(english, org, alice):
    response = english(alice).post(
        url("member_role", org, org.memberships.get(user=alice).pk),
        {"role": "admin"},
        follow=True,
    )
    assert response.status_code == 200
    assert "The last owner cannot be changed" in response.content.decode()
    assert 'class="flash flash-error"' in response.content.decode()
    assert roles(org)["Alice"] == Role.OWNER


def test_the_last_owner_cannot_leave(english, org, alice):
    response = english(alice).post(url("leave", org), follow=True)
    assert "The last owner cannot be removed." in response.content.decode()
    assert roles(org)["Alice"] == Role.OWNER


def test_the_last_owner_cannot_be_removed(english, org, alice):
    response = english(alice).post(
        url("member_remove", org, org.memberships.get(user=alice).pk), follow=True
    )
    assert "The last owner cannot be removed." in response.content.decode()
    assert roles(org)["Alice"] == Role.OWNER


def test_with_a_second_owner_the_first_may_step_down(client_for, org, alice, bob):
    client = client_for(alice)
    client.post(url("member_role", org, org.memberships.get(user=bob).pk), {"role": "owner"})
    client.post(url("member_role", org, org.memberships.get(user=alice).pk), {"role": "admin"})
    assert roles(org) == {"Alice": "admin", "Bob": "owner", "Carol": "guest"}


def test_an_owner_removes_a_member_who_also_leaves_their_teams(client_for, org, alice, bob):
    team = create_team(actor=alice, organization=org, name="运营")
    set_team_members(actor=alice, team=team, user_ids=[alice.pk, bob.pk])
    response = client_for(alice).post(url("member_remove", org, org.memberships.get(user=bob).pk))
    assert response.status_code == 302
    assert "Bob" not in roles(org)
    assert list(team.members.all()) == [alice]
    assert client_for(bob).get(url("members", org)).status_code == 404


def test_anyone_can_leave(client_for, org, carol):
    client = client_for(carol)
    response = client.post(url("leave", org))
    assert response.status_code == 302
    assert response["Location"] == "/"
    assert "Carol" not in roles(org)
    assert client.get("/")["Location"] == reverse("orgs:create")


def test_writes_take_only_posts(client_for, org, alice, bob):
    client = client_for(alice)
    assert client.get(url("member_role", org, org.memberships.get(user=bob).pk)).status_code == 405
    assert client.get(url("leave", org)).status_code == 405
    assert client.get(url("invite", org)).status_code == 405


def test_the_members_page_takes_the_same_number_of_queries_for_5_or_25_people(
    client_for, org, alice, make_user
):
    teams = [
        create_team(actor=alice, organization=org, name=name)
        for name in ["运营", "设计", "推广", "客服", "仓储"]
    ]

    def grow_to(n: int) -> None:
        while org.memberships.count() < n:
            person = make_user(f"Person{org.memberships.count()}")
            Membership.objects.create(organization=org, user=person, role=Role.MEMBER)
            for team in teams[: org.memberships.count() % 5 + 1]:
                team.members.add(person)
        invite(actor=alice, organization=org, email=f"x{n}@example.com")
        invite(actor=alice, organization=org)

    client = client_for(alice)

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url("members", org))
        assert response.status_code == 200
        assert len(response.context["memberships"]) == org.memberships.count()
        return len(queries)

    grow_to(5)
    few = count()
    grow_to(25)
    many = count()
    assert few == many
    assert many <= 9  # +1: the bell's unread count in the sidebar
