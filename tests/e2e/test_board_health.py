"""The board and the task panel run without console errors and without CSP violations, and the
CSP they run under is the strict one (no unsafe-inline, no unsafe-eval)."""

# Chinese text uses full-width Chinese punctuation on purpose.
# ruff: noqa: RUF001

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.board import (
    board_url,
    card,
    csp_violations,
    is_post_to,
    open_task,
    quick_add,
    save_in_panel,
    watch,
)
from tests.e2e.conftest import login
from tests.e2e.seed import seed_board

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_the_board_and_the_panel_log_no_console_errors_and_break_no_csp_rule(
    new_page, project, lists, alice, bob, carol
):
    tasks = seed_board(project=project, lists=lists, alice=alice, bob=bob, carol=carol)
    page = new_page()
    watch(page)
    login(page, alice.email)
    response = page.goto(board_url(project))
    csp = response.headers["content-security-policy"]
    assert re.search(r"script-src 'self' 'nonce-[^']+'", csp)
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    expect(page.locator("a.card")).to_have_count(len(tasks))
    quick_add(page, "已处理", "换货完成，新耳机已签收")
    assert page.console_errors == [] and csp_violations(page) == []

    # The panel: open a card, change a field, open the tag form, edit and preview the description.
    panel = open_task(page, tasks[0].title)
    save_in_panel(page, lambda: panel.locator("select[name=priority]").select_option("4"))
    panel.locator(".tag-picker > button").click()
    expect(panel.locator(".tag-picker input[name=name]")).to_be_visible()
    panel.locator(".description-view").first.click()
    panel.locator("textarea[name=description]").fill("- [ ] 联系买家\n- [x] 登记**售后单**")
    with page.expect_response(is_post_to("/markdown/preview")):
        panel.locator(".editor-tab").nth(1).click()
    expect(panel.locator("[x-ref=preview] strong")).to_have_text("售后单")
    panel.locator(".editor-tab").nth(0).click()
    expect(panel.locator("textarea[name=description]")).to_be_visible()

    # Escape in a text field keeps the panel; outside one it closes the panel and goes back to
    # the board's address.
    panel.locator("textarea[name=description]").press("Escape")
    expect(panel).to_be_visible()
    panel.locator(".prop-label").first.click()
    page.keyboard.press("Escape")
    expect(panel).to_be_hidden()
    expect(page).to_have_url(re.compile(r"/p/SH/$"))
    expect(card(page, tasks[0].title).locator(".priority")).to_have_class(re.compile("priority-4"))

    # Opening a task by its address renders the panel as a page of its own.
    page.goto(f"/o/{project.organization.slug}/SH-{tasks[0].number}")
    expect(page.locator(".task-detail #task-title")).to_have_text(tasks[0].title)
    assert page.console_errors == [] and csp_violations(page) == []
