"""Recurrence: RRULE checks and expansion in the series' own zone (DST, month ends, Feb 29)."""

import datetime as dt
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from baton.calendars.recurrence import (
    expand,
    is_occurrence,
    occurrences_before,
    series_end,
    utc_key,
    validate_rrule,
)

NY = ZoneInfo("America/New_York")
SH = ZoneInfo("Asia/Shanghai")
UTC = dt.UTC


@pytest.fixture(autouse=True)
def english_messages():
    """Messages are asserted in English, whatever the translations say."""
    with translation.override("en"):
        yield


def event(start, end, rrule="", tz="America/New_York", exdates=(), all_day=False, pk=1):
    return SimpleNamespace(
        pk=pk,
        start=start.astimezone(UTC),
        end=end.astimezone(UTC),
        timezone=tz,
        rrule=rrule,
        exdates=list(exdates),
        all_day=all_day,
        series_id=None,
    )


def at(tz, *args):
    return dt.datetime(*args, tzinfo=tz)


# ---------------------------------------------------------------- validate_rrule


def test_validate_normalises():
    start = at(NY, 2026, 1, 5, 10)
    assert validate_rrule("rrule:byday=mo,we;freq=weekly", start=start) == (
        "FREQ=WEEKLY;BYDAY=MO,WE"
    )


def test_validate_until_is_written_in_utc_and_as_a_date_for_all_day():
    start = at(NY, 2026, 1, 5, 10)
    value = validate_rrule("FREQ=DAILY;UNTIL=20260110T100000Z", start=start, timezone=str(NY))
    assert value == "FREQ=DAILY;UNTIL=20260110T100000Z"
    value = validate_rrule(
        "FREQ=DAILY;UNTIL=20260110",
        start=at(SH, 2026, 1, 5),
        timezone="Asia/Shanghai",
        all_day=True,
    )
    assert value == "FREQ=DAILY;UNTIL=20260110"


@pytest.mark.parametrize(
    "rule, message",
    [
        ("", "valid"),
        ("FREQ=WEEKLY;BYDAY=XX", "valid"),
        ("BYDAY=MO", "FREQ"),
        ("FREQ=HOURLY", "at most daily"),
        ("FREQ=MINUTELY;COUNT=5", "at most daily"),
        ("FREQ=SECONDLY", "at most daily"),
        ("FREQ=DAILY;BYHOUR=0,1,2,3,4,5,6,7,8,9,10,11,12", "too often"),
        ("FREQ=DAILY;INTERVAL=0", "INTERVAL"),
        ("FREQ=DAILY;INTERVAL=-2", "INTERVAL"),
        ("FREQ=DAILY;COUNT=0", "COUNT"),
        ("FREQ=DAILY;COUNT=999999", "COUNT"),
        ("FREQ=DAILY;COUNT=3;UNTIL=20270101T000000Z", "not both"),
        ("FREQ=DAILY;UNTIL=20200101T000000Z", "before the event"),
        ("FREQ=DAILY;UNTIL=notadate", "not valid"),
        ("FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30", "never"),
        ("DTSTART:20260101T000000Z\nRRULE:FREQ=DAILY", "valid"),
        ("FREQ=DAILY;FREQ=WEEKLY", "valid"),
    ],
)
def test_validate_refuses(rule, message):
    with pytest.raises(ValidationError) as caught:
        validate_rrule(rule, start=at(NY, 2026, 1, 5, 10), timezone="America/New_York")
    assert message in " ".join(caught.value.message_dict["rrule"])


def test_validate_unknown_zone():
    with pytest.raises(ValidationError) as caught:
        validate_rrule("FREQ=DAILY", start=at(NY, 2026, 1, 5), timezone="Mars/Olympus")
    assert "Mars/Olympus" in caught.value.message_dict["timezone"][0]


def test_validate_accepts_leap_day_every_year():
    start = at(SH, 2028, 2, 29, 9)
    assert validate_rrule(
        "FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=29", start=start, timezone="Asia/Shanghai"
    ) == ("FREQ=YEARLY;BYMONTHDAY=29;BYMONTH=2")


# ---------------------------------------------------------------- expansion across DST


def test_weekly_new_york_meeting_keeps_its_wall_clock_seen_from_shanghai():
    # 10:00-11:00 every Monday in New York, from January (EST) to April (EDT).
    ev = event(at(NY, 2026, 1, 5, 10), at(NY, 2026, 1, 5, 11), "FREQ=WEEKLY;BYDAY=MO")
    found = expand(ev, at(SH, 2026, 3, 1), at(SH, 2026, 3, 31))
    local = [o.start.astimezone(NY) for o in found]
    assert [d.day for d in local] == [2, 9, 16, 23, 30]
    assert {(d.hour, d.minute) for d in local} == {(10, 0)}
    # Seen from Shanghai: 23:00 before the switch (8 March), 22:00 after.
    shanghai = [o.start.astimezone(SH) for o in found]
    assert shanghai[0].hour == 23 and shanghai[0].day == 2
    assert shanghai[1].hour == 22 and shanghai[1].day == 9
    assert all(o.end - o.start == dt.timedelta(hours=1) for o in found)
    # The UTC time moves by an hour across the change.
    assert found[0].start.hour == 15 and found[1].start.hour == 14


