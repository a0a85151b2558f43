"""Importing .ics files: attendees to participants, alarms to reminders, RDATEs as extra
occurrences, and importing the same file again updates by UID."""

import datetime as dt
from zoneinfo import ZoneInfo

import icalendar
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from baton.activity.models import Activity
from baton.calendars import ical, services
from baton.calendars.models import Attendance, CalendarVisibility, Event, EventParticipant
from baton.calendars.queries import occurrences
from baton.calendars.recurrence import expand
from baton.calendars.services.imports import import_ics

pytestmark = pytest.mark.django_db
UTC = dt.UTC
SH = ZoneInfo("Asia/Shanghai")
YEAR = (dt.datetime(2026, 1, 1, tzinfo=UTC), dt.datetime(2027, 1, 1, tzinfo=UTC))


@pytest.fixture(autouse=True)
def english_messages():
    with translation.override("en"):
        yield


@pytest.fixture
def calendar(org, alice):
    """天猫, open to the organization: bob (member) sees it, carol (guest) does not."""
    return services.create_calendar(actor=alice, organization=org, name="天猫", color="orange")


def ics(*events: str) -> bytes:
    body = "".join(events)
    text = f"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Test//EN\r\n{body}END:VCALENDAR\r\n"
    return text.encode()


def vevent(
    *lines: str,
    uid="a@test",
    summary="直播",
    start="DTSTART:20261102T020000Z",
    end="DTEND:20261102T030000Z",
) -> str:
    body = [f"UID:{uid}", f"SUMMARY:{summary}", start, end, *lines]
    return "BEGIN:VEVENT\r\n" + "\r\n".join(body) + "\r\nEND:VEVENT\r\n"


def alarm(trigger: str) -> str:
    return f"BEGIN:VALARM\r\nACTION:DISPLAY\r\nDESCRIPTION:提醒\r\nTRIGGER{trigger}\r\nEND:VALARM"


def starts(event) -> list[dt.datetime]:
    event.refresh_from_db()
    found = expand(event, *YEAR, overrides=list(event.overrides.all()))
    return [o.start for o in found]


# ---------------------------------------------------------------- attendees


def test_attendees_who_see_the_calendar_become_participants(
    calendar, org, alice, bob, carol, other_org, mallory
):
    data = ics(
        vevent(
            "ATTENDEE;CN=Bob;PARTSTAT=ACCEPTED:mailto:BOB@example.com",
            "ATTENDEE;PARTSTAT=DECLINED:mailto:alice@example.com",
            "ATTENDEE:mailto:carol@example.com",  # a guest: may not see this calendar
            "ATTENDEE:mailto:mallory@example.com",  # another organization
            "ATTENDEE:mailto:stranger@example.org",
        ),
        vevent("ATTENDEE:mailto:stranger@example.org", uid="b@test"),  # counted once
    )
    summary = import_ics(actor=alice, calendar=calendar, data=data)
    assert summary.imported_count == 2 and summary.skipped == []
    assert summary.attendees_not_found == 3
    event = Event.objects.get(uid="a@test")
    answers = dict(EventParticipant.objects.filter(event=event).values_list("user", "response"))
    assert answers == {bob.pk: Attendance.ACCEPTED, alice.pk: Attendance.DECLINED}
    assert not EventParticipant.objects.filter(event__uid="b@test").exists()


def test_malformed_attendees_are_left_out_with_a_note_and_the_event_imported(calendar, alice, bob):
    data = ics(
        vevent(
            "ATTENDEE:bob@example.com",  # no mailto:
            "ATTENDEE:mailto:not-an-address",
            "ATTENDEE;CN=Bob:mailto:bob@example.com",
        )
    )
    summary = import_ics(actor=alice, calendar=calendar, data=data)
    [item] = summary.imported
    assert item.notes == ["2 attendees were left out: not e-mail addresses (mailto:)."]
    assert list(Event.objects.get().participants.all()) == [bob]
    assert summary.attendees_not_found == 0


def test_attendees_of_a_members_only_calendar_must_be_named_on_it(org, alice, bob):
    private = services.create_calendar(
        actor=alice, organization=org, name="董事会", visibility=CalendarVisibility.MEMBERS
    )
    data = ics(vevent("ATTENDEE:mailto:bob@example.com"))
    summary = import_ics(actor=alice, calendar=private, data=data)
    assert summary.attendees_not_found == 1
    assert not EventParticipant.objects.exists()


# ---------------------------------------------------------------- alarms


def test_alarms_before_the_start_become_reminders(calendar, alice):
    data = ics(vevent(alarm(":-PT15M"), alarm(":-P1D"), alarm(";RELATED=START:-PT15M")))
    summary = import_ics(actor=alice, calendar=calendar, data=data)
    assert summary.imported[0].notes == []
    assert Event.objects.get().reminders == [1440, 15]


