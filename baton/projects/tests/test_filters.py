"""Filters on the board and the list view: every facet, how they combine, bad parameters."""

# Chinese titles use full-width punctuation, and the date range chip an en dash.
# ruff: noqa: RUF001

import datetime

import pytest
from django.http import QueryDict
from django.urls import reverse
from django.utils import timezone, translation

from baton.projects import services
from baton.projects.filter_parser import parse_filter
from baton.projects.filters import clean_query, filter_context
from baton.projects.models import CustomField, Task

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}
TODAY = datetime.date(2026, 11, 11)  # a Wednesday


@pytest.fixture
def tags(project, alice):
    return {
        name: services.create_tag(actor=alice, project=project, name=name, color=color)
        for name, color in [("退款", "red"), ("换货", "blue"), ("物流", "green")]
    }


@pytest.fixture
def other_project(org, alice):
    return services.create_project(
        actor=alice, organization=org, name="客户关系", key="CRM", lists=["新客户"]
    )


def card(project, lists, actor, title, *, list_index=0, **fields):
    task = services.create_task(
        actor=actor, project=project, task_list=lists[list_index], title=title
    )
    if fields:
        services.update_task(actor=actor, task=task, **fields)
    return task


@pytest.fixture
def cards(project, lists, alice, bob, carol, tags):
    """Five tickets of the after-sales board, each with its own mix of facets."""
    day = datetime.timedelta(days=1)
    made = {
        "退款慢": card(
            project,
            lists,
            alice,
            "退款慢",
            assignee=alice.pk,
            tags=[tags["退款"].pk],
            priority=4,
            due_date=TODAY - 2 * day,
            participants=[bob.pk],
        ),
        "换尺码": card(
            project,
            lists,
            alice,
            "换尺码",
            list_index=1,
            assignee=bob.pk,
            tags=[tags["换货"].pk, tags["物流"].pk],
            priority=2,
            due_date=TODAY,
        ),
        "丢件": card(
            project,
            lists,
            alice,
            "丢件",
            list_index=1,
            tags=[tags["物流"].pk],
            priority=3,
            due_date=TODAY + 3 * day,  # Saturday of this week
        ),
        "已退款": card(
            project,
            lists,
            alice,
            "已退款",
            list_index=2,
            assignee=bob.pk,
            tags=[tags["退款"].pk],
            due_date=TODAY - 5 * day,  # overdue, but done
        ),
        "咨询": card(project, lists, alice, "咨询", list_index=0, participants=[carol.pk]),
    }
    services.set_task_done(actor=alice, task=made["已退款"], done=True)
    return made


def titles(project, user, query: str, *, today=TODAY) -> list[str]:
    ctx = filter_context(project, user, today=today)
    card_filter = parse_filter(QueryDict(query), ctx)
    assert not card_filter.has_errors, [chip.label for chip in card_filter.chips]
    tasks = card_filter.apply(Task.objects.filter(project=project, parent__isnull=True))
    return sorted(tasks.values_list("title", flat=True))


def chips(project, user, query: str) -> list[tuple[str, str, bool]]:
    with translation.override("en"):
        card_filter = parse_filter(QueryDict(query), filter_context(project, user, today=TODAY))
    return [(chip.facet, chip.label, chip.error) for chip in card_filter.chips]


def board_url(project, query=""):
    url = reverse("projects:board", args=[project.organization.slug, project.key])
    return f"{url}?{query}" if query else url


# ---------------------------------------------------------------- each facet


def test_no_filter_keeps_every_card_but_the_archived(project, cards, alice):
    services.set_task_archived(actor=alice, task=cards["咨询"], archived=True)
    assert titles(project, alice, "") == ["丢件", "已退款", "换尺码", "退款慢"]


def test_owner_me_nobody_someone_and_several(project, cards, alice, bob):
    assert titles(project, alice, "owner=me") == ["退款慢"]
    assert titles(project, bob, "owner=me") == ["已退款", "换尺码"]
    assert titles(project, alice, "owner=nobody") == ["丢件", "咨询"]
    assert titles(project, alice, f"owner={bob.pk}") == ["已退款", "换尺码"]
    assert titles(project, alice, f"owner=me&owner={bob.pk}") == ["已退款", "换尺码", "退款慢"]
    assert titles(project, alice, "owner=me&owner=nobody") == ["丢件", "咨询", "退款慢"]


