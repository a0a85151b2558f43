"""RFC 5545 recurrence: checking an RRULE and expanding a series over a visible range.

A series repeats in the wall-clock time of its own zone (`event.timezone`): the rule is run by
dateutil on naive local times, and each occurrence is placed back in the zone, so a 10:00 meeting
in New York stays at 10:00 there across daylight saving, whatever zone it is looked at from.
Times handed out are aware datetimes in UTC.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from dateutil import rrule as du
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from baton.core.validation import parse_int

UTC = dt.UTC

FREQUENCIES = ("DAILY", "WEEKLY", "MONTHLY", "YEARLY")
_PARTS = (
    "FREQ",
    "UNTIL",
    "COUNT",
    "INTERVAL",
    "BYSECOND",
    "BYMINUTE",
    "BYHOUR",
    "BYDAY",
    "BYMONTHDAY",
    "BYYEARDAY",
    "BYWEEKNO",
    "BYMONTH",
    "BYSETPOS",
    "WKST",
)
MAX_PER_YEAR = 1000  # more than this in a year is refused as "too frequent"
MAX_COUNT = 5000
MAX_INTERVAL = 1000
MAX_EXPANDED = 5000  # a safety net per expansion: a range never yields more occurrences


@dataclass(frozen=True)
class Occurrence:
    event: Any  # the master Event (or the override Event when is_override)
    start: dt.datetime
    end: dt.datetime
    all_day: bool
    recurrence_id: dt.datetime | None  # the start it has in the series (None: not recurring)
    is_override: bool = False

    @property
    def key(self) -> str:
        """A stable id for the front end: '<event id>' or '<series id>:<recurrence id>'."""
        if self.recurrence_id is None:
            return str(self.event.pk)
        series_id = self.event.series_id if self.is_override else self.event.pk
        return f"{series_id}:{utc_key(self.recurrence_id)}"


# ---------------------------------------------------------------- helpers


WEEKDAYS = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"]


def rrule_for(repeat: str, start: dt.date, until=None, count=None) -> str:
    """The RRULE of a choice in the event form's Repeat menu ("weekly", "monthly_weekday" …) for
    a series starting on `start`, ending after `count` occurrences or on `until`; "" for none."""
    if not repeat:
        return ""
    day = WEEKDAYS[start.weekday()]
    rule = {
        "daily": "FREQ=DAILY",
        "weekdays": "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR",
        "weekly": f"FREQ=WEEKLY;BYDAY={day}",
        "monthly": f"FREQ=MONTHLY;BYMONTHDAY={start.day}",
        "yearly": "FREQ=YEARLY",
    }.get(repeat)
    if repeat == "monthly_weekday":
        last = (start + dt.timedelta(days=7)).month != start.month
        rule = f"FREQ=MONTHLY;BYDAY={-1 if last else (start.day - 1) // 7 + 1}{day}"
    if rule is None:
        return ""
    if count:
        rule += f";COUNT={count}"
    elif until:
        rule += f";UNTIL={until.strftime('%Y%m%d')}T235959Z"
    return rule


@functools.cache
def _known_zones() -> frozenset[str]:
    return frozenset(available_timezones()) | {"UTC"}


def zone(name: str | None) -> ZoneInfo:
    """The ZoneInfo of an IANA name; ValidationError on the `timezone` field when unknown."""
    try:
        if not name or name not in _known_zones():
            raise ValueError
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, TypeError):
        raise ValidationError(
            {"timezone": _("Unknown time zone: %(name)s.") % {"name": name or "—"}}
        ) from None


def utc_key(value: dt.datetime) -> str:
    """How a start is written in `exdates` (UTC ISO 8601)."""
    return value.astimezone(UTC).isoformat()


def parse_utc(value: str) -> dt.datetime | None:
    try:
        parsed = dt.datetime.fromisoformat(value)
    except (TypeError, ValueError):
        return None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    return parsed.astimezone(UTC)


def local_naive(value: dt.datetime, tz: ZoneInfo) -> dt.datetime:
    return value.astimezone(tz).replace(tzinfo=None)


def localize(naive: dt.datetime, tz: ZoneInfo) -> dt.datetime:
    """A wall-clock time in `tz`, as UTC (a time skipped by DST lands an hour later)."""
    aware = naive.replace(tzinfo=tz)
    # A non-existent time (spring forward): normalise through UTC and back.
    return aware.astimezone(UTC)


def _parts(rrule: str) -> dict[str, str]:
    text = (rrule or "").strip()
    if text.upper().startswith("RRULE:"):
        text = text[6:]
    if not text or "\n" in text or "DTSTART" in text.upper():
        raise ValidationError({"rrule": _("Not a valid repeat rule.")})
    parts: dict[str, str] = {}
    for piece in text.split(";"):
        if not piece.strip():
            continue
        name, sep, value = piece.partition("=")
        name, value = name.strip().upper(), value.strip().upper()
        if not sep or not value or name not in _PARTS or name in parts:
            raise ValidationError({"rrule": _("Not a valid repeat rule.")})
        parts[name] = value
    return parts


def _until_local(value: str, tz: ZoneInfo) -> dt.datetime:
    """UNTIL as a naive wall-clock time in the series' zone (inclusive)."""
    try:
        if len(value) == 8:  # a DATE: the whole day counts
            day = dt.datetime.strptime(value, "%Y%m%d")
            return day.replace(hour=23, minute=59, second=59)
        if value.endswith("Z"):
            moment = dt.datetime.strptime(value, "%Y%m%dT%H%M%SZ").replace(tzinfo=UTC)
            return local_naive(moment, tz)
        return dt.datetime.strptime(value, "%Y%m%dT%H%M%S")  # floating: local already
    except ValueError:
        raise ValidationError({"rrule": _("The end date of the repeat is not valid.")}) from None


