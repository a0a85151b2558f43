"""Writes to an organization's public holidays: the switch, the days, the .ics import.

The switch is the organization's holidays calendar (Calendar.kind == "holidays"): switching on
creates it (or restores the archived one) and seeds the bundled chinese-calendar years the
organization has no days for; switching off archives it, keeping the days for next time. The days
are HolidayDay rows, which owners and admins add, change, remove and import; every member sees
them read-only on the calendar.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from baton.accounts.models import User
from baton.activity.services import record_activity
from baton.calendars import holidays, ical
from baton.calendars.models import (
    HOLIDAY_NAME_MAX_LENGTH,
    Calendar,
    CalendarKind,
    HolidayDay,
    HolidayKind,
    new_feed_token,
)
from baton.calendars.permissions import require_holiday_editor
from baton.calendars.queries import holiday_calendars
from baton.calendars.services.calendars import publish, seed_bundled_days
from baton.calendars.services.imports import max_bytes
from baton.core.validation import required_text

# Years anyone could mean: outside them a date is a typo (20266-01-01, 0202-10-01).
FIRST_YEAR, LAST_YEAR = 1900, 2200
# An imported all-day event longer than this is no holiday (a "whole year" event, say).
MAX_IMPORT_RUN_DAYS = 31
MAX_IMPORT_DAYS = 2000


def is_chinese(language: str | None) -> bool:
    return (language or "").lower().startswith("zh")


def _touch_calendars(organization, actor) -> None:
    """Pages showing the holidays refetch them after the write commits."""
    for calendar_id in holiday_calendars(organization).values_list("pk", flat=True):
        publish(calendar_id, "calendar.updated", actor=actor)


def _record(actor, verb: str, target, organization_id: int, data: dict | None = None) -> None:
    record_activity(
        actor=actor, verb=verb, target=target, organization_id=organization_id, data=data
    )


# ---------------------------------------------------------------- the switch


def load_bundled_holidays(*, actor: User, organization) -> list[int]:
    """Owners and admins: add the bundled years the organization lacks (after an upgrade of
    chinese-calendar brings a new year)."""
    require_holiday_editor(actor, organization)
    with transaction.atomic():
        years = seed_bundled_days(organization=organization, actor=actor)
        if years:
            _record(actor, "holidays.loaded", organization, organization.pk, {"years": years})
            _touch_calendars(organization, actor)
    return years


def set_public_holidays(*, actor: User, organization, enabled: bool) -> Calendar | None:
    """Switch China's public holidays on or off for everyone in the organization (owners and
    admins). On: the holidays calendar, created or restored, with the bundled days seeded. Off:
    every holidays calendar archived; the days stay for when it is switched on again."""
    require_holiday_editor(actor, organization)
    with transaction.atomic():
        shown = list(holiday_calendars(organization))
        if not enabled:
            if not shown:
                return None
            now = timezone.now()
            for calendar in shown:
                calendar.archived_at = now
                calendar.save(update_fields=["archived_at"])
                publish(calendar.pk, "calendar.archived", actor=actor)
            _record(actor, "holidays.disabled", organization, organization.pk)
            return None
        if shown:
            return shown[0]
        calendar = holiday_calendars(organization, archived=True).order_by("-pk").first()
        if calendar is not None:
            calendar.archived_at = None
            calendar.save(update_fields=["archived_at"])
        else:
            calendar = Calendar.objects.create(
                organization=organization,
                name=_("China's public holidays"),
                description=_("Public holidays and make-up working days (调休), read-only."),
                color="green",
                kind=CalendarKind.HOLIDAYS,
                feed_token=new_feed_token(),
                created_by=actor,
            )
        years = seed_bundled_days(organization=organization, actor=actor)
        _record(actor, "holidays.enabled", organization, organization.pk, {"seeded": years})
        publish(calendar.pk, "calendar.updated", actor=actor)
    return calendar


def apply_default_holidays(*, actor: User, organization, language: str) -> Calendar | None:
    """A new organization started in Chinese gets China's public holidays switched on."""
    if not is_chinese(language):
        return None
    return set_public_holidays(actor=actor, organization=organization, enabled=True)


# ---------------------------------------------------------------- the days


def _date(value) -> datetime.date:
    if isinstance(value, datetime.datetime):
        value = value.date()
    if isinstance(value, str):
        try:
            value = datetime.date.fromisoformat(value.strip())
        except ValueError:
            raise ValidationError({"date": _("Enter a valid date (YYYY-MM-DD).")}) from None
    if not isinstance(value, datetime.date):
        raise ValidationError({"date": _("Enter a valid date (YYYY-MM-DD).")})
    if not FIRST_YEAR <= value.year <= LAST_YEAR:
        raise ValidationError(
            {
                "date": _("Choose a date between the years %(first)d and %(last)d.")
                % {"first": FIRST_YEAR, "last": LAST_YEAR}
            }
        )
    return value


