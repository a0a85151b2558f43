"""Boards that update themselves: two people on the same board in two browsers (SSE)."""

# Chinese text uses full-width Chinese punctuation on purpose.

import pytest
from playwright.sync_api import expect

from baton.projects import services
from baton.projects.models import Task
from tests.e2e.board import board_url, card, column, drag_card, wait_until_settled
from tests.e2e.conftest import login, wait_live

pytestmark = [pytest.mark.e2e]


def live_board(new_live_page, user, project, language="zh-CN"):
    page = new_live_page(language)
    login(page, user.email)
    page.goto(board_url(project))
    wait_live(page, "project:")
    return page


def wait_connected(page, others: int = 0):
    """Until the page shows `others` other people present (its stream is open already)."""
    page.wait_for_function(
        "n => document.querySelectorAll('.presence-project [data-presence-user]').length === n",
        arg=others,
    )


def test_a_card_created_and_moved_by_bob_appears_on_alices_board(
    new_live_page, project, alice, bob, lists
):
    alice_page = live_board(new_live_page, alice, project)
    bob_page = live_board(new_live_page, bob, project)
    wait_connected(alice_page, 1)
    wait_connected(bob_page, 1)

    # Bob adds a card through his board; Alice sees it without reloading.
    box = column(bob_page, "客户反馈").locator("textarea[name=title]")
    column(bob_page, "客户反馈").locator(".add-card-button").click()
    box.fill("买家投诉快递破损")
    box.press("Enter")
    expect(card(alice_page, "买家投诉快递破损")).to_be_visible()
    expect(
        column(alice_page, "客户反馈").locator(card(alice_page, "买家投诉快递破损"))
    ).to_have_count(1)

    # Bob drags it to 处理中; it moves on Alice's board too.
    wait_until_settled(bob_page)
    drag_card(
        bob_page,
        card(bob_page, "买家投诉快递破损"),
        column(bob_page, "处理中").locator(".list-cards"),
    )
    expect(
        column(alice_page, "处理中").locator("a.card", has_text="买家投诉快递破损")
    ).to_be_visible()
    expect(
        column(alice_page, "客户反馈").locator("a.card", has_text="买家投诉快递破损")
    ).to_have_count(0)
    assert Task.objects.get(title="买家投诉快递破损").list == lists[1]
    assert alice_page.console_errors == []
    assert bob_page.console_errors == []


def test_a_list_renamed_by_bob_is_renamed_on_alices_board(
    new_live_page, project, alice, bob, lists
):
    alice_page = live_board(new_live_page, alice, project)
    wait_connected(alice_page, 0)
    services.update_list(actor=bob, task_list=lists[3], name="已驳回")
    expect(column(alice_page, "已驳回").locator(".list-name")).to_have_text("已驳回")

    # A list added and one archived by someone else come and go as well.
    services.create_list(actor=bob, project=project, name="待退款")
    expect(column(alice_page, "待退款")).to_be_visible()
    services.set_list_archived(actor=bob, task_list=lists[2], archived=True)
    expect(column(alice_page, "已处理")).to_have_count(0)


def test_an_event_during_a_drag_is_applied_after_the_drop(
    new_live_page, project, alice, bob, lists
):
    task = services.create_task(
        actor=alice, project=project, task_list=lists[0], title="拖动中的卡片"
    )
    alice_page = live_board(new_live_page, alice, project)
    wait_connected(alice_page, 0)
    wait_until_settled(alice_page)
    source = card(alice_page, "拖动中的卡片")
    source.hover(trial=True)
    box = source.bounding_box()
    alice_page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    alice_page.mouse.down()
    alice_page.mouse.move(
        box["x"] + box["width"] / 2 + 10, box["y"] + box["height"] / 2 + 10, steps=4
    )
    alice_page.wait_for_selector(".card-chosen, .sortable-chosen")
    # While Alice holds the card, Bob adds one to the same list: nothing is re-rendered yet.
    services.create_task(actor=bob, project=project, task_list=lists[0], title="鲍勃的新卡片")
    alice_page.wait_for_timeout(1200)
    expect(card(alice_page, "鲍勃的新卡片")).to_have_count(0)
    assert alice_page.locator(".card-chosen, .sortable-chosen").count() == 1
    # She drops it where it was; then Bob's card appears.
    alice_page.mouse.up()
    expect(card(alice_page, "鲍勃的新卡片")).to_be_visible()
    assert Task.objects.get(pk=task.pk).list == lists[0]


def test_the_list_view_refreshes_the_rows_someone_else_changed(
    new_live_page, project, alice, bob, lists
):
    task = services.create_task(
        actor=alice, project=project, task_list=lists[0], title="退款未到账"
    )
    services.create_task(actor=alice, project=project, task_list=lists[0], title="发票抬头错误")
    page = new_live_page("zh-CN")
    login(page, alice.email)
    page.goto(board_url(project) + "list")
    row = page.locator("tr[data-task-id]", has_text="退款未到账")
    expect(row).to_be_visible()
    wait_live(page, "project:")

    services.update_task(actor=bob, task=Task.objects.get(pk=task.pk), title="退款已到账")
    expect(page.locator("tr[data-task-id]", has_text="退款已到账")).to_be_visible()
    services.create_task(actor=bob, project=project, task_list=lists[1], title="鲍勃新建的卡片")
    expect(page.locator("tr[data-task-id]", has_text="鲍勃新建的卡片")).to_be_visible()
    assert page.locator("tr[data-task-id]").count() == 3
    assert page.console_errors == []
