"""Each person's notification settings: the form of /notifications/settings and how they read
(their writes are in services.py)."""

import datetime as dt

from django import forms
from django.utils.translation import gettext_lazy as _

from baton.notifications.channels.mail import mode_for
from baton.notifications.models import (
    DEFAULT_REMINDER_MINUTES,
    Kind,
    MailMode,
    NotificationSettings,
)
from baton.notifications.reminders import REMINDER_CHOICES, offset_label


def settings_of(user) -> NotificationSettings:
    """The person's settings row, unsaved defaults when they never chose."""
    found = NotificationSettings.objects.filter(user=user).first()
    if found is not None:
        return found
    return NotificationSettings(
        user=user,
        mail_modes={},
        digest_hours=4,
        digest_time=dt.time(9),
        reminder_minutes=list(DEFAULT_REMINDER_MINUTES),
    )


class ReminderChoices(forms.MultipleChoiceField):
    def __init__(self, **kwargs):
        super().__init__(
            choices=[(str(m), _lazy_offset(m)) for m in REMINDER_CHOICES],
            widget=forms.CheckboxSelectMultiple,
            required=False,
            **kwargs,
        )


class _LazyOffset:
    def __init__(self, minutes: int):
        self.minutes = minutes

    def __str__(self) -> str:
        return offset_label(self.minutes)


def _lazy_offset(minutes: int):
    return _LazyOffset(minutes)


class PreferencesForm(forms.Form):
    digest_hours = forms.IntegerField(
        label=_("Digest every (hours)"),
        min_value=1,
        max_value=24,
        error_messages={
            "required": _("Say how many hours between digests (1 to 24)."),
            "invalid": _("Enter a whole number of hours from 1 to 24."),
            "min_value": _("Enter a whole number of hours from 1 to 24."),
            "max_value": _("Enter a whole number of hours from 1 to 24."),
        },
    )
    digest_time = forms.TimeField(
        label=_("Daily digest at"),
        input_formats=["%H:%M", "%H:%M:%S"],
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        error_messages={
            "required": _("Choose a time of day for the daily digest."),
            "invalid": _("Enter a time like 09:00."),
        },
    )
    reminder_minutes = ReminderChoices(label=_("Remind me before a card is due"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.kind_fields = []
        for kind in Kind:
            name = f"mode_{kind.value}"
            self.fields[name] = forms.ChoiceField(
                label=kind.label,
                choices=MailMode.choices,
                widget=forms.RadioSelect,
                error_messages={
                    "required": _("Choose how mail about this reaches you."),
                    "invalid_choice": _("Choose one of the offered ways."),
                },
            )
            self.kind_fields.append(name)

    @classmethod
    def for_settings(cls, prefs: NotificationSettings, data=None) -> "PreferencesForm":
        initial = {
            "digest_hours": prefs.digest_hours,
            "digest_time": prefs.digest_time,
            "reminder_minutes": [str(m) for m in prefs.reminder_minutes or []],
        }
        for kind in Kind:
            initial[f"mode_{kind.value}"] = mode_for(prefs, kind)
        return cls(data, initial=initial)

    def kind_rows(self):
        return [self[name] for name in self.kind_fields]

    def clean_reminder_minutes(self):
        return sorted({int(m) for m in self.cleaned_data["reminder_minutes"]}, reverse=True)
