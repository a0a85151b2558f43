"""The list view: one row per card, sorted and grouped by any column, a page at a time, with
inline edits through the task services."""

import datetime
import re

import pytest
from django.urls import reverse

from baton.projects import services
from baton.projects.models import CustomField, Task
from baton.projects.table import PAGE_SIZE

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}


def list_url(project, query=""):
    url = reverse("projects:list", args=[project.organization.slug, project.key])
    return f"{url}?{query}" if query else url


def rows_url(project):
    return reverse("projects:list_rows", args=[project.organization.slug, project.key])


def task_url(task, action):
    ref = f"{task.project.key}-{task.number}"
    return reverse(f"projects:task_{action}", args=[task.project.organization.slug, ref])


def card(project, lists, actor, title, *, list_index=0, **fields):
    task = services.create_task(
        actor=actor, project=project, task_list=lists[list_index], title=title
    )
    if fields:
        services.update_task(actor=actor, task=task, **fields)
    return task


def row_titles(html: str) -> list[str]:
    return re.findall(r'class="row-title-link"[^>]*>([^<]*)</a>', html)


def group_names(html: str) -> list[tuple[str, str]]:
    return re.findall(
        r'<span class="group-name[^"]*">([^<]*)</span><span class="group-count">(\d+)</span>', html
    )


@pytest.fixture
def tags(project, alice):
    return {
        name: services.create_tag(actor=alice, project=project, name=name, color=color)
        for name, color in [("退款", "red"), ("换货", "blue")]
    }


@pytest.fixture
def fields(project):
    options = [
        {"id": "tb", "name": "淘宝", "color": "orange"},
        {"id": "jd", "name": "京东", "color": "red"},
    ]
    make = CustomField.objects.create
    return {
        "weight": make(project=project, name="重要性", kind="number"),
        "order": make(project=project, name="订单号", kind="text", position=1),
        "channel": make(project=project, name="渠道", kind="select", options=options, position=2),
        "agent": make(project=project, name="客服", kind="member", position=3),
    }


@pytest.fixture
def table(project, lists, alice, bob, tags, fields):
    """Four tickets over three lists, each column with values that sort differently."""
    day = datetime.timedelta(days=1)
    today = datetime.date(2026, 11, 11)
    made = [
        card(project, lists, alice, "B 退款慢", list_index=1, assignee=bob.pk, priority=1,
             due_date=today + 2 * day, tags=[tags["退款"].pk, tags["换货"].pk]),
        card(project, lists, alice, "A 换尺码", list_index=0, assignee=alice.pk, priority=4,
             tags=[tags["换货"].pk]),
        card(project, lists, alice, "D 丢件", list_index=2, priority=2, due_date=today),
        card(project, lists, alice, "C 咨询", list_index=0, assignee=bob.pk, priority=0,
             due_date=today + 9 * day),
    ]  # fmt: skip
    values = [
        {"weight": 10, "order": "tb-3", "channel": "jd", "agent": alice.pk},
        {"weight": 9, "order": "tb-1", "channel": "tb", "agent": bob.pk},
        {"weight": 100, "channel": "tb"},
        {},
    ]
    for task, value in zip(made, values, strict=True):
        Task.objects.filter(pk=task.pk).update(
            custom_values={str(fields[name].pk): v for name, v in value.items()}
        )
    services.set_task_done(actor=alice, task=made[2], done=True)
    services.create_subtask(actor=alice, parent=made[0], title="子任务不成行")
    return made


# ---------------------------------------------------------------- the page


def test_one_row_per_card_with_every_column(english, project, table, alice, fields):
    response = english(alice).get(list_url(project))
    assert response.status_code == 200
    html = response.content.decode()
    # Board order by default: the lists in order, then the cards of each list.
    assert row_titles(html) == ["A 换尺码", "C 咨询", "B 退款慢", "D 丢件"]
    assert "子任务不成行" not in html
    for task in table:
        assert f'data-task-id="{task.pk}"' in html
        assert f'<input type="checkbox" class="bulk-check" name="tasks" value="{task.pk}"' in html
    for custom in fields.values():
        assert f">{custom.name}<" in html
    assert "SH-1" in html and "淘宝" in html and "tb-3" in html and ">100<" in html
    assert 'id="bulk-bar"' in html  # the selection bar's partial is on the page
    assert html.count('class="row-title-link"') == 4 and "4 cards" in html


