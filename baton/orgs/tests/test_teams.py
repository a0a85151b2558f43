import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from baton.activity.models import Activity
from baton.orgs.models import Team
from baton.orgs.services import create_team, set_team_members, update_team

pytestmark = pytest.mark.django_db

DEPARTMENTS = ["运营", "设计", "推广", "客服", "仓储"]


def url(name, org, *args):
    return reverse(f"orgs:{name}", args=[org.slug, *args])


def team_state(org) -> list[tuple[str, str, list[str]]]:
    return [
        (team.name, team.color, sorted(u.name for u in team.members.all()))
        for team in Team.objects.filter(organization=org).order_by("name")
    ]


@pytest.fixture
def support(org, alice, bob):
    team = create_team(actor=alice, organization=org, name="客服", color="teal")
    set_team_members(actor=alice, team=team, user_ids=[bob.pk])
    return team


def test_everyone_in_the_organization_sees_the_teams_and_their_people(
    client_for, org, support, alice, bob, carol
):
    for person in (alice, bob, carol):
        response = client_for(person).get(url("teams", org))
        assert response.status_code == 200
        content = response.content.decode()
        assert '<span class="tag c-teal">客服</span>' in content
        assert 'class="avatar avatar-sm c-' in content
        assert 'title="Bob"' in content


def test_only_owners_and_admins_see_the_team_controls(client_for, org, support, alice, bob, carol):
    assert url("team_create", org) in client_for(alice).get(url("teams", org)).content.decode()
    for person in (bob, carol):
        page = client_for(person).get(url("teams", org)).content.decode()
        assert url("team_create", org) not in page
        assert url("team_delete", org, support.pk) not in page


def test_an_owner_creates_the_departments(client_for, org, alice):
    client = client_for(alice)
    for name in DEPARTMENTS:
        response = client.post(url("team_create", org), {"name": name, "color": "orange"})
        assert response.status_code == 302
    assert [t.name for t in Team.objects.order_by("name")] == sorted(DEPARTMENTS)
    assert response["Location"] == url("team_edit", org, Team.objects.get(name="仓储").pk)
    assert Activity.objects.filter(verb="team.created").count() == 5


def test_bad_team_input_is_refused_with_a_clear_message(english, org, support, alice):
    client = english(alice)
    for data, message in [
        ({"name": "", "color": "blue"}, "This field is required."),
        ({"name": "   ", "color": "blue"}, "This field is required."),
        ({"name": "x" * 61, "color": "blue"}, "at most 60 characters"),
        ({"name": "客服", "color": "blue"}, "A team with this name already exists."),
        ({"name": "设计", "color": "chartreuse"}, "Select a valid choice."),
    ]:
        response = client.post(url("team_create", org), data)
        assert response.status_code == 422, data
        assert message in response.content.decode()
    assert team_state(org) == [("客服", "teal", ["Bob"])]
    assert 'value="设计"' in response.content.decode()


def test_a_manager_edits_a_teams_members_name_and_colour(
    client_for, org, support, alice, bob, carol
):
    client = client_for(alice)
    page = client.get(url("team_edit", org, support.pk))
    assert page.status_code == 200
    assert f'value="{carol.pk}"' in page.content.decode()

    response = client.post(url("team_members", org, support.pk), {"members": [alice.pk, carol.pk]})
    assert response.status_code == 302
    response = client.post(url("team_edit", org, support.pk), {"name": "售后客服", "color": "pink"})
    assert response.status_code == 302
    assert team_state(org) == [("售后客服", "pink", ["Alice", "Carol"])]
    assert Activity.objects.filter(verb="team.updated").count() == 1


def test_removing_everyone_from_a_team_is_allowed(client_for, org, support, alice):
    client_for(alice).post(url("team_members", org, support.pk), {})
    assert team_state(org) == [("客服", "teal", [])]


def test_outsiders_cannot_be_added_to_a_team(client_for, org, other_org, support, alice, mallory):
    response = client_for(alice).post(
        url("team_members", org, support.pk), {"members": [mallory.pk]}
    )
    assert response.status_code == 422
    assert team_state(org) == [("客服", "teal", ["Bob"])]


def test_renaming_a_team_to_a_taken_or_empty_name_is_refused(english, org, support, alice):
    create_team(actor=alice, organization=org, name="仓储")
    client = english(alice)
    response = client.post(url("team_edit", org, support.pk), {"name": "仓储", "color": "teal"})
    assert response.status_code == 422
    assert "A team with this name already exists." in response.content.decode()
    response = client.post(url("team_edit", org, support.pk), {"name": "", "color": "teal"})
    assert response.status_code == 422
    assert team_state(org) == [("仓储", "blue", []), ("客服", "teal", ["Bob"])]


def test_a_manager_deletes_a_team(client_for, org, support, alice, bob):
    response = client_for(alice).post(url("team_delete", org, support.pk))
    assert response.status_code == 302
    assert not Team.objects.exists()
    assert bob.memberships.filter(organization=org).exists()
    assert Activity.objects.filter(verb="team.deleted").count() == 1


def test_members_and_guests_get_403_and_nothing_changes(
    client_for, org, support, alice, bob, carol
):
    before = team_state(org)
    activities = Activity.objects.count()
    for person in (bob, carol):
        client = client_for(person)
        assert client.get(url("team_edit", org, support.pk)).status_code == 403
        for target, data in [
            (url("team_create", org), {"name": "推广", "color": "red"}),
            (url("team_edit", org, support.pk), {"name": "Mine", "color": "red"}),
            (url("team_members", org, support.pk), {"members": [person.pk]}),
            (url("team_delete", org, support.pk), {}),
        ]:
            assert client.post(target, data).status_code == 403, target
    assert team_state(org) == before
    assert Activity.objects.count() == activities


def test_a_team_of_another_organization_is_not_found(client_for, org, other_org, mallory, alice):
    theirs = create_team(actor=mallory, organization=other_org, name="Spies")
    client = client_for(alice)
    assert client.get(url("team_edit", org, theirs.pk)).status_code == 404
    assert client.post(url("team_delete", org, theirs.pk)).status_code == 404
    assert Team.objects.filter(pk=theirs.pk).exists()


def test_update_team_checks_its_input_and_records_only_real_changes(org, support, alice):
    update_team(actor=alice, team=support, name="客服", color="teal")
    assert not Activity.objects.filter(verb="team.updated").exists()
    with pytest.raises(ValidationError) as error:
        update_team(actor=alice, team=support, color="chartreuse")
    assert "color" in error.value.message_dict
    with pytest.raises(ValidationError):
        create_team(actor=alice, organization=org, name="设计", color="chartreuse")
    support.refresh_from_db()
    assert support.color == "teal"
