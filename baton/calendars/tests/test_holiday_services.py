"""The public holidays' services: the switch, the days, the .ics import, the next-year notice."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

from baton.activity.models import Activity
from baton.calendars import holidays, queries, services
from baton.calendars.models import Calendar, CalendarKind, HolidayDay
from baton.calendars.services.holidays import summary_kind, summary_name

# 春节 followed by 休 in full-width brackets, as Chinese holiday calendars title a day off.
SPRING_OFF = "春节\uff08休\uff09"


def days_of(org):
    return list(HolidayDay.objects.filter(organization=org).values_list("date", "name", "kind"))


def ics(*events: str) -> bytes:
    body = "".join(events)
    return (
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Test//Holidays//CN\r\n"
        f"X-WR-TIMEZONE:Asia/Shanghai\r\n{body}END:VCALENDAR\r\n"
    ).encode()


def vevent(uid: str, summary: str, start: str, end: str = "", *, extra: str = "") -> str:
    end_line = f"DTEND;VALUE=DATE:{end}\r\n" if end else ""
    return (
        f"BEGIN:VEVENT\r\nUID:{uid}\r\nDTSTAMP:20261201T000000Z\r\nSUMMARY:{summary}\r\n"
        f"DTSTART;VALUE=DATE:{start}\r\n{end_line}{extra}END:VEVENT\r\n"
    )


# ---------------------------------------------------------------- the switch


def test_switching_on_makes_the_holidays_calendar_and_seeds_the_bundled_years(org, alice):
    calendar = services.set_public_holidays(actor=alice, organization=org, enabled=True)
    assert calendar.kind == CalendarKind.HOLIDAYS and calendar.archived_at is None
    assert calendar.feed_token
    assert HolidayDay.objects.filter(organization=org).count() == len(holidays.bundled_days())
    assert queries.public_holidays_on(org)
    assert Activity.objects.filter(verb="holidays.enabled", organization_id=org.pk).exists()


def test_switching_off_archives_the_calendar_and_keeps_the_days(org, alice):
    calendar = services.set_public_holidays(actor=alice, organization=org, enabled=True)
    services.add_holiday(
        actor=alice, organization=org, date="2027-02-06", name="春节", kind="holiday"
    )
    services.set_public_holidays(actor=alice, organization=org, enabled=False)
    calendar.refresh_from_db()
    assert calendar.archived_at is not None and not queries.public_holidays_on(org)
    assert HolidayDay.objects.filter(organization=org, date=dt.date(2027, 2, 6)).exists()
    # On again: the same calendar comes back, with the days an admin added.
    again = services.set_public_holidays(actor=alice, organization=org, enabled=True)
    assert again.pk == calendar.pk and again.archived_at is None
    assert Calendar.objects.filter(organization=org, kind=CalendarKind.HOLIDAYS).count() == 1
    assert HolidayDay.objects.filter(organization=org, date=dt.date(2027, 2, 6)).exists()


def test_switching_on_twice_changes_nothing(org, alice):
    first = services.set_public_holidays(actor=alice, organization=org, enabled=True)
    count = HolidayDay.objects.count()
    assert services.set_public_holidays(actor=alice, organization=org, enabled=True) == first
    assert HolidayDay.objects.count() == count


@pytest.mark.parametrize("who", ["bob", "carol"])
def test_members_and_guests_cannot_switch_the_holidays(request, org, who):
    with pytest.raises(PermissionDenied):
        services.set_public_holidays(
            actor=request.getfixturevalue(who), organization=org, enabled=True
        )
    assert not Calendar.objects.filter(organization=org).exists()
    assert not HolidayDay.objects.exists()


def test_an_outsider_cannot_switch_the_holidays(org, mallory):
    with pytest.raises(Http404):
        services.set_public_holidays(actor=mallory, organization=org, enabled=True)
    assert not HolidayDay.objects.exists()


def test_an_organization_started_in_chinese_gets_the_holidays(org, other_org, alice, mallory):
    assert services.apply_default_holidays(actor=alice, organization=org, language="zh-hans")
    assert queries.public_holidays_on(org)
    assert (
        services.apply_default_holidays(actor=mallory, organization=other_org, language="en")
        is None
    )
    assert not queries.public_holidays_on(other_org)


# ---------------------------------------------------------------- the days


def test_an_admin_adds_changes_and_removes_a_day(org, alice):
    day = services.add_holiday(
        actor=alice, organization=org, date=dt.date(2027, 2, 6), name=" 春节 ", kind="holiday"
    )
    assert (day.date, day.name, day.kind, day.created_by) == (
        dt.date(2027, 2, 6),
        "春节",
        "holiday",
        alice,
    )
    services.update_holiday(
        actor=alice, day=day, date="2027-02-07", name="春节调休", kind="workday"
    )
    day.refresh_from_db()
    assert (day.date, day.name, day.kind) == (dt.date(2027, 2, 7), "春节调休", "workday")
    services.delete_holiday(actor=alice, day=day)
    assert not HolidayDay.objects.exists()
    verbs = list(Activity.objects.filter(organization_id=org.pk).values_list("verb", flat=True))
    assert verbs[-3:] == ["holiday.added", "holiday.updated", "holiday.deleted"]


def test_renaming_a_bundled_day_drops_its_english_name(org, alice):
    services.set_public_holidays(actor=alice, organization=org, enabled=True)
    day = HolidayDay.objects.get(organization=org, date=dt.date(2026, 10, 1))
    assert day.key == "national_day"
    services.update_holiday(actor=alice, day=day, date=day.date, name="国庆", kind="holiday")
    day.refresh_from_db()
    assert (day.name, day.key) == ("国庆", "")


@pytest.mark.parametrize(
    ("fields", "error_field"),
    [
        ({"date": "2026-02-30"}, "date"),
        ({"date": "20266-01-01"}, "date"),
        ({"date": dt.date(1800, 1, 1)}, "date"),
        ({"date": None}, "date"),
        ({"name": ""}, "name"),
        ({"name": "   "}, "name"),
        ({"name": "春" * 41}, "name"),
        ({"name": "春\x00节"}, "name"),
        ({"kind": "party"}, "kind"),
    ],
)
def test_bad_input_is_refused_and_nothing_is_written(org, alice, fields, error_field):
    values = {"date": dt.date(2027, 1, 1), "name": "元旦", "kind": "holiday", **fields}
    with pytest.raises(ValidationError) as caught:
        services.add_holiday(actor=alice, organization=org, **values)
    assert error_field in caught.value.message_dict
    assert not HolidayDay.objects.exists()


def test_a_day_cannot_be_listed_twice(org, alice):
    services.add_holiday(
        actor=alice, organization=org, date="2027-01-01", name="元旦", kind="holiday"
    )
    other = services.add_holiday(
        actor=alice, organization=org, date="2027-01-02", name="元旦", kind="holiday"
    )
    with pytest.raises(ValidationError) as caught:
        services.add_holiday(
            actor=alice, organization=org, date="2027-01-01", name="新年", kind="workday"
        )
    assert "date" in caught.value.message_dict
    with pytest.raises(ValidationError):
        services.update_holiday(
            actor=alice, day=other, date="2027-01-01", name="元旦", kind="holiday"
        )
    other.refresh_from_db()
    assert other.date == dt.date(2027, 1, 2)
    assert HolidayDay.objects.count() == 2


def test_the_same_day_in_two_organizations_is_fine(org, other_org, alice, mallory):
    services.add_holiday(
        actor=alice, organization=org, date="2027-01-01", name="元旦", kind="holiday"
    )
    services.add_holiday(
        actor=mallory, organization=other_org, date="2027-01-01", name="元旦", kind="holiday"
    )
    assert HolidayDay.objects.count() == 2


@pytest.mark.parametrize("who", ["bob", "carol"])
def test_members_and_guests_cannot_change_the_days(request, org, alice, who):
    actor = request.getfixturevalue(who)
    day = services.add_holiday(
        actor=alice, organization=org, date="2027-01-01", name="元旦", kind="holiday"
    )
    before = days_of(org)
    with pytest.raises(PermissionDenied):
        services.add_holiday(
            actor=actor, organization=org, date="2027-01-02", name="x", kind="holiday"
        )
    with pytest.raises(PermissionDenied):
        services.update_holiday(actor=actor, day=day, date="2027-01-03", name="x", kind="workday")
    with pytest.raises(PermissionDenied):
        services.delete_holiday(actor=actor, day=day)
    with pytest.raises(PermissionDenied):
        services.import_holidays(
            actor=actor, organization=org, data=ics(vevent("a", "春节", "20270206"))
        )
    assert days_of(org) == before


def test_an_outsider_cannot_change_the_days(org, alice, mallory):
    day = services.add_holiday(
        actor=alice, organization=org, date="2027-01-01", name="元旦", kind="holiday"
    )
    with pytest.raises(Http404):
        services.update_holiday(actor=mallory, day=day, date="2027-01-03", name="x", kind="workday")
    with pytest.raises(Http404):
        services.delete_holiday(actor=mallory, day=day)
    assert days_of(org) == [(dt.date(2027, 1, 1), "元旦", "holiday")]


# ---------------------------------------------------------------- .ics import


def test_importing_a_holiday_calendar(org, alice):
    services.add_holiday(
        actor=alice, organization=org, date="2027-10-01", name="国庆", kind="holiday"
    )
    services.add_holiday(
        actor=alice, organization=org, date="2027-01-01", name="元旦", kind="holiday"
    )
    data = ics(
        vevent("1", "元旦", "20270101"),  # already there, unchanged
        vevent("2", SPRING_OFF, "20270206", "20270214"),  # eight days off
        vevent("3", "春节调休上班", "20270214"),
        vevent("4", "补班", "20270220"),
        vevent("5", "国庆节", "20271001", "20271002"),  # renames 国庆
        vevent("6", "年会", "20270105T100000", extra=""),  # a timed event: skipped
    ).replace(b"DTSTART;VALUE=DATE:20270105T100000", b"DTSTART;TZID=Asia/Shanghai:20270105T100000")
    summary = services.import_holidays(actor=alice, organization=org, data=data)
    assert summary.added_count == 10 and summary.updated_count == 1 and summary.unchanged == 1
    assert [s.title for s in summary.skipped] == ["年会"]
    days = {d: (name, kind) for d, name, kind in days_of(org)}
    assert days[dt.date(2027, 2, 6)] == ("春节", "holiday")
    assert days[dt.date(2027, 2, 13)] == ("春节", "holiday")
    assert days[dt.date(2027, 2, 14)] == ("春节", "workday")
    assert days[dt.date(2027, 2, 20)] == ("补班", "workday")
    assert days[dt.date(2027, 10, 1)] == ("国庆节", "holiday")
    assert summary.years == [2027]
    activity = Activity.objects.get(verb="holidays.imported")
    assert activity.data["added"] == 10 and activity.data["updated"] == 1
    # The same file again changes nothing.
    again = services.import_holidays(actor=alice, organization=org, data=data)
    assert again.added_count == 0 and again.updated_count == 0 and again.unchanged == 12
    assert Activity.objects.filter(verb="holidays.imported").count() == 1


def test_the_import_skips_what_cannot_be_a_holiday(org, alice):
    data = ics(
        vevent("r", "每周例会", "20270104", extra="RRULE:FREQ=WEEKLY\r\n"),
        vevent("y", "全年", "20270101", "20280101"),
        vevent("a", "春节", "20270206"),
        vevent("b", "春节重复", "20270206"),  # the same day twice: the first wins
        "BEGIN:VEVENT\r\nUID:n\r\nSUMMARY:没有日期\r\nEND:VEVENT\r\n",
    )
    summary = services.import_holidays(actor=alice, organization=org, data=data)
    assert summary.added_count == 1
    assert {s.title for s in summary.skipped} == {"每周例会", "全年", "春节重复", "没有日期"}
    assert days_of(org) == [(dt.date(2027, 2, 6), "春节", "holiday")]


@pytest.mark.parametrize(
    "data",
    [
        b"",
        b"not a calendar at all",
        b"\xff\xfe\x00garbage",
        b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VEVENT\r\nSUMMARY:x",  # cut off
    ],
)
def test_a_malformed_file_is_refused_whole(org, alice, data):
    with pytest.raises(ValidationError) as caught:
        services.import_holidays(actor=alice, organization=org, data=data)
    assert "file" in caught.value.message_dict
    assert not HolidayDay.objects.exists()
    assert not Activity.objects.filter(verb="holidays.imported").exists()


def test_what_a_summary_says_about_the_day():
    assert summary_kind("春节调休上班") == "workday"
    assert summary_kind("国庆节 补班") == "workday"
    assert summary_kind("班") == "workday"
    assert summary_kind("Working day (National Day)") == "workday"
    assert summary_kind(SPRING_OFF) == "holiday"
    assert summary_name(SPRING_OFF) == "春节"
    assert summary_name("国庆节 调休上班") == "国庆节"
    assert summary_name("Working day (National Day)") == "National Day"
    assert summary_name("班") == "班"


def test_an_exported_holiday_feed_imports_back(org, other_org, alice, mallory):
    """Baton's own holidays feed, imported into another organization, gives the same days."""
    from baton.calendars import ical

    services.set_public_holidays(actor=alice, organization=org, enabled=True)
    entries = holidays.between(org.pk, dt.date(2026, 1, 1), dt.date(2027, 1, 1))
    data = ical.feed(name="节假日", holidays=entries)
    summary = services.import_holidays(actor=mallory, organization=other_org, data=data)
    assert summary.skipped == []
    mine = [(d, k) for d, _n, k in days_of(org) if d.year == 2026]
    theirs = [(d, k) for d, _n, k in days_of(other_org)]
    assert theirs == mine


# ---------------------------------------------------------------- the next-year notice


def test_next_year_without_days_is_reported_until_one_is_added(org, alice):
    today = dt.date(2026, 12, 6)
    assert queries.missing_next_year(org, today) is None  # holidays off: nothing to say
    services.set_public_holidays(actor=alice, organization=org, enabled=True)
    _first, last = holidays.covered_years()
    assert queries.missing_next_year(org, dt.date(last - 1, 6, 1)) is None  # bundled
    assert queries.missing_next_year(org, dt.date(last, 12, 6)) == last + 1
    services.add_holiday(
        actor=alice, organization=org, date=dt.date(last + 1, 1, 1), name="元旦", kind="holiday"
    )
    assert queries.missing_next_year(org, dt.date(last, 12, 6)) is None