def test_a_title_opens_the_task_panel_like_the_board(client_for, project, table, alice):
    html = client_for(alice).get(list_url(project)).content.decode()
    task = table[0]
    link = f'href="/o/{project.organization.slug}/SH-{task.number}" hx-get='
    assert link in html and 'hx-target="#panel-body"' in html and 'id="panel-body"' in html


def test_the_list_tab_and_the_board_tab_keep_the_filters(client_for, project, table, alice, tags):
    query = f"tag={tags['退款'].pk}"
    html = client_for(alice).get(list_url(project, query + "&sort=due")).content.decode()
    board = reverse("projects:board", args=[project.organization.slug, "SH"])
    assert f'href="{board}?{query}"' in html  # the board has no sort: only the filters go
    assert row_titles(html) == ["B 退款慢"]


def test_a_viewer_sees_the_rows_without_editors(client_for, project, table, carol):
    html = client_for(carol).get(list_url(project)).content.decode()
    assert row_titles(html) == ["A 换尺码", "C 咨询", "B 退款慢", "D 丢件"]
    assert "hx-post" not in html.split('id="rows"')[1].split("</tbody>")[0]


# ---------------------------------------------------------------- sorting


@pytest.mark.parametrize(
    "sort, expected",
    [
        ("number", ["B 退款慢", "A 换尺码", "D 丢件", "C 咨询"]),
        ("-number", ["C 咨询", "D 丢件", "A 换尺码", "B 退款慢"]),
        ("title", ["A 换尺码", "B 退款慢", "C 咨询", "D 丢件"]),
        ("-list", ["D 丢件", "B 退款慢", "C 咨询", "A 换尺码"]),
        ("owner", ["A 换尺码", "B 退款慢", "C 咨询", "D 丢件"]),  # Alice, Bob, Bob, nobody last
        ("-owner", ["B 退款慢", "C 咨询", "A 换尺码", "D 丢件"]),  # nobody last still
        ("due", ["D 丢件", "B 退款慢", "C 咨询", "A 换尺码"]),  # no date last
        ("-due", ["C 咨询", "B 退款慢", "D 丢件", "A 换尺码"]),  # no date last still
        ("-priority", ["A 换尺码", "D 丢件", "B 退款慢", "C 咨询"]),
        ("tags", ["B 退款慢", "A 换尺码", "D 丢件", "C 咨询"]),  # by first tag: 换货, 换货, none
        ("done", ["B 退款慢", "A 换尺码", "C 咨询", "D 丢件"]),  # open first, in number order
    ],
)
def test_sort_by_each_column(client_for, project, table, alice, sort, expected):
    html = client_for(alice).get(list_url(project, f"sort={sort}")).content.decode()
    assert row_titles(html) == expected


def test_sort_by_custom_fields_numbers_numerically_empty_last(
    client_for, project, table, alice, fields
):
    client = client_for(alice)

    def order(field, descending=False):
        sort = f"{'-' if descending else ''}cf_{fields[field].pk}"
        return row_titles(client.get(list_url(project, f"sort={sort}")).content.decode())

    assert order("weight") == ["A 换尺码", "B 退款慢", "D 丢件", "C 咨询"]  # 9 < 10 < 100
    assert order("weight", descending=True) == ["D 丢件", "B 退款慢", "A 换尺码", "C 咨询"]
    assert order("order") == ["A 换尺码", "B 退款慢", "D 丢件", "C 咨询"]
    assert order("channel") == ["A 换尺码", "D 丢件", "B 退款慢", "C 咨询"]  # 淘宝 is first
    assert order("agent") == ["B 退款慢", "A 换尺码", "D 丢件", "C 咨询"]  # Alice, Bob, empty
    assert order("agent", descending=True)[:2] == ["A 换尺码", "B 退款慢"]