@functools.lru_cache(maxsize=4096)
def _template(body: str) -> du.rrule:
    """The parsed rule (without its start); `replace(dtstart=…)` gives the real one, with the
    defaults it takes from the start (weekday, day of month) recomputed."""
    return du.rrulestr("RRULE:" + body, dtstart=dt.datetime(2000, 1, 1), forceset=False)


def _build(parts: dict[str, str], dtstart: dt.datetime, tz: ZoneInfo) -> du.rrule:
    """The dateutil rule on naive local times."""
    until = parts.get("UNTIL")
    body = ";".join(f"{k}={v}" for k, v in parts.items() if k != "UNTIL")
    try:
        changes = {"dtstart": dtstart}
        if until:
            changes["until"] = _until_local(until, tz)
        return _template(body).replace(**changes)
    except (ValueError, TypeError, KeyError):
        raise ValidationError({"rrule": _("Not a valid repeat rule.")}) from None


def _normalised(parts: dict[str, str]) -> str:
    ordered = [p for p in _PARTS if p in parts]
    return ";".join(f"{p}={parts[p]}" for p in ordered)


# ---------------------------------------------------------------- validation


def validate_rrule(
    rrule: str,
    *,
    start: dt.datetime,
    timezone: str | None = None,
    all_day: bool = False,
) -> str:
    """Check an RRULE value for a series starting at `start` (aware) and return it normalised
    (upper case, FREQ first, UNTIL in UTC, or a DATE for all-day series).

    Refused, with a message on the `rrule` field: syntax errors, a frequency finer than daily,
    more than MAX_PER_YEAR occurrences in a year, INTERVAL or COUNT out of range, both COUNT and
    UNTIL, an UNTIL before the start, and a rule that never happens.
    """
    if timezone is None and isinstance(getattr(start, "tzinfo", None), ZoneInfo):
        timezone = start.tzinfo.key  # the zone the start was given in
    tz = zone(timezone or "UTC")
    parts = _parts(rrule)
    freq = parts.get("FREQ")
    if freq is None:
        raise ValidationError({"rrule": _("The repeat rule needs a frequency (FREQ).")})
    if freq not in FREQUENCIES:
        raise ValidationError(
            {"rrule": _("Events can repeat at most daily (not %(freq)s).") % {"freq": freq}}
        )
    if "COUNT" in parts and "UNTIL" in parts:
        raise ValidationError(
            {"rrule": _("A repeat ends either after a number of times or on a date, not both.")}
        )
    for name, maximum in (("INTERVAL", MAX_INTERVAL), ("COUNT", MAX_COUNT)):
        if name in parts:
            try:
                number = parse_int(parts[name], field="rrule", minimum=1, maximum=maximum)
            except ValidationError:
                raise ValidationError(
                    {
                        "rrule": _("%(name)s must be a whole number from 1 to %(max)d.")
                        % {"name": name, "max": maximum}
                    }
                ) from None
            parts[name] = str(number)
    dtstart = local_naive(start, tz)
    if "UNTIL" in parts:
        until = _until_local(parts["UNTIL"], tz)
        if until < dtstart:
            raise ValidationError({"rrule": _("The repeat ends before the event starts.")})
        if all_day:
            parts["UNTIL"] = until.strftime("%Y%m%d")
        else:
            parts["UNTIL"] = localize(until, tz).strftime("%Y%m%dT%H%M%SZ")
    rule = _build(parts, dtstart, tz)
    # Too frequent: count the first year (stops early past the limit).
    year_end = dtstart + dt.timedelta(days=366)
    count = 0
    for _occ in rule.xafter(dtstart, inc=True):
        if _occ >= year_end:
            break
        count += 1
        if count > MAX_PER_YEAR:
            raise ValidationError(
                {
                    "rrule": _(
                        "This repeats too often (more than %(n)d times a year); "
                        "choose a longer interval."
                    )
                    % {"n": MAX_PER_YEAR}
                }
            )
    if count == 0:
        # A rare rule (Feb 29 every year) may first happen later: look 30 years on, no further.
        horizon = dtstart + dt.timedelta(days=366 * 30)
        if "UNTIL" in parts:
            horizon = min(horizon, _until_local(parts["UNTIL"], tz))
        if rule.replace(until=horizon).after(dtstart, inc=True) is None:
            raise ValidationError({"rrule": _("This repeat rule never happens.")})
    return _normalised(parts)


