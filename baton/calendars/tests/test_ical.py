"""iCalendar export (parsed back with `icalendar`, field by field), import, and the round trip."""

import datetime as dt
from zoneinfo import ZoneInfo

import icalendar
import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils import translation

from baton.activity.models import Activity
from baton.calendars import ical
from baton.calendars.models import Calendar, CalendarKind, Event
from baton.calendars.services.imports import import_ics

UTC = dt.UTC
NY = ZoneInfo("America/New_York")
SH = ZoneInfo("Asia/Shanghai")


@pytest.fixture(autouse=True)
def english_messages():
    """Messages are asserted in English, whatever the translations say."""
    with translation.override("en"):
        yield


@pytest.fixture
def make_calendar(org, alice):
    def make(name="天猫", **fields):
        return Calendar.objects.create(organization=org, name=name, created_by=alice, **fields)

    return make


@pytest.fixture
def calendar(make_calendar):
    return make_calendar()


def make_event(calendar, title="周例会", **fields):
    fields.setdefault("uid", f"{title}-{Event.objects.count()}@test")
    fields.setdefault("start", dt.datetime(2026, 3, 2, 10, tzinfo=NY))
    fields.setdefault("end", fields["start"] + dt.timedelta(hours=1))
    fields.setdefault("timezone", "America/New_York")
    return Event.objects.create(calendar=calendar, title=title, **fields)


def vevents(data: bytes) -> list:
    return icalendar.Calendar.from_ical(data).walk("VEVENT")


def export(*events) -> bytes:
    return ical.feed(name="天猫", description="平台大促", events=events)


# ---------------------------------------------------------------- export


def test_export_a_timed_event_with_its_zone(calendar):
    event = make_event(
        calendar,
        title="双 11 预售",
        description="**定金** 预售开始",
        location="杭州",
        start=dt.datetime(2026, 10, 20, 20, tzinfo=SH),
        end=dt.datetime(2026, 10, 20, 22, tzinfo=SH),
        timezone="Asia/Shanghai",
        version=3,
    )
    data = export(event)
    parsed = icalendar.Calendar.from_ical(data)
    assert str(parsed["prodid"]) == ical.PRODID
    assert str(parsed["version"]) == "2.0"
    assert str(parsed["x-wr-calname"]) == "天猫"
    [component] = parsed.walk("VEVENT")
    assert str(component["uid"]) == event.uid
    assert str(component["summary"]) == "双 11 预售"
    assert str(component["description"]) == "**定金** 预售开始"
    assert str(component["location"]) == "杭州"
    assert component["dtstart"].params["TZID"] == "Asia/Shanghai"
    assert component.decoded("dtstart") == dt.datetime(2026, 10, 20, 20, tzinfo=SH)
    assert component.decoded("dtend") == dt.datetime(2026, 10, 20, 22, tzinfo=SH)
    assert component.decoded("sequence") == 2
    assert "rrule" not in component and "exdate" not in component
    assert [tz["tzid"] for tz in parsed.walk("VTIMEZONE")] == ["Asia/Shanghai"]


def test_export_an_all_day_multi_day_event_as_dates(calendar):
    start = dt.datetime(2026, 6, 1, tzinfo=SH)
    event = make_event(
        calendar,
        title="618 大促",
        start=start,
        end=start + dt.timedelta(days=18),
        all_day=True,
        timezone="Asia/Shanghai",
    )
    [component] = vevents(export(event))
    assert component.decoded("dtstart") == dt.date(2026, 6, 1)
    assert component.decoded("dtend") == dt.date(2026, 6, 19)  # exclusive
    assert component["dtstart"].params.get("VALUE") == "DATE"
    assert icalendar.Calendar.from_ical(export(event)).walk("VTIMEZONE") == []


