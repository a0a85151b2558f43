import pytest
from django.urls import reverse

from baton.activity.models import Activity
from baton.orgs.models import Membership, Organization, Role
from baton.projects.services import create_project, set_project_archived

pytestmark = pytest.mark.django_db


def test_the_home_page_shows_the_projects_each_person_may_see(
    client_for, org, project, alice, bob, carol
):
    for person in (alice, bob, carol):
        response = client_for(person).get(reverse("orgs:home", args=[org.slug]))
        assert response.status_code == 200
        content = response.content.decode()
        assert "售后处理" in content
        assert reverse("projects:board", args=[org.slug, "SH"]) in content


def test_the_new_project_button_is_hidden_from_guests(client_for, org, alice, carol):
    url = reverse("orgs:home", args=[org.slug])
    create_url = reverse("projects:create", args=[org.slug])
    assert f'class="button" href="{create_url}"' in client_for(alice).get(url).content.decode()
    assert create_url not in client_for(carol).get(url).content.decode()


def test_project_cards_count_tasks_and_done_tasks(client_for, org, project, alice, lists):
    from baton.projects.services import create_task, set_task_done

    for title in ["换货 #1", "退款 #2", "未发货 #3"]:
        task = create_task(actor=alice, project=project, task_list=lists[0], title=title)
    set_task_done(actor=alice, task=task, done=True)
    response = client_for(alice).get(
        reverse("orgs:home", args=[org.slug]), HTTP_ACCEPT_LANGUAGE="en"
    )
    content = response.content.decode()
    assert "3 tasks" in content
    assert "1 done" in content
    assert 'value="1" max="3"' in content


def test_archived_projects_are_listed_apart(client_for, org, project, alice):
    other = create_project(actor=alice, organization=org, name="旧活动", key="OLD")
    set_project_archived(actor=alice, project=other, archived=True)
    response = client_for(alice).get(reverse("orgs:home", args=[org.slug]))
    assert [p.name for p in response.context["projects"]] == ["售后处理"]
    assert [p.name for p in response.context["archived_projects"]] == ["旧活动"]
    assert 'id="archived-projects"' in response.content.decode()


def test_visiting_an_organization_makes_it_the_one_slash_leads_to(
    client_for, org, other_org, alice, mallory
):
    Membership.objects.create(organization=other_org, user=alice, role=Role.MEMBER)
    client = client_for(alice)
    client.get(reverse("orgs:home", args=[other_org.slug]))
    alice.refresh_from_db()
    assert alice.last_org == other_org
    assert client.get("/")["Location"] == reverse("orgs:home", args=[other_org.slug])
    client.get(reverse("orgs:home", args=[org.slug]))
    assert client.get("/")["Location"] == reverse("orgs:home", args=[org.slug])


def test_the_sidebar_lists_every_organization_to_switch_to(client_for, org, other_org, alice):
    Membership.objects.create(organization=other_org, user=alice, role=Role.GUEST)
    content = client_for(alice).get(reverse("orgs:home", args=[org.slug])).content.decode()
    assert reverse("orgs:home", args=[other_org.slug]) in content
    assert "Mallory Mart" in content


def test_outsiders_get_404_for_the_home_page_and_it_is_not_remembered(client_for, org, mallory):
    response = client_for(mallory).get(reverse("orgs:home", args=[org.slug]))
    assert response.status_code == 404
    mallory.refresh_from_db()
    assert mallory.last_org_id != org.pk


def test_anonymous_visitors_are_sent_to_log_in(client, org):
    response = client.get(reverse("orgs:home", args=[org.slug]))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_anyone_creates_another_organization_and_owns_it(client_for, org, bob):
    client = client_for(bob)
    assert client.get(reverse("orgs:create")).status_code == 200
    response = client.post(reverse("orgs:create"), {"name": "Bob's Bakery"})
    new = Organization.objects.get(name="Bob's Bakery")
    assert response["Location"] == reverse("orgs:home", args=[new.slug])
    assert Membership.objects.get(organization=new).user == bob
    assert Membership.objects.get(organization=new).role == Role.OWNER
    client.get(response["Location"])
    bob.refresh_from_db()
    assert bob.last_org == new


def test_someone_without_an_organization_can_create_one(client_for, make_user):
    nomad = make_user("Nomad")
    client = client_for(nomad)
    assert client.get("/")["Location"] == reverse("orgs:create")
    assert client.get(reverse("orgs:create")).status_code == 200


def test_an_organization_needs_a_name_of_at_most_80_characters(english, bob):
    client = english(bob)
    for name in ["", "   ", "店" * 81]:
        response = client.post(reverse("orgs:create"), {"name": name})
        assert response.status_code == 422
    assert not Organization.objects.exists()
    assert "at most 80 characters" in response.content.decode()
    assert 'value="' + "店" * 81 + '"' in response.content.decode()


def test_owners_and_admins_rename_the_organization(client_for, org, alice, bob):
    url = reverse("orgs:settings", args=[org.slug])
    assert client_for(alice).get(url).status_code == 200
    response = client_for(alice).post(url, {"name": "Alice Tea House"})
    assert response.status_code == 302
    org.refresh_from_db()
    assert org.name == "Alice Tea House"
    assert Activity.objects.filter(verb="org.renamed").count() == 1


def test_members_guests_and_outsiders_cannot_rename(client_for, org, bob, carol, mallory):
    url = reverse("orgs:settings", args=[org.slug])
    for person, status in [(bob, 403), (carol, 403), (mallory, 404)]:
        client = client_for(person)
        assert client.get(url).status_code == status
        assert client.post(url, {"name": "Pwned"}).status_code == status
    org.refresh_from_db()
    assert org.name == "Alice Shop"


def test_renaming_to_an_empty_name_is_refused(english, org, alice):
    response = english(alice).post(reverse("orgs:settings", args=[org.slug]), {"name": " "})
    assert response.status_code == 422
    assert "This field is required." in response.content.decode()
    org.refresh_from_db()
    assert org.name == "Alice Shop"
