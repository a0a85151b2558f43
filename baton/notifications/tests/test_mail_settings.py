"""The notification settings page: mail per kind, digest timing, card reminders."""

import datetime as dt

import pytest

from baton.notifications.models import (
    Kind,
    MailMode,
    MailState,
    Notification,
    NotificationSettings,
)

URL = "/notifications/settings"


def valid(**changes) -> dict:
    data = {f"mode_{kind.value}": MailMode.IMMEDIATE for kind in Kind}
    data.update(
        {
            "mode_task": MailMode.HOURLY,
            "mode_document": MailMode.DAILY,
            "mode_event": MailMode.NEVER,
            "digest_hours": "6",
            "digest_time": "08:30",
            "reminder_minutes": ["15", "180", "2880"],
        }
    )
    data.update(changes)
    return data


def test_the_page_shows_the_defaults(bob, english):
    response = english(bob).get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Notification settings" in html
    assert 'name="mode_mention" value="immediate"' in html
    assert 'name="digest_hours"' in html and 'value="4"' in html
    assert 'value="1440"' in html and 'value="60"' in html
    assert not NotificationSettings.objects.exists()


def test_anonymous_visitors_are_sent_to_log_in(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert "/accounts/login" in response["Location"]


def test_saving_the_settings(bob, english):
    response = english(bob).post(URL, valid())
    assert response.status_code == 302
    prefs = NotificationSettings.objects.get(user=bob)
    assert prefs.mail_modes["task"] == "hours"
    assert prefs.mail_modes["event"] == "never"
    assert prefs.digest_hours == 6
    assert prefs.digest_time == dt.time(8, 30)
    assert prefs.reminder_minutes == [2880, 180, 15]
    # and the page shows them back
    html = english(bob).get(URL).content.decode()
    assert 'value="08:30"' in html


def test_no_reminders_at_all(bob, english):
    data = valid()
    del data["reminder_minutes"]
    assert english(bob).post(URL, data).status_code == 302
    assert NotificationSettings.objects.get(user=bob).reminder_minutes == []


@pytest.mark.parametrize(
    "changes, field, message",
    [
        ({"digest_hours": "0"}, "digest_hours", "from 1 to 24"),
        ({"digest_hours": "25"}, "digest_hours", "from 1 to 24"),
        ({"digest_hours": "many"}, "digest_hours", "from 1 to 24"),
        ({"digest_hours": ""}, "digest_hours", "how many hours"),
        ({"digest_time": "25:00"}, "digest_time", "like 09:00"),
        ({"digest_time": ""}, "digest_time", "time of day"),
        ({"mode_task": "sometimes"}, "mode_task", "offered ways"),
        ({"mode_mention": ""}, "mode_mention", "how mail"),
        ({"reminder_minutes": ["999"]}, "reminder_minutes", "999"),
    ],
)
def test_bad_values_are_refused_and_nothing_is_saved(bob, english, changes, field, message):
    response = english(bob).post(URL, valid(**changes))
    assert response.status_code == 422
    assert message in response.content.decode()
    assert not NotificationSettings.objects.exists()


def test_waiting_mail_follows_new_settings(org, bob, english):
    from baton.notifications.channels import mail as channel

    n = Notification.objects.create(
        recipient=bob,
        organization=org,
        kind=Kind.TASK,
        verb="task.updated",
        target_type="task",
        target_id=1,
        target_title="SH-1",
        target_url="/x",
    )
    channel.deliver([n])
    n.refresh_from_db()
    assert n.mail_state == MailState.PENDING  # the daily digest by default
    english(bob).post(URL, valid(mode_task=MailMode.NEVER))
    n.refresh_from_db()
    assert n.mail_state == MailState.NONE


def test_the_profile_page_links_to_the_settings(bob, english):
    assert URL in english(bob).get("/accounts/profile").content.decode()
