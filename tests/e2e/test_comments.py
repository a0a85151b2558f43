"""Commenting in the browser: "@" offers the project's people, Enter picks one, Ctrl+Enter
sends; the comment shows the mention highlighted and the mention is stored."""

import pytest
from playwright.sync_api import expect

from baton.discussion.models import Comment
from baton.projects import services
from tests.e2e.board import board_url, csp_violations, is_post_to, open_task, watch
from tests.e2e.conftest import login, screenshot

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_a_comment_with_an_autocompleted_mention(new_page, project, lists, bob, alice):
    services.create_task(actor=bob, project=project, task_list=lists[0], title="张伟申请退款")
    page = new_page()
    watch(page)
    login(page, bob.email)
    page.goto(board_url(project))
    panel = open_task(page, "张伟申请退款")

    box = panel.locator(".comment-form textarea")
    box.click()
    box.type("已联系仓库 请 @Al")
    menu = panel.locator(".mention-menu")
    expect(menu).to_be_visible()
    expect(menu.locator(".mention-option")).to_have_text(["AAlice"])
    box.press("Enter")
    expect(menu).to_be_hidden()
    box.type("确认退款 **今天处理**")
    expect(box).to_have_value("已联系仓库 请 @Alice 确认退款 **今天处理**")
    with page.expect_response(is_post_to("/comments/new")) as response:
        box.press("Control+Enter")
    assert response.value.status == 200

    comment = panel.locator(".comment")
    expect(comment.locator(".mention")).to_have_text("@Alice")
    expect(comment.locator("strong")).to_have_text("今天处理")
    assert list(Comment.objects.get().mentions.all()) == [alice]
    screenshot(page, "comment-with-mention")
    assert csp_violations(page) == []


def test_cancelling_the_delete_question_keeps_the_comment(new_page, project, lists, bob):
    task = services.create_task(actor=bob, project=project, task_list=lists[0], title="退款单")
    services.add_comment(actor=bob, task=task, body="先别删")
    page = new_page()
    login(page, bob.email)
    page.goto(board_url(project))
    panel = open_task(page, "退款单")
    delete = panel.locator(".comment .comment-actions button.danger")
    page.once("dialog", lambda dialog: dialog.dismiss())
    delete.click()
    page.wait_for_timeout(300)  # a request, had one been sent, would have answered by now
    expect(panel.locator(".comment")).to_have_count(1)
    assert Comment.objects.count() == 1
    page.once("dialog", lambda dialog: dialog.accept())
    with page.expect_response(is_post_to("/delete")):
        delete.click()
    expect(page.locator("#panel-body .comment")).to_have_count(0)
    assert Comment.objects.count() == 0