def test_alarms_that_cannot_be_reminders_are_left_out_with_their_reason(calendar, alice):
    data = ics(
        vevent(
            alarm(";VALUE=DATE-TIME:20261101T020000Z"),
            alarm(";RELATED=END:-PT5M"),
            alarm(":PT10M"),
            alarm(":-P5W"),
            alarm(":-PT30M"),
        )
    )
    summary = import_ics(actor=alice, calendar=calendar, data=data)
    [item] = summary.imported
    assert item.notes == [
        "A reminder at a fixed date and time was left out: reminders are set before the start.",
        "A reminder relative to the end was left out.",
        "A reminder after the start was left out.",
        "A reminder more than four weeks before was left out.",
    ]
    assert Event.objects.get().reminders == [30]


def test_at_most_five_reminders_the_closest_to_the_start(calendar, alice):
    triggers = [":-PT5M", ":-PT10M", ":-PT15M", ":-PT30M", ":-PT1H", ":-P1D", ":-P2D"]
    summary = import_ics(
        actor=alice, calendar=calendar, data=ics(vevent(*[alarm(t) for t in triggers]))
    )
    assert "Only the first 5 of its 7 reminders were kept." in summary.imported[0].notes
    assert Event.objects.get().reminders == [60, 30, 15, 10, 5]


# ---------------------------------------------------------------- RDATE


def test_rdates_add_occurrences_to_a_series(calendar, alice):
    data = ics(
        vevent(
            "RRULE:FREQ=WEEKLY;COUNT=3",
            "RDATE:20261105T020000Z,20261230T020000Z",
            "RDATE;VALUE=DATE:20261120",  # a date on a timed series: that day at its time
            "RDATE:20261009T020000Z",  # before the start: left out
        )
    )
    summary = import_ics(actor=alice, calendar=calendar, data=data)
    [item] = summary.imported
    assert item.notes == ["1 extra date (RDATE) before the start was left out."]
    series = Event.objects.get()
    assert [s.isoformat() for s in starts(series)] == [
        "2026-11-02T02:00:00+00:00",
        "2026-11-05T02:00:00+00:00",
        "2026-11-09T02:00:00+00:00",
        "2026-11-16T02:00:00+00:00",
        "2026-11-20T02:00:00+00:00",
        "2026-12-30T02:00:00+00:00",
    ]
    assert series.recurrence_end == dt.datetime(2026, 12, 30, 3, tzinfo=UTC)


def test_an_rdate_occurrence_is_edited_and_deleted_like_the_others(calendar, alice):
    import_ics(
        actor=alice,
        calendar=calendar,
        data=ics(vevent("RRULE:FREQ=WEEKLY;COUNT=2", "RDATE:20261105T020000Z")),
    )
    series = Event.objects.get()
    extra = dt.datetime(2026, 11, 5, 2, tzinfo=UTC)
    services.update_event(
        actor=alice, event=series, scope="this", occurrence=extra, title="加场直播"
    )
    assert Event.objects.get(series=series).title == "加场直播"
    services.delete_event(actor=alice, event=series, scope="this", occurrence=extra)
    assert extra not in starts(series)
    assert len(starts(series)) == 2


def test_rdates_without_a_repeat_rule_are_reported(calendar, alice):
    summary = import_ics(actor=alice, calendar=calendar, data=ics(vevent("RDATE:20261105T020000Z")))
    assert summary.imported[0].notes == [
        "Its extra dates (RDATE) were left out: it has no repeat rule (RRULE)."
    ]
    assert Event.objects.get().rdates == []


def test_rdates_and_reminders_are_exported():
    event = Event(
        uid="x@baton",
        title="直播",
        start=dt.datetime(2026, 11, 2, 10, tzinfo=SH),
        end=dt.datetime(2026, 11, 2, 11, tzinfo=SH),
        timezone="Asia/Shanghai",
        rrule="FREQ=WEEKLY;COUNT=3",
        rdates=[dt.datetime(2026, 11, 5, 2, tzinfo=UTC).isoformat()],
        reminders=[60],
        version=1,
    )
    [component] = icalendar.Calendar.from_ical(ical.feed(name="天猫", events=[event])).walk(
        "VEVENT"
    )
    assert component["rdate"].to_ical() == b"20261105T100000"
    assert component["rdate"].params["TZID"] == "Asia/Shanghai"
    [valarm] = component.walk("VALARM")
    assert valarm.decoded("trigger") == -dt.timedelta(minutes=60)


# ---------------------------------------------------------------- importing again


