"""The event panel in the browser: participants chosen by typing in the people picker, an event
moved to another calendar, and the import summary of a file imported again."""

import datetime

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from baton.calendars import services
from baton.calendars.models import Event
from baton.orgs.models import Membership, Role
from tests.e2e.board import csp_violations, watch
from tests.e2e.conftest import login, screenshot

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

COLLEAGUES = [
    ("李娜", "li.na@shop.example"),
    ("李伟", "li.wei@shop.example"),
    ("王芳", "wang.fang@shop.example"),
    ("张敏", "zhang.min@shop.example"),
    ("刘洋", "liu.yang@shop.example"),
    ("陈静", "chen.jing@shop.example"),
    ("杨磊", "yang.lei@shop.example"),
    ("赵丽", "zhao.li@shop.example"),
    ("Grace Hopper", "grace@shop.example"),
    ("Linus Chen", "linus@shop.example"),
]


@pytest.fixture
def colleagues(org, make_user):
    people = {}
    for name, email in COLLEAGUES:
        person = make_user(name, email)
        Membership.objects.create(organization=org, user=person, role=Role.MEMBER)
        people[name] = person
    return people


@pytest.mark.parametrize("language", ["zh-CN", "en"])
def test_pick_two_people_by_typing_and_move_the_event_to_another_calendar(
    new_page, org, alice, colleagues, language
):
    jd = services.create_calendar(actor=alice, organization=org, name="京东", color="red")
    tmall = services.create_calendar(actor=alice, organization=org, name="天猫", color="orange")
    day = datetime.date.today().replace(day=12)
    event = services.create_event(
        actor=alice,
        calendar=jd,
        title="直播带货",
        start=f"{day.isoformat()}T19:00",
        end=f"{day.isoformat()}T21:00",
        timezone="Asia/Shanghai",
    )
    page = new_page(language, width=1440, height=900)
    watch(page)
    login(page, alice.email)
    page.goto(reverse("calendars:home", args=[org.slug]))
    page.locator(".fc-event", has_text="直播带货").click()
    panel = page.locator("#calendar-panel")
    edit = "编辑" if language == "zh-CN" else "Edit"
    panel.get_by_role("button", name=edit, exact=True).click()
    panel.locator("select[name=calendar]").select_option(str(tmall.pk))

    # The plain list is replaced by a search box; the label names it.
    label = "参与者" if language == "zh-CN" else "Participants"
    search = panel.get_by_role("combobox", name=label)
    expect(panel.locator("select[name=participants]")).to_be_hidden()
    search.click()
    expect(panel.locator(".people-option")).to_have_count(len(COLLEAGUES) + 3)
    search.fill("李")
    options = panel.locator(".people-option")
    expect(options).to_have_count(2)
    options.filter(has_text="李娜").click()
    # By e-mail, with the keyboard: the first match is active, Enter picks it.
    search.fill("grace@")
    expect(options).to_have_count(1)
    screenshot(page, f"calendar-people-picker-{language}")
    search.press("Enter")
    chips = panel.locator(".people-chip")
    expect(chips).to_have_count(2)
    expect(chips.filter(has_text="李娜")).to_have_count(1)
    expect(chips.filter(has_text="Grace Hopper")).to_have_count(1)
    # Escape closes the list, not the panel; Backspace in the empty box removes the last chip.
    search.fill("zhang")
    expect(options).to_have_count(1)
    search.press("Escape")
    expect(panel.locator(".people-picker-options")).to_be_hidden()
    expect(panel).to_be_visible()
    search.fill("")
    search.press("Backspace")  # the last chip in the list: 李娜 (names in order)
    expect(chips).to_have_count(1)
    search.fill("li.na")
    search.press("Enter")
    expect(chips).to_have_count(2)
    screenshot(page, f"calendar-people-chosen-{language}")

    panel.locator("button[type=submit]").click()
    expect(panel).to_be_hidden()
    event.refresh_from_db()
    assert event.calendar_id == tmall.pk
    assert {p.name for p in event.participants.all()} == {"李娜", "Grace Hopper"}

    page.locator(".fc-event", has_text="直播带货").click()
    expect(panel.locator(".cal-detail-calendar")).to_contain_text("天猫")
    expect(panel.locator(".cal-attendance")).to_contain_text("李娜")
    expect(panel.locator(".cal-attendance")).to_contain_text("Grace Hopper")
    screenshot(page, f"calendar-people-panel-{language}")
    assert csp_violations(page) == []
    assert page.console_errors == []
    assert Event.objects.count() == 1


ICS = (
    "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Google Inc//Google Calendar//EN\r\n"
    "BEGIN:VEVENT\r\nUID:live@google\r\nSUMMARY:{title}\r\n"
    "DTSTART;TZID=Asia/Shanghai:20261102T190000\r\nDTEND;TZID=Asia/Shanghai:20261102T210000\r\n"
    "RRULE:FREQ=WEEKLY;COUNT=4\r\nRDATE;TZID=Asia/Shanghai:20261111T200000\r\n"
    "ATTENDEE;PARTSTAT=ACCEPTED:mailto:li.na@shop.example\r\n"
    "ATTENDEE:mailto:supplier@factory.example\r\n"
    "BEGIN:VALARM\r\nACTION:DISPLAY\r\nTRIGGER:-PT30M\r\nEND:VALARM\r\n"
    "BEGIN:VALARM\r\nACTION:DISPLAY\r\nTRIGGER;VALUE=DATE-TIME:20261102T100000Z\r\nEND:VALARM\r\n"
    "END:VEVENT\r\nEND:VCALENDAR\r\n"
)


@pytest.mark.parametrize("language", ["zh-CN", "en"])
def test_importing_a_file_again_updates_its_events(
    new_page, org, alice, colleagues, language, tmp_path
):
    calendar = services.create_calendar(actor=alice, organization=org, name="抖音", color="blue")
    first = tmp_path / "live.ics"
    first.write_text(ICS.format(title="双11直播"), encoding="utf-8")
    again = tmp_path / "live-v2.ics"
    again.write_text(ICS.format(title="双11直播 加场"), encoding="utf-8")
    page = new_page(language)
    watch(page)
    login(page, alice.email)
    page.goto(reverse("calendars:import", args=[org.slug, calendar.pk]))
    page.set_input_files("#ics-file", str(first))
    page.locator(".ics-import button[type=submit]").click()
    summary = page.locator(".ics-summary")
    expect(summary.locator(".ics-imported")).to_have_count(1)
    page.set_input_files("#ics-file", str(again))
    page.locator(".ics-import button[type=submit]").click()
    expect(summary.locator(".ics-updated")).to_have_count(1)
    expect(summary.locator(".ics-attendees-missing")).to_be_visible()
    screenshot(page, f"calendar-import-updated-{language}")
    event = Event.objects.get()
    assert event.title == "双11直播 加场" and event.version == 2
    assert event.reminders == [30] and len(event.rdates) == 1
    assert [p.email for p in event.participants.all()] == ["li.na@shop.example"]
    assert csp_violations(page) == []
    assert page.console_errors == []
