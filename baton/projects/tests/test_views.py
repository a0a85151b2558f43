import re
from html import unescape

import pytest
from django.urls import reverse

from baton.activity.models import Activity
from baton.projects import services
from baton.projects.models import Project, Tag, Task, TaskList

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def task(project, alice, lists):
    return services.create_task(
        actor=alice, project=project, task_list=lists[0], title="订单 1 · 张伟"
    )


def board_url(project):
    return reverse("projects:board", args=[project.organization.slug, project.key])


def task_url(task, action=None):
    ref = f"{task.project.key}-{task.number}"
    if action is None:
        return reverse("projects:task", args=[task.project.organization.slug, ref])
    return reverse(f"projects:task_{action}", args=[task.project.organization.slug, ref])


def seed_cards(project, actor, lists, count):
    tags = [Tag.objects.get_or_create(project=project, name=f"t{i}")[0] for i in range(2)]
    for i in range(count):
        t = services.create_task(
            actor=actor, project=project, task_list=lists[i % len(lists)], title=f"card {i}"
        )
        services.update_task(
            actor=actor,
            task=t,
            assignee=actor.pk,
            tags=[tg.pk for tg in tags],
            due_date="2026-11-11",
        )


def test_the_board_shows_lists_and_cards_to_every_member(
    client_for, project, task, alice, bob, carol
):
    for user in (alice, bob, carol):
        response = client_for(user).get(board_url(project))
        assert response.status_code == 200
        html = response.content.decode()
        assert "客户反馈" in html and "订单 1 · 张伟" in html and "SH-1" in html


def test_only_editors_see_the_quick_add(client_for, project, bob, carol):
    assert "quick-add" in client_for(bob).get(board_url(project)).content.decode()
    assert "quick-add" not in client_for(carol).get(board_url(project)).content.decode()


def write_requests(project, task, lists) -> dict[str, dict]:
    """Every write a member can make on the board and the task panel: URL -> form data."""
    slug, key = project.organization.slug, project.key
    return {
        task_url(task, "move"): {"list": lists[1].pk},
        task_url(task, "update"): {"_fields": "title", "title": "changed"},
        task_url(task, "done"): {"done": "1"},
        task_url(task, "archive"): {"archived": "1"},
        task_url(task, "delete"): {},
        reverse("projects:task_create", args=[slug, key, lists[0].pk]): {"title": "x"},
        reverse("projects:list_create", args=[slug, key]): {"name": "x"},
        reverse("projects:list_update", args=[slug, key, lists[0].pk]): {"name": "x"},
        reverse("projects:list_move", args=[slug, key, lists[0].pk]): {"after": ""},
        reverse("projects:list_archive", args=[slug, key, lists[0].pk]): {},
        reverse("projects:tag_create", args=[slug, key]): {"name": "x"},
        reverse("projects:archive", args=[slug, key]): {"archived": "1"},
    }


def test_mallory_gets_404_on_every_url_and_changes_nothing(
    client_for, project, task, mallory, lists
):
    client = client_for(mallory)
    slug, key = project.organization.slug, project.key
    gets = [
        board_url(project),
        task_url(task),
        reverse("projects:settings", args=[slug, key]),
        reverse("projects:list_cards", args=[slug, key, lists[0].pk])
        + "?after_position=0&after_id=0",
        reverse("projects:create", args=[slug]),
    ]
    for url in gets:
        assert client.get(url).status_code == 404, url
    project_form = {"name": "x", "key": "XX", "color": "red", "visibility": "org"}
    posts = {
        **write_requests(project, task, lists),
        reverse("projects:members", args=[slug, key]): {"action": "add", "user": mallory.pk},
        reverse("projects:settings", args=[slug, key]): {**project_form, "key": "SH"},
        reverse("projects:create", args=[slug]): project_form,
    }
    before = Activity.objects.count()
    for url, data in posts.items():
        assert client.post(url, data, **HTMX).status_code == 404, url
    assert Activity.objects.count() == before
    task.refresh_from_db()
    assert (task.title, task.list_id, task.completed_at, task.archived_at) == (
        "订单 1 · 张伟",
        lists[0].pk,
        None,
        None,
    )
    assert TaskList.objects.filter(project=project).count() == 4
    assert not Tag.objects.exists()


def test_a_viewer_gets_403_on_every_write_and_changes_nothing(
    client_for, project, task, carol, lists
):
    client = client_for(carol)
    posts = write_requests(project, task, lists)
    before = Activity.objects.count()
    for url, data in posts.items():
        assert client.post(url, data, **HTMX).status_code == 403, url
    assert Activity.objects.count() == before
    task.refresh_from_db()
    assert (task.title, task.list_id, task.completed_at) == ("订单 1 · 张伟", lists[0].pk, None)


