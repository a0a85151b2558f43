"""The event form's all-day switch in the browser: a day clicked in the month view becomes a timed
event (10:00 to 11:00 by default), a timed event becomes an all-day one, and editing keeps each
event's state. Desktop and phone, Chinese and English."""

import datetime
import re
import zoneinfo

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from tests.e2e.board import csp_violations, watch
from tests.e2e.conftest import SCREENSHOTS, login

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

LABELS = {
    "zh-CN": {"starts": "开始", "first_day": "第一天", "edit": "编辑"},
    "en": {"starts": "Starts", "first_day": "First day", "edit": "Edit"},
}


def screenshot(page, name: str) -> None:
    """The switch slides for 150 ms: the picture shows where it ends."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), animations="disabled")


def local(moment: datetime.datetime, event) -> datetime.datetime:
    return moment.astimezone(zoneinfo.ZoneInfo(event.timezone))


@pytest.mark.parametrize(
    ("language", "width"), [("zh-CN", 1280), ("en", 1280), ("zh-CN", 390), ("en", 390)]
)
def test_a_day_clicked_in_the_month_view_becomes_a_timed_event_and_back(
    new_page, org, alice, language, width
):
    from baton.calendars import services as calendar_services
    from baton.calendars.models import Event

    calendar_services.create_calendar(actor=alice, organization=org, name="天猫/淘宝")
    day = datetime.date.today().replace(day=12)
    page = new_page(language, width=width, height=900)
    watch(page)
    login(page, alice.email)
    page.goto(reverse("calendars:home", args=[org.slug]))
    if width < 600:  # a phone opens the agenda; the month is one tap away
        page.locator(".fc-dayGridMonth-button").click()
    page.locator(f'.fc-daygrid-day[data-date="{day.isoformat()}"] .fc-daygrid-day-frame').click()

    # A day in the month view: the form starts as an all-day event with the switch on.
    panel = page.locator("#calendar-panel")
    switch = panel.locator("input[name=all_day]")
    start, end = panel.locator("input[name=start]"), panel.locator("input[name=end]")
    expect(switch).to_be_checked()
    expect(start).to_have_attribute("type", "date")
    expect(start).to_have_value(day.isoformat())
    expect(panel.locator("label[for=id_start]")).to_have_text(LABELS[language]["first_day"])

    # Switched off: the same day, from 10:00 to 11:00.
    panel.locator(".cal-all-day").click()
    expect(switch).not_to_be_checked()
    expect(start).to_have_attribute("type", "datetime-local")
    expect(start).to_have_value(f"{day.isoformat()}T10:00")
    expect(end).to_have_value(f"{day.isoformat()}T11:00")
    expect(panel.locator("label[for=id_start]")).to_have_text(LABELS[language]["starts"])
    end.fill(f"{day.isoformat()}T11:30")
    panel.locator("input[name=title]").fill("直播带货")
    screenshot(page, f"calendar-all-day-off-{language}-{width}")
    panel.locator("button[type=submit]").click()
    expect(panel).to_be_hidden()
    event = Event.objects.get()
    assert not event.all_day
    assert local(event.start, event) == datetime.datetime(
        day.year, day.month, day.day, 10, 0, tzinfo=zoneinfo.ZoneInfo(event.timezone)
    )
    assert event.end - event.start == datetime.timedelta(minutes=90)

    # Editing it keeps it timed; switched on, it becomes an all-day event on the same day.
    page.locator(".fc-event", has_text="直播带货").first.click()
    panel.get_by_role("button", name=LABELS[language]["edit"]).click()
    expect(switch).not_to_be_checked()
    expect(start).to_have_value(f"{day.isoformat()}T10:00")
    panel.locator(".cal-all-day").click()
    expect(start).to_have_attribute("type", "date")
    expect(start).to_have_value(day.isoformat())
    expect(end).to_have_value(day.isoformat())
    screenshot(page, f"calendar-all-day-on-{language}-{width}")
    panel.locator("button[type=submit]").click()
    expect(panel).to_be_hidden()
    event.refresh_from_db()
    assert event.all_day and local(event.start, event).date() == day
    assert event.end - event.start == datetime.timedelta(days=1)

    # And editing an all-day event opens with the switch on and days only. (Click it once the
    # calendar has drawn it again as an all-day block: the timed dot before may still be there.)
    all_day_block = page.locator(".fc-daygrid-block-event", has_text="直播带货")
    expect(all_day_block).to_be_visible()
    all_day_block.first.click()
    panel.get_by_role("button", name=LABELS[language]["edit"]).click()
    expect(switch).to_be_checked()
    expect(start).to_have_attribute("type", "date")
    # Off and on again: nothing is lost, the days come back as they were.
    panel.locator(".cal-all-day").click()
    expect(end).to_have_value(re.compile(rf"^{day.isoformat()}T11:00$"))
    panel.locator(".cal-all-day").click()
    expect(end).to_have_value(day.isoformat())
    assert csp_violations(page) == []
    assert page.console_errors == []
