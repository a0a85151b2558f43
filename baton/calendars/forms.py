"""Forms that render the calendar pages and keep what was typed; the services validate."""

import zoneinfo

from django import forms
from django.utils.translation import gettext_lazy as _

from baton.calendars.models import (
    HOLIDAY_NAME_MAX_LENGTH,
    CalendarRole,
    CalendarVisibility,
    HolidayKind,
)
from baton.core.colors import PALETTE
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
