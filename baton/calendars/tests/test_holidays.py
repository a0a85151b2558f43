"""Public holidays and make-up working days (调休) from chinese-calendar."""

import datetime as dt

from django.utils import translation

from baton.calendars import holidays


def test_the_installed_package_covers_2004_to_at_least_2026():
    first, last = holidays.covered_years()
    assert first == 2004 and last >= 2026


def test_consecutive_days_off_make_one_entry():
    entries = holidays.between(dt.date(2026, 10, 1), dt.date(2026, 10, 2))
    [national] = [e for e in entries if e.kind == holidays.HOLIDAY]
    assert (national.start, national.end) == (dt.date(2026, 10, 1), dt.date(2026, 10, 8))
    assert national.key == "national_day" and national.all_day


def test_an_entry_overlapping_the_range_is_kept_whole():
    [spring] = holidays.between(dt.date(2026, 2, 20), dt.date(2026, 2, 21))
    assert (spring.start, spring.end) == (dt.date(2026, 2, 15), dt.date(2026, 2, 24))


def test_make_up_working_days_and_names_in_both_languages():
    entries = holidays.between(dt.date(2026, 9, 1), dt.date(2026, 11, 1))
    workdays = [e for e in entries if e.kind == holidays.WORKDAY]
    assert [e.start for e in workdays] == [dt.date(2026, 9, 20), dt.date(2026, 10, 10)]
    assert all(e.end - e.start == dt.timedelta(days=1) for e in workdays)
    with translation.override("zh-hans"):
        assert [e.title for e in entries] == [
            "国庆节调休上班",
            "中秋节",
            "国庆节",
            "国庆节调休上班",
        ]
    with translation.override("en"):
        assert [e.title for e in entries] == [
            "Working day (National Day)",
            "Mid-autumn Festival",
            "National Day",
            "Working day (National Day)",
        ]


def test_years_the_package_does_not_know_show_nothing():
    _first, last = holidays.covered_years()
    assert holidays.between(dt.date(last + 1, 1, 1), dt.date(last + 2, 1, 1)) == []
    assert holidays.between(dt.date(1999, 1, 1), dt.date(2000, 1, 1)) == []


def test_datetimes_are_accepted():
    start = dt.datetime(2026, 5, 1, tzinfo=dt.UTC)
    assert holidays.between(start, start + dt.timedelta(days=1))[0].key == "labour_day"