def test_participant(project, cards, alice, bob, carol):
    assert titles(project, bob, "participant=me") == ["退款慢"]
    assert titles(project, alice, f"participant={carol.pk}&participant={bob.pk}") == [
        "咨询",
        "退款慢",
    ]


def test_tags_any_of_and_untagged(project, cards, alice, tags):
    refund, logistics = tags["退款"].pk, tags["物流"].pk
    assert titles(project, alice, f"tag={refund}") == ["已退款", "退款慢"]
    assert titles(project, alice, f"tag={refund}&tag={logistics}") == [
        "丢件",
        "已退款",
        "换尺码",
        "退款慢",
    ]
    assert titles(project, alice, "tag=none") == ["咨询"]


def test_priority_and_list_and_status(project, cards, alice, lists):
    assert titles(project, alice, "priority=4&priority=3") == ["丢件", "退款慢"]
    assert titles(project, alice, "priority=0") == ["咨询", "已退款"]
    assert titles(project, alice, f"list={lists[1].pk}") == ["丢件", "换尺码"]
    assert titles(project, alice, "state=done") == ["已退款"]
    assert titles(project, alice, "state=open") == ["丢件", "咨询", "换尺码", "退款慢"]
    assert titles(project, alice, "state=all") == titles(project, alice, "")


def test_due_buckets_on_a_fixed_today(project, cards, alice):
    assert titles(project, alice, "due=overdue") == ["退款慢"]  # the done one is not overdue
    assert titles(project, alice, "due=today") == ["换尺码"]
    # Monday 9 to Sunday 15 November: the overdue one (the 9th) is in this week too.
    assert titles(project, alice, "due=week") == ["丢件", "换尺码", "退款慢"]
    assert titles(project, alice, "due=none") == ["咨询"]
    assert titles(project, alice, "due=overdue&due=none") == ["咨询", "退款慢"]
    a_week_later = TODAY + datetime.timedelta(days=7)
    assert titles(project, alice, "due=overdue", today=a_week_later) == ["丢件", "换尺码", "退款慢"]


def test_due_range(project, cards, alice):
    assert titles(project, alice, "due_from=2026-11-11&due_to=2026-11-14") == ["丢件", "换尺码"]
    assert titles(project, alice, "due_from=2026-11-12") == ["丢件"]
    assert titles(project, alice, "due_to=2026-11-06") == ["已退款"]


def test_facets_combine_with_and(project, cards, alice, bob, tags):
    query = f"owner={bob.pk}&tag={tags['物流'].pk}"
    assert titles(project, alice, query) == ["换尺码"]
    assert titles(project, alice, query + "&state=done") == []
    assert titles(project, alice, f"tag={tags['退款'].pk}&due=overdue&owner=me") == ["退款慢"]


def test_archived_cards_only_when_asked(project, cards, alice, lists):
    services.set_task_archived(actor=alice, task=cards["丢件"], archived=True)
    assert "丢件" not in titles(project, alice, "")
    assert "丢件" in titles(project, alice, "archived=1")
    services.set_list_archived(actor=alice, task_list=lists[2], archived=True)
    assert "已退款" not in titles(project, alice, "")  # its list is archived
    assert "已退款" in titles(project, alice, "archived=1")


def test_archived_cards_shown_on_request_are_marked(project, cards, alice, client_for):
    services.set_task_archived(actor=alice, task=cards["丢件"], archived=True)
    html = client_for(alice).get(board_url(project, "archived=1")).content.decode()
    archived = html[html.index(f'id="task-{cards["丢件"].pk}"') - 20 :]
    assert 'is-archived"' in archived[:200] and 'class="card-archived"' in archived
    assert html.count("card-archived") == 1  # the other cards carry no mark


# ---------------------------------------------------------------- custom fields


@pytest.fixture
def fields(project):
    make = CustomField.objects.create
    options = [{"id": "tb", "name": "淘宝", "color": "orange"}, {"id": "jd", "name": "京东"}]
    return {
        "order": make(project=project, name="订单号", kind="text"),
        "weight": make(project=project, name="重要性", kind="number"),
        "paid": make(project=project, name="付款日", kind="date"),
        "channel": make(project=project, name="渠道", kind="select", options=options),
        "issues": make(project=project, name="问题", kind="multi", options=options),
        "agent": make(project=project, name="客服", kind="member"),
        "called": make(project=project, name="已回访", kind="checkbox"),
        "link": make(project=project, name="聊天记录", kind="url"),
    }