def test_daily_across_fall_back_keeps_wall_clock():
    ev = event(at(NY, 2026, 10, 30, 9), at(NY, 2026, 10, 30, 9, 30), "FREQ=DAILY;COUNT=5")
    found = expand(ev, at(UTC, 2026, 10, 1), at(UTC, 2026, 12, 1))
    assert [o.start.astimezone(NY).hour for o in found] == [9] * 5
    assert found[2].start - found[1].start == dt.timedelta(hours=25)  # Nov 1 is 25 hours long


def test_all_day_series_across_dst_stays_on_whole_days():
    ev = event(at(NY, 2026, 3, 7), at(NY, 2026, 3, 8), "FREQ=DAILY;COUNT=3", all_day=True)
    found = expand(ev, at(UTC, 2026, 3, 1), at(UTC, 2026, 4, 1))
    assert [(o.start.astimezone(NY).day, o.start.astimezone(NY).hour) for o in found] == [
        (7, 0),
        (8, 0),
        (9, 0),
    ]
    assert found[1].end - found[1].start == dt.timedelta(hours=23)  # the short day
    assert all(o.all_day for o in found)


def test_time_skipped_by_spring_forward_lands_after_the_gap():
    ev = event(at(NY, 2026, 3, 7, 2, 30), at(NY, 2026, 3, 7, 3, 0), "FREQ=DAILY;COUNT=3")
    found = expand(ev, at(UTC, 2026, 3, 1), at(UTC, 2026, 4, 1))
    assert len(found) == 3
    assert found[1].start.astimezone(NY).hour == 3  # 02:30 does not exist on 8 March


# ---------------------------------------------------------------- month ends


def test_monthly_on_the_31st_skips_short_months():
    ev = event(at(SH, 2026, 1, 31, 9), at(SH, 2026, 1, 31, 10), "FREQ=MONTHLY", "Asia/Shanghai")
    found = expand(ev, at(SH, 2026, 1, 1), at(SH, 2027, 1, 1))
    assert [o.start.astimezone(SH).month for o in found] == [1, 3, 5, 7, 8, 10, 12]


def test_monthly_last_day_with_negative_monthday():
    ev = event(
        at(SH, 2028, 1, 31, 9),
        at(SH, 2028, 1, 31, 10),
        "FREQ=MONTHLY;BYMONTHDAY=-1",
        "Asia/Shanghai",
    )
    found = expand(ev, at(SH, 2028, 1, 1), at(SH, 2028, 5, 1))
    assert [o.start.astimezone(SH).day for o in found] == [31, 29, 31, 30]


def test_monthly_last_friday():
    ev = event(
        at(SH, 2026, 1, 30, 14),
        at(SH, 2026, 1, 30, 15),
        "FREQ=MONTHLY;BYDAY=-1FR",
        "Asia/Shanghai",
    )
    found = expand(ev, at(SH, 2026, 1, 1), at(SH, 2026, 4, 1))
    assert [o.start.astimezone(SH).date() for o in found] == [
        dt.date(2026, 1, 30),
        dt.date(2026, 2, 27),
        dt.date(2026, 3, 27),
    ]


def test_yearly_on_feb_29_only_in_leap_years():
    ev = event(
        at(SH, 2028, 2, 29),
        at(SH, 2028, 3, 1),
        "FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=29",
        "Asia/Shanghai",
        all_day=True,
    )
    found = expand(ev, at(SH, 2028, 1, 1), at(SH, 2037, 1, 1))
    assert [o.start.astimezone(SH).year for o in found] == [2028, 2032, 2036]
    # Plain FREQ=YEARLY from Feb 29 also happens only on leap years (RFC 5545).
    plain = event(at(SH, 2028, 2, 29), at(SH, 2028, 3, 1), "FREQ=YEARLY", "Asia/Shanghai")
    assert [o.start.astimezone(SH).year for o in expand(plain, ev.start, at(SH, 2033, 1, 1))] == [
        2028,
        2032,
    ]


def test_multi_day_occurrence_overlapping_the_range_start_is_included():
    ev = event(
        at(SH, 2026, 1, 30),
        at(SH, 2026, 2, 3),
        "FREQ=MONTHLY;COUNT=2",
        "Asia/Shanghai",
        all_day=True,
    )
    found = expand(ev, at(SH, 2026, 2, 1), at(SH, 2026, 3, 1))
    assert [o.start.astimezone(SH).date() for o in found] == [dt.date(2026, 1, 30)]


# ---------------------------------------------------------------- exdates, overrides, ends


