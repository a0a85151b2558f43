"""Sharing a document, following it, and linking it with tasks: services and views, who may do
what, bad input, and the number of queries of each list."""

# Chinese text uses full-width punctuation, as Chinese text should.
# ruff: noqa: RUF001

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.http import Http404
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from baton.activity.models import Activity
from baton.documents import services
from baton.documents.models import (
    DocumentFollower,
    DocumentMember,
    DocumentRole,
    DocumentTaskLink,
    DocumentVisibility,
)
from baton.documents.permissions import document_role
from baton.orgs.models import Membership, Role, Team
from baton.projects import services as project_services

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def script(org, alice):
    return services.create_document(
        actor=alice, organization=org, title="售前咨询", body="亲，在的。\n"
    )


@pytest.fixture
def notice(org, alice):
    """Read only for the organization: bob reads it."""
    return services.create_document(
        actor=alice, organization=org, title="公告", access=DocumentRole.VIEWER
    )


@pytest.fixture
def team(org, bob, carol):
    team = Team.objects.create(organization=org, name="客服", color="teal")
    team.members.add(bob, carol)
    return team


@pytest.fixture
def task(project, lists, alice):
    return project_services.create_task(
        actor=alice, project=project, task_list=lists[0], title="退货流程"
    )


def url(name, document, *args):
    return reverse(f"documents:{name}", args=[document.organization.slug, document.pk, *args])


def task_url(task):
    return reverse(
        "documents:task_documents",
        args=[task.project.organization.slug, f"{task.project.key}-{task.number}"],
    )


def html_of(response) -> str:
    return " ".join(response.content.decode().split())


def fresh(document):
    document.refresh_from_db()
    document.__dict__.pop("_role_cache", None)
    return document


# ---------------------------------------------------------------- sharing: services


def test_sharing_with_chosen_members_only_shuts_the_rest_out(script, alice, bob):
    services.share_document(
        actor=alice, document=script, visibility=DocumentVisibility.MEMBERS, access="editor"
    )
    assert document_role(bob, fresh(script)) is None
    shared = Activity.objects.get(verb="document.shared")
    assert shared.data == {"old": ["org", "editor"], "new": ["members", "editor"]}


def test_a_team_named_read_only_reads_and_a_guest_only_ever_reads(script, alice, bob, carol, team):
    services.share_document(
        actor=alice, document=script, visibility=DocumentVisibility.MEMBERS, access="editor"
    )
    services.set_document_member(actor=alice, document=script, team=team, role="viewer")
    assert document_role(bob, fresh(script)) == DocumentRole.VIEWER
    member = services.set_document_member(actor=alice, document=script, user=carol, role="editor")
    assert member.role == DocumentRole.VIEWER  # carol is a guest
    assert document_role(carol, fresh(script)) == DocumentRole.VIEWER
    services.set_document_member(actor=alice, document=script, team=team, role="editor")
    assert DocumentMember.objects.get(document=script, team=team).role == "editor"
    assert document_role(bob, fresh(script)) == DocumentRole.EDITOR


def test_removing_a_member_takes_their_access_away(script, alice, bob):
    services.share_document(actor=alice, document=script, visibility="members", access="editor")
    member = services.set_document_member(actor=alice, document=script, user=bob, role="viewer")
    services.remove_document_member(actor=alice, document=script, member_id=member.pk)
    assert document_role(bob, fresh(script)) is None
    with pytest.raises(ValidationError):
        services.remove_document_member(actor=alice, document=script, member_id=member.pk)


@pytest.mark.parametrize(
    "changes, field",
    [
        ({"visibility": "everyone"}, "visibility"),
        ({"access": "owner"}, "access"),
        ({"visibility": "project"}, "visibility"),  # not a project's document
    ],
)
def test_bad_sharing_is_refused(script, alice, changes, field):
    values = {"visibility": "org", "access": "viewer", **changes}
    with pytest.raises(ValidationError) as error:
        services.share_document(actor=alice, document=script, **values)
    assert field in error.value.message_dict
    script.refresh_from_db()
    assert (script.visibility, script.access) == ("org", "editor")