def set_values(task, fields, **values):
    Task.objects.filter(pk=task.pk).update(
        custom_values={str(fields[name].pk): value for name, value in values.items()}
    )


@pytest.fixture
def valued(cards, fields, bob):
    set_values(
        cards["退款慢"],
        fields,
        order="TB2026111100238",
        weight=5,
        paid="2026-11-01",
        channel="tb",
        issues=["tb", "jd"],
        agent=bob.pk,
        called=True,
        link="https://im.example.com/chat/88",
    )
    set_values(
        cards["换尺码"],
        fields,
        order="jd77",
        weight=12.5,
        paid="2026-11-10",
        channel="jd",
        issues=["jd"],
    )
    return cards


def test_text_and_url_fields_contain_ignoring_case(project, valued, fields, alice):
    order, link = fields["order"].pk, fields["link"].pk
    assert titles(project, alice, f"cf_{order}=tb2026") == ["退款慢"]
    assert titles(project, alice, f"cf_{order}=JD") == ["换尺码"]
    assert titles(project, alice, f"cf_{link}=example.com") == ["退款慢"]


def test_number_fields_equal_or_within_a_range(project, valued, fields, alice):
    weight = fields["weight"].pk
    assert titles(project, alice, f"cf_{weight}=5") == ["退款慢"]
    assert titles(project, alice, f"cf_{weight}=12.5") == ["换尺码"]
    assert titles(project, alice, f"cf_{weight}_from=6") == ["换尺码"]
    assert titles(project, alice, f"cf_{weight}_from=1&cf_{weight}_to=12.5") == ["换尺码", "退款慢"]


def test_date_fields_within_a_range(project, valued, fields, alice):
    paid = fields["paid"].pk
    assert titles(project, alice, f"cf_{paid}_from=2026-11-05") == ["换尺码"]
    assert titles(project, alice, f"cf_{paid}_to=2026-11-01") == ["退款慢"]


def test_select_and_multi_select_options(project, valued, fields, alice):
    channel, issues = fields["channel"].pk, fields["issues"].pk
    assert titles(project, alice, f"cf_{channel}=tb") == ["退款慢"]
    assert titles(project, alice, f"cf_{channel}=tb&cf_{channel}=jd") == ["换尺码", "退款慢"]
    assert titles(project, alice, f"cf_{channel}=none") == ["丢件", "咨询", "已退款"]
    assert titles(project, alice, f"cf_{issues}=tb") == ["退款慢"]
    assert titles(project, alice, f"cf_{issues}=jd") == ["换尺码", "退款慢"]
    assert titles(project, alice, f"cf_{issues}=none") == ["丢件", "咨询", "已退款"]


def test_member_and_checkbox_fields(project, valued, fields, alice, bob):
    agent, called = fields["agent"].pk, fields["called"].pk
    assert titles(project, alice, f"cf_{agent}={bob.pk}") == ["退款慢"]
    assert titles(project, bob, f"cf_{agent}=me") == ["退款慢"]
    assert titles(project, alice, f"cf_{agent}=me") == []
    assert titles(project, alice, f"cf_{called}=yes") == ["退款慢"]
    assert titles(project, alice, f"cf_{called}=no") == ["丢件", "咨询", "已退款", "换尺码"]


# ---------------------------------------------------------------- bad parameters


def test_bad_parameters_filter_nothing_and_show_as_error_chips(
    project, other_project, cards, alice, tags, fields
):
    foreign_tag = services.create_tag(actor=alice, project=other_project, name="机密标签")
    foreign_list = other_project.lists.get()
    foreign_field = CustomField.objects.create(project=other_project, name="机密", kind="text")
    query = (
        f"tag={foreign_tag.pk}&tag=99999&tag=abc&list={foreign_list.pk}&due_from=abc"
        f"&priority=9&state=weird&owner=123456&due=someday&cf_{foreign_field.pk}=x"
        f"&cf_{fields['weight'].pk}=many&cf_{fields['called'].pk}=maybe"
        f"&cf_{fields['channel'].pk}=nope"
    )
    found = chips(project, alice, query)
    assert all(error for _facet, _label, error in found)
    assert len(found) == 13
    labels = " ".join(label for _facet, label, _error in found)
    assert "机密" not in labels  # another project's names never show
    assert f"Unknown tag: {foreign_tag.pk}" in labels and "Not a date: abc" in labels
    ctx = filter_context(project, alice, today=TODAY)
    card_filter = parse_filter(QueryDict(query), ctx)
    assert card_filter.pairs == []  # nothing of it is kept in links
    tasks = card_filter.apply(Task.objects.filter(project=project, parent__isnull=True))
    assert tasks.count() == 5