def test_export_a_series_with_exdates_and_an_edited_occurrence(calendar):
    series = make_event(
        calendar,
        rrule="FREQ=WEEKLY;BYDAY=MO;UNTIL=20260601T000000Z",
        exdates=[dt.datetime(2026, 3, 16, 14, tzinfo=UTC).isoformat()],  # 10:00 EDT
    )
    moved = make_event(
        calendar,
        title="周例会 改到下午",
        uid=series.uid,
        series=series,
        recurrence_id=dt.datetime(2026, 3, 23, 14, tzinfo=UTC),
        start=dt.datetime(2026, 3, 23, 15, tzinfo=NY),
    )
    data = export(series, moved)
    master, override = vevents(data)
    assert master["rrule"].to_ical() == b"FREQ=WEEKLY;UNTIL=20260601T000000Z;BYDAY=MO"
    [exdate] = master["exdate"].dts
    assert exdate.dt == dt.datetime(2026, 3, 16, 10, tzinfo=NY)
    assert exdate.params["TZID"] == "America/New_York"
    assert str(override["uid"]) == series.uid
    assert override.decoded("recurrence-id") == dt.datetime(2026, 3, 23, 10, tzinfo=NY)
    assert override.decoded("dtstart") == dt.datetime(2026, 3, 23, 15, tzinfo=NY)
    assert "rrule" not in override
    # The zone's daylight saving (starts 2026-03-08) is described in the VTIMEZONE.
    [vtimezone] = icalendar.Calendar.from_ical(data).walk("VTIMEZONE")
    assert vtimezone["tzid"] == "America/New_York"
    assert {c.name for c in vtimezone.subcomponents} == {"STANDARD", "DAYLIGHT"}
    assert b"20260308T030000" in data


def test_export_all_day_series_until_is_a_date(calendar):
    start = dt.datetime(2026, 1, 31, tzinfo=SH)
    series = make_event(
        calendar,
        start=start,
        end=start + dt.timedelta(days=1),
        all_day=True,
        timezone="Asia/Shanghai",
        rrule="FREQ=MONTHLY;BYMONTHDAY=-1;UNTIL=20261231",
        exdates=[dt.datetime(2026, 2, 27, 16, tzinfo=UTC).isoformat()],  # 2/28 in Shanghai
    )
    [component] = vevents(export(series))
    assert component["rrule"]["UNTIL"] == [dt.date(2026, 12, 31)]
    assert [d.dt for d in component["exdate"].dts] == [dt.date(2026, 2, 28)]


def test_an_override_without_its_series_is_left_out(calendar):
    series = make_event(calendar, rrule="FREQ=DAILY;COUNT=5")
    moved = make_event(
        calendar,
        uid=series.uid,
        series=series,
        recurrence_id=series.start + dt.timedelta(days=1),
        start=series.start + dt.timedelta(days=1, hours=2),
    )
    assert vevents(export(moved)) == []


# ---------------------------------------------------------------- import

ICS = """BEGIN:VCALENDAR\r
VERSION:2.0\r
PRODID:-//Test//EN\r
{body}END:VCALENDAR\r
"""


def vevent(**props) -> str:
    lines = ["BEGIN:VEVENT"] + [f"{k.replace('_', '-').upper()}{v}" for k, v in props.items()]
    return "\r\n".join([*lines, "END:VEVENT", ""])


def ics(*bodies) -> bytes:
    return ICS.format(body="".join(bodies)).encode()


def test_import_events_with_zones_all_day_and_recurrence(alice, calendar):
    data = ics(
        vevent(
            uid=":a",
            summary=":年货节",
            dtstart=";VALUE=DATE:20260105",
            dtend=";VALUE=DATE:20260120",
        ),
        vevent(
            uid=":b",
            summary=":周例会",
            dtstart=";TZID=America/New_York:20260302T100000",
            dtend=";TZID=America/New_York:20260302T110000",
            rrule=":FREQ=WEEKLY;BYDAY=MO;COUNT=10",
            exdate=";TZID=America/New_York:20260316T100000",
            description=":议程\\n1. 复盘",
            location=":会议室",
        ),
        vevent(uid=":c", summary=":UTC", dtstart=":20260401T020000Z", duration=":PT90M"),
        vevent(
            uid=":d",
            summary=":Outlook",
            dtstart=";TZID=China Standard Time:20260401T090000",
            dtend=";TZID=China Standard Time:20260401T100000",
        ),
        vevent(uid=":e", summary=":floating", dtstart=":20260401T090000"),
    )
    summary = import_ics(actor=alice, calendar=calendar, data=data, filename="x.ics")
    assert summary.imported_count == 5, summary.skipped
    assert summary.skipped == []
    events = {e.uid: e for e in Event.objects.filter(calendar=calendar)}
    assert events["a"].all_day and events["a"].start == dt.datetime(2026, 1, 5, tzinfo=SH)
    assert events["a"].end == dt.datetime(2026, 1, 20, tzinfo=SH)
    weekly = events["b"]
    assert weekly.timezone == "America/New_York"
    assert weekly.start == dt.datetime(2026, 3, 2, 15, tzinfo=UTC)
    assert weekly.rrule == "FREQ=WEEKLY;COUNT=10;BYDAY=MO" or "COUNT=10" in weekly.rrule
    assert weekly.exdates == [dt.datetime(2026, 3, 16, 14, tzinfo=UTC).isoformat()]
    assert weekly.description == "议程\n1. 复盘" and weekly.location == "会议室"
    assert weekly.recurrence_end == dt.datetime(2026, 5, 4, 15, tzinfo=UTC)
    assert events["c"].timezone == "UTC"
    assert events["c"].end - events["c"].start == dt.timedelta(minutes=90)
    assert events["d"].timezone == "Asia/Shanghai"
    assert events["d"].start == dt.datetime(2026, 4, 1, 1, tzinfo=UTC)
    assert events["e"].timezone == "Asia/Shanghai" and events["e"].end == events["e"].start
    [activity] = Activity.objects.filter(verb="calendar.imported")
    assert activity.data == {"file": "x.ics", "imported": 5, "updated": 0, "skipped": 0}


