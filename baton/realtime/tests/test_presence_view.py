"""GET /presence/?channel=…: the avatars of the others viewing a board, a card or a document."""

import pytest
from django.utils import timezone

from baton.realtime.models import Presence

pytestmark = pytest.mark.django_db


def connect(user, channel: str, connection: str = "c1") -> None:
    Presence.objects.create(
        channel=channel, user=user, connection=connection, seen_at=timezone.now()
    )


def test_it_shows_the_others_viewing_the_board_but_not_me(client_for, project, alice, bob):
    channel = f"project:{project.pk}"
    connect(alice, channel, "a")
    connect(bob, channel, "b")
    response = client_for(alice).get("/presence/", {"channel": channel})
    assert response.status_code == 200
    html = response.content.decode()
    assert f'data-presence-user="{bob.pk}"' in html
    assert f'data-presence-user="{alice.pk}"' not in html


def test_it_is_empty_when_nobody_else_is_here(client_for, project, alice):
    connect(alice, f"project:{project.pk}")
    response = client_for(alice).get("/presence/", {"channel": f"project:{project.pk}"})
    assert response.status_code == 200
    assert b"data-presence-user" not in response.content


def test_it_shows_who_is_on_a_card(client_for, project, lists, alice, bob):
    from baton.projects.services import create_task

    task = create_task(actor=alice, project=project, task_list=lists[0], title="退款")
    connect(bob, f"task:{task.pk}")
    response = client_for(alice).get("/presence/", {"channel": f"task:{task.pk}"})
    assert f'data-presence-user="{bob.pk}"'.encode() in response.content


def test_stale_connections_are_not_shown(client_for, project, alice, bob):
    Presence.objects.create(
        channel=f"project:{project.pk}",
        user=bob,
        connection="old",
        seen_at=timezone.now() - timezone.timedelta(minutes=10),
    )
    response = client_for(alice).get("/presence/", {"channel": f"project:{project.pk}"})
    assert b"data-presence-user" not in response.content


def test_an_outsider_gets_404(client_for, project, other_org, mallory, bob):
    connect(bob, f"project:{project.pk}")
    response = client_for(mallory).get("/presence/", {"channel": f"project:{project.pk}"})
    assert response.status_code == 404
    assert b"Bob" not in response.content


def test_a_private_projects_presence_is_hidden_from_a_member_outside_it(
    client_for, org, alice, make_user
):
    from baton.orgs.models import Membership, Role
    from baton.projects.services import create_project

    dave = make_user("Dave")
    Membership.objects.create(organization=org, user=dave, role=Role.MEMBER)
    private = create_project(actor=alice, organization=org, name="机密", key="JM", lists=["A"])
    response = client_for(dave).get("/presence/", {"channel": f"project:{private.pk}"})
    assert response.status_code == 404


@pytest.mark.parametrize("channel", ["", "project:x", "nothing:1", "user:1", "calendar:1"])
def test_bad_channels_are_refused(client_for, alice, channel):
    response = client_for(alice).get("/presence/", {"channel": channel})
    assert response.status_code == 400


def test_it_requires_a_session(client, project):
    response = client.get("/presence/", {"channel": f"project:{project.pk}"})
    assert response.status_code == 302
    assert "/accounts/login" in response["Location"]


def test_it_is_read_only(client_for, project, alice):
    response = client_for(alice).post("/presence/", {"channel": f"project:{project.pk}"})
    assert response.status_code == 405