def test_people_and_teams_of_another_organization_cannot_be_named(
    script, alice, mallory, other_org
):
    other_team = Team.objects.create(organization=other_org, name="别家")
    with pytest.raises(ValidationError):
        services.set_document_member(actor=alice, document=script, user=mallory)
    with pytest.raises(ValidationError):
        services.set_document_member(actor=alice, document=script, team=other_team)
    with pytest.raises(ValidationError):
        services.set_document_member(actor=alice, document=script, user=None, team=None)
    assert not DocumentMember.objects.exists()


def test_only_editors_share(notice, bob, mallory, carol):
    with pytest.raises(PermissionDenied):
        services.share_document(actor=bob, document=notice, visibility="members", access="editor")
    with pytest.raises(PermissionDenied):
        services.set_document_member(actor=bob, document=notice, user=carol, role="viewer")
    with pytest.raises(Http404):
        services.share_document(
            actor=mallory, document=notice, visibility="members", access="editor"
        )
    notice.refresh_from_db()
    assert notice.visibility == "org" and not DocumentMember.objects.exists()
    assert not Activity.objects.filter(verb__startswith="document.s").exists()


# ---------------------------------------------------------------- sharing: views


def test_the_share_dialog_shows_the_audience_and_the_named(english, script, alice, team):
    services.set_document_member(actor=alice, document=script, team=team, role="viewer")
    html = html_of(english(alice).get(url("share", script)))
    assert "Whole organization" in html and "客服" in html and "2 people" in html
    assert 'name="action" value="audience"' in html


def test_readers_see_the_share_dialog_read_only(english, notice, bob):
    html = html_of(english(bob).get(url("share", notice)))
    assert "Whole organization · Read only" in html
    assert 'value="audience"' not in html


def test_sharing_with_a_team_read_only_and_as_followers(english, script, alice, bob, team):
    response = english(alice).post(
        url("share", script),
        {"action": "add", "who": f"team:{team.pk}", "role": "viewer", "follow": "1"},
        **HTMX,
    )
    assert response.status_code == 200
    html = html_of(response)
    assert "客服" in html and 'hx-swap-oob="true"' in html
    assert DocumentMember.objects.get(document=script).role == "viewer"
    followers = set(DocumentFollower.objects.filter(document=script).values_list("user", flat=True))
    assert bob.pk in followers


def test_changing_the_audience_and_a_role_from_the_dialog(english, script, alice, bob):
    client = english(alice)
    client.post(
        url("share", script), {"action": "audience", "visibility": "members", "access": "viewer"}
    )
    script.refresh_from_db()
    assert (script.visibility, script.access) == ("members", "viewer")
    client.post(url("share", script), {"action": "add", "who": f"user:{bob.pk}", "role": "viewer"})
    member = DocumentMember.objects.get(document=script, user=bob)
    client.post(url("share", script), {"action": "role", "member": member.pk, "role": "editor"})
    assert DocumentMember.objects.get(pk=member.pk).role == "editor"
    response = client.post(url("share", script), {"action": "remove", "member": member.pk})
    assert response.status_code == 302
    assert not DocumentMember.objects.exists()


@pytest.mark.parametrize(
    "data, message",
    [
        ({"action": "add", "who": "user:99999", "role": "viewer"}, "Choose a person or a team."),
        ({"action": "add", "who": "robot", "role": "viewer"}, "Choose a person or a team."),
        ({"action": "audience", "visibility": "world", "access": "viewer"}, "Not one of"),
        ({"action": "role", "member": "x", "role": "viewer"}, "Not one of the choices."),
        ({"action": "explode"}, "Not one of the choices."),
    ],
)
def test_bad_share_requests_get_a_clear_message(english, script, alice, data, message):
    response = english(alice).post(url("share", script), data, **HTMX)
    assert response.status_code == 422
    assert message in response.content.decode()
    script.refresh_from_db()
    assert script.visibility == "org" and not DocumentMember.objects.exists()


