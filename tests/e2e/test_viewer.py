"""A viewer reads the board and the tasks, and has nothing to edit with."""

import pytest
from playwright.sync_api import expect

from tests.e2e.board import (
    board_url,
    card,
    card_titles,
    column,
    htmx_requests,
    open_task,
    wait_until_settled,
    watch,
)
from tests.e2e.conftest import login
from tests.e2e.seed import seed_board

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_a_viewer_sees_the_board_but_cannot_add_drag_or_edit(
    new_page, project, lists, alice, bob, carol
):
    from baton.projects.models import Task

    tasks = seed_board(project=project, lists=lists, alice=alice, bob=bob, carol=carol)
    page = new_page()
    watch(page)
    login(page, carol.email)
    page.goto(board_url(project))

    # Carol sees every list and card ...
    expect(page.locator("a.card")).to_have_count(len(tasks))
    feedback_titles = card_titles(column(page, "客户反馈"))
    assert feedback_titles == [t.title for t in tasks if t.list_id == lists[0].pk]
    # ... but no quick-add, no Add a list, no list menus or renaming, no drag handles.
    board = page.locator("#board")
    for control in (
        ".list-footer",
        ".add-card-button",
        "#add-list",
        ".list-menu",
        "button.list-name",
        "[data-list-handle]",
        "form",
        "textarea",
        "input",
    ):
        expect(board.locator(control)).to_have_count(0)
    expect(board.locator("[data-cards]").first).to_have_attribute("data-readonly", "true")

    # A real mouse drag of a card to another list moves nothing and sends nothing.
    source = card(page, tasks[0].title)
    target = column(page, "处理中").locator(".list-cards")
    start, end = source.bounding_box(), target.bounding_box()
    page.mouse.move(start["x"] + 40, start["y"] + 20)
    page.mouse.down()
    page.mouse.move(start["x"] + 45, start["y"] + 25, steps=2)
    page.mouse.move(end["x"] + 40, end["y"] + 20, steps=8)
    page.mouse.up()
    wait_until_settled(page)
    assert htmx_requests(page) == []
    assert card_titles(column(page, "客户反馈")) == feedback_titles
    assert Task.objects.get(pk=tasks[0].pk).list_id == lists[0].pk

    # The task opens read-only: values as text; no form, archive, delete or description editor.
    panel = open_task(page, tasks[0].title)
    for control in (
        "form:not([action$='/follow'])",  # following is for everyone who sees the task
        "select",
        "input:not([type=hidden]):not([name=timeline-show])",  # the comments/changes switch reads
        "textarea",
        ".tag-picker",
        ".description-view",
        ".button-danger",
    ):
        expect(panel.locator(control)).to_have_count(0)
    expect(panel.locator(".prop-value").nth(1)).to_contain_text("Bob")  # the owner, as text
    expect(panel.locator(".markdown strong").first).to_have_text("张女士")
    panel.locator("#task-title").click()
    expect(panel.locator("input[name=title]")).to_have_count(0)
    assert page.console_errors == []
