"""The list view in the browser: sort by a column, edit a title and an owner in their row, open
a card's panel from its title, and screenshots in Chinese and English."""

# Chinese titles use full-width punctuation, as the seed does.
# ruff: noqa: RUF001

import re

import pytest
from playwright.sync_api import expect

from baton.projects import services
from baton.projects.models import CustomField, Task
from tests.e2e.board import board_url, csp_violations, is_post_to, wait_until_settled, watch
from tests.e2e.conftest import login, screenshot
from tests.e2e.seed import seed_board

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

OVERFLOWING = """() => document.documentElement.scrollWidth > window.innerWidth"""


@pytest.fixture
def busy_board(project, lists, alice, bob, carol):
    alice.language = ""  # follow the browser's Accept-Language
    alice.save(update_fields=["language"])
    return seed_board(project=project, lists=lists, alice=alice, bob=bob, carol=carol)


def list_url(project) -> str:
    return board_url(project) + "list"


def titles(page) -> list[str]:
    return page.locator("tr.row .row-title-link").all_inner_texts()


def row(page, title: str):
    return page.locator("tr.row", has=page.locator(".row-title-link", has_text=title))


def test_sort_by_due_then_edit_a_title_and_an_owner_in_their_rows(
    new_page, project, busy_board, alice, bob
):
    page = new_page(language="en-US")
    watch(page)
    login(page, alice.email)
    page.goto(board_url(project))
    page.locator(".tabs .tab", has_text="List").click()
    expect(page).to_have_url(re.compile(r"/p/SH/list$"))
    expect(page.locator("tr.row")).to_have_count(len(busy_board))

    with page.expect_response(re.compile(r"/list\?sort=due$")):
        page.locator("th .sort-link", has_text="Due").click()
    expect(page).to_have_url(re.compile(r"\?sort=due$"))
    expect(page.locator('th[aria-sort="ascending"]')).to_have_count(1)
    by_due = sorted(
        (task for task in busy_board if task.due_date), key=lambda t: (t.due_date, t.pk)
    )
    expect(page.locator("tr.row .row-title-link")).to_have_count(len(busy_board))
    shown = titles(page)
    assert shown[: len(by_due)] == [task.title for task in by_due]  # no date comes last

    # Rename a ticket in its row: the pencil, the new title, Enter.
    target = busy_board[2]
    line = row(page, target.title)
    line.hover()
    line.locator(".row-edit").click()
    box = line.locator("input[name=title]")
    expect(box).to_be_focused()
    box.fill("快递五天没有物流更新，已联系顺丰")
    with page.expect_response(is_post_to("/update")) as response:
        box.press("Enter")
    assert response.value.status == 200
    expect(row(page, "快递五天没有物流更新")).to_be_visible()
    target.refresh_from_db()
    assert target.title == "快递五天没有物流更新，已联系顺丰"

    # Give it an owner: the select holds its options as soon as it is used. The renamed row must
    # have settled first, or the change could land on the row being swapped out.
    wait_until_settled(page)
    owner = row(page, "快递五天没有物流更新").locator("select[name=assignee]")
    owner.focus()
    with page.expect_response(is_post_to("/update")) as response:
        owner.select_option(label="Bob")
    assert response.value.status == 200
    expect(row(page, "快递五天没有物流更新").locator("select[name=assignee]")).to_have_value(
        str(bob.pk)
    )
    assert Task.objects.get(pk=target.pk).assignee == bob
    assert page.console_errors == [] and csp_violations(page) == []


def test_a_title_opens_the_panel_and_its_changes_refresh_the_row(
    new_page, project, busy_board, alice
):
    page = new_page(language="en-US")
    login(page, alice.email)
    page.goto(list_url(project))
    target = busy_board[4]  # 咨询双11预售尾款能不能用优惠券: no priority
    row(page, "咨询双11预售").locator(".row-title-link").click()
    panel = page.locator("#panel-body .task-detail")
    expect(panel).to_be_visible()
    expect(panel.locator("#task-title")).to_have_text(target.title)
    with page.expect_response(is_post_to("/update")):
        panel.locator("select[name=priority]").select_option(value="4")
    expect(row(page, "咨询双11预售").locator("select[name=priority]")).to_have_value("4")
    page.keyboard.press("Escape")
    expect(panel).to_be_hidden()
    expect(page).to_have_url(re.compile(r"/p/SH/list$"))
    assert page.console_errors == []


def add_fields(project, tasks):
    """The after-sales project's own columns: an order number, a channel, an importance."""
    channels = [
        {"id": "tb", "name": "淘宝", "color": "orange"},
        {"id": "jd", "name": "京东", "color": "red"},
        {"id": "dy", "name": "抖音", "color": "gray"},
    ]
    order = CustomField.objects.create(project=project, name="订单号", kind="text")
    channel = CustomField.objects.create(
        project=project, name="渠道", kind="select", options=channels, position=1
    )
    weight = CustomField.objects.create(project=project, name="重要性", kind="number", position=2)
    for n, task in enumerate(tasks):
        values = {str(order.pk): f"2026111100{238 + n * 17}", str(weight.pk): (n * 37) % 100}
        if n % 4:
            values[str(channel.pk)] = channels[n % 3]["id"]
        Task.objects.filter(pk=task.pk).update(custom_values=values)


@pytest.mark.parametrize("language, short", [("zh-CN", "zh"), ("en-US", "en")])
def test_the_list_view_is_captured(new_page, project, busy_board, alice, language, short):
    add_fields(project, busy_board)
    services.create_saved_view(
        actor=alice,
        project=project,
        name="我的紧急工单",
        layout="list",
        query="owner=me&priority=4",
    )
    services.create_saved_view(
        actor=alice, project=project, name="逾期", layout="board", query="due=overdue"
    )
    page = new_page(language=language)
    login(page, alice.email)
    page.goto(list_url(project))
    expect(page.locator("tr.row")).to_have_count(len(busy_board))
    page.evaluate("document.fonts.ready")
    screenshot(page, f"list-{short}-1280")
    page.goto(list_url(project) + "?group=tag&sort=-priority")
    expect(page.locator("tr.group-row").first).to_be_visible()
    screenshot(page, f"list-grouped-{short}-1280")
    assert not page.evaluate(OVERFLOWING)
    page.locator(".views-menu > button").click()
    expect(page.locator(".saved-view")).to_have_count(2)
    screenshot(page, f"list-saved-views-{short}-1280")
    page.goto(list_url(project) + "?owner=me")
    page.locator(".filter-button").click()
    expect(page.locator("form.filter-form")).to_be_visible()
    screenshot(page, f"list-filter-form-{short}-1280")
    assert page.console_errors == []


def test_more_rows_load_as_the_table_scrolls(new_page, project, lists, alice):
    Task.objects.bulk_create(
        Task(project=project, list=lists[0], number=n + 1, title=f"工单 {n + 1:03}",
             position=n + 1, created_by=alice)
        for n in range(130)
    )  # fmt: skip
    page = new_page(language="en-US")
    login(page, alice.email)
    page.goto(list_url(project) + "?group=list")
    expect(page.locator("tr.row")).to_have_count(100)
    page.locator(".table-scroll").evaluate("e => e.scrollTop = e.scrollHeight")
    expect(page.locator("tr.row")).to_have_count(130)
    expect(page.locator("tr.group-row")).to_have_count(1)  # the group goes on, no second header
    assert titles(page)[-1] == "工单 130"
    assert page.console_errors == []