def test_import_skips_bad_events_with_reasons_and_keeps_the_rest(alice, calendar):
    data = ics(
        vevent(uid=":ok", summary=":fine", dtstart=":20260401T020000Z"),
        vevent(uid=":nostart", summary=":no start"),
        vevent(uid=":mars", summary=":mars", dtstart=";TZID=Mars/Base:20260401T090000"),
        vevent(
            uid=":fast", summary=":too often", dtstart=":20260401T020000Z", rrule=":FREQ=MINUTELY"
        ),
        vevent(
            uid=":bad",
            summary=":bad rule",
            dtstart=":20260401T020000Z",
            rrule=":FREQ=WEEKLY;INTERVAL=0",
        ),
        vevent(
            uid=":back",
            summary=":backwards",
            dtstart=":20260401T020000Z",
            dtend=":20260301T020000Z",
        ),
        vevent(uid=":gone", summary=":cancelled", dtstart=":20260401T020000Z", status=":CANCELLED"),
        vevent(summary=":no uid", dtstart=":20260401T020000Z"),
        vevent(uid=":ok", summary=":duplicate", dtstart=":20260402T020000Z"),
        vevent(
            uid=":orphan",
            summary=":orphan",
            dtstart=":20260402T020000Z",
            recurrence_id=":20260401T020000Z",
        ),
        "BEGIN:VTODO\r\nUID:todo\r\nSUMMARY:a to-do\r\nEND:VTODO\r\n",
    )
    summary = import_ics(actor=alice, calendar=calendar, data=data)
    assert [e.uid for e in Event.objects.filter(calendar=calendar)] == ["ok"]
    reasons = {s.title: s.reason for s in summary.skipped}
    assert reasons["no start"] == "It has no start (DTSTART)."
    assert reasons["mars"] == "Unknown time zone “Mars/Base”."
    assert "at most daily" in reasons["too often"]
    assert "INTERVAL" in reasons["bad rule"]
    assert reasons["backwards"] == "It ends before it starts."
    assert reasons["cancelled"] == "It is cancelled."
    assert reasons["no uid"] == "It has no UID."
    assert reasons["duplicate"] == "Its UID is already in this file."
    assert reasons["orphan"] == "It changes one occurrence of a series that was not imported."
    assert "Only events" in reasons["a to-do"]
    assert summary.imported_count == 1 and summary.skipped_count == 10


def test_reimporting_updates_what_is_there(alice, calendar):
    data = ics(vevent(uid=":x", summary=":x", dtstart=":20260401T020000Z"))
    import_ics(actor=alice, calendar=calendar, data=data)
    summary = import_ics(actor=alice, calendar=calendar, data=data)
    assert (summary.imported_count, summary.updated_count, summary.skipped_count) == (0, 1, 0)
    assert Event.objects.filter(calendar=calendar).count() == 1


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "Choose an .ics file to import."),
        (b"hello, world", "This is not an iCalendar (.ics) file: it has no BEGIN:VCALENDAR."),
        (b"\xff\xfe\x00garbage", "The file is not UTF-8 text, so it is not an iCalendar file."),
        (b"BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nnot a line\r\n", "incomplete or malformed"),
    ],
)
def test_a_malformed_file_imports_nothing(alice, calendar, data, message):
    with pytest.raises(ValidationError) as error:
        import_ics(actor=alice, calendar=calendar, data=data)
    assert message in error.value.message_dict["file"][0]
    assert not Event.objects.exists()
    assert not Activity.objects.filter(verb="calendar.imported").exists()