def test_a_guest_who_is_not_in_the_project_gets_404(client_for, org, alice, carol):
    hidden = services.create_project(
        actor=alice, organization=org, name="内部", key="NB", visibility="org"
    )
    assert client_for(carol).get(board_url(hidden)).status_code == 404


def test_an_organization_wide_project_is_readable_by_every_member(client_for, org, alice, bob):
    shared = services.create_project(
        actor=alice, organization=org, name="公开", key="GK", visibility="org"
    )
    client = client_for(bob)
    assert client.get(board_url(shared)).status_code == 200
    lst = shared.lists.first()
    url = reverse("projects:task_create", args=[org.slug, "GK", lst.pk])
    assert client.post(url, {"title": "x"}, **HTMX).status_code == 403


def test_quick_add_returns_the_new_card(client_for, project, bob, lists):
    url = reverse("projects:task_create", args=[project.organization.slug, "SH", lists[0].pk])
    response = client_for(bob).post(url, {"title": "新的售后单"}, **HTMX)
    assert response.status_code == 200
    html = response.content.decode()
    assert "新的售后单" in html and "SH-1" in html
    assert html.startswith('<a id="task-')  # just the card: the page raises the count itself


def test_a_quick_add_and_a_move_take_a_fixed_handful_of_queries(
    client_for, project, bob, lists, django_assert_num_queries
):
    """The two writes a board makes most: the session, the user, one query for the object with
    its access, the project's custom fields (required ones are checked, those shown on cards
    printed), then the writes themselves (number, card, search entry, Activity row, the live
    event kept for reconnecting browsers) in one transaction."""
    client = client_for(bob)
    seed_cards(project, bob, lists, 30)
    url = reverse("projects:task_create", args=[project.organization.slug, "SH", lists[0].pk])
    # No notifications fan-out job: a card created without an owner tells nobody (one is enqueued
    # when it has an owner other than its creator).
    with django_assert_num_queries(11):
        assert client.post(url, {"title": "新的售后单"}, **HTMX).status_code == 200
    task = Task.objects.get(title="新的售后单")
    last = Task.objects.filter(list=lists[0]).exclude(pk=task.pk).order_by("position").last()
    assert task.position > last.position  # the INSERT put it under the last card
    move_url = task_url(task, "move")
    # and the target list, its bottom, the card's tags; +1: the fan-out job (a move to another
    # list is news to the card's followers)
    with django_assert_num_queries(13):
        response = client.post(move_url, {"list": lists[1].pk, "after": "", "before": ""}, **HTMX)
        assert response.status_code == 200


def test_quick_add_rejects_empty_and_long_titles_with_a_message(client_for, project, bob, lists):
    url = reverse("projects:task_create", args=[project.organization.slug, "SH", lists[0].pk])
    client = client_for(bob)
    for title in ["", "x" * 201]:
        response = client.post(url, {"title": title}, **HTMX)
        assert response.status_code == 422
        assert response["HX-Retarget"] == f"#quick-add-error-{lists[0].pk}"
    assert Task.objects.count() == 0


def test_quick_add_into_another_projects_list_is_404(client_for, org, project, alice, bob):
    other = services.create_project(actor=alice, organization=org, name="O", key="OT")
    url = reverse("projects:task_create", args=[org.slug, "SH", other.lists.first().pk])
    assert client_for(bob).post(url, {"title": "x"}, **HTMX).status_code == 404


