"""In the browser: a guest made project admin works on cards but sees nothing that archives,
deletes or reshapes; too many failed log-ins show a clear page with the way back in."""

import pytest
from django.conf import settings
from playwright.sync_api import expect

from tests.e2e.board import board_url, column, open_task, quick_add
from tests.e2e.conftest import login, screenshot

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def guest_admin(project, carol):
    from baton.projects.models import ProjectMember, ProjectRole

    ProjectMember.objects.filter(project=project, user=carol).update(role=ProjectRole.ADMIN)
    return carol


@pytest.mark.parametrize(
    "language,width", [("zh-CN", 1280), ("en", 1280), ("zh-CN", 390), ("en", 390)]
)
def test_a_guest_adds_and_edits_cards_but_sees_no_archive_delete_or_list_settings(
    new_page, project, lists, alice, guest_admin, language, width
):
    from baton.projects import services

    services.create_task(actor=alice, project=project, task_list=lists[0], title="订单 8823 · 退款")
    page = new_page(language=language, width=width)
    login(page, guest_admin.email)
    page.goto(board_url(project))

    board = page.locator("#board")
    for control in ("#add-list", ".list-menu", "button.list-name", "[data-list-handle]"):
        expect(board.locator(control)).to_have_count(0)
    expect(board.locator("[data-lists]")).to_have_attribute("data-readonly", "true")
    expect(board.locator("[data-cards]").first).to_have_attribute("data-readonly", "false")
    if width > 600:  # on a phone the lists scroll sideways; one list is enough to show
        quick_add(page, "客户反馈", "订单 9001 · 换货")
        expect(column(page, "客户反馈").locator("a.card")).to_have_count(2)
    screenshot(page, f"guest-board-{language}-{width}")

    panel = open_task(page, "订单 8823 · 退款")
    expect(panel.locator("form[action$='/archive']")).to_have_count(0)
    expect(panel.locator("form[action$='/delete']")).to_have_count(0)
    expect(panel.locator(".tag-picker")).to_have_count(0)
    expect(panel.locator("textarea[name=body]").last).to_be_visible()  # may comment
    screenshot(page, f"guest-card-{language}-{width}")


@pytest.mark.parametrize(
    "language,width,locked_text,reset_text",
    [
        ("zh-CN", 1280, "登录失败次数过多", "重置密码"),
        ("en", 1280, "Too many failed log-ins", "Reset your password"),
        ("zh-CN", 390, "登录失败次数过多", "重置密码"),
        ("en", 390, "Too many failed log-ins", "Reset your password"),
    ],
)
def test_too_many_failed_logins_show_why_and_lead_to_a_password_reset(
    new_page, alice, language, width, locked_text, reset_text
):
    page = new_page(language=language, width=width)
    page.goto("/accounts/login")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        page.fill("input[name=username]", alice.email)
        page.fill("input[name=password]", "not the password")
        with page.expect_navigation():
            page.click("button[type=submit]")
    locked = page.locator(".login-locked")
    expect(locked).to_contain_text(locked_text)
    expect(page.locator("input[name=username]")).to_have_value(alice.email)
    screenshot(page, f"login-locked-{language}-{width}")

    locked.locator("a").click()
    expect(page.locator("h1")).to_contain_text(reset_text)


def test_a_person_who_logs_in_many_times_is_never_locked(new_page, alice):
    """Only failures count: the browser tests log in through the form again and again."""
    for _ in range(settings.AXES_FAILURE_LIMIT + 2):
        page = new_page()
        login(page, alice.email)
        page.context.close()
