"""A phone (390 px wide) in Chinese and English: the ☰ menu button leaves the board's Select
button and the calendar panel's close button free, and the calendar opens in the agenda, where
titles are readable (the month is still one tap away); a laptop still opens the month."""

import datetime
import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from tests.e2e.board import board_url, csp_violations, watch
from tests.e2e.conftest import login, screenshot

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
SELECT = {"zh-CN": "选择", "en": "Select"}


def overlap(a: dict, b: dict) -> bool:
    return not (
        a["x"] + a["width"] <= b["x"]
        or b["x"] + b["width"] <= a["x"]
        or a["y"] + a["height"] <= b["y"]
        or b["y"] + b["height"] <= a["y"]
    )


@pytest.mark.parametrize("language", ["zh-CN", "en"])
def test_the_menu_button_does_not_cover_the_boards_select_button(
    new_page, project, lists, alice, language
):
    page = new_page(language, **PHONE)
    watch(page)
    login(page, alice.email)
    page.goto(board_url(project))
    menu, select = page.locator(".nav-toggle"), page.locator(".bulk-toggle")
    expect(select).to_have_text(f"☑ {SELECT[language]}")
    assert not overlap(menu.bounding_box(), select.bounding_box())
    select.click()  # Playwright refuses to click a button another element covers
    expect(select).to_have_attribute("aria-pressed", "true")
    screenshot(page, f"board-phone-select-{language}")
    menu.click()
    expect(page.locator(".sidebar.is-open")).to_be_visible()
    assert csp_violations(page) == []


def _campaign(org, alice):
    from baton.calendars import services as calendar_services

    calendar = calendar_services.create_calendar(actor=alice, organization=org, name="天猫/淘宝")
    today = datetime.date.today()
    calendar_services.create_event(
        actor=alice,
        calendar=calendar,
        title="双11预售第一阶段定金膨胀",
        start=f"{today.isoformat()}T20:00",
        end=f"{today.isoformat()}T22:00",
        timezone="Asia/Shanghai",
    )


@pytest.mark.parametrize("language", ["zh-CN", "en"])
def test_a_phone_opens_the_calendar_in_the_agenda_with_whole_titles(new_page, org, alice, language):
    _campaign(org, alice)
    page = new_page(language, **PHONE)
    watch(page)
    login(page, alice.email)
    page.goto(reverse("calendars:home", args=[org.slug]))
    title = page.locator(".fc-list-event-title", has_text="双11预售第一阶段定金膨胀")
    expect(title).to_be_visible()
    expect(page.locator(".fc-listUpcoming-button")).to_have_class(re.compile("fc-button-active"))
    # The whole title is shown, not cut off.
    assert title.evaluate("(el) => el.scrollWidth <= el.clientWidth + 1")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    screenshot(page, f"calendar-phone-agenda-{language}")

    # The month is still a tap away, and a new event's panel covers the ☰ button, not the
    # other way round: its close button can be pressed.
    page.locator(".fc-dayGridMonth-button").click()
    expect(page.locator(".fc-dayGridMonth-view")).to_be_visible()
    today = datetime.date.today().isoformat()
    page.locator(f'.fc-daygrid-day[data-date="{today}"] .fc-daygrid-day-frame').click()
    close = page.locator("#calendar-panel .cal-panel-head [data-calendar-panel-close]")
    expect(close).to_be_visible()
    screenshot(page, f"calendar-phone-new-event-{language}")
    close.click()
    expect(page.locator("#calendar-panel")).to_be_hidden()
    assert csp_violations(page) == []
    assert page.console_errors == []


def test_a_laptop_still_opens_the_calendar_on_the_month(new_page, org, alice):
    _campaign(org, alice)
    page = new_page("zh-CN", width=1280, height=800)
    login(page, alice.email)
    page.goto(reverse("calendars:home", args=[org.slug]))
    expect(page.locator(".fc-dayGridMonth-view")).to_be_visible()
    expect(page.locator(".fc-event", has_text="双11预售")).to_be_visible()
