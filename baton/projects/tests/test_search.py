"""Searching tasks and comments as a person of the organization: what is indexed as it is
written, Chinese as Chinese users expect, who sees what, and the fixed cost of a results page."""

import io

import pytest
from django.urls import reverse

from baton.orgs.models import Membership, Role
from baton.projects import queries, services
from baton.projects.models import Visibility

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}

CARDS = [
    # (title, description)
    ("申请退款处理中", ""),
    ("商品质量问题-连衣裙开线", "客户说腋下开线 要求换货"),
    ("未收到货", "订单号 2026112400123 物流显示已签收"),
    ("Refund for order 7788", "Customer asks for a refund via Alipay"),
    ("双十一主会场海报", "主视觉 3 版 周五前定稿"),
]

# query → the titles expected, best first (None: any order)
QUERIES = [
    ("退款", ["申请退款处理中"]),
    ("质量", ["商品质量问题-连衣裙开线"]),
    ("开线", ["商品质量问题-连衣裙开线"]),
    ("换货", ["商品质量问题-连衣裙开线"]),  # in the description
    ("2026112400123", ["未收到货"]),
    ("400123", ["未收到货"]),  # part of an order number
    ("refund", ["Refund for order 7788"]),
    ("REFUND alipay", ["Refund for order 7788"]),
    ("SH-5", ["双十一主会场海报"]),  # a task number
    ("sh-5", ["双十一主会场海报"]),
    ("海报 定稿", ["双十一主会场海报"]),  # every term must match
    ("海报 退款", []),
    ("运费险", []),
    ("签收", ["未收到货"]),
]


@pytest.fixture
def cards(project, lists, bob):
    return [
        services.create_task(
            actor=bob, project=project, task_list=lists[0], title=title, description=description
        )
        for title, description in CARDS
    ]


def titles(user, org, query):
    return [r["task"].title for r in queries.search_tasks(user, org, query)]


@pytest.mark.parametrize(("query", "expected"), QUERIES)
def test_chinese_english_and_numbers_find_what_people_expect(cards, bob, org, query, expected):
    assert titles(bob, org, query) == expected


def test_a_title_match_ranks_above_a_description_match(project, lists, bob, org):
    services.create_task(
        actor=bob, project=project, task_list=lists[0], title="换货", description=""
    )
    services.create_task(
        actor=bob, project=project, task_list=lists[0], title="客户来信", description="想换货"
    )
    assert titles(bob, org, "换货") == ["换货", "客户来信"]


def test_comments_and_subtasks_are_found_and_edits_reindex(cards, bob, org):
    first = cards[0]
    comment = services.add_comment(actor=bob, task=first, body="已联系顺丰 运费险理赔中")
    assert titles(bob, org, "运费险") == ["申请退款处理中"]
    services.edit_comment(actor=bob, comment=comment, body="已联系顺丰")
    assert titles(bob, org, "运费险") == []
    subtask = services.create_subtask(actor=bob, parent=first, title="核对支付宝流水")
    assert titles(bob, org, "流水") == ["核对支付宝流水"]
    services.update_task(actor=bob, task=subtask, title="核对微信流水")
    assert titles(bob, org, "支付宝") == []
    assert titles(bob, org, "微信") == ["核对微信流水"]


def test_a_task_found_by_title_and_by_a_comment_appears_once(cards, bob, org):
    services.add_comment(actor=bob, task=cards[0], body="退款已到账")
    results = queries.search_tasks(bob, org, "退款")
    assert [r["task"].pk for r in results] == [cards[0].pk]
    assert results[0]["hit"].kind == "task"  # the title hit ranks above the comment's


def test_deleted_comments_tasks_and_archived_cards_are_not_found(cards, bob, org):
    comment = services.add_comment(actor=bob, task=cards[1], body="运费险理赔")
    services.delete_comment(actor=bob, comment=comment)
    assert titles(bob, org, "运费险") == []
    services.delete_task(actor=bob, task=cards[0])
    assert titles(bob, org, "退款") == []
    services.set_task_archived(actor=bob, task=cards[2], archived=True)
    assert titles(bob, org, "签收") == []
    services.set_task_archived(actor=bob, task=cards[2], archived=False)
    assert titles(bob, org, "签收") == ["未收到货"]