def test_the_sorted_column_header_links_to_the_other_direction(client_for, project, table, alice):
    html = client_for(alice).get(list_url(project, "sort=due")).content.decode()
    assert 'aria-sort="ascending"' in html and "sort=-due" in html
    html = client_for(alice).get(list_url(project, "sort=-due")).content.decode()
    assert 'aria-sort="descending"' in html


def test_an_unknown_sort_or_group_gives_the_default_order(client_for, project, table, alice):
    client = client_for(alice)
    for query in ["sort=password", "sort=cf_99999", "group=secret", "group=cf_abc", "sort="]:
        response = client.get(list_url(project, query))
        assert response.status_code == 200
        assert row_titles(response.content.decode()) == ["A 换尺码", "C 咨询", "B 退款慢", "D 丢件"]


# ---------------------------------------------------------------- grouping


def test_group_by_list_owner_priority(english, project, table, alice, lists):
    client = english(alice)
    html = client.get(list_url(project, "group=list")).content.decode()
    assert group_names(html) == [("客户反馈", "2"), ("处理中", "1"), ("已处理", "1")]
    html = client.get(list_url(project, "group=owner&sort=title")).content.decode()
    assert group_names(html) == [("Alice", "1"), ("Bob", "2"), ("Nobody", "1")]
    assert row_titles(html) == ["A 换尺码", "B 退款慢", "C 咨询", "D 丢件"]
    html = client.get(list_url(project, "group=priority")).content.decode()
    assert [name for name, _count in group_names(html)] == [
        "Urgent",
        "Medium",
        "Low",
        "No priority",
    ]


def test_group_by_tag_shows_a_card_with_two_tags_in_both_groups(english, project, table, alice):
    html = english(alice).get(list_url(project, "group=tag&sort=title")).content.decode()
    assert group_names(html) == [("换货", "2"), ("退款", "1"), ("No tag", "2")]
    assert row_titles(html) == ["A 换尺码", "B 退款慢", "B 退款慢", "C 咨询", "D 丢件"]
    assert "4 cards" in html  # cards, not rows


def test_group_by_a_single_select_field(english, project, table, alice, fields):
    url = list_url(project, f"group=cf_{fields['channel'].pk}&sort=title")
    html = english(alice).get(url).content.decode()
    assert group_names(html) == [("淘宝", "2"), ("京东", "1"), ("No value", "1")]
    assert row_titles(html) == ["A 换尺码", "D 丢件", "B 退款慢", "C 咨询"]


def test_filters_sort_and_group_together(english, project, table, alice, bob, tags):
    query = f"owner={bob.pk}&sort=-due&group=tag"
    html = english(alice).get(list_url(project, query)).content.decode()
    assert row_titles(html) == ["B 退款慢", "B 退款慢", "C 咨询"]
    assert group_names(html) == [("换货", "1"), ("退款", "1"), ("No tag", "1")]


# ---------------------------------------------------------------- pages


@pytest.fixture
def many(project, lists, alice):
    """PAGE_SIZE + 30 cards in the first list, inserted in bulk (numbers 1…)."""
    count = PAGE_SIZE + 30
    Task.objects.bulk_create(
        Task(project=project, list=lists[n % 2], number=n + 1, title=f"工单 {n + 1:03}",
             position=n + 1, created_by=alice)
        for n in range(count)
    )  # fmt: skip
    project.task_counter = count
    project.save(update_fields=["task_counter"])
    return count


def test_the_first_page_holds_a_hundred_rows_then_more_load(client_for, project, many, alice):
    client = client_for(alice)
    html = client.get(list_url(project, "sort=title")).content.decode()
    titles = row_titles(html)
    assert len(titles) == PAGE_SIZE and titles[0] == "工单 001"
    (more,) = re.findall(r'hx-get="([^"]+)" hx-trigger="intersect once"', html)
    more = more.replace("&amp;", "&")
    assert "offset=100" in more and "sort=title" in more
    page = client.get(more, **HTMX)
    assert page.status_code == 200
    rest = row_titles(page.content.decode())
    assert rest == [f"工单 {n:03}" for n in range(PAGE_SIZE + 1, many + 1)]
    assert "intersect once" not in page.content.decode()


