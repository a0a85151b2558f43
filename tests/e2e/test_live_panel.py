"""The task panel keeps itself current while someone else works on the same card."""

# Chinese text uses full-width Chinese punctuation on purpose.
# ruff: noqa: RUF001

import pytest
from playwright.sync_api import expect

from baton.projects import services
from baton.projects.models import Task
from tests.e2e.board import open_task
from tests.e2e.conftest import screenshot
from tests.e2e.test_live_board import live_board, wait_connected

pytestmark = [pytest.mark.e2e]


def test_comments_and_changes_by_bob_show_in_alices_open_panel_without_wiping_her_text(
    new_live_page, project, alice, bob, lists
):
    task = services.create_task(
        actor=alice, project=project, task_list=lists[0], title="耳机左耳无声"
    )
    alice_page = live_board(new_live_page, alice, project)
    bob_page = live_board(new_live_page, bob, project)
    wait_connected(alice_page, 1)
    panel = open_task(alice_page, "耳机左耳无声")
    open_task(bob_page, "耳机左耳无声")
    # Each sees the other on the card.
    expect(panel.locator(".presence [data-presence-user]")).to_have_count(1)
    expect(bob_page.locator("#task-panel .presence [data-presence-user]")).to_have_count(1)

    # Bob comments: the comment appears in Alice's panel.
    services.add_comment(actor=bob, task=task, body="已联系买家，安排换新")
    expect(panel.locator("#timeline-entries")).to_contain_text("已联系买家，安排换新")

    # Alice starts a comment and, unsaved, her text must survive Bob's next change.
    box = panel.locator("textarea[name=body]").last
    box.click()
    box.fill("我正在写回复")
    services.update_task(
        actor=bob, task=Task.objects.get(pk=task.pk), title="耳机左耳无声（已换新）"
    )
    expect(panel.locator("#task-title")).to_have_text("耳机左耳无声（已换新）")
    expect(alice_page.locator("#task-panel textarea[name=body]").last).to_have_value("我正在写回复")

    # She edits the description; Bob changes it meanwhile: her text stays, a notice says so.
    alice_page.locator("#task-panel .description-view").first.click()
    description = alice_page.locator("#task-panel textarea[name=description]")
    description.fill("买家同意换新，顺丰到付")
    services.update_task(actor=bob, task=Task.objects.get(pk=task.pk), description="鲍勃写的描述")
    expect(alice_page.locator("#task-panel .live-notice")).to_be_visible()
    expect(description).to_have_value("买家同意换新，顺丰到付")
    # Saving now is a conflict that keeps her text (the form kept the version she started from).
    with alice_page.expect_response(lambda r: r.url.endswith("/update")) as response:
        alice_page.locator(
            "#task-panel form:has(textarea[name=description]) button[type=submit]"
        ).click()
    assert response.value.status == 409
    assert Task.objects.get(pk=task.pk).description == "鲍勃写的描述"
    screenshot(alice_page, "live-panel-zh")
    assert [e for e in alice_page.console_errors if "409" not in e] == []


def test_presence_shows_the_other_viewer_on_the_board_and_the_card_in_both_languages(
    new_live_page, project, alice, bob, lists
):
    services.create_task(
        actor=alice, project=project, task_list=lists[0], title="快递三天没有物流更新"
    )
    for language in ("zh-CN", "en"):
        alice_page = live_board(new_live_page, alice, project, language)
        bob_page = live_board(new_live_page, bob, project, language)
        wait_connected(alice_page, 1)
        expect(alice_page.locator(".presence-project [data-presence-user]")).to_have_attribute(
            "data-presence-user", str(bob.pk)
        )
        screenshot(alice_page, f"live-presence-board-{language}")
        open_task(bob_page, "快递三天没有物流更新")
        panel = open_task(alice_page, "快递三天没有物流更新")
        expect(panel.locator(".presence [data-presence-user]")).to_have_count(1)
        screenshot(alice_page, f"live-presence-card-{language}")
        # Bob leaves: he disappears from Alice's board.
        bob_page.close()
        expect(alice_page.locator(".presence-project [data-presence-user]")).to_have_count(0)
        alice_page.close()
