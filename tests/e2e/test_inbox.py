"""The inbox (通知) and the bell in a real browser: the count updates live, rows read, screenshots
in Chinese and English."""

# ruff: noqa: RUF001  (Chinese text uses full-width Chinese punctuation on purpose)

import pytest
from playwright.sync_api import expect

from baton.activity.models import Activity
from baton.notifications.fanout import fan_out
from baton.projects import services
from tests.e2e.conftest import login, screenshot, wait_live

pytestmark = [pytest.mark.e2e]


def _fan_out_all():
    """What the worker would do: run the fan-out of every activity (idempotent)."""
    for pk in Activity.objects.values_list("pk", flat=True):
        fan_out.call(activity_id=pk)


def _news_for_bob(project, lists, alice, bob):
    card = services.create_task(
        actor=alice, project=project, task_list=lists[0], title="买家投诉快递破损，要求退款",
        assignee=bob.pk,
    )  # fmt: skip
    other = services.create_task(
        actor=alice, project=project, task_list=lists[1], title="双11 预售活动页改版"
    )
    services.set_following(actor=bob, task=other, following=True)
    services.add_comment(
        actor=alice,
        task=card,
        body="@Bob 客户已经寄回，请**尽快**处理[退款](https://shop.example/r/1)",
    )
    services.update_task(actor=alice, task=other, due_date="2026-11-11")
    services.move_task(actor=alice, task=other, to_list=lists[2])
    _fan_out_all()
    return card


def bell(page):
    return page.locator("[data-bell] .bell-count")


@pytest.mark.parametrize("language", ["zh-CN", "en"])
def test_the_inbox_and_the_bell(new_page, project, lists, alice, bob, language):
    page = new_page(language)
    login(page, bob.email)
    page.goto("/notifications/")
    expect(page.locator(".inbox-empty")).to_be_visible()
    expect(bell(page)).to_be_hidden()
    screenshot(page, f"inbox-empty-{language}")

    # Connected (the stream is open) before the news arrives; the bell counts it live.
    wait_live(page, "user:")
    card = _news_for_bob(project, lists, alice, bob)
    expect(bell(page)).to_have_text("4")

    page.reload()
    rows = page.locator(".inbox-row")
    expect(rows).to_have_count(4)
    expect(page.locator(".inbox-row.is-unread")).to_have_count(4)
    expect(page.locator(".inbox-day-label").first).to_have_text(
        "今天" if language == "zh-CN" else "Today"
    )
    expect(page.locator(".inbox-row", has_text=card.reference).first).to_be_visible()
    # The comment's Markdown is shown as the words it renders to, not as `**raw**` markup.
    expect(page.locator(".inbox-excerpt").first).to_have_text("@Bob 客户已经寄回，请尽快处理退款")
    screenshot(page, f"inbox-{language}")

    # Mark one read: the row loses its mark, the bell follows (through the live event).
    first = page.locator(".inbox-row.is-unread").first
    first.locator(".inbox-read-button").click()
    expect(page.locator(".inbox-row.is-unread")).to_have_count(3)
    expect(bell(page)).to_have_text("3")

    # The mentions filter.
    page.locator(".my-tabs .tab").nth(2).click()
    expect(page.locator(".inbox-row")).to_have_count(1)
    expect(page.locator(".inbox-kind-mention")).to_be_visible()

    # Opening a notification marks it read and shows the card.
    page.locator(".inbox-row .inbox-main").first.click()
    page.wait_for_url(f"**/{card.reference}")
    page.goto("/notifications/")
    expect(page.locator(".inbox-row.is-unread")).to_have_count(2)

    # Mark all read.
    page.get_by_role("button", name="全部标为已读" if language == "zh-CN" else "Mark all as read")
    page.locator(".inbox-actions form button").click()
    expect(page.locator(".inbox-row.is-unread")).to_have_count(0)
    expect(bell(page)).to_be_hidden()
    screenshot(page, f"inbox-read-{language}")
    assert page.console_errors == []


def test_a_phone_sized_inbox(new_page, project, lists, alice, bob):
    _news_for_bob(project, lists, alice, bob)
    page = new_page("zh-CN", width=390, height=844)
    login(page, bob.email)
    page.goto("/notifications/")
    expect(page.locator(".inbox-row")).to_have_count(4)
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390
    screenshot(page, "inbox-phone-zh")
