"""Importing an .ics file into a calendar in the browser: the summary of what was imported and
what was skipped, and a clear error for a file that is not iCalendar."""

import pytest
from playwright.sync_api import expect

from baton.calendars.models import Calendar, Event, new_feed_token
from tests.e2e.board import csp_violations, watch
from tests.e2e.conftest import login, screenshot

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

ICS = (
    "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Apple Inc.//macOS//EN\r\n"
    "BEGIN:VEVENT\r\nUID:nianhuo\r\nSUMMARY:天猫年货节\r\nDTSTART;VALUE=DATE:20260105\r\n"
    "DTEND;VALUE=DATE:20260120\r\nDESCRIPTION:春节前备货\r\nEND:VEVENT\r\n"
    "BEGIN:VEVENT\r\nUID:weekly\r\nSUMMARY:周例会\r\nDTSTART;TZID=Asia/Shanghai:20260105T100000\r\n"
    "DTEND;TZID=Asia/Shanghai:20260105T110000\r\nRRULE:FREQ=WEEKLY;BYDAY=MO\r\nEND:VEVENT\r\n"
    "BEGIN:VEVENT\r\nUID:mars\r\nSUMMARY:火星发布会\r\nDTSTART;TZID=Mars/Olympus:20260105T100000\r\n"
    "END:VEVENT\r\n"
    "BEGIN:VEVENT\r\nUID:fast\r\nSUMMARY:每分钟提醒\r\nDTSTART:20260105T020000Z\r\n"
    "RRULE:FREQ=MINUTELY\r\nEND:VEVENT\r\n"
    "END:VCALENDAR\r\n"
)


@pytest.mark.parametrize("language", ["zh-CN", "en"])
def test_import_an_ics_file_and_read_the_summary(new_page, org, alice, language, tmp_path):
    calendar = Calendar.objects.create(
        organization=org, name="天猫/淘宝", created_by=alice, feed_token=new_feed_token()
    )
    good = tmp_path / "campaigns.ics"
    good.write_text(ICS, encoding="utf-8")
    bad = tmp_path / "notes.ics"
    bad.write_text("just some notes", encoding="utf-8")
    page = new_page(language)
    watch(page)
    login(page, alice.email)
    page.goto(f"/o/{org.slug}/calendar/{calendar.pk}/import")

    page.set_input_files("#ics-file", str(bad))
    page.click("#import-body button[type=submit]")
    expect(page.locator("#import-body .field-error")).to_be_visible()
    assert Event.objects.count() == 0

    page.set_input_files("#ics-file", str(good))
    page.click("#import-body button[type=submit]")
    summary = page.locator(".ics-summary")
    expect(summary).to_be_visible()
    expect(summary.locator(".ics-imported")).to_have_count(2)
    expect(summary.locator(".ics-skipped")).to_have_count(2)
    expect(summary).to_contain_text("Mars/Olympus")
    assert sorted(Event.objects.values_list("title", flat=True)) == ["周例会", "天猫年货节"]
    screenshot(page, f"calendar-import-{language}")
    assert csp_violations(page) == []
    # The refused file's 422 is logged by the browser; nothing else may be.
    assert [e for e in page.console_errors if "status of 422" not in e] == []


@pytest.mark.parametrize("language", ["zh-CN", "en"])
def test_subscription_links_are_made_copied_and_turned_off(new_page, org, alice, language):
    calendar = Calendar.objects.create(
        organization=org, name="京东", color="red", created_by=alice, feed_token=new_feed_token()
    )
    page = new_page(language)
    watch(page)
    login(page, alice.email)
    page.goto(f"/o/{org.slug}/calendar/subscribe")
    page.click("#my-feed button[type=submit]")
    expect(page.locator("#feed-me")).to_have_value(
        f"{page.url.split('/o/')[0]}/feeds/me/{alice.calendar_feeds.get().token}.ics"
    )
    expect(page.locator(f"#feed-url-{calendar.pk}")).to_have_value(
        f"{page.url.split('/o/')[0]}/feeds/{calendar.feed_token}.ics"
    )
    screenshot(page, f"calendar-subscribe-{language}")
    page.once("dialog", lambda dialog: dialog.accept())
    page.click(f"#feed-{calendar.pk} .button-danger")
    expect(page.locator(f"#feed-url-{calendar.pk}")).to_have_count(0)
    calendar.refresh_from_db()
    assert calendar.feed_token is None
    assert csp_violations(page) == []
    assert page.console_errors == []