def _name(value) -> str:
    name = required_text(value, field="name", max_length=HOLIDAY_NAME_MAX_LENGTH)
    if "\x00" in name:
        raise ValidationError({"name": _("Null characters are not allowed.")})
    return name


def _kind(value) -> str:
    if value not in HolidayKind.values:
        raise ValidationError({"kind": _("Choose a day off or a make-up working day.")})
    return value


def _check_free(organization, date: datetime.date, *, exclude: int | None = None) -> None:
    taken = HolidayDay.objects.filter(organization=organization, date=date)
    if exclude is not None:
        taken = taken.exclude(pk=exclude)
    other = taken.first()
    if other is not None:
        raise ValidationError(
            {
                "date": _("%(date)s is already in the list (%(name)s); change that day instead.")
                % {"date": date.isoformat(), "name": other.name}
            }
        )


def add_holiday(*, actor: User, organization, date, name: str, kind: str) -> HolidayDay:
    require_holiday_editor(actor, organization)
    date, name, kind = _date(date), _name(name), _kind(kind)
    with transaction.atomic():
        _check_free(organization, date)
        day = HolidayDay.objects.create(
            organization=organization, date=date, name=name, kind=kind, created_by=actor
        )
        _record(
            actor,
            "holiday.added",
            day,
            organization.pk,
            {"date": date.isoformat(), "name": name, "kind": kind},
        )
        _touch_calendars(organization, actor)
    return day


def update_holiday(*, actor: User, day: HolidayDay, date, name: str, kind: str) -> HolidayDay:
    organization = day.organization
    require_holiday_editor(actor, organization)
    changes: dict[str, Any] = {"date": _date(date), "name": _name(name), "kind": _kind(kind)}
    changed = {field: value for field, value in changes.items() if getattr(day, field) != value}
    if not changed:
        return day
    with transaction.atomic():
        if "date" in changed:
            _check_free(organization, changed["date"], exclude=day.pk)
        old = {field: str(getattr(day, field)) for field in changed}
        for field_name, value in changed.items():
            setattr(day, field_name, value)
        if "name" in changed:
            day.key = ""  # renamed: no longer the bundled holiday's English name
        day.save()
        _record(
            actor,
            "holiday.updated",
            day,
            organization.pk,
            {"old": old, "new": {field: str(value) for field, value in changed.items()}},
        )
        _touch_calendars(organization, actor)
    return day


def delete_holiday(*, actor: User, day: HolidayDay) -> None:
    organization = day.organization
    require_holiday_editor(actor, organization)
    with transaction.atomic():
        data = {"date": day.date.isoformat(), "name": day.name, "kind": day.kind}
        _record(actor, "holiday.deleted", day, organization.pk, data)
        day.delete()
        _touch_calendars(organization, actor)


# ---------------------------------------------------------------- .ics import

# A summary naming a working day: 班 (上班, 补班, 调休上班), 调休 alone, or the English words.
WORKDAY_WORDS = re.compile(r"班|调休|working\s*day|work\s*day|make-?up", re.IGNORECASE)
# Markers around a name that say what kind of day it is, not which holiday: 春节 in brackets
# with 休 after it, 国庆节 调休上班, Spring Festival (day off). \uff08 \uff09 are the full-width
# brackets Chinese titles use.
_MARKERS = re.compile(
    r"[\uff08(\u3010\[]\s*(休|班|假|放假|上班|补班|调休|day off|holiday|working day|workday)"
    r"\s*[\uff09)\u3011\]]"
    r"|调休上班|补班|上班|调休|放假|假期|休息|\s-\s.*$",
    re.IGNORECASE,
)


def summary_kind(summary: str) -> str:
    return holidays.WORKDAY if WORKDAY_WORDS.search(summary) else holidays.HOLIDAY


def summary_name(summary: str) -> str:
    """The holiday's name without the words that say whether it is worked: 「春节调休上班」 is
    春节. When nothing would be left, the summary as it is."""
    own_export = re.fullmatch(r"working day\s*\((.+)\)", summary.strip(), re.IGNORECASE)
    if own_export:  # what Baton's feed calls a working day in English
        return own_export.group(1).strip()
    name = _MARKERS.sub("", summary).strip(" ·-—:,\uff1a\uff0c")
    return name or summary.strip()


@dataclass
class HolidayImportSummary:
    added: list[HolidayDay] = field(default_factory=list)
    updated: list[HolidayDay] = field(default_factory=list)
    unchanged: int = 0
    skipped: list[ical.Skipped] = field(default_factory=list)

    @property
    def added_count(self) -> int:
        return len(self.added)

    @property
    def updated_count(self) -> int:
        return len(self.updated)

    @property
    def skipped_count(self) -> int:
        return len(self.skipped)

    @property
    def years(self) -> list[int]:
        return sorted({day.date.year for day in [*self.added, *self.updated]})