def test_importing_the_same_file_again_updates_by_uid(calendar, alice, bob):
    first = ics(
        vevent("RRULE:FREQ=WEEKLY;COUNT=4", alarm(":-PT15M")),
        vevent(
            uid="a@test",
            summary="直播 改期",
            start="RECURRENCE-ID:20261109T020000Z\r\nDTSTART:20261110T020000Z",
            end="DTEND:20261110T030000Z",
        ),
    )
    assert import_ics(actor=alice, calendar=calendar, data=first).imported_count == 2
    series = Event.objects.get(series=None)
    EventParticipant.objects.create(event=series, user=bob, response=Attendance.ACCEPTED)
    again = first.replace(b"SUMMARY:\xe7\x9b\xb4\xe6\x92\xad\r\n", b"SUMMARY:\xe5\x8f\x8c11\r\n")
    summary = import_ics(actor=alice, calendar=calendar, data=again, filename="again.ics")
    assert (summary.imported_count, summary.updated_count, summary.skipped_count) == (0, 2, 0)
    assert Event.objects.count() == 2
    series.refresh_from_db()
    assert (series.title, series.version, series.reminders) == ("双11", 2, [15])
    assert Event.objects.get(series=series).title == "直播 改期"
    # The file names no attendees: the participants the event has stay.
    assert list(series.participants.all()) == [bob]
    activity = Activity.objects.filter(verb="calendar.imported").latest("id")
    assert activity.data == {"file": "again.ics", "imported": 0, "updated": 2, "skipped": 0}


def test_a_uid_twice_in_one_file_is_skipped(calendar, alice):
    summary = import_ics(
        actor=alice, calendar=calendar, data=ics(vevent(), vevent(summary="again"))
    )
    assert [s.reason for s in summary.skipped] == ["Its UID is already in this file."]


def test_an_update_that_no_longer_reads_leaves_the_event_as_it_was(calendar, alice):
    import_ics(actor=alice, calendar=calendar, data=ics(vevent()))
    bad = ics(vevent("RRULE:FREQ=WEEKLY;INTERVAL=0", summary="坏规则"))
    summary = import_ics(actor=alice, calendar=calendar, data=bad)
    assert summary.updated_count == 0 and summary.skipped_count == 1
    event = Event.objects.get()
    assert (event.title, event.rrule, event.version) == ("直播", "", 1)


# ---------------------------------------------------------------- round trip


def test_export_then_import_keeps_rdates_reminders_and_updates_on_the_way_back(
    org, calendar, alice
):
    series = services.create_event(
        actor=alice,
        calendar=calendar,
        title="周会",
        start="2026-11-02T10:00+08:00",
        end="2026-11-02T11:00+08:00",
        timezone="Asia/Shanghai",
        rrule="FREQ=WEEKLY;COUNT=3",
        reminders=[1440, 10],
    )
    Event.objects.filter(pk=series.pk).update(
        rdates=[dt.datetime(2026, 11, 4, 2, tzinfo=UTC).isoformat()]
    )
    data = ical.feed(name="天猫", events=list(calendar.events.all()))
    other = services.create_calendar(actor=alice, organization=org, name="京东")
    summary = import_ics(actor=alice, calendar=other, data=data)
    assert summary.imported_count == 1 and summary.skipped == []
    copy = other.events.get()
    assert copy.reminders == [1440, 10]
    assert copy.rdates == [dt.datetime(2026, 11, 4, 2, tzinfo=UTC).isoformat()]
    assert starts(copy) == starts(series)
    # Its own export brought back: updated in place, nothing doubled.
    summary = import_ics(actor=alice, calendar=calendar, data=data)
    assert (summary.imported_count, summary.updated_count) == (0, 1)
    assert calendar.events.count() == 1


# ---------------------------------------------------------------- the page


def test_the_import_page_says_what_was_updated_and_who_was_not_found(english, org, calendar, alice):
    data = ics(vevent("ATTENDEE:mailto:stranger@example.org"))
    import_ics(actor=alice, calendar=calendar, data=data)
    url = reverse("calendars:import", args=[org.slug, calendar.pk])
    upload = SimpleUploadedFile("tmall.ics", data, content_type="text/calendar")
    response = english(alice).post(url, {"file": upload})
    assert response.status_code == 200
    assert "0 events imported, 1 updated" in response.text
    assert "1 attendee not found in this organization" in response.text


def test_the_calendar_shows_the_extra_dates_of_an_imported_series(org, calendar, alice):
    data = ics(vevent("RRULE:FREQ=WEEKLY;COUNT=2", "RDATE:20261105T020000Z"))
    import_ics(actor=alice, calendar=calendar, data=data)
    lo, hi = dt.datetime(2026, 11, 1, tzinfo=SH), dt.datetime(2026, 11, 15, tzinfo=SH)
    shown = [o.start.astimezone(SH).date().isoformat() for o in occurrences(alice, org, lo, hi)]
    assert shown == ["2026-11-02", "2026-11-05", "2026-11-09"]