def test_exdates_and_overrides_replace_occurrences():
    ev = event(at(NY, 2026, 1, 5, 10), at(NY, 2026, 1, 5, 11), "FREQ=WEEKLY;COUNT=4")
    second = at(NY, 2026, 1, 12, 10)
    third = at(NY, 2026, 1, 19, 10)
    ev.exdates = [utc_key(second)]
    moved = SimpleNamespace(
        pk=9,
        series_id=1,
        recurrence_id=third.astimezone(UTC),
        start=at(NY, 2026, 1, 20, 15).astimezone(UTC),
        end=at(NY, 2026, 1, 20, 16).astimezone(UTC),
        all_day=False,
    )
    found = expand(ev, at(UTC, 2026, 1, 1), at(UTC, 2026, 2, 1), overrides=[moved])
    assert [(o.start.astimezone(NY).day, o.is_override) for o in found] == [
        (5, False),
        (20, True),
        (26, False),
    ]
    assert found[1].recurrence_id == third
    assert found[1].key == f"1:{utc_key(third)}"
    # A moved occurrence out of the range is not shown, nor its original slot.
    found = expand(ev, at(NY, 2026, 1, 19), at(NY, 2026, 1, 20), overrides=[moved])
    assert found == []


def test_single_event():
    ev = event(at(SH, 2026, 6, 18), at(SH, 2026, 6, 19), tz="Asia/Shanghai", all_day=True)
    assert len(expand(ev, at(SH, 2026, 6, 1), at(SH, 2026, 7, 1))) == 1
    assert expand(ev, at(SH, 2026, 6, 19), at(SH, 2026, 7, 1)) == []
    assert series_end(ev) == ev.end


def test_series_end():
    ev = event(at(NY, 2026, 1, 5, 10), at(NY, 2026, 1, 5, 11), "FREQ=WEEKLY;COUNT=10")
    assert series_end(ev) == at(NY, 2026, 3, 9, 11)
    ev.rrule = "FREQ=DAILY;UNTIL=20260110T150000Z"
    assert series_end(ev) == at(NY, 2026, 1, 10, 11)
    ev.rrule = "FREQ=DAILY"
    assert series_end(ev) is None


def test_is_occurrence_and_count_before():
    ev = event(at(NY, 2026, 1, 5, 10), at(NY, 2026, 1, 5, 11), "FREQ=WEEKLY;BYDAY=MO")
    assert is_occurrence(ev, at(NY, 2026, 4, 6, 10))
    assert not is_occurrence(ev, at(NY, 2026, 4, 6, 11))
    assert not is_occurrence(ev, at(NY, 2026, 4, 7, 10))
    assert occurrences_before(ev, at(NY, 2026, 1, 26, 10)) == 3


def test_forever_series_expands_only_the_range():
    ev = event(at(SH, 2020, 1, 1, 9), at(SH, 2020, 1, 1, 10), "FREQ=DAILY", "Asia/Shanghai")
    found = expand(ev, at(SH, 2030, 5, 1), at(SH, 2030, 5, 8))
    assert len(found) == 7


@pytest.mark.parametrize(
    "rule, start",
    [
        ("FREQ=DAILY;INTERVAL=3", at(NY, 2020, 1, 31, 10)),
        ("FREQ=WEEKLY;INTERVAL=2", at(NY, 2020, 3, 7, 2, 30)),
        ("FREQ=WEEKLY;INTERVAL=3;BYDAY=MO,FR;WKST=SU", at(NY, 2020, 1, 6, 9)),
        ("FREQ=MONTHLY", at(NY, 2020, 1, 31, 9)),
        ("FREQ=MONTHLY;INTERVAL=5;BYDAY=-1FR", at(NY, 2020, 1, 31, 9)),
        ("FREQ=MONTHLY;BYMONTHDAY=-1", at(NY, 2020, 2, 29, 9)),
        ("FREQ=YEARLY", at(NY, 2020, 2, 29, 9)),
        ("FREQ=YEARLY;INTERVAL=2;BYMONTH=3,9", at(NY, 2020, 3, 31, 9)),
        ("FREQ=DAILY;UNTIL=20310101T000000Z", at(NY, 2020, 1, 1, 23, 30)),
    ],
)
def test_skipping_ahead_gives_the_same_occurrences_as_walking(rule, start):
    """expand() restarts long series near the range; the result must equal a full walk."""
    from baton.calendars import recurrence

    ev = event(start, start + dt.timedelta(hours=1), rule)
    seen = 0
    for year, month in ((2024, 2), (2026, 3), (2029, 11), (2028, 1)):
        lo, hi = at(SH, year, month, 1), at(SH, year, month, 1) + dt.timedelta(days=70)
        fast = [o.start for o in expand(ev, lo, hi)]
        slow_rule, tz, _first, _length = recurrence._rule_of(ev)
        slow = [
            recurrence.localize(n, tz)
            for n in slow_rule.between(
                recurrence.local_naive(lo, tz) - dt.timedelta(days=2),
                recurrence.local_naive(hi, tz) + dt.timedelta(days=1),
                inc=True,
            )
        ]
        slow = [s for s in slow if s < hi and s + dt.timedelta(hours=1) > lo]
        assert fast == slow, (rule, year)
        seen += len(fast)
    assert seen


@pytest.mark.parametrize("name", ["", "Asia/Beijing", "../etc/passwd", "asia/shanghai", " UTC"])
def test_unknown_zones(name):
    from baton.calendars.recurrence import zone

    with pytest.raises(ValidationError):
        zone(name)
    assert zone("UTC") and zone("America/New_York") and zone("Asia/Shanghai")
