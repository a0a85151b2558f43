"""Managing the board's lists in the browser: rename, done list, drag to reorder, archive; and
deleting a card from its panel."""

import pytest
from playwright.sync_api import expect

from baton.projects import services
from baton.projects.models import Task, TaskList
from tests.e2e.board import (
    board_url,
    card,
    column,
    is_post_to,
    open_task,
    wait_until_settled,
)
from tests.e2e.conftest import login

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def list_names(page) -> list[str]:
    return page.locator("section.list .list-name:visible").all_inner_texts()


def test_lists_are_renamed_marked_done_reordered_by_drag_and_archived(new_page, project, alice):
    page = new_page()
    login(page, alice.email)
    page.goto(board_url(project))
    assert list_names(page) == ["客户反馈", "处理中", "已处理", "反馈驳回"]

    # Rename 反馈驳回 in place.
    header = column(page, "反馈驳回").locator(".list-header")
    header.locator(".list-name").click()
    box = header.locator("input[name=name]")
    box.fill("已驳回")
    with page.expect_response(is_post_to("/update")) as response:
        box.press("Enter")
    assert response.value.status == 200
    expect(column(page, "反馈驳回").locator(".list-name")).to_have_text("已驳回")

    # Mark 已处理 as the done list from its menu.
    done = column(page, "已处理")
    done.locator(".list-menu .icon-button").click()
    with page.expect_response(is_post_to("/update")):
        done.locator(".list-menu button[type=submit]").first.click()
    expect(done.locator(".list-done-mark")).to_be_visible()
    assert TaskList.objects.get(name="已处理").is_done

    # Drag 已驳回 (by its header) in front of 客户反馈.
    wait_until_settled(page)
    source = column(page, "反馈驳回").locator(".list-header")
    target = column(page, "客户反馈").locator(".list-header")
    start, end = source.bounding_box(), target.bounding_box()
    with page.expect_response(is_post_to("/move")) as response:
        page.mouse.move(start["x"] + 30, start["y"] + start["height"] / 2)
        page.mouse.down()
        page.mouse.move(start["x"] + 20, start["y"] + start["height"] / 2 + 2, steps=2)
        page.mouse.move(end["x"] + 10, end["y"] + end["height"] / 2, steps=10)
        page.mouse.up()
    assert response.value.status == 204
    dropped = list_names(page)
    assert dropped.index("已驳回") < 3  # it moved left of where it was
    page.reload()
    assert list_names(page) == dropped
    ordered = TaskList.objects.filter(project=project).order_by("position")
    assert [task_list.name for task_list in ordered] == dropped

    # Archive 处理中: confirm the dialog, the column goes away and stays away.
    page.once("dialog", lambda dialog: dialog.accept())
    doing = column(page, "处理中")
    doing.locator(".list-menu .icon-button").click()
    with page.expect_response(is_post_to("/archive")):
        doing.locator(".list-menu .dropdown-item.danger").click()
    expect(column(page, "处理中")).to_have_count(0)
    page.reload()
    expect(column(page, "处理中")).to_have_count(0)


def test_a_card_is_deleted_from_its_panel_after_confirming(new_page, project, alice, lists):
    task = services.create_task(
        actor=alice, project=project, task_list=lists[0], title="重复的工单"
    )
    page = new_page()
    login(page, alice.email)
    page.goto(board_url(project))
    panel = open_task(page, "重复的工单")
    page.once("dialog", lambda dialog: dialog.accept())
    with page.expect_response(is_post_to("/delete")) as response:
        panel.locator("button.button-danger").click()
    assert response.value.status == 200
    expect(card(page, "重复的工单")).to_have_count(0)
    expect(page.locator("#panel-body .task-detail")).to_have_count(0)
    expect(column(page, "客户反馈").locator(".list-count")).to_have_text("0")
    assert page.url.endswith(board_url(project))
    assert not Task.objects.filter(pk=task.pk).exists()