def test_odd_text_never_reaches_the_database_as_an_error(
    client_for, project, valued, fields, alice
):
    order = fields["order"].pk
    assert titles(project, alice, f"cf_{order}=%00tb2026%00") == ["退款慢"]
    url = board_url(project, f"tag=99999999999999999999999&cf_{'9' * 30}=1")
    assert client_for(alice).get(url).status_code == 200
    # Through the web a NUL never gets this far: every request carrying one is answered 422.
    assert client_for(alice).get(board_url(project, f"cf_{order}=%00")).status_code == 422


def test_a_bad_value_beside_good_ones_keeps_the_good_ones(project, cards, alice, tags):
    query = f"tag={tags['退款'].pk}&tag=99999"
    card_filter = parse_filter(QueryDict(query), filter_context(project, alice, today=TODAY))
    assert card_filter.pairs == [("tag", str(tags["退款"].pk))]
    assert [chip.error for chip in card_filter.chips] == [False, True]


def test_chips_drop_one_value_each_and_clear_drops_them_all(project, cards, alice, bob, tags):
    query = f"owner=me&owner={bob.pk}&tag={tags['退款'].pk}&due_from=2026-11-01&due_to=2026-11-30"
    with translation.override("en"):
        card_filter = parse_filter(QueryDict(query), filter_context(project, alice, today=TODAY))
    card_filter.link("/list", [("sort", "due")])
    urls = {chip.label: chip.url for chip in card_filter.chips}
    assert urls["Me"] == f"/list?owner={bob.pk}&tag={tags['退款'].pk}" + (
        "&due_from=2026-11-01&due_to=2026-11-30&sort=due"
    )
    assert urls["2026-11-01 – 2026-11-30"] == (
        f"/list?owner=me&owner={bob.pk}&tag={tags['退款'].pk}&sort=due"
    )
    assert card_filter.clear_url == "/list?sort=due"
    assert [chip.facet for chip in card_filter.chips] == ["Owner", "Owner", "Tag", "Due"]


def test_clean_query_keeps_only_what_a_view_understands():
    query = "owner=me&owner=&sort=-due&group=tag&evil=1&cf_3=x&cf_3_from=1&cf_x=1&offset=200"
    assert clean_query(query) == "owner=me&sort=-due&group=tag&cf_3=x&cf_3_from=1"
    assert clean_query(query, allowed_extra=()) == "owner=me&cf_3=x&cf_3_from=1"
    assert clean_query("") == ""


# ---------------------------------------------------------------- the board