# ---------------------------------------------------------------- expansion


def _rule_of(event, near: dt.datetime | None = None):
    """(dateutil rule on naive local times, zone, local start, wall-clock length).

    With `near` (a naive local time), a series without COUNT is started again at a whole number
    of periods before `near`, with the defaults it took from its start written out: the same
    occurrences, without walking years of them to reach the range.
    """
    tz = zone(event.timezone)
    start_local = local_naive(event.start, tz)
    duration = local_naive(event.end, tz) - start_local  # wall-clock length (days for all-day)
    parts = _parts(event.rrule)
    dtstart = start_local
    if near is not None and "COUNT" not in parts and near - start_local > dt.timedelta(days=70):
        dtstart = _fast_forward(parts, start_local, near)
    return _build(parts, dtstart, tz), tz, start_local, duration


def _fast_forward(parts: dict[str, str], start: dt.datetime, near: dt.datetime) -> dt.datetime:
    """A later start for the rule in `parts` (changed in place) giving the same occurrences
    from `near` on."""
    interval = int(parts.get("INTERVAL", "1"))
    freq = parts["FREQ"]
    explicit_day = any(p in parts for p in ("BYWEEKNO", "BYYEARDAY", "BYMONTHDAY", "BYDAY"))
    if freq in ("DAILY", "WEEKLY"):
        step = interval * (7 if freq == "WEEKLY" else 1)
        if freq == "WEEKLY" and "BYDAY" not in parts:
            parts["BYDAY"] = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")[start.weekday()]
        periods = max(0, (near - start).days // step - 1)
        return start + dt.timedelta(days=periods * step)
    if freq == "MONTHLY":
        if not explicit_day:
            parts["BYMONTHDAY"] = str(start.day)
        months = (near.year - start.year) * 12 + near.month - start.month
        periods = max(0, months // interval - 1)
        index = start.month - 1 + periods * interval
        return start.replace(year=start.year + index // 12, month=index % 12 + 1, day=1)
    # YEARLY
    if not explicit_day:
        parts["BYMONTHDAY"] = str(start.day)
        parts.setdefault("BYMONTH", str(start.month))
    periods = max(0, (near.year - start.year) // interval - 1)
    return start.replace(year=start.year + periods * interval, month=1, day=1)


def _exdates(event) -> set[dt.datetime]:
    return {d for d in (parse_utc(v) for v in (event.exdates or [])) if d is not None}


def _rdates(event) -> set[dt.datetime]:
    """The extra starts of a series (RDATE); rows read without the field have none."""
    values = getattr(event, "rdates", None) or []
    return {d for d in (parse_utc(v) for v in values) if d is not None}


def _extra_occurrences(event, found, excluded, replaced, range_start, range_end, duration, tz):
    """The RDATE occurrences of `event` in range that the rule did not already give."""
    taken = {o.start for o in found}
    extra = []
    for start in sorted(_rdates(event) - excluded - set(replaced) - taken):
        end = localize(local_naive(start, tz) + duration, tz)
        if _overlaps(start, end, range_start, range_end):
            extra.append(Occurrence(event, start, end, event.all_day, start))
    return extra


def expand(
    event,
    range_start: dt.datetime,
    range_end: dt.datetime,
    *,
    overrides: Iterable = (),
) -> list[Occurrence]:
    """The occurrences of `event` that overlap [range_start, range_end), in order of start.

    A single event yields itself when it overlaps. A series yields its generated starts minus
    EXDATEs; an occurrence with an override (an Event whose `recurrence_id` is that start) is
    replaced by the override, which is yielded where it now is if that overlaps the range.
    """
    if not event.rrule:
        if _overlaps(event.start, event.end, range_start, range_end):
            return [Occurrence(event, event.start, event.end, event.all_day, None)]
        return []
    tz = zone(event.timezone)
    length = event.end - event.start
    window_start = local_naive(range_start, tz) - length - dt.timedelta(days=2)
    window_end = local_naive(range_end, tz) + dt.timedelta(days=1)
    rule, tz, _first, duration = _rule_of(event, near=window_start)
    excluded = _exdates(event)
    replaced = {}
    for override in overrides:
        if override.recurrence_id is not None:
            replaced[override.recurrence_id.astimezone(UTC)] = override
    found: list[Occurrence] = []
    for naive in rule.xafter(window_start, inc=True):
        if naive > window_end or len(found) >= MAX_EXPANDED:
            break
        start = localize(naive, tz)
        if start in excluded or start in replaced:
            continue
        end = localize(naive + duration, tz)
        if _overlaps(start, end, range_start, range_end):
            found.append(Occurrence(event, start, end, event.all_day, start))
    if getattr(event, "rdates", None):
        found.extend(
            _extra_occurrences(
                event, found, excluded, replaced, range_start, range_end, duration, tz
            )
        )
    for recurrence_id, override in replaced.items():
        if recurrence_id in excluded:
            continue
        if _overlaps(override.start, override.end, range_start, range_end):
            found.append(
                Occurrence(
                    override, override.start, override.end, override.all_day, recurrence_id, True
                )
            )
    found.sort(key=lambda o: (o.start, o.end))
    return found


def _overlaps(start, end, range_start, range_end) -> bool:
    if end <= start:  # an instant: inside when it starts in the range
        return range_start <= start < range_end
    return start < range_end and end > range_start


def is_occurrence(event, when: dt.datetime) -> bool:
    """Whether `when` is a generated start of the series, or one of its RDATEs (EXDATEs not
    counted)."""
    if not event.rrule:
        return when == event.start
    if when.astimezone(UTC) in _rdates(event):
        return True
    rule, tz, _first, _duration = _rule_of(event)
    naive = local_naive(when, tz)
    target = when.astimezone(UTC)
    for candidate in rule.xafter(naive - dt.timedelta(hours=3), inc=True):
        if candidate > naive + dt.timedelta(hours=3):
            return False
        if localize(candidate, tz) == target:
            return True
    return False


def occurrences_before(event, when: dt.datetime) -> int:
    """How many starts the series generates before `when` (for splitting a COUNT)."""
    rule, tz, first, _duration = _rule_of(event)
    limit = when.astimezone(UTC)
    count = 0
    for naive in rule.xafter(first, inc=True):
        if localize(naive, tz) >= limit:
            break
        count += 1
    return count


def series_end(event) -> dt.datetime | None:
    """The end of the last occurrence (for `recurrence_end`); None when it repeats forever.
    A single event: its own end."""
    if not event.rrule:
        return event.end
    parts = _parts(event.rrule)
    if "COUNT" not in parts and "UNTIL" not in parts:
        return None
    rule, tz, _first, duration = _rule_of(event)
    last = None
    if "COUNT" in parts:
        for last in rule:  # noqa: B007  (bounded by MAX_COUNT)
            pass
    else:
        last = rule.before(_until_local(parts["UNTIL"], tz), inc=True)
    if last is None:
        return event.end
    end = localize(last + duration, tz)
    extra = _rdates(event)
    if extra:  # an RDATE after the rule's last occurrence ends the series later
        end = max(end, localize(local_naive(max(extra), tz) + duration, tz))
    return end
