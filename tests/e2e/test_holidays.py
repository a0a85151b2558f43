"""Public holidays in the browser: an owner switches them on in the organization settings, sees
春节 and its 调休 working days on the calendar, and adds a day of a year the bundled data lacks."""

import datetime

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from baton.calendars import holidays, queries
from baton.calendars.models import HolidayDay
from tests.e2e.board import csp_violations, watch
from tests.e2e.conftest import login, screenshot

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

FIRST, LAST = holidays.covered_years()
# 春节 of the last bundled year, with a make-up working day in the same month.
SPRING = next(
    d
    for d in holidays.bundled_days()
    if d.date.year == LAST and d.key == "spring_festival" and d.kind == holidays.HOLIDAY
).date
TEXT = {
    "zh-CN": {"on": "开启", "spring": "春节", "workday": "春节调休上班", "add": "添加"},
    "en": {
        "on": "Switch on",
        "spring": "Spring Festival",
        "workday": "Working day (Spring Festival)",
        "add": "Add",
    },
}


NEXT = LAST + 1
ICS = (
    "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Test//CN\r\n"
    f"BEGIN:VEVENT\r\nUID:a\r\nDTSTAMP:20261201T000000Z\r\nSUMMARY:春节\r\n"
    f"DTSTART;VALUE=DATE:{NEXT}0206\r\nDTEND;VALUE=DATE:{NEXT}0214\r\nEND:VEVENT\r\n"
    f"BEGIN:VEVENT\r\nUID:b\r\nDTSTAMP:20261201T000000Z\r\nSUMMARY:春节调休上班\r\n"
    f"DTSTART;VALUE=DATE:{NEXT}0214\r\nEND:VEVENT\r\n"
    f"BEGIN:VEVENT\r\nUID:c\r\nDTSTAMP:20261201T000000Z\r\nSUMMARY:周会\r\n"
    f"DTSTART;TZID=Asia/Shanghai:{NEXT}0105T100000\r\nEND:VEVENT\r\n"
    "END:VCALENDAR\r\n"
)


def goto_month(page, day: datetime.date) -> None:
    page.evaluate(
        "(day) => document.getElementById('calendar').calendar.gotoDate(day)", day.isoformat()
    )


@pytest.mark.parametrize("language", ["zh-CN", "en"])
def test_an_owner_switches_the_holidays_on_and_everyone_sees_them(
    new_page, org, alice, bob, language
):
    text = TEXT[language]
    page = new_page(language, width=1440, height=900)
    watch(page)
    login(page, alice.email)
    page.goto(reverse("orgs:settings", args=[org.slug]))
    section = page.locator("#public-holidays")
    section.get_by_role("button", name=text["on"]).click()
    expect(page.locator("#public-holidays.is-on")).to_be_visible()
    screenshot(page, f"holidays-org-settings-{language}")
    assert HolidayDay.objects.filter(organization=org).exists()

    page.goto(reverse("calendars:home", args=[org.slug]))
    goto_month(page, SPRING)
    holiday = page.locator(".fc-event.cal-holiday", has_text=text["spring"]).first
    expect(holiday).to_be_visible()
    expect(
        page.locator(".fc-event.cal-holiday.is-workday", has_text=text["workday"]).first
    ).to_be_visible()
    if queries.missing_next_year(org):
        expect(page.locator(".holiday-notice")).to_be_visible()
    screenshot(page, f"holidays-calendar-{language}")

    # Next year's days, typed by the owner from the notice's page.
    year = datetime.date.today().year + 1
    page.goto(reverse("calendars:holidays", args=[org.slug]) + f"?year={year}")
    form = page.locator("#add-holiday form")
    form.locator("input[name=date]").fill(f"{year}-01-01")
    form.locator("input[name=name]").fill("元旦")
    form.get_by_role("button", name=text["add"]).click()
    expect(page.locator(".holiday-row", has_text="元旦")).to_be_visible()
    expect(page.locator(".holiday-notice")).to_have_count(0)
    screenshot(page, f"holidays-page-{language}")
    page.locator(".holiday-row", has_text="元旦").locator("a").click()
    page.locator("select[name=kind]").select_option("workday")
    screenshot(page, f"holidays-edit-{language}")
    page.locator(".page form button[type=submit]").first.click()
    expect(page.locator(".holiday-row.is-workday", has_text="元旦")).to_be_visible()
    assert csp_violations(page) == []
    assert page.console_errors == []

    # A member sees the same days, read-only.
    member = new_page(language, width=390, height=844)
    login(member, bob.email)
    member.goto(reverse("calendars:holidays", args=[org.slug]) + f"?year={LAST}")
    expect(member.locator(".holiday-row").first).to_be_visible()
    expect(member.locator("#add-holiday")).to_have_count(0)
    screenshot(member, f"holidays-page-member-phone-{language}")


@pytest.mark.parametrize("language", ["zh-CN", "en"])
def test_the_holidays_page_on_a_phone(new_page, org, alice, language):
    from baton.calendars import services

    services.set_public_holidays(actor=alice, organization=org, enabled=True)
    page = new_page(language, width=390, height=844)
    watch(page)
    login(page, alice.email)
    page.goto(reverse("calendars:holidays", args=[org.slug]) + f"?year={LAST}")
    expect(page.locator(".holiday-row").first).to_be_visible()
    screenshot(page, f"holidays-page-phone-{language}")
    # An .ics holiday calendar for a year the bundled data lacks, with one event that is no holiday.
    page.locator("#holiday-file").set_input_files(
        files=[{"name": "holidays.ics", "mimeType": "text/calendar", "buffer": ICS.encode()}]
    )
    page.locator("#import-holidays button[type=submit]").click()
    expect(page.locator(".holiday-summary")).to_be_visible()
    expect(page.locator(".holiday-summary .ics-skipped")).to_contain_text("周会")
    expect(page.locator(".holiday-row.is-workday", has_text="春节")).to_be_visible()
    page.locator(".holiday-summary").scroll_into_view_if_needed()
    screenshot(page, f"holidays-import-phone-{language}")
    page.goto(reverse("calendars:home", args=[org.slug]))
    expect(page.locator("#calendar")).to_be_visible()
    screenshot(page, f"holidays-calendar-phone-{language}")
    page.goto(reverse("orgs:settings", args=[org.slug]))
    expect(page.locator("#public-holidays.is-on")).to_be_visible()
    screenshot(page, f"holidays-org-settings-phone-{language}")
    assert page.console_errors == []