def test_a_move_returns_just_the_card(client_for, project, task, bob, lists):
    response = client_for(bob).post(
        task_url(task, "move"), {"list": lists[1].pk, "after": "", "before": ""}, **HTMX
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert html.startswith(f'<a id="task-{task.pk}"') and "list-count" not in html
    task.refresh_from_db()
    assert task.list_id == lists[1].pk


def test_a_move_to_an_unknown_list_or_neighbour_is_refused(client_for, project, task, bob, lists):
    client = client_for(bob)
    assert client.post(task_url(task, "move"), {"list": 999999}, **HTMX).status_code == 400
    assert client.post(task_url(task, "move"), {"list": "abc"}, **HTMX).status_code == 400
    assert (
        client.post(task_url(task, "move"), {"list": lists[1].pk, "after": "x"}, **HTMX).status_code
        == 400
    )
    task.refresh_from_db()
    assert task.list_id == lists[0].pk


def test_the_task_opens_as_a_panel_or_a_full_page(client_for, project, task, bob):
    client = client_for(bob)
    panel = client.get(task_url(task), **HTMX).content.decode()
    assert 'id="task-panel"' in panel and "<html" not in panel
    page = client.get(task_url(task)).content.decode()
    assert 'id="task-panel"' in page and "<html" in page


def test_updating_fields_from_the_panel_records_history(client_for, project, task, bob, alice):
    client = client_for(bob)
    tag = services.create_tag(actor=alice, project=project, name="退款", color="red")
    response = client.post(
        task_url(task, "update"),
        {
            "_fields": "assignee,due_date,tags,priority",
            "assignee": alice.pk,
            "due_date": "2026-11-11",
            "tags": [tag.pk],
            "priority": "4",
        },
        **HTMX,
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "退款" in html and 'hx-swap-oob="true"' in html
    task.refresh_from_db()
    assert task.assignee == alice and task.priority == 4 and list(task.tags.all()) == [tag]


def test_bad_input_in_the_panel_keeps_what_was_typed(client_for, project, task, bob):
    response = client_for(bob).post(
        task_url(task, "update"),
        {"_fields": "title", "title": "x" * 201, "version": task.version},
        **HTMX,
    )
    assert response.status_code == 422
    assert "x" * 201 in response.content.decode()
    task.refresh_from_db()
    assert task.title == "订单 1 · 张伟"


def test_a_stale_description_edit_is_a_409_that_keeps_both_texts(
    client_for, project, task, alice, bob
):
    services.update_task(actor=alice, task=task, version=1, description="alice 的处理方案")
    response = client_for(bob).post(
        task_url(task, "update"),
        {"_fields": "description", "description": "bob 的处理方案", "version": "1"},
        **HTMX,
    )
    assert response.status_code == 409
    html = response.content.decode()
    assert "alice 的处理方案" in html and "bob 的处理方案" in html
    task.refresh_from_db()
    assert task.description == "alice 的处理方案"


def test_unknown_fields_are_refused(client_for, project, task, bob):
    response = client_for(bob).post(
        task_url(task, "update"), {"_fields": "project", "project": 1}, **HTMX
    )
    assert response.status_code == 422


def test_deleting_a_task_removes_the_card(client_for, project, task, bob):
    response = client_for(bob).post(task_url(task, "delete"), **HTMX)
    assert response.status_code == 200
    assert f'id="task-{task.pk}" hx-swap-oob="delete"' in response.content.decode()
    assert not Task.objects.filter(pk=task.pk).exists()


def test_the_description_is_sanitised(client_for, project, task, bob):
    services.update_task(
        actor=bob,
        task=task,
        description="**粗体** <script>alert(1)</script> [x](javascript:alert(1))",
    )
    html = client_for(bob).get(task_url(task), **HTMX).content.decode()
    assert "<strong>粗体</strong>" in html
    assert "<script>alert" not in html and 'href="javascript' not in html


def test_creating_a_project_from_the_form(client_for, org, bob):
    response = client_for(bob).post(
        reverse("projects:create", args=[org.slug]),
        {
            "name": "需求管理",
            "key": "xq",
            "description": "",
            "color": "green",
            "visibility": "members",
        },
    )
    assert response.status_code == 302
    project = Project.objects.get(key="XQ")
    assert response["Location"] == board_url(project)


def test_a_key_clash_shows_an_error_and_keeps_the_form(client_for, org, project, bob):
    response = client_for(bob).post(
        reverse("projects:create", args=[org.slug]),
        {"name": "重复的项目", "key": "SH", "color": "green", "visibility": "members"},
    )
    assert response.status_code == 422
    html = response.content.decode()
    assert "重复的项目" in html and "SH" in html
    assert Project.objects.count() == 1


def test_lists_can_be_added_and_renamed_through_htmx(client_for, project, bob, lists):
    slug = project.organization.slug
    client = client_for(bob)
    response = client.post(
        reverse("projects:list_create", args=[slug, "SH"]), {"name": "搁置"}, **HTMX
    )
    assert response.status_code == 200 and "搁置" in response.content.decode()
    response = client.post(reverse("projects:list_create", args=[slug, "SH"]), {"name": ""}, **HTMX)
    assert response.status_code == 422
    response = client.post(
        reverse("projects:list_update", args=[slug, "SH", lists[0].pk]), {"name": "新反馈"}, **HTMX
    )
    assert response.status_code == 200 and "新反馈" in response.content.decode()


def test_the_board_query_count_does_not_grow_with_the_cards(
    client_for, project, alice, lists, django_assert_num_queries
):
    client = client_for(alice)
    seed_cards(project, alice, lists, 4)
    client.get(board_url(project))
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as small:
        assert client.get(board_url(project)).status_code == 200
    seed_cards(project, alice, lists, 60)
    with CaptureQueriesContext(connection) as large:
        assert client.get(board_url(project)).status_code == 200
    assert len(large) == len(small)
    # 11 before custom fields; the project's field definitions are read once for every card;
    # +1: the bell's unread count in the sidebar.
    assert len(small) <= 13


def test_the_task_panel_query_count_does_not_grow(client_for, project, alice, bob, lists):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_for(alice)
    task = services.create_task(actor=alice, project=project, task_list=lists[0], title="t")
    with CaptureQueriesContext(connection) as small:
        client.get(task_url(task), **HTMX)
    tags = [
        services.create_tag(actor=alice, project=project, name=f"n{i}", color="red")
        for i in range(10)
    ]
    for i in range(10):
        services.update_task(
            actor=alice,
            task=task,
            tags=[t.pk for t in tags[: i + 1]],
            participants=[alice.pk, bob.pk],
            due_date=f"2026-11-{i + 10}",
        )
    with CaptureQueriesContext(connection) as large:
        client.get(task_url(task), **HTMX)
    assert len(large) == len(small)


def _load_more_url(html: str) -> str | None:
    found = re.search(r'class="load-more"[^>]*?hx-get="([^"]+)"', html)
    return unescape(found.group(1)) if found else None


def test_pages_grow_as_you_scroll_so_a_long_list_loads_in_few_requests(
    client_for, project, alice, lists, settings
):
    """A small first page, then pages as large as what is already shown, up to the maximum; every
    card arrives once, in order, whatever the page sizes."""
    settings.BATON_BOARD_PAGE_SIZE = 2
    settings.BATON_BOARD_MAX_PAGE_SIZE = 6
    seed_cards(project, alice, lists[:1], 30)
    client = client_for(alice)
    html = client.get(board_url(project)).content.decode()
    titles = re.findall(r"card-title[^>]*>([^<]+)<", html)
    sizes, url = [], _load_more_url(html)
    while url:
        page = client.get(url, **HTMX)
        assert page.status_code == 200
        found = re.findall(r"card-title[^>]*>([^<]+)<", page.content.decode())
        sizes.append(len(found))
        titles += found
        url = _load_more_url(page.content.decode())
    assert sizes == [2, 4, 6, 6, 6, 4]
    expected = Task.objects.filter(list=lists[0]).order_by("position", "id")
    assert titles == [task.title for task in expected]


def test_a_large_page_of_cards_takes_as_many_queries_as_a_small_one(
    client_for, project, alice, lists, settings
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    settings.BATON_BOARD_PAGE_SIZE = 2
    seed_cards(project, alice, lists[:1], 40)
    first = Task.objects.filter(list=lists[0]).order_by("position", "id").first()
    url = reverse("projects:list_cards", args=[project.organization.slug, "SH", lists[0].pk])
    after = {"after_position": repr(first.position), "after_id": first.pk}
    client = client_for(alice)
    client.get(url, {**after, "shown": 2}, **HTMX)
    with CaptureQueriesContext(connection) as small:
        assert client.get(url, {**after, "shown": 2}, **HTMX).content.count(b"data-task-id") == 2
    with CaptureQueriesContext(connection) as large:
        assert client.get(url, {**after, "shown": 30}, **HTMX).content.count(b"data-task-id") == 30
    # the session, the user, the list with its access, the cards, their tags, the fields
    assert len(large) == len(small) == 6


def test_a_page_of_cards_refuses_a_malformed_count_of_cards_shown(
    client_for, project, alice, lists
):
    url = reverse("projects:list_cards", args=[project.organization.slug, "SH", lists[0].pk])
    response = client_for(alice).get(
        url, {"after_position": "1.0", "after_id": "1", "shown": "many"}
    )
    assert response.status_code == 400


def test_long_lists_load_more_cards_as_you_scroll(client_for, project, alice, lists, settings):
    settings.BATON_BOARD_PAGE_SIZE = 5
    for i in range(12):
        services.create_task(actor=alice, project=project, task_list=lists[0], title=f"card {i:02}")
    client = client_for(alice)
    html = client.get(board_url(project)).content.decode()
    assert "card 04" in html and "card 05" not in html and "load-more" in html
    fifth = Task.objects.get(title="card 04")
    url = reverse("projects:list_cards", args=[project.organization.slug, "SH", lists[0].pk])
    more = client.get(
        url, {"after_position": repr(fifth.position), "after_id": fifth.pk}
    ).content.decode()
    assert "card 05" in more and "card 09" in more and "card 10" not in more and "load-more" in more
    assert client.get(url, {"after_position": "x", "after_id": "1"}).status_code == 400