def test_people_find_only_the_projects_they_may_open(cards, org, alice, bob, carol, mallory):
    secret = services.create_project(
        actor=alice, organization=org, name="财务", key="CW", lists=["待办"]
    )
    services.create_task(
        actor=alice, project=secret, task_list=secret.lists.get(), title="退款对账"
    )
    assert titles(alice, org, "退款") == ["退款对账", "申请退款处理中"] or titles(
        alice, org, "退款"
    ) == ["申请退款处理中", "退款对账"]
    assert titles(bob, org, "退款") == ["申请退款处理中"]  # not a member of 财务
    assert titles(carol, org, "退款") == ["申请退款处理中"]  # a guest of SH only
    services.update_project(actor=alice, project=secret, visibility=Visibility.ORGANIZATION)
    assert sorted(titles(bob, org, "退款")) == sorted(["退款对账", "申请退款处理中"])
    assert titles(carol, org, "退款") == ["申请退款处理中"]  # guests see their projects only
    Membership.objects.create(organization=org, user=mallory, role=Role.GUEST)
    assert titles(mallory, org, "退款") == []


def test_the_search_page_and_dropdown_highlight_matches(cards, client_for, bob, org):
    url = reverse("projects:search", args=[org.slug])
    page = client_for(bob).get(url, {"q": "质量"})
    assert page.status_code == 200
    html = page.content.decode()
    assert "<mark>质量</mark>" in html and "SH-2" in html
    assert reverse("projects:task", args=[org.slug, "SH-2"]) in html
    dropdown = client_for(bob).get(url, {"q": "换货", "as": "dropdown"}, **HTMX)
    html = dropdown.content.decode()
    assert html.lstrip().startswith('<div class="search-results"')  # the partial only
    assert "<mark>换货</mark>" in html  # in the snippet of the description


def test_hostile_text_in_titles_and_queries_is_escaped(project, lists, bob, org, client_for):
    services.create_task(
        actor=bob, project=project, task_list=lists[0], title="<script>alert(1)</script>退款"
    )
    url = reverse("projects:search", args=[org.slug])
    html = client_for(bob).get(url, {"q": "<img src=x onerror=alert(1)>"}).content.decode()
    assert "<img src=x" not in html and "&lt;img src=x" in html
    html = client_for(bob).get(url, {"q": "script 退款"}).content.decode()
    assert "<script>alert(1)" not in html
    assert "&lt;<mark>script</mark>&gt;alert(1)" in html


def test_empty_long_and_odd_queries_answer_calmly(cards, client_for, bob, org):
    url = reverse("projects:search", args=[org.slug])
    client = client_for(bob)
    for query in ["", "   ", "x" * 5000, '"', "*", "OR", "NEAR(", "%", "\\"]:
        response = client.get(url, {"q": query})
        assert response.status_code == 200, query
    assert client.get(url, {"q": "退款\x00"}).status_code == 422  # refused before the search


def test_outsiders_get_404(cards, client_for, mallory, org, other_org):
    url = reverse("projects:search", args=[org.slug])
    assert client_for(mallory).get(url, {"q": "退款"}).status_code == 404
    assert client_for(None).get(url, {"q": "退款"}).status_code == 302  # to the login page


def test_results_take_a_fixed_number_of_queries(
    project, lists, bob, org, client_for, django_assert_max_num_queries
):
    url = reverse("projects:search", args=[org.slug])
    client = client_for(bob)
    counts = []
    for n in (2, 12):
        for i in range(n):
            task = services.create_task(
                actor=bob, project=project, task_list=lists[0], title=f"退款单 {n}-{i}"
            )
            services.add_comment(actor=bob, task=task, body="退款进度")
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as captured:
            assert client.get(url, {"q": "退款"}).status_code == 200
        counts.append(len(captured))
    assert counts[0] == counts[1]
    assert counts[1] <= 11  # 10, and the bell's unread count


def test_reindex_writes_the_entries_again(cards, bob, org):
    from django.core.management import call_command

    from baton.search.models import Entry

    services.add_comment(actor=bob, task=cards[0], body="运费险理赔")
    Entry.objects.all().delete()
    assert titles(bob, org, "退款") == []
    call_command("reindex", stdout=io.StringIO())
    assert titles(bob, org, "退款") == ["申请退款处理中"]
    assert titles(bob, org, "运费险") == ["申请退款处理中"]
