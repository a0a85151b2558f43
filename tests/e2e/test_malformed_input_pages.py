"""Text with a NUL character (pasted from a broken export, say) cannot be stored: htmx forms say so
in a toast and keep what was typed; plain forms answer with a page that gives the text back."""

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.board import board_url, column, is_post_to
from tests.e2e.conftest import login, screenshot

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

MESSAGES = {
    "en": "invisible control character",
    "zh-CN": "不可见控制字符",
}


@pytest.mark.parametrize("language", ["zh-CN", "en"])
def test_a_card_title_with_a_nul_is_refused_in_a_toast_and_the_box_keeps_it(
    new_page, project, lists, alice, language
):
    from baton.projects.models import Task

    page = new_page(language=language)
    login(page, alice.email)
    for width, name in [(1280, "desktop"), (390, "phone")]:
        page.set_viewport_size({"width": width, "height": 800})
        page.goto(board_url(project))
        feedback = column(page, "客户反馈")
        feedback.locator(".add-card-button").click()
        box = feedback.locator("textarea[name=title]")
        expect(box).to_be_focused()
        box.evaluate("element => { element.value = '退款\\u0000订单 TB2026'; }")
        with page.expect_response(is_post_to("/tasks/new")) as response:
            box.press("Enter")
        assert response.value.status == 422
        toast = page.locator("#toasts .toast-error")
        expect(toast).to_contain_text(MESSAGES[language])
        expect(box).to_have_value("退款\x00订单 TB2026")
        expect(feedback.locator("a.card")).to_have_count(0)
        screenshot(page, f"malformed-quick-add-{language}-{name}")
    assert Task.objects.filter(project=project).count() == 0
    assert [e for e in page.console_errors if "status of 422" not in e] == []


@pytest.mark.parametrize("language", ["zh-CN", "en"])
def test_a_plain_form_with_a_nul_answers_a_page_that_gives_the_text_back(
    new_page, org, alice, language
):
    page = new_page(language=language)
    login(page, alice.email)
    for width, name in [(1280, "desktop"), (390, "phone")]:
        page.set_viewport_size({"width": width, "height": 800})
        page.goto("/accounts/profile")
        field = page.locator("#profile input[name=name]")
        field.evaluate("element => { element.value = '客服\\u0000小王'; }")
        with page.expect_response(lambda r: r.url.endswith("/accounts/profile")) as response:
            page.locator("#profile button[type=submit]").click()
        assert response.value.status == 422
        expect(page.locator(".input-error-page")).to_contain_text(MESSAGES[language])
        expect(page.locator(".input-error-page .kept-text")).to_have_value("客服小王")
        screenshot(page, f"malformed-plain-form-{language}-{name}")
        page.locator(".input-error-page a.button").click()
        expect(page).to_have_url(re.compile(r"/accounts/profile$"))
    alice.refresh_from_db()
    assert alice.name == "Alice"