def test_read_only_members_get_403_when_sharing(english, notice, bob, carol):
    response = english(bob).post(
        url("share", notice), {"action": "add", "who": f"user:{carol.pk}", "role": "viewer"}
    )
    assert response.status_code == 403
    assert not DocumentMember.objects.exists()


def test_outsiders_get_404_on_sharing_and_followers(english, script, mallory):
    client = english(mallory)
    assert client.get(url("share", script)).status_code == 404
    assert client.get(url("followers", script)).status_code == 404
    data = {"action": "audience", "visibility": "members", "access": "viewer"}
    assert client.post(url("share", script), data).status_code == 404
    assert client.post(url("follow", script)).status_code == 404
    assert client.post(url("followers", script), {"users": [mallory.pk]}).status_code == 404
    script.refresh_from_db()
    assert script.visibility == "org"
    assert list(DocumentFollower.objects.values_list("user__name", flat=True)) == ["Alice"]


def test_the_share_dialog_reads_in_a_fixed_number_of_queries(
    client_for, org, script, alice, make_user
):
    client = client_for(alice)
    client.get(url("share", script))
    with CaptureQueriesContext(connection) as few:
        client.get(url("share", script))
    for n in range(6):
        person = make_user(f"客服{n}")
        Membership.objects.create(organization=org, user=person, role=Role.MEMBER)
        team = Team.objects.create(organization=org, name=f"组{n}")
        team.members.add(person)
        services.set_document_member(actor=alice, document=script, user=person, role="viewer")
        services.set_document_member(actor=alice, document=script, team=team, role="editor")
        services.follow_document(actor=person, document=script)
    with CaptureQueriesContext(connection) as many:
        html = html_of(client.get(url("share", script)))
    assert html.count('class="dh-member"') == 12
    assert len(many) == len(few)


# ---------------------------------------------------------------- following


def test_follow_and_unfollow_answer_with_the_followers(english, notice, bob):
    client = english(bob)
    response = client.post(url("follow", notice), {"following": "1"}, **HTMX)
    assert response.status_code == 200
    html = html_of(response)
    assert "✓ Following" in html and "Bob" in html
    response = client.post(url("follow", notice), {"following": "0"}, **HTMX)
    assert "＋ Follow" in html_of(response)
    assert not DocumentFollower.objects.filter(document=notice, user=bob).exists()
    assert Activity.objects.filter(verb="document.unfollowed").count() == 1


def test_adding_followers_by_team_leaves_out_those_who_cannot_read(
    english, script, alice, bob, carol, team
):
    response = english(alice).post(url("followers", script), {"teams": [team.pk]}, **HTMX)
    assert response.status_code == 200
    followers = set(DocumentFollower.objects.filter(document=script).values_list("user", flat=True))
    assert followers == {alice.pk, bob.pk}  # carol is a guest the document does not name


def test_adding_nobody_as_followers_is_a_clear_error(english, script, alice, mallory):
    response = english(alice).post(url("followers", script), {"users": [mallory.pk, "x"]}, **HTMX)
    assert response.status_code == 422
    assert "Choose people or teams to add as followers." in response.content.decode()
    assert DocumentFollower.objects.filter(document=script).count() == 1


def test_the_followers_read_in_a_fixed_number_of_queries(client_for, org, script, alice, make_user):
    client = client_for(alice)
    client.get(url("followers", script), **HTMX)
    with CaptureQueriesContext(connection) as few:
        client.get(url("followers", script), **HTMX)
    for n in range(8):
        person = make_user(f"客服{n}")
        Membership.objects.create(organization=org, user=person, role=Role.MEMBER)
        services.follow_document(actor=person, document=script)
    with CaptureQueriesContext(connection) as many:
        html = html_of(client.get(url("followers", script), **HTMX))
    assert html.count('class="dh-follower"') == 9
    assert len(many) == len(few)