def test_a_file_too_large_or_with_too_many_events_imports_nothing(alice, calendar, settings):
    settings.CALENDAR_IMPORT_MAX_BYTES = 1024 * 1024
    big = ics(
        vevent(
            uid=":x", summary=":x", dtstart=":20260401T020000Z", description=":" + "x" * 1024 * 1024
        )
    )
    with pytest.raises(ValidationError) as error:
        import_ics(actor=alice, calendar=calendar, data=big)
    assert "too large" in error.value.message_dict["file"][0]
    settings.CALENDAR_IMPORT_MAX_EVENTS = 2
    many = ics(*(vevent(uid=f":{i}", summary=":x", dtstart=":20260401T020000Z") for i in range(3)))
    with pytest.raises(ValidationError) as error:
        import_ics(actor=alice, calendar=calendar, data=many)
    assert "holds 3 events; at most 2" in error.value.message_dict["file"][0]
    assert not Event.objects.exists()


def test_import_access(bob, carol, mallory, calendar, make_calendar, org):
    data = ics(vevent(uid=":x", summary=":x", dtstart=":20260401T020000Z"))
    with pytest.raises(PermissionDenied):  # bob: a member sees the organization's calendar
        import_ics(actor=bob, calendar=calendar, data=data)
    with pytest.raises(Http404):  # carol: a guest not named on it
        import_ics(actor=carol, calendar=calendar, data=data)
    with pytest.raises(Http404):
        import_ics(actor=mallory, calendar=calendar, data=data)
    holidays = make_calendar("节假日", kind=CalendarKind.HOLIDAYS)
    with pytest.raises(PermissionDenied):
        import_ics(actor=org.memberships.get(role="owner").user, calendar=holidays, data=data)
    assert not Event.objects.exists()


# ---------------------------------------------------------------- round trip


def test_round_trip_through_export_and_import(alice, calendar, make_calendar):
    start = dt.datetime(2026, 2, 27, tzinfo=SH)
    single = make_event(
        calendar,
        title="年货节",
        description="全场满减",
        start=start,
        end=start + dt.timedelta(days=3),
        all_day=True,
        timezone="Asia/Shanghai",
    )
    series = make_event(
        calendar,
        rrule="FREQ=MONTHLY;BYDAY=-1FR;UNTIL=20261231T235959Z",
        exdates=[dt.datetime(2026, 4, 24, 14, tzinfo=UTC).isoformat()],
        start=dt.datetime(2026, 3, 27, 10, tzinfo=NY),
        location="Zoom",
    )
    moved = make_event(
        calendar,
        title="月末复盘 提前",
        uid=series.uid,
        series=series,
        recurrence_id=dt.datetime(2026, 5, 29, 14, tzinfo=UTC),
        start=dt.datetime(2026, 5, 28, 10, tzinfo=NY),
    )
    data = ical.feed(name="天猫", events=[single, series, moved])
    other = make_calendar("京东")
    summary = import_ics(actor=alice, calendar=other, data=data)
    assert summary.imported_count == 3 and summary.skipped == []
    copies = {(e.uid, e.series_id is not None): e for e in other.events.all()}
    for original in (single, series, moved):
        copy = copies[(original.uid, original.series_id is not None)]
        for name in ("title", "description", "location", "start", "end", "all_day", "timezone"):
            assert getattr(copy, name) == getattr(original, name), name
    copy = copies[(series.uid, False)]
    assert copy.rrule == "FREQ=MONTHLY;UNTIL=20261231T235959Z;BYDAY=-1FR"
    assert copy.exdates == series.exdates
    assert copies[(series.uid, True)].recurrence_id == moved.recurrence_id
    assert copies[(series.uid, True)].series == copy
    # …and out again: the same VEVENTs, field by field, except the stamps.
    again = vevents(ical.feed(name="京东", events=list(other.events.order_by("series", "start"))))
    first = vevents(data)
    assert len(again) == len(first) == 3
    for a, b in zip(sorted(first, key=_key), sorted(again, key=_key), strict=True):
        for prop in ("uid", "summary", "dtstart", "dtend", "rrule", "exdate", "recurrence-id"):
            assert (a.get(prop) and a.get(prop).to_ical()) == (
                b.get(prop) and b.get(prop).to_ical()
            ), prop


def _key(component):
    return (str(component["uid"]), "recurrence-id" in component)


def test_an_unreadable_property_skips_its_event(alice, calendar):
    data = ics(vevent(uid=":x", summary=":bad date", dtstart=":2026XX"))
    summary = import_ics(actor=alice, calendar=calendar, data=data)
    [skipped] = summary.skipped
    assert skipped.reason.startswith("Its DTSTART cannot be read")
