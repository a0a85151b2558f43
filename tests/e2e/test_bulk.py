"""Bulk actions in the browser: shift-click three cards, move them with the selection bar; the
"Select" mode; copying a card from its panel."""

import pytest
from playwright.sync_api import expect

from baton.projects import services
from baton.projects.models import Task
from tests.e2e.board import board_url, card, card_titles, column, csp_violations, open_task, watch
from tests.e2e.conftest import login, screenshot

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def cards(project, lists, bob):
    for title in ["退款 张伟", "换货 李娜", "未收到货 王芳", "质量问题 刘洋"]:
        services.create_task(actor=bob, project=project, task_list=lists[0], title=title)


def test_bulk_move_three_cards(new_page, project, lists, bob, cards):
    page = new_page()
    watch(page)
    login(page, bob.email)
    page.goto(board_url(project))
    bar = page.locator("#bulk-bar")
    expect(bar).to_be_hidden()
    for title in ["退款 张伟", "未收到货 王芳", "质量问题 刘洋"]:
        card(page, title).click(modifiers=["Shift"])
    expect(bar).to_be_visible()
    expect(bar.locator(".bulk-count")).to_have_text("已选 3 张卡片")
    expect(page.locator("a.card.is-selected")).to_have_count(3)
    expect(page.locator("#panel-body .task-detail")).to_have_count(0)  # no panel opened
    screenshot(page, "bulk-selection")

    bar.get_by_role("button", name="移动到").click()
    with page.expect_navigation():
        bar.get_by_role("button", name="已处理").click()
    expect(page.locator(".flash")).to_contain_text("3")
    assert card_titles(column(page, "已处理")) == ["退款 张伟", "未收到货 王芳", "质量问题 刘洋"]
    assert card_titles(column(page, "客户反馈")) == ["换货 李娜"]
    assert Task.objects.filter(list=lists[2]).count() == 3
    assert csp_violations(page) == []


def test_select_mode_and_escape(new_page, project, lists, bob, cards):
    page = new_page(language="en")
    login(page, bob.email)
    page.goto(board_url(project))
    page.locator(".bulk-toggle").click()
    card(page, "换货 李娜").click()
    card(page, "退款 张伟").click()
    bar = page.locator("#bulk-bar")
    expect(bar.locator(".bulk-count")).to_have_text("2 cards selected")
    bar.get_by_role("button", name="Assign").click()
    expect(bar.get_by_role("button", name="Bob")).to_be_visible()
    screenshot(page, "bulk-bar-en")
    page.keyboard.press("Escape")
    expect(bar).to_be_hidden()
    expect(page.locator("a.card.is-selected")).to_have_count(0)


def test_copy_a_card_from_its_panel(new_page, project, lists, bob, cards):
    page = new_page(language="en")
    login(page, bob.email)
    page.goto(board_url(project))
    panel = open_task(page, "换货 李娜")
    panel.get_by_role("button", name="Copy / Move").click()
    panel.get_by_role("button", name="Copy card…").click()
    form = panel.locator("#transfer-form")
    expect(form).to_be_visible()
    form.locator("input[name=title]").fill("换货 李娜 (第二单)")
    form.locator("select[name=list]").select_option(label="处理中")
    screenshot(page, "copy-card")
    with page.expect_navigation():
        form.get_by_role("button", name="Copy", exact=True).click()
    expect(page.locator("#task-title")).to_have_text("换货 李娜 (第二单)")
    assert Task.objects.get(title="换货 李娜 (第二单)").list == lists[1]
