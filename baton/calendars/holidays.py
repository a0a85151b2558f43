"""China's public holidays and adjusted working days (调休), from the `chinese-calendar` package.

Nothing is stored: a holidays calendar (Calendar.kind == "holidays") shows what `between()` gives
for the visible range. Consecutive days off of the same holiday make one all-day entry
(国庆节 10/1 to 10/7); each make-up working day is an entry of its own.

The package only knows the years the State Council has announced: `covered_years()` says which
(chinese-calendar 1.11.0: 2004 to 2026); for other years there is nothing to show.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from functools import cache

from chinese_calendar import constants
from django.utils.translation import get_language
from django.utils.translation import gettext as _

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

HOLIDAY = "holiday"
WORKDAY = "workday"  # a weekend day worked to make up for a holiday (调休上班)


@dataclass(frozen=True)
class HolidayEntry:
    start: datetime.date
    end: datetime.date  # exclusive, as DTEND of an all-day event
    key: str  # chinese_calendar.Holiday name, e.g. "national_day"
    english: str
    kind: str  # HOLIDAY or WORKDAY

    @property
    def name(self) -> str:
        """The holiday's name in the active language."""
        if (get_language() or "").lower().startswith("zh"):
            return CHINESE_NAMES.get(self.key, self.english)
        return self.english

    @property
    def title(self) -> str:
        if self.kind == WORKDAY:
            if (get_language() or "").lower().startswith("zh"):
                return f"{self.name}调休上班"
            return _("Working day (%(holiday)s)") % {"holiday": self.name}
        return self.name

    @property
    def all_day(self) -> bool:
        return True


def covered_years() -> tuple[int, int]:
    """The first and last year the installed chinese-calendar knows."""
    years = _years()
    return years[0], years[-1]


@cache
def _years() -> list[int]:
    return sorted(
        {day.year for day in constants.holidays} | {day.year for day in constants.workdays}
    )


def _entries_of(days: dict, kind: str) -> list[HolidayEntry]:
    entries: list[HolidayEntry] = []
    for day in sorted(days):
        english = str(days[day])
        key = _KEYS.get(english, english)
        last = entries[-1] if entries else None
        if kind == HOLIDAY and last and last.key == key and last.end == day:
            entries[-1] = HolidayEntry(
                last.start, day + datetime.timedelta(days=1), key, english, kind
            )
        else:
            entries.append(HolidayEntry(day, day + datetime.timedelta(days=1), key, english, kind))
    return entries


@cache
def _all_entries() -> tuple[HolidayEntry, ...]:
    entries = _entries_of(constants.holidays, HOLIDAY) + _entries_of(constants.workdays, WORKDAY)
    return tuple(sorted(entries, key=lambda e: (e.start, e.kind)))


def between(start: datetime.date, end: datetime.date) -> list[HolidayEntry]:
    """Entries overlapping [start, end) (dates; pass datetimes' .date())."""
    if isinstance(start, datetime.datetime):
        start = start.date()
    if isinstance(end, datetime.datetime):
        end = end.date()
    return [e for e in _all_entries() if e.start < end and e.end > start]
