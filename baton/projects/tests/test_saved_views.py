"""Saved views: a named layout and query string, shared with the project's members."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.urls import reverse

from baton.activity.models import Activity
from baton.projects import services
from baton.projects.models import SavedView

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}


def url(project, name, *args):
    return reverse(f"projects:{name}", args=[project.organization.slug, project.key, *args])


@pytest.fixture
def refund_view(project, bob):
    return services.create_saved_view(
        actor=bob, project=project, name="我的退款", layout="list", query="owner=me&tag=3"
    )


# ---------------------------------------------------------------- services


def test_a_member_saves_a_view_with_one_activity_row(project, bob):
    saved = services.create_saved_view(
        actor=bob,
        project=project,
        name="  逾期工单 ",
        layout="board",
        query="due=overdue&owner=&sort=title&evil=1&cf_4=退款",
    )
    assert (saved.name, saved.layout, saved.created_by) == ("逾期工单", "board", bob)
    assert saved.query == "due=overdue&cf_4=%E9%80%80%E6%AC%BE"  # a board keeps no sort
    entries = Activity.objects.filter(verb="saved_view.created", target_id=saved.pk)
    assert entries.count() == 1 and entries.get().data["name"] == "逾期工单"


def test_a_list_view_keeps_its_sort_and_grouping(project, bob):
    saved = services.create_saved_view(
        actor=bob, project=project, name="按截止", layout="list", query="sort=-due&group=owner"
    )
    assert saved.query == "sort=-due&group=owner"


def test_bad_names_and_layouts_are_refused_with_a_message(project, bob, refund_view):
    cases = [
        ({"name": ""}, "name", "This field is required."),
        ({"name": "x" * 61}, "name", "At most 60 characters (this has 61)."),
        ({"name": "我的退款"}, "name", "A view with this name already exists."),
        ({"name": "我的退款".upper()}, "name", "A view with this name already exists."),
        ({"name": "日历", "layout": "calendar"}, "layout", "A view is a board or a list."),
        ({"name": "很长", "query": "tag=1&" * 400}, "query", "too many filters"),
    ]
    from django.utils import translation

    for changes, field, message in cases:
        data = {"name": "x", "layout": "board", "query": "", **changes}
        with translation.override("en"), pytest.raises(ValidationError) as error:
            services.create_saved_view(actor=bob, project=project, **data)
        assert message in " ".join(error.value.message_dict[field])
    assert SavedView.objects.count() == 1


def test_rename_and_replace_by_the_creator_one_activity_row_each(project, bob, refund_view):
    services.update_saved_view(actor=bob, saved_view=refund_view, name="我的退款单")
    services.update_saved_view(
        actor=bob, saved_view=refund_view, layout="board", query="owner=me&sort=due"
    )
    refund_view.refresh_from_db()
    assert (refund_view.name, refund_view.layout, refund_view.query) == (
        "我的退款单",
        "board",
        "owner=me",
    )
    assert Activity.objects.filter(verb="saved_view.updated").count() == 2
    services.update_saved_view(actor=bob, saved_view=refund_view, name="我的退款单")  # no change
    assert Activity.objects.filter(verb="saved_view.updated").count() == 2


def test_only_the_creator_or_an_admin_renames_or_deletes(
    project, alice, bob, carol, make_user, refund_view, org
):
    from baton.orgs.models import Membership, Role
    from baton.projects.models import ProjectRole

    dave = make_user("Dave")
    Membership.objects.create(organization=org, user=dave, role=Role.MEMBER)
    services.add_project_member(actor=alice, project=project, user=dave, role=ProjectRole.MEMBER)
    for someone in (dave, carol):  # another member; a viewer
        with pytest.raises(PermissionDenied):
            services.update_saved_view(actor=someone, saved_view=refund_view, name="改名")
        with pytest.raises(PermissionDenied):
            services.delete_saved_view(actor=someone, saved_view=refund_view)
    services.update_saved_view(actor=alice, saved_view=refund_view, name="管理员改名")
    services.delete_saved_view(actor=alice, saved_view=refund_view)
    assert not SavedView.objects.exists()
    assert Activity.objects.filter(verb="saved_view.deleted", actor=alice).count() == 1


def test_viewers_and_outsiders_cannot_save(project, carol, mallory, other_org):
    with pytest.raises(PermissionDenied):
        services.create_saved_view(actor=carol, project=project, name="v", layout="board")
    with pytest.raises(Http404):
        services.create_saved_view(actor=mallory, project=project, name="v", layout="board")
    assert not SavedView.objects.exists()


# ---------------------------------------------------------------- views


def test_saving_from_the_menu_lists_the_view_as_the_current_one(client_for, project, bob):
    response = client_for(bob).post(
        url(project, "view_create"),
        {"name": "高优先级", "layout": "list", "query": "priority=4&priority=3&sort=due"},
        **HTMX,
    )
    assert response.status_code == 200
    html = response.content.decode()
    list_url = url(project, "list")
    assert f'href="{list_url}?priority=4&amp;priority=3&amp;sort=due"' in html
    assert "saved-view is-current" in html and "高优先级" in html
    assert SavedView.objects.get().created_by == bob


def test_a_bad_name_answers_422_keeping_what_was_typed(english, project, bob, refund_view):
    response = english(bob).post(
        url(project, "view_create"), {"name": "我的退款", "layout": "board", "query": ""}, **HTMX
    )
    assert response.status_code == 422
    html = response.content.decode()
    assert "A view with this name already exists." in html and 'value="我的退款"' in html
    response = english(bob).post(
        url(project, "view_update", refund_view.pk), {"name": "", "layout": "list"}, **HTMX
    )
    assert response.status_code == 422 and "This field is required." in response.text
    assert SavedView.objects.get().name == "我的退款"


def test_without_htmx_saving_goes_back_to_the_view(client_for, project, bob):
    response = client_for(bob).post(
        url(project, "view_create"), {"name": "看板", "layout": "board", "query": "owner=me"}
    )
    assert response.status_code == 302 and response["Location"] == url(project, "board") + (
        "?owner=me"
    )


def test_the_menu_lists_every_saved_view_for_every_member(
    client_for, project, bob, carol, alice, refund_view
):
    services.create_saved_view(actor=alice, project=project, name="看板视图", layout="board")
    for user in (alice, bob, carol):
        response = client_for(user).get(
            url(project, "views"), {"layout": "list", "query": "owner=me&tag=3"}, **HTMX
        )
        html = response.content.decode()
        assert response.status_code == 200
        assert "我的退款" in html and "看板视图" in html
        assert "saved-view is-current" in html  # the page shows 我的退款's filters
        assert ("save-view-form" in html) == (user != carol)  # viewers use views, never save
    bob_html = client_for(bob).get(url(project, "views"), **HTMX).content.decode()
    assert bob_html.count("saved-view-actions") == 1  # his own view, not alice's


def test_applying_a_saved_view_shows_its_filters(client_for, project, lists, bob):
    tag = services.create_tag(actor=bob, project=project, name="退款")
    for title, tags in [("退款单", [tag.pk]), ("咨询", [])]:
        task = services.create_task(actor=bob, project=project, task_list=lists[0], title=title)
        services.update_task(actor=bob, task=task, tags=tags)
    saved = services.create_saved_view(
        actor=bob, project=project, name="退款", layout="board", query=f"tag={tag.pk}"
    )
    html = client_for(bob).get(f"{url(project, 'board')}?{saved.query}").content.decode()
    assert "退款单" in html and "咨询" not in html


def test_rename_and_delete_from_the_menu(client_for, project, bob, refund_view):
    client = client_for(bob)
    response = client.post(
        url(project, "view_update", refund_view.pk),
        {"name": "退款（我的）", "layout": "list", "query": ""},  # noqa: RUF001
        **HTMX,
    )
    assert response.status_code == 200 and "退款（我的）" in response.text  # noqa: RUF001
    response = client.post(url(project, "view_delete", refund_view.pk), {"layout": "list"}, **HTMX)
    assert response.status_code == 200 and "我的退款" not in response.text
    assert not SavedView.objects.exists()


def test_a_viewer_gets_403_on_every_write_and_nothing_changes(
    client_for, project, carol, refund_view
):
    client = client_for(carol)
    requests = [
        (url(project, "view_create"), {"name": "新", "layout": "board"}),
        (url(project, "view_update", refund_view.pk), {"name": "改"}),
        (url(project, "view_delete", refund_view.pk), {}),
    ]
    for target, data in requests:
        assert client.post(target, data, **HTMX).status_code == 403
    assert list(SavedView.objects.values_list("name", flat=True)) == ["我的退款"]


def test_another_member_gets_403_on_someone_elses_view(client_for, project, alice, bob):
    saved = services.create_saved_view(actor=alice, project=project, name="A", layout="board")
    client = client_for(bob)
    assert client.post(url(project, "view_update", saved.pk), {"name": "B"}).status_code == 403
    assert client.post(url(project, "view_delete", saved.pk)).status_code == 403
    assert SavedView.objects.get().name == "A"


def test_mallory_gets_404_on_every_saved_view_url(
    client_for, project, mallory, other_org, refund_view
):
    client = client_for(mallory)
    assert client.get(url(project, "views"), **HTMX).status_code == 404
    for target in [
        url(project, "view_create"),
        url(project, "view_update", refund_view.pk),
        url(project, "view_delete", refund_view.pk),
    ]:
        assert client.post(target, {"name": "x", "layout": "board"}, **HTMX).status_code == 404
    assert SavedView.objects.get().name == "我的退款"


def test_a_view_of_another_project_is_404(client_for, project, org, alice, refund_view):
    other = services.create_project(actor=alice, organization=org, name="其他", key="QT")
    client = client_for(alice)
    wrong = reverse("projects:view_delete", args=[org.slug, other.key, refund_view.pk])
    assert client.post(wrong).status_code == 404
    assert SavedView.objects.exists()