# ---------------------------------------------------------------- links with tasks


def test_a_task_lists_the_documents_that_mention_it(english, org, alice, bob, task, script):
    reference = f"SH-{task.number}"
    named = services.create_document(
        actor=alice, organization=org, title="退货话术", body=f"见 {reference}"
    )
    html = html_of(english(bob).get(task_url(task)))
    assert "退货话术" in html and "mentions this task" in html
    assert url("document", named) in html


def test_the_task_panel_shows_its_documents(english, org, alice, bob, task):
    services.create_document(
        actor=alice, organization=org, title="退货话术", body=f"见 SH-{task.number}"
    )
    panel = reverse("projects:task", args=[org.slug, f"SH-{task.number}"])
    html = html_of(english(bob).get(panel, **HTMX))
    assert 'id="task-documents"' in html and "退货话术" in html


def test_a_member_links_and_unlinks_a_document_on_a_card(english, task, script, bob):
    client = english(bob)
    response = client.post(task_url(task), {"document": script.pk}, **HTMX)
    assert response.status_code == 200 and "售前咨询" in html_of(response)
    assert DocumentTaskLink.objects.filter(kind="link", task=task, document=script).exists()
    assert Activity.objects.filter(verb="document.task_linked").count() == 1
    html = html_of(english(bob).get(url("history", script)))  # the side lists it on its page
    client.post(task_url(task), {"document": script.pk, "action": "unlink"}, **HTMX)
    assert not DocumentTaskLink.objects.exists()
    assert html


def test_a_document_the_member_cannot_read_cannot_be_linked(english, task, alice, bob, org):
    hidden = services.create_document(
        actor=alice, organization=org, title="内部", visibility=DocumentVisibility.MEMBERS
    )
    response = english(bob).post(task_url(task), {"document": hidden.pk}, **HTMX)
    assert response.status_code == 422
    assert "Choose a document to link." in response.content.decode()
    assert not DocumentTaskLink.objects.exists()


def test_project_viewers_may_not_link(english, task, script, alice, carol):
    services.set_document_member(actor=alice, document=script, user=carol, role="viewer")
    response = english(carol).post(task_url(task), {"document": script.pk})
    assert response.status_code == 403
    assert not DocumentTaskLink.objects.exists()


def test_outsiders_get_404_on_a_task_documents(english, task, script, mallory):
    client = english(mallory)
    assert client.get(task_url(task)).status_code == 404
    assert client.post(task_url(task), {"document": script.pk}).status_code == 404
    assert not DocumentTaskLink.objects.exists()


def test_a_task_documents_read_in_a_fixed_number_of_queries(client_for, org, alice, bob, task):
    client = client_for(bob)
    client.get(task_url(task))
    with CaptureQueriesContext(connection) as few:
        client.get(task_url(task))
    for n in range(6):
        services.create_document(
            actor=alice, organization=org, title=f"话术{n}", body=f"SH-{task.number}"
        )
    with CaptureQueriesContext(connection) as many:
        html = html_of(client.get(task_url(task)))
    assert html.count('class="task-doc"') == 6
    assert len(many) == len(few)


def test_the_document_page_shows_followers_related_tasks_and_comments(
    english, org, alice, bob, task
):
    document = services.create_document(
        actor=alice, organization=org, title="退货话术", body=f"见 SH-{task.number}"
    )
    services.follow_document(actor=bob, document=document)
    services.add_document_comment(actor=alice, document=document, body="请 @Bob 过一遍")
    html = html_of(english(bob).get(url("document", document)))
    assert 'id="document-followers"' in html and "✓ Following" in html
    assert f"SH-{task.number}" in html and "退货流程" in html
    assert 'id="document-comments"' in html and '<span class="mention">@Bob</span>' in html