def test_the_next_page_of_a_group_does_not_repeat_its_header(client_for, project, many, lists):
    client = client_for(project.created_by)
    html = client.get(list_url(project, "group=list&sort=number")).content.decode()
    assert len(group_names(html)) == 2  # both lists started on the first page
    (more,) = re.findall(r'hx-get="([^"]+)" hx-trigger="intersect once"', html)
    page = client.get(more.replace("&amp;", "&"), **HTMX).content.decode()
    assert "last_group=" in more and group_names(page) == []
    assert len(row_titles(page)) == 30


def test_a_bad_offset_is_a_400(client_for, project, table, alice):
    client = client_for(alice)
    assert client.get(rows_url(project), {"offset": "abc"}).status_code == 400
    assert client.get(rows_url(project), {"offset": "-5"}).status_code == 400
    assert client.get(rows_url(project), {"offset": "9" * 30}).status_code == 400
    assert client.get(rows_url(project), {"offset": "500"}).status_code == 200


def test_the_list_page_queries_do_not_grow_with_the_rows(
    client_for, project, lists, alice, bob, tags, fields, django_assert_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_for(alice)
    url = list_url(project, f"tag={tags['退款'].pk}&sort=-priority")

    def add(count):
        for n in range(count):
            task = card(project, lists, alice, f"卡片{n}", list_index=n % 4, assignee=bob.pk,
                        tags=[tags["退款"].pk, tags["换货"].pk], priority=n % 5)  # fmt: skip
            values = {str(fields["agent"].pk): bob.pk, str(fields["channel"].pk): "tb"}
            Task.objects.filter(pk=task.pk).update(custom_values=values)

    add(3)
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    add(40)
    # The session, the user, the project with its access; the lists, the count, the rows with
    # their owners, the tags, the rows' tags, the custom fields, the people; the sidebar.
    with django_assert_num_queries(len(few)):
        response = client.get(url)
    assert len(row_titles(response.content.decode())) == 43
    assert len(few) <= 13  # +1: the bell's unread count in the sidebar
    with django_assert_num_queries(len(few) + 1):  # grouped: the groups' counts
        client.get(url + "&group=tag")


# ---------------------------------------------------------------- inline edits


def test_inline_edits_of_title_owner_due_priority_list_and_done(
    client_for, project, table, alice, bob, lists
):
    client = client_for(bob)
    task = table[1]
    edits = [
        ("update", {"_fields": "title", "title": "A 换成大一码", "version": task.version}),
        ("update", {"_fields": "assignee", "assignee": bob.pk}),
        ("update", {"_fields": "due_date", "due_date": "2026-12-12"}),
        ("update", {"_fields": "priority", "priority": "3"}),
        ("move", {"list": lists[3].pk}),
        ("done", {"done": "1"}),
    ]
    for action, data in edits:
        response = client.post(task_url(task, action), {**data, "view": "row"}, **HTMX)
        assert response.status_code == 200, response.content
        html = response.content.decode()
        assert html.startswith('<tr class="row') and f'data-task-id="{task.pk}"' in html
        assert html.count("<tr") == 1
    task.refresh_from_db()
    assert task.title == "A 换成大一码" and task.assignee == bob
    assert task.due_date == datetime.date(2026, 12, 12) and task.priority == 3
    assert task.list == lists[3] and task.completed_at is not None
    assert 'class="row is-done"' in html and "反馈驳回" in html


def test_an_inline_edit_that_fails_keeps_what_was_typed(english, project, table, alice):
    client = english(alice)
    task = table[1]
    response = client.post(
        task_url(task, "update"),
        {"_fields": "title", "title": "", "version": task.version, "view": "row"},
        **HTMX,
    )
    assert response.status_code == 422
    html = response.content.decode()
    assert "This field is required." in html and 'x-init="edit"' in html
    response = client.post(
        task_url(task, "update"),
        {"_fields": "due_date", "due_date": "2026-13-45", "view": "row"},
        **HTMX,
    )
    assert response.status_code == 422
    html = response.content.decode()
    assert 'value="2026-13-45"' in html and "Enter a date like 2026-11-11." in html
    response = client.post(task_url(task, "move"), {"list": "999999", "view": "row"}, **HTMX)
    assert response.status_code == 422 and "That list is not on this board." in response.text
    task.refresh_from_db()
    assert task.title == "A 换尺码" and task.due_date is None


def test_a_stale_title_edit_is_a_conflict_that_keeps_both_titles(english, project, table, bob):
    task = table[1]
    stale = task.version
    services.update_task(actor=bob, task=task, title="A 别人改过", version=stale)
    response = english(bob).post(
        task_url(task, "update"),
        {"_fields": "title", "title": "A 我的标题", "version": stale, "view": "row"},
        **HTMX,
    )
    assert response.status_code == 409
    html = response.content.decode()
    assert 'value="A 我的标题"' in html and "A 别人改过" in html
    assert "Save again to keep yours." in html
    task.refresh_from_db()
    assert task.title == "A 别人改过"


def test_a_viewer_cannot_edit_a_row(client_for, project, table, carol, lists):
    client = client_for(carol)
    task = table[1]
    for action, data in [
        ("update", {"_fields": "title", "title": "不行"}),
        ("move", {"list": lists[2].pk}),
        ("done", {"done": "1"}),
    ]:
        response = client.post(task_url(task, action), {**data, "view": "row"}, **HTMX)
        assert response.status_code == 403
    task.refresh_from_db()
    assert task.title == "A 换尺码" and task.list == lists[0] and task.completed_at is None


def test_the_panel_over_the_list_refreshes_the_row_not_a_board_card(
    client_for, project, table, alice
):
    task = table[1]
    headers = {**HTMX, "HTTP_X_BATON_LAYOUT": "list"}
    response = client_for(alice).post(
        task_url(task, "update"), {"_fields": "priority", "priority": "1"}, **headers
    )
    html = response.content.decode()
    assert response.status_code == 200 and 'id="task-panel"' in html
    assert f'<template><tr class="row" data-task-id="{task.pk}"' in html
    assert f"hx-swap-oob=\"outerHTML:tr[data-task-id='{task.pk}']\"" in html
    assert f'id="task-{task.pk}"' not in html  # no board card out of band


def test_deleting_from_the_panel_over_the_list_drops_the_row(client_for, project, table, alice):
    task = table[3]
    back = list_url(project, "sort=due")
    response = client_for(alice).post(
        task_url(task, "delete"),
        **HTMX,
        HTTP_X_BATON_LAYOUT="list",
        HTTP_X_BATON_RETURN=back,
    )
    assert response.status_code == 200
    assert f"delete:tr[data-task-id='{task.pk}']" in response.content.decode()
    assert response["HX-Push-Url"] == back
    assert not Task.objects.filter(pk=task.pk).exists()
    other = table[2]
    response = client_for(alice).post(
        task_url(other, "delete"), **HTMX, HTTP_X_BATON_LAYOUT="list",
        HTTP_X_BATON_RETURN="https://evil.example.com/",
    )  # fmt: skip
    assert response["HX-Push-Url"] == list_url(project)


# ---------------------------------------------------------------- who may see it


def test_mallory_gets_404_on_every_new_url(client_for, project, table, mallory, other_org):
    client = client_for(mallory)
    slug = project.organization.slug
    for name in ["list", "list_rows", "filters", "views"]:
        url = reverse(f"projects:{name}", args=[slug, "SH"])
        assert client.get(url, {"offset": "0"}).status_code == 404, name
    assert client.post(reverse("projects:view_create", args=[slug, "SH"]), {}).status_code == 404
    task = table[0]
    for action in ["update", "move", "done"]:
        data = {"view": "row", "_fields": "title", "title": "x", "list": task.list_id}
        assert client.post(task_url(task, action), data, **HTMX).status_code == 404
    task.refresh_from_db()
    assert task.title == "B 退款慢"
