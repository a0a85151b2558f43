"""Searching in the browser: "/" focuses the sidebar's search box, results drop down as you type
Chinese, the match is highlighted, arrows and Enter open a result."""

import pytest
from playwright.sync_api import expect

from baton.projects import services
from tests.e2e.board import board_url, csp_violations, watch
from tests.e2e.conftest import login, screenshot

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_search_in_chinese_and_open_a_result(new_page, project, lists, bob):
    for title, description in [
        ("申请退款处理中", "买家已退货, 待仓库签收"),
        ("商品质量问题 连衣裙开线", "订单号 2026112400123"),
        ("双十一主会场海报", ""),
    ]:
        services.create_task(
            actor=bob, project=project, task_list=lists[0], title=title, description=description
        )
    quality = project.tasks.get(title__startswith="商品质量")
    services.add_comment(actor=bob, task=quality, body="已安排换货, 顺丰单号 SF1234567")
    page = new_page()
    watch(page)
    login(page, bob.email)
    page.goto(board_url(project))

    box = page.locator("[data-search-input]")
    box.type("退款")  # typed in the search box, not a shortcut
    results = page.locator("#search-dropdown .search-result")
    expect(results).to_have_count(1)
    expect(results.first).to_be_visible()
    expect(results.first.locator("mark")).to_have_text("退款")

    box.fill("")
    box.type("质量")
    expect(results).to_have_count(1)
    expect(results.first).to_contain_text("SH-2")
    screenshot(page, "search-dropdown")

    box.fill("")
    box.type("换货")  # only in a comment
    expect(results.first.locator(".search-snippet mark")).to_have_text("换货")
    box.press("Escape")
    expect(page.locator("#search-dropdown")).to_be_hidden()
    box.type("换货")
    expect(results.first).to_be_visible()
    box.press("ArrowDown")
    expect(results.first).to_have_class("search-result is-active")
    box.press("Enter")
    page.wait_for_url("**/SH-2")
    expect(page.locator("#task-panel")).to_contain_text("商品质量问题 连衣裙开线")
    assert csp_violations(page) == []


def test_enter_without_a_choice_opens_the_results_page(new_page, project, lists, bob):
    services.create_task(
        actor=bob,
        project=project,
        task_list=lists[0],
        title="未收到货",
        description="订单号 2026112400123",
    )
    page = new_page(language="en")
    login(page, bob.email)
    page.goto(board_url(project))
    box = page.locator("[data-search-input]")
    box.type("400123")
    expect(page.locator("#search-dropdown .search-result")).to_have_count(1)
    box.press("Enter")
    page.wait_for_url(lambda url: url.endswith("/search?q=400123"))
    expect(page.locator(".search-page .search-result mark")).to_have_text("400123")
    screenshot(page, "search-page-en")
