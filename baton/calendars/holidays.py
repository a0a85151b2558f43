"""China's public holidays and make-up working days (调休) of an organization.

The days are rows (models.HolidayDay), one per day, per organization; a holidays calendar
(Calendar.kind == "holidays") shows what `between()` gives for the visible range. Consecutive
days off of the same holiday make one all-day entry (国庆节 10/1 to 10/7); each make-up working day
is an entry of its own.

The bundled `chinese-calendar` package seeds the rows, but only for the years the State Council
has announced: `covered_years()` says which (chinese-calendar 1.11.0: 2004 to 2026). Other years
stay empty until an admin adds or imports their days; nothing is ever guessed.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from functools import cache

from chinese_calendar import constants
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from baton.calendars.models import HolidayDay

# The package names holidays in English only; these are the official Chinese names.
CHINESE_NAMES = {
    "new_years_day": "元旦",
    "spring_festival": "春节",
    "tomb_sweeping_day": "清明节",
    "labour_day": "劳动节",
    "dragon_boat_festival": "端午节",
    "national_day": "国庆节",
    "mid_autumn_festival": "中秋节",
    "anti_fascist_70th_day": "抗战胜利纪念日",
}

# The package's tables hold the English names (Holiday values); their keys name them in code.
_KEYS = {holiday.value: holiday.name for holiday in constants.Holiday}
ENGLISH_NAMES = {holiday.name: holiday.value for holiday in constants.Holiday}

HOLIDAY = "holiday"
WORKDAY = "workday"  # a weekend day worked to make up for a holiday (调休上班)
ONE_DAY = datetime.timedelta(days=1)
MARGIN = datetime.timedelta(days=31)


def _chinese() -> bool:
    return (get_language() or "").lower().startswith("zh")


def display_name(name: str, key: str = "") -> str:
    """A day's name in the active language: the bundled days read in English for English users,
    what an admin typed reads as typed."""
    if key and not _chinese():
        return ENGLISH_NAMES.get(key, name)
    return name


def title_of(name: str, kind: str, key: str = "") -> str:
    """What the calendar shows: the holiday's name, or for a working day that it is one."""
    shown = display_name(name, key)
    if kind != WORKDAY:
        return shown
    if _chinese():
        return shown if ("班" in shown or "调休" in shown) else f"{shown}调休上班"
    return _("Working day (%(holiday)s)") % {"holiday": shown}


@dataclass(frozen=True)
class HolidayEntry:
    start: datetime.date
    end: datetime.date  # exclusive, as DTEND of an all-day event
    name: str
    key: str  # the bundled key (e.g. "national_day"), "" for days admins typed or imported
    kind: str  # HOLIDAY or WORKDAY

    @property
    def title(self) -> str:
        return title_of(self.name, self.kind, self.key)

    @property
    def all_day(self) -> bool:
        return True


# ---------------------------------------------------------------- the bundled data


@dataclass(frozen=True)
class BundledDay:
    date: datetime.date
    name: str  # the Chinese name
    key: str
    kind: str


def covered_years() -> tuple[int, int]:
    """The first and last year the installed chinese-calendar knows."""
    years = bundled_years()
    return years[0], years[-1]


@cache
def bundled_years() -> tuple[int, ...]:
    return tuple(
        sorted({day.year for day in constants.holidays} | {day.year for day in constants.workdays})
    )


@cache
def bundled_days() -> tuple[BundledDay, ...]:
    """Every day the package knows, in date order, named in Chinese."""
    days = []
    for table, kind in ((constants.holidays, HOLIDAY), (constants.workdays, WORKDAY)):
        for day, holiday in table.items():
            english = str(holiday)
            key = _KEYS.get(english, "")
            days.append(BundledDay(day, CHINESE_NAMES.get(key, english), key, kind))
    return tuple(sorted(days, key=lambda d: d.date))


# ---------------------------------------------------------------- an organization's days


def runs(days) -> list[HolidayEntry]:
    """Rows with .date, .name, .key, .kind (in date order) as entries: consecutive days off of
    the same holiday join into one; each working day stays alone."""
    entries: list[HolidayEntry] = []
    for day in days:
        last = entries[-1] if entries else None
        if (
            day.kind == HOLIDAY
            and last is not None
            and last.kind == HOLIDAY
            and last.end == day.date
            and (last.name, last.key) == (day.name, day.key)
        ):
            entries[-1] = HolidayEntry(last.start, day.date + ONE_DAY, day.name, day.key, HOLIDAY)
        else:
            entries.append(HolidayEntry(day.date, day.date + ONE_DAY, day.name, day.key, day.kind))
    return sorted(entries, key=lambda e: (e.start, e.kind))


def between(organization_id: int, start, end) -> list[HolidayEntry]:
    """The organization's entries in [start, end) (dates or datetimes; one query)."""
    if isinstance(start, datetime.datetime):
        start = start.date()
    if isinstance(end, datetime.datetime):
        end = end.date()
    # A run that began before the range (春节 seen from its second week) is kept whole, so the
    # rows are read with a margin no holiday is longer than.
    rows = HolidayDay.objects.filter(
        organization_id=organization_id, date__gte=start - MARGIN, date__lt=end + MARGIN
    ).only("date", "name", "key", "kind")
    return [e for e in runs(rows.order_by("date")) if e.start < end and e.end > start]
