"""A card's checklist in the browser: add subtasks with Enter, check one off, drag one to the top,
and the board's card shows the progress."""

import pytest
from playwright.sync_api import expect

from baton.projects import services
from baton.projects.models import Task
from tests.e2e.board import (
    board_url,
    card,
    csp_violations,
    is_post_to,
    open_task,
    save_in_panel,
    wait_until_settled,
    watch,
)
from tests.e2e.conftest import login, screenshot

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_a_checklist_is_built_checked_off_and_reordered(new_page, project, lists, bob):
    parent = services.create_task(actor=bob, project=project, task_list=lists[0], title="双11预案")
    page = new_page()
    watch(page)
    login(page, bob.email)
    page.goto(board_url(project))
    panel = open_task(page, "双11预案")

    # Three subtasks, Enter after each: the box is ready again every time.
    titles = ["确定主推款", "设计主图", "设置优惠券"]
    box = panel.locator("#subtasks .subtask-add input[name=title]")
    box.click()
    for title in titles:
        expect(box).to_be_focused()
        box.fill(title)
        save_in_panel(page, lambda: box.press("Enter"), "/subtasks/new")
    rows = page.locator("#subtasks .subtask")
    expect(rows.locator(".subtask-title > span")).to_have_text(titles)

    # Check the first one off: the panel and the card behind it show 1/3.
    save_in_panel(page, lambda: rows.nth(0).locator("button.check").click(), "/done")
    expect(page.locator("#subtasks .checklist-count")).to_have_text("1/3")
    expect(card(page, "双11预案").locator(".card-checklist")).to_have_text("☑ 1/3")

    # Drag 设置优惠券 above 确定主推款 by its handle.
    wait_until_settled(page)
    last = page.locator("#subtasks .subtask").nth(2)
    last.hover()
    handle = last.locator("[data-drag-handle]").bounding_box()
    first = page.locator("#subtasks .subtask").nth(0).bounding_box()
    with page.expect_response(is_post_to("/reorder")) as response:
        page.mouse.move(handle["x"] + handle["width"] / 2, handle["y"] + handle["height"] / 2)
        page.mouse.down()
        top, height = first["y"], first["height"]
        for y in (top + height * 1.5, top + height / 2, top + 3):  # over the second row, the first
            page.mouse.move(first["x"] + 40, y, steps=8)
            page.wait_for_timeout(150)  # SortableJS animates each swap
        page.mouse.up()
    assert response.value.status == 204
    ordered = Task.objects.filter(parent=parent).order_by("position")
    assert [t.title for t in ordered] == ["设置优惠券", "确定主推款", "设计主图"]
    screenshot(page, "subtasks-panel")
    assert csp_violations(page) == []
