"""Filtering the board in the browser: the filter bar's form, chips, a shared link, saved views."""

import re

import pytest
from playwright.sync_api import expect

from baton.projects.models import SavedView, Tag
from tests.e2e.board import (
    board_url,
    card,
    card_titles,
    column,
    csp_violations,
    drag_card,
    watch,
)
from tests.e2e.conftest import login, screenshot
from tests.e2e.seed import seed_board

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

# Chinese titles use full-width punctuation, as the seed does.
# ruff: noqa: RUF001, RUF003

BOBS_REFUNDS = [
    "商品详情页写的是 128G，收到的是 64G，要求补差价或退货退款，"
    "情绪比较激动，注意安抚并尽快给出方案",
    "退款已到账，买家确认",
]


@pytest.fixture
def busy_board(project, lists, alice, bob, carol):
    for person in (alice, bob):
        person.language = ""  # follow the browser's Accept-Language
        person.save(update_fields=["language"])
    return seed_board(project=project, lists=lists, alice=alice, bob=bob, carol=carol)


def open_filters(page):
    page.locator(".filter-button").click()
    form = page.locator("form.filter-form")
    expect(form).to_be_visible()
    return form


def test_filter_the_board_by_tag_and_owner_then_share_the_link(new_page, project, busy_board, bob):
    page = new_page(language="en-US")
    watch(page)
    login(page, bob.email)
    page.goto(board_url(project))
    expect(page.locator("a.card")).to_have_count(len(busy_board))

    form = open_filters(page)
    form.locator("label.chip-toggle", has_text="退款").click()
    with page.expect_response(re.compile(r"/p/SH/\?")) as response:
        form.get_by_role("button", name="Apply").click()
    assert response.value.status == 200
    refunds = Tag.objects.get(name="退款")
    expect(page).to_have_url(re.compile(rf"\?tag={refunds.pk}$"))
    expect(page.locator("a.card")).to_have_count(4)
    expect(page.locator(".filter-chip")).to_have_count(1)

    form = open_filters(page)
    form.locator("label.chip-toggle", has_text="Bob").first.click()
    with page.expect_response(re.compile(r"/p/SH/\?")):
        form.get_by_role("button", name="Apply").click()
    expect(page).to_have_url(re.compile(rf"\?owner={bob.pk}&tag={refunds.pk}$"))
    expect(page.locator("a.card")).to_have_count(2)
    assert card_titles(page.locator("#board")) == BOBS_REFUNDS
    chips = page.locator(".filter-chip")
    expect(chips).to_have_count(2)
    expect(chips.nth(0)).to_contain_text("Bob")
    expect(chips.nth(1)).to_contain_text("退款")
    expect(page.locator(".list-count.is-filtered")).to_have_text(["1", "0", "1", "0"])
    screenshot(page, "board-filtered-en-1280")

    # The link, opened by someone else in a new browser, shows the same board.
    shared = page.url
    other = new_page(language="en-US")
    login(other, "alice@example.com")
    other.goto(shared)
    expect(other.locator("a.card")).to_have_count(2)
    assert card_titles(other.locator("#board")) == BOBS_REFUNDS
    expect(other.locator(".filter-chip")).to_have_count(2)

    # × drops one filter: back to every refund ticket.
    with page.expect_response(re.compile(r"/p/SH/\?tag=")):
        chips.nth(0).locator(".filter-chip-remove").click()
    expect(page.locator("a.card")).to_have_count(4)
    expect(page).to_have_url(re.compile(rf"\?tag={refunds.pk}$"))
    page.locator(".filter-clear").click()
    expect(page.locator("a.card")).to_have_count(len(busy_board))
    assert page.console_errors == [] and csp_violations(page) == []


def test_a_filtered_board_in_chinese_and_a_bad_link(new_page, project, busy_board, alice):
    refunds = Tag.objects.get(name="退款")
    page = new_page(language="zh-CN")
    login(page, alice.email)
    page.goto(board_url(project) + f"?tag={refunds.pk}&owner=me&due_from=abc")
    expect(page.locator(".filter-chip")).to_have_count(3)
    expect(page.locator(".filter-chip.is-error")).to_have_count(1)
    expect(card(page, "羽绒服尺码偏小")).to_be_visible()
    page.evaluate("document.fonts.ready")
    screenshot(page, "board-filtered-zh-1280")
    open_filters(page)
    screenshot(page, "board-filter-form-zh-1280")
    assert page.console_errors == []


def test_save_a_view_and_apply_it_later(new_page, project, busy_board, bob):
    page = new_page(language="en-US")
    login(page, bob.email)
    page.goto(board_url(project) + "?owner=me&due=overdue")
    expect(page.locator(".filter-chip")).to_have_count(2)
    page.locator(".views-menu > button").click()
    box = page.locator("#save-view-name")
    expect(box).to_be_visible()
    box.fill("我的逾期")
    with page.expect_response(lambda r: r.url.endswith("/views/new")) as response:
        box.press("Enter")
    assert response.value.status == 200
    expect(page.locator(".saved-view.is-current")).to_contain_text("我的逾期")
    assert SavedView.objects.get().query == "owner=me&due=overdue"

    page.goto(board_url(project))
    expect(page.locator(".filter-chip")).to_have_count(0)
    page.locator(".views-menu > button").click()
    page.locator(".saved-view-link", has_text="我的逾期").click()
    expect(page.locator(".filter-chip")).to_have_count(2)
    expect(page).to_have_url(re.compile(r"\?owner=me&due=overdue$"))

    # Deleting asks first: dismissing keeps the view, accepting deletes it.
    page.locator(".views-menu > button").click()
    view = page.locator(".saved-view", has_text="我的逾期")
    view.hover()
    page.once("dialog", lambda dialog: dialog.dismiss())
    view.locator(".saved-view-actions .danger").click()
    page.wait_for_timeout(300)
    assert SavedView.objects.count() == 1
    page.once("dialog", lambda dialog: dialog.accept())
    with page.expect_response(lambda r: "/delete" in r.url):
        view.locator(".saved-view-actions .danger").click()
    expect(page.locator(".saved-view")).to_have_count(0)
    assert SavedView.objects.count() == 0
    assert page.console_errors == []


def test_drag_a_card_on_a_filtered_board(new_page, project, busy_board, lists, alice):
    refunds = Tag.objects.get(name="退款")
    page = new_page(language="zh-CN")
    login(page, alice.email)
    page.goto(board_url(project) + f"?tag={refunds.pk}")
    moving = card(page, "羽绒服尺码偏小")
    drag_card(page, moving, column(page, "处理中").locator(".list-cards"))
    expect(column(page, "处理中").locator("a.card")).to_have_count(1)
    expect(column(page, "客户反馈").locator(".list-count")).to_have_text("1")
    expect(column(page, "处理中").locator(".list-count")).to_have_text("1")
    expect(column(page, "处理中").locator(".list-total")).to_have_text("/ 4")
    dragged = busy_board[1]
    dragged.refresh_from_db()
    assert dragged.list == lists[1]
    assert page.console_errors == []