def test_the_filtered_board_shows_matching_cards_and_counts_in_every_list(
    english, project, cards, alice, lists, tags
):
    response = english(alice).get(board_url(project, f"tag={tags['物流'].pk}"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "丢件" in html and "换尺码" in html
    assert "退款慢" not in html and "咨询" not in html
    board = {task_list.pk: task_list for task_list in response.context["lists"]}
    assert [board[tl.pk].card_count for tl in lists] == [0, 2, 0, 0]
    assert [board[tl.pk].total_count for tl in lists] == [2, 2, 1, 0]
    assert 'class="list-count is-filtered"' in html and "/ 2</span>" in html
    assert 'class="filter-chip"' in html and "物流" in html


def test_the_board_keeps_the_filter_in_its_load_more_links(
    client_for, project, lists, alice, tags, settings
):
    settings.BATON_BOARD_PAGE_SIZE = 2
    refund = tags["退款"].pk
    for n in range(5):
        card(project, lists, alice, f"退款单{n}", tags=[refund])
        card(project, lists, alice, f"别的{n}")
    client = client_for(alice)
    response = client.get(board_url(project, f"tag={refund}"))
    html = response.content.decode()
    assert f"&amp;tag={refund}" in html and "退款单1" in html and "别的0" not in html
    (first_list,) = [tl for tl in response.context["lists"] if tl.pk == lists[0].pk]
    last = first_list.cards[-1]
    url = reverse("projects:list_cards", args=[project.organization.slug, "SH", lists[0].pk])
    page = client.get(
        url, {"after_position": repr(last["position"]), "after_id": last["pk"], "tag": refund}
    )
    assert page.status_code == 200
    text = page.content.decode()
    assert "退款单2" in text and "退款单3" in text and "别的" not in text
    assert f"&amp;tag={refund}" in text  # the next page keeps it too


def test_bad_parameters_on_the_board_show_error_chips_not_another_projects_cards(
    english, project, other_project, cards, alice
):
    foreign = card(other_project, list(other_project.lists.all()), alice, "机密客户")
    foreign_tag = services.create_tag(actor=alice, project=other_project, name="机密")
    services.update_task(actor=alice, task=foreign, tags=[foreign_tag.pk])
    url = board_url(project, f"tag={foreign_tag.pk}&due_from=abc&list=zzz")
    response = english(alice).get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert "机密" not in html
    assert html.count('class="filter-chip is-error"') == 3
    assert "退款慢" in html and "咨询" in html  # nothing was filtered


def test_a_filter_link_answers_with_the_view_only(client_for, project, cards, alice, tags):
    url = board_url(project, f"tag={tags['退款'].pk}")
    response = client_for(alice).get(url, HTTP_HX_TARGET="view", **HTMX)
    html = response.content.decode().strip()
    assert html.startswith('<div id="view"') and "<html" not in html
    assert "HX-Target" in response["Vary"]
    full = client_for(alice).get(url, HTTP_HX_HISTORY_RESTORE_REQUEST="true", **HTMX)
    assert "<html" in full.content.decode()  # back and forward get the whole page


def test_the_filter_form_ticks_the_current_filters(client_for, project, cards, alice, tags):
    url = reverse("projects:filters", args=[project.organization.slug, "SH"])
    response = client_for(alice).get(url, {"tag": tags["退款"].pk, "owner": "me"}, **HTMX)
    html = response.content.decode()
    assert response.status_code == 200 and 'id="filter-form"' in html
    assert f'name="tag" value="{tags["退款"].pk}" checked' in html
    assert 'name="owner" value="me" checked' in html
    assert f'name="tag" value="{tags["换货"].pk}">' in html


def test_dragging_a_card_on_a_filtered_board_lands_after_its_visible_neighbour(
    client_for, project, lists, alice, tags
):
    refund = tags["退款"].pk
    first = card(project, lists, alice, "一", tags=[refund])
    card(project, lists, alice, "二（没标签）")
    third = card(project, lists, alice, "三", tags=[refund])
    moving = card(project, lists, alice, "新", list_index=1, tags=[refund])
    ref = f"SH-{moving.number}"
    url = reverse("projects:task_move", args=[project.organization.slug, ref])
    # On the board filtered by 退款 the first list shows 一 and 三; the card is dropped between.
    response = client_for(alice).post(
        url, {"list": lists[0].pk, "after": first.pk, "before": third.pk}, **HTMX
    )
    assert response.status_code == 200
    order = list(lists[0].tasks.order_by("position").values_list("title", flat=True))
    assert order == ["一", "新", "二（没标签）", "三"]


def test_filtered_board_queries_do_not_grow_with_the_cards(
    client_for, project, lists, alice, bob, tags, django_assert_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_for(alice)
    url = board_url(project, f"tag={tags['退款'].pk}&owner={bob.pk}&due=overdue&priority=3")
    past = timezone.localdate() - datetime.timedelta(days=3)

    def add(count):
        for n in range(count):
            card(
                project,
                lists,
                alice,
                f"卡片{n}",
                list_index=n % 4,
                tags=[tags["退款"].pk, tags["物流"].pk],
                assignee=bob.pk,
                priority=3,
                due_date=past,
            )

    add(3)
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    add(40)
    with CaptureQueriesContext(connection) as many:
        response = client.get(url)
    assert len(many) == len(few)
    assert sum(len(tl.cards) for tl in response.context["lists"]) == 43
    # Session, user, project; people and tags (to read the filter); the lists with their
    # counts; four lists' cards; the matching counts; the cards' tags; the custom fields; the
    # sidebar's membership and projects.
    with django_assert_num_queries(len(few)):
        client.get(url)
    assert len(few) <= 16


def test_the_plain_board_costs_no_query_for_filters(client_for, project, cards, alice):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_for(alice)
    client.get(board_url(project))
    with CaptureQueriesContext(connection) as plain:
        client.get(board_url(project))
    sql = " ".join(query["sql"] for query in plain.captured_queries)
    assert 'projects_tag"."name"' not in sql.split("projects_task_tags")[0]
    assert "projects_savedview" not in sql
