"""Public holidays and make-up working days (调休): the bundled data and an organization's rows."""

import datetime as dt

import pytest
from django.utils import translation

from baton.calendars import holidays
from baton.calendars.models import HolidayDay
from baton.calendars.services.calendars import seed_bundled_days


@pytest.fixture
def seeded(org):
    seed_bundled_days(organization=org)
    return org


def test_the_installed_package_covers_2004_to_at_least_2026():
    first, last = holidays.covered_years()
    assert first == 2004 and last >= 2026


def test_the_bundled_days_are_named_in_chinese_with_their_key():
    days = {day.date: day for day in holidays.bundled_days()}
    assert days[dt.date(2026, 2, 17)].name == "春节"
    assert days[dt.date(2026, 2, 17)].key == "spring_festival"
    assert days[dt.date(2026, 2, 28)].kind == holidays.WORKDAY


def test_seeding_copies_every_bundled_day_once(seeded):
    assert HolidayDay.objects.filter(organization=seeded).count() == len(holidays.bundled_days())
    assert seed_bundled_days(organization=seeded) == []  # every year is there: nothing added


def test_seeding_leaves_a_year_the_admins_have_touched_alone(org):
    HolidayDay.objects.create(organization=org, date=dt.date(2026, 1, 1), name="元旦")
    years = seed_bundled_days(organization=org)
    assert 2026 not in years and 2025 in years
    assert HolidayDay.objects.filter(organization=org, date__year=2026).count() == 1


def test_consecutive_days_off_make_one_entry(seeded):
    entries = holidays.between(seeded.pk, dt.date(2026, 10, 1), dt.date(2026, 10, 2))
    [national] = [e for e in entries if e.kind == holidays.HOLIDAY]
    assert (national.start, national.end) == (dt.date(2026, 10, 1), dt.date(2026, 10, 8))
    assert national.key == "national_day" and national.all_day


def test_an_entry_overlapping_the_range_is_kept_whole(seeded):
    [spring] = holidays.between(seeded.pk, dt.date(2026, 2, 20), dt.date(2026, 2, 21))
    assert (spring.start, spring.end) == (dt.date(2026, 2, 15), dt.date(2026, 2, 24))


def test_make_up_working_days_and_names_in_both_languages(seeded):
    entries = holidays.between(seeded.pk, dt.date(2026, 9, 1), dt.date(2026, 11, 1))
    workdays = [e for e in entries if e.kind == holidays.WORKDAY]
    assert [e.start for e in workdays] == [dt.date(2026, 9, 20), dt.date(2026, 10, 10)]
    assert all(e.end - e.start == dt.timedelta(days=1) for e in workdays)
    with translation.override("zh-hans"):
        titles = [e.title for e in entries]
        assert titles == ["国庆节调休上班", "中秋节", "国庆节", "国庆节调休上班"]
    with translation.override("en"):
        assert [e.title for e in entries] == [
            "Working day (National Day)",
            "Mid-autumn Festival",
            "National Day",
            "Working day (National Day)",
        ]


def test_a_day_an_admin_typed_reads_as_typed_in_both_languages(org):
    HolidayDay.objects.create(
        organization=org, date=dt.date(2027, 2, 20), name="春节", kind=holidays.WORKDAY
    )
    [entry] = holidays.between(org.pk, dt.date(2027, 2, 1), dt.date(2027, 3, 1))
    with translation.override("zh-hans"):
        assert entry.title == "春节调休上班"
    with translation.override("en"):
        assert entry.title == "Working day (春节)"


def test_years_nobody_added_show_nothing(seeded, other_org):
    _first, last = holidays.covered_years()
    assert holidays.between(seeded.pk, dt.date(last + 1, 1, 1), dt.date(last + 2, 1, 1)) == []
    assert holidays.between(seeded.pk, dt.date(1999, 1, 1), dt.date(2000, 1, 1)) == []
    # Another organization's days are its own.
    assert holidays.between(other_org.pk, dt.date(2026, 1, 1), dt.date(2027, 1, 1)) == []


def test_datetimes_are_accepted(seeded):
    start = dt.datetime(2026, 5, 1, tzinfo=dt.UTC)
    assert holidays.between(seeded.pk, start, start + dt.timedelta(days=1))[0].key == "labour_day"