def _file_error(message: str) -> ValidationError:
    return ValidationError({"file": message})


def _days_of(item: ical.ParsedEvent) -> list[datetime.date]:
    """The days of an all-day event where it is planned (its end is exclusive)."""
    zone = ical._zone(item.timezone)
    first = item.start.astimezone(zone).date()
    last = item.end.astimezone(zone).date()
    return [first + datetime.timedelta(days=n) for n in range(max(1, (last - first).days))]


def _parsed_days(parsed: ical.ParsedFile, summary: HolidayImportSummary) -> dict:
    """{date: (name, kind)} of the file's all-day events; what cannot be a holiday is skipped
    with its reason. The first event naming a day wins."""
    found: dict[datetime.date, tuple[str, str]] = {}
    for item in parsed.events:
        if not item.all_day:
            reason = _("It has a time of day: holidays are all-day events.")
        elif item.rrule or item.recurrence_id is not None:
            reason = _("It repeats: list each holiday as its own event.")
        elif (item.end - item.start).days > MAX_IMPORT_RUN_DAYS:
            reason = _("It lasts more than %(n)d days: no holiday is that long.") % {
                "n": MAX_IMPORT_RUN_DAYS
            }
        else:
            reason = ""
        days = [] if reason else _days_of(item)
        if days and not all(FIRST_YEAR <= d.year <= LAST_YEAR for d in days):
            reason = _("Its date is outside the years %(first)d to %(last)d.") % {
                "first": FIRST_YEAR,
                "last": LAST_YEAR,
            }
        name = summary_name(item.title)[:HOLIDAY_NAME_MAX_LENGTH]
        if not reason and "\x00" in name:
            reason = _("Its title holds a null character.")
        if reason:
            summary.skipped.append(ical.Skipped(item.title, reason, item.uid))
            continue
        kind = summary_kind(item.title)
        for day in days:
            if day in found:
                summary.skipped.append(
                    ical.Skipped(
                        item.title,
                        _("%(date)s is already named by another event of the file.")
                        % {"date": day.isoformat()},
                        item.uid,
                    )
                )
                continue
            found[day] = (name, kind)
    return found


def import_holidays(*, actor: User, organization, data: bytes) -> HolidayImportSummary:
    """Add the days of an .ics holiday calendar (owners and admins): each all-day VEVENT names
    its days off, or make-up working days when its summary says 班, 调休 or "working day". A day
    already in the list takes the file's name and kind. The file is refused as a whole (nothing
    written) when it is empty, too large or not iCalendar."""
    require_holiday_editor(actor, organization)
    if not data:
        raise _file_error(_("Choose an .ics file to import."))
    if len(data) > max_bytes():
        raise _file_error(
            _("The file is too large (%(size).1f MB); at most %(max)d MB can be imported.")
            % {"size": len(data) / 1024 / 1024, "max": max_bytes() // (1024 * 1024)}
        )
    try:
        parsed = ical.parse(data)
    except ical.IcsError as error:
        raise _file_error(str(error)) from None
    summary = HolidayImportSummary(skipped=list(parsed.skipped))
    found = _parsed_days(parsed, summary)
    if len(found) > MAX_IMPORT_DAYS:
        raise _file_error(
            _("The file names %(n)d days; at most %(max)d can be imported at once.")
            % {"n": len(found), "max": MAX_IMPORT_DAYS}
        )
    with transaction.atomic():
        existing = {
            day.date: day
            for day in HolidayDay.objects.select_for_update().filter(
                organization=organization, date__in=list(found)
            )
        }
        for date, (name, kind) in sorted(found.items()):
            day = existing.get(date)
            if day is None:
                summary.added.append(
                    HolidayDay(
                        organization=organization,
                        date=date,
                        name=name,
                        kind=kind,
                        created_by=actor,
                    )
                )
            elif (day.name, day.kind) == (name, kind):
                summary.unchanged += 1
            else:
                day.name, day.kind, day.key, day.updated_at = name, kind, "", timezone.now()
                summary.updated.append(day)
        HolidayDay.objects.bulk_create(summary.added)
        HolidayDay.objects.bulk_update(summary.updated, ["name", "kind", "key", "updated_at"])
        if summary.added or summary.updated:
            _record(
                actor,
                "holidays.imported",
                organization,
                organization.pk,
                {
                    "added": summary.added_count,
                    "updated": summary.updated_count,
                    "skipped": summary.skipped_count,
                    "years": summary.years,
                },
            )
            _touch_calendars(organization, actor)
    return summary
