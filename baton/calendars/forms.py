"""Forms that render the calendar pages and keep what was typed; the services validate."""

import datetime as dt
import zoneinfo

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from baton.calendars.models import (
    HOLIDAY_NAME_MAX_LENGTH,
    CalendarRole,
    CalendarVisibility,
    HolidayKind,
)
from baton.calendars.recurrence import parse_utc
from baton.core.colors import PALETTE
from baton.core.forms import FlagField, IdField, TextField
from baton.projects.forms import ColorRadio

REPEAT_CHOICES = [
    ("", _("Does not repeat")),
    ("daily", _("Every day")),
    ("weekdays", _("Every weekday (Monday to Friday)")),
    ("weekly", _("Every week on this day")),
    ("monthly", _("Every month on this date")),
    ("monthly_weekday", _("Every month on this weekday (e.g. the last Friday)")),
    ("yearly", _("Every year")),
]
COMMON_ZONES = [
    "Asia/Shanghai",
    "Asia/Hong_Kong",
    "Asia/Tokyo",
    "Asia/Singapore",
    "Europe/London",
    "Europe/Berlin",
    "America/New_York",
    "America/Los_Angeles",
    "UTC",
]


class CalendarForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=60)
    description = forms.CharField(
        label=_("Description"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    color = forms.ChoiceField(label=_("Colour"), choices=PALETTE, initial="blue", widget=ColorRadio)
    visibility = forms.ChoiceField(
        label=_("Who can see it"),
        choices=CalendarVisibility.choices,
        initial=CalendarVisibility.ORGANIZATION,
        widget=forms.RadioSelect,
    )

    @classmethod
    def for_calendar(cls, calendar, data=None) -> "CalendarForm":
        initial = {f: getattr(calendar, f) for f in ("name", "description", "color", "visibility")}
        return cls(data=data, initial=initial)


class CalendarMemberForm(forms.Form):
    who = forms.ChoiceField(label=_("Member or team"))
    role = forms.ChoiceField(
        label=_("Rights"), choices=CalendarRole.choices, initial=CalendarRole.VIEWER
    )

    def __init__(self, *args, people=(), teams=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["who"].choices = (
            [("", "—")]
            + [(f"user:{u.pk}", u.name or u.email) for u in people]
            + [(f"team:{t.pk}", t.name) for t in teams]
        )


SCOPE_CHOICES = [
    ("this", _("This occurrence")),
    ("following", _("This and the following ones")),
    ("all", _("All occurrences")),
]


class PeopleSelect(forms.SelectMultiple):
    """A multiple select whose options carry the person's e-mail (data-email), which the
    people picker (frontend/src/people_picker.js) searches; without JavaScript it is the
    plain list."""

    template_name = "calendars/_people_select.html"

    def __init__(self, attrs=None, choices=()):
        super().__init__(attrs, choices)
        self.emails: dict[str, str] = {}

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        option = super().create_option(name, value, label, selected, index, subindex, attrs)
        email = self.emails.get(str(value), "")
        if email:
            option["attrs"]["data-email"] = email
        return option


# A day made a timed event (the all-day switch turned off): a one-hour slot in the morning, as
# the form's script (frontend/src/calendar.js) offers it.
DEFAULT_TIMES = {"start": "10:00", "end": "11:00"}


class EventForm(forms.Form):
    """The new-event panel. Times are wall-clock values in `timezone`; all-day events take dates
    (the end date is the last day, inclusive, as people read it)."""

    title = forms.CharField(label=_("Title"), max_length=200)
    scope = forms.ChoiceField(
        label=_("Change"), choices=SCOPE_CHOICES, initial="this", required=False
    )
    calendar = forms.ChoiceField(label=_("Calendar"))
    all_day = forms.BooleanField(label=_("All day"), required=False)
    start = forms.CharField(label=_("Starts"), max_length=40)
    end = forms.CharField(label=_("Ends"), max_length=40)
    timezone = forms.ChoiceField(label=_("Time zone"), initial="Asia/Shanghai")
    repeat = forms.ChoiceField(label=_("Repeat"), choices=REPEAT_CHOICES, required=False)
    repeat_until = forms.DateField(
        label=_("Until"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    repeat_count = forms.IntegerField(label=_("Times"), required=False, min_value=1, max_value=1000)
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)
    participants = forms.MultipleChoiceField(
        label=_("Participants"),
        required=False,
        widget=PeopleSelect(attrs={"class": "cal-people", "size": 6}),
    )
    location = forms.CharField(label=_("Location"), max_length=200, required=False)
    description = forms.CharField(
        label=_("Description"),
        required=False,
        max_length=20_000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Markdown."),
    )

    def __init__(self, *args, calendars=(), recurring=False, people=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["participants"].choices = [(str(u.pk), u.name or u.email) for u in people]
        self.fields["participants"].widget.emails = {str(u.pk): u.email for u in people}
        self.fields["calendar"].choices = [(str(c.pk), c.name) for c in calendars]
        if recurring:  # editing a series: its rule stays unless another is chosen
            self.fields["repeat"].choices = [("keep", _("Keep its repetition")), *REPEAT_CHOICES]
        zones = list(COMMON_ZONES)
        chosen = (self.data.get("timezone") or self.initial.get("timezone") or "").strip()
        if chosen and chosen not in zones and chosen in zoneinfo.available_timezones():
            zones.append(chosen)
        self.fields["timezone"].choices = [(z, z) for z in zones]

    def clean(self):
        data = super().clean()
        if not data.get("all_day"):
            # Days without a time (the switch turned off in a browser without JavaScript) get
            # the default hours rather than an error.
            for name, time in DEFAULT_TIMES.items():
                value = (data.get(name) or "").strip()
                if len(value) == 10:
                    data[name] = f"{value}T{time}"
        return data


class HolidayDayForm(forms.Form):
    """One day off (休) or make-up working day (班) of the organization's public holidays."""

    # ISO dates both ways: what <input type="date"> sends and shows, whatever the language.
    date = forms.DateField(
        label=_("Date"),
        input_formats=["%Y-%m-%d"],
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    name = forms.CharField(
        label=_("Name"),
        max_length=HOLIDAY_NAME_MAX_LENGTH,
        widget=forms.TextInput(attrs={"placeholder": _("e.g. 春节")}),
    )
    kind = forms.ChoiceField(
        label=_("Kind"), choices=HolidayKind.choices, initial=HolidayKind.HOLIDAY
    )


# ---------------------------------------------------------------- what the calendar page posts


def invalid(name: str) -> ValidationError:
    return ValidationError(gettext("Missing or invalid %(name)s.") % {"name": name}, "invalid")


def parse_moment(value: str | None, name: str) -> dt.datetime | dt.date:
    """An ISO date ("2026-11-24") or datetime with an offset, as FullCalendar sends them (the
    offset's "+" may arrive as a space; no offset is UTC). Else "Missing or invalid `name`."."""
    value = (value or "").strip()
    if not value or "\x00" in value or len(value) > 40:
        raise invalid(name)
    try:
        if len(value) == 10:
            moment = dt.date.fromisoformat(value)
        else:
            moment = dt.datetime.fromisoformat(value.replace(" ", "+"))
    except ValueError:
        raise invalid(name) from None
    if not 1 < moment.year < 9999:  # a day or a time zone away from the ends overflows
        raise invalid(name)
    if not isinstance(moment, dt.datetime):
        return moment
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    return moment


class MomentField(forms.Field):
    """A date or a time FullCalendar sends (`parse_moment`, its message names the field). Not
    required, an empty value is None. With `text=True` the value is checked but kept as sent
    (the service reads it in the event's time zone)."""

    widget = forms.HiddenInput

    def __init__(self, *, name: str, text: bool = False, required: bool = False, **kwargs) -> None:
        super().__init__(required=required, **kwargs)
        self.moment_name, self.text = name, text

    def clean(self, value):
        if not value and not self.required:
            return None
        moment = parse_moment(value, self.moment_name)
        return value if self.text else moment


class MoveForm(forms.Form):
    """A drag or a resize in the calendar: `kind` says what moved ("event" or "task")."""

    kind = TextField()


class TaskMoveForm(MoveForm):
    """A task dragged to other days: its reference (SH-12), its first day and the day after its
    last (none: one day)."""

    id = TextField()
    start = MomentField(name="start", required=True)
    end = MomentField(name="end")

    def clean_id(self) -> str:
        ref = self.cleaned_data["id"]
        if not ref or len(ref) > 24:
            raise invalid("id")
        return ref.upper()


class EventMoveForm(MoveForm):
    """An event (or one occurrence of a series) dragged or resized: its new start and end as
    sent, and for a series the occurrence and which ones move (`scope`, "this" when not said)."""

    id = IdField()  # none: no such event (404)
    start = MomentField(name="start", text=True, required=True)
    end = MomentField(name="end", text=True, required=True)
    occurrence = MomentField(name="occurrence")
    all_day = FlagField()
    scope = TextField()

    def clean_scope(self) -> str:
        return self.cleaned_data["scope"] or "this"


class OccurrenceForm(forms.Form):
    """The occurrence of a series the event panel shows (its start in UTC, as the panel's links
    carry it); empty for the event itself or a value that names no occurrence."""

    occurrence = TextField(cut=40, widget=forms.HiddenInput)


class EventResponseForm(OccurrenceForm):
    """A participant's answer (the service knows the answers) from the panel."""

    response = TextField()


class EventDeleteForm(OccurrenceForm):
    """Deleting an event; for a series, which occurrences (`scope`, all when not sent)."""

    scope = TextField(missing="all")

    def clean_occurrence(self) -> dt.datetime | None:
        raw = self.cleaned_data["occurrence"]
        if not raw:
            return None
        moment = parse_utc(raw)
        if moment is None:
            raise invalid("occurrence")
        return moment


class LayerForm(forms.Form):
    """Show or hide one calendar (any value names one: a value that cannot be an id is a 404) or
    one project's tasks (its key) on the calendar page."""

    visible = FlagField()
    calendar = TextField()
    project = TextField(cut=10)


class CalendarArchiveForm(forms.Form):
    archived = FlagField()


class FeedTokenForm(forms.Form):
    """A new subscription URL, or none (`action=revoke`)."""

    action = TextField()


class HolidaySwitchForm(forms.Form):
    """The organization's public holidays on or off; `next=settings` goes back to the settings."""

    enabled = FlagField()
    next = TextField()


class IcsImportForm(forms.Form):
    """An .ics file to import; the view checks that there is one and its size, the service the
    rest."""

    file = forms.FileField(required=False, allow_empty_file=True, widget=forms.FileInput)
