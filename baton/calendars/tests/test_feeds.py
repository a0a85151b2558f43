"""Subscription feeds (calendar and personal tokens) and the .ics import page."""

import datetime as dt
from zoneinfo import ZoneInfo

import icalendar
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from baton.calendars.models import (
    Calendar,
    CalendarKind,
    CalendarMember,
    CalendarVisibility,
    Event,
    EventParticipant,
    PersonalFeed,
    new_feed_token,
)
from baton.orgs.models import Membership
from baton.projects.services import create_task

SH = ZoneInfo("Asia/Shanghai")
HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def make_calendar(org, alice):
    def make(name="天猫", **fields):
        fields.setdefault("feed_token", new_feed_token())
        return Calendar.objects.create(organization=org, name=name, created_by=alice, **fields)

    return make


@pytest.fixture
def calendar(make_calendar):
    return make_calendar()


def make_event(calendar, title, *, days=1, **fields):
    start = timezone.now().astimezone(SH).replace(minute=0, second=0, microsecond=0)
    start += dt.timedelta(days=days)
    fields.setdefault("uid", f"{title}@test")
    return Event.objects.create(
        calendar=calendar,
        title=title,
        start=start,
        end=start + dt.timedelta(hours=1),
        timezone="Asia/Shanghai",
        **fields,
    )


def feed_url(token: str) -> str:
    return f"/feeds/{token}.ics"


def summaries(response) -> list[str]:
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    parsed = icalendar.Calendar.from_ical(response.content)
    return sorted(str(e["summary"]) for e in parsed.walk("VEVENT"))


# ---------------------------------------------------------------- calendar feeds


def test_a_calendar_feed_holds_its_own_events_only(client, calendar, make_calendar):
    make_event(calendar, "双 11 预售", description="定金")
    weekly = make_event(calendar, "周例会", rrule="FREQ=WEEKLY;BYDAY=MO")
    make_event(calendar, "周例会 改期", uid=weekly.uid, series=weekly, recurrence_id=weekly.start)
    secret = make_calendar("京东 秘密", visibility=CalendarVisibility.MEMBERS)
    make_event(secret, "京东 618")
    response = client.get(feed_url(calendar.feed_token))
    assert summaries(response) == ["双 11 预售", "周例会", "周例会 改期"]
    assert "京东".encode() not in response.content
    assert b"X-WR-CALNAME:\xe5\xa4\xa9\xe7\x8c\xab" in response.content
    assert response["Cache-Control"] == "private, max-age=300"
    # Named after the calendar, in RFC 6266's `filename*` since the name is Chinese.
    assert response["Content-Disposition"] == "inline; filename*=utf-8''%E5%A4%A9%E7%8C%AB.ics"


def test_old_single_events_are_left_out_but_running_series_stay(client, calendar):
    make_event(
        calendar, "two years ago", days=-730, recurrence_end=timezone.now() - dt.timedelta(days=729)
    )
    make_event(calendar, "forever", days=-730, rrule="FREQ=WEEKLY")
    make_event(calendar, "soon", recurrence_end=timezone.now() + dt.timedelta(days=2))
    assert summaries(client.get(feed_url(calendar.feed_token))) == ["forever", "soon"]


def test_a_revoked_regenerated_unknown_or_archived_feed_is_404(client, calendar, make_calendar):
    old = calendar.feed_token
    assert client.get(feed_url(old)).status_code == 200
    calendar.feed_token = new_feed_token()  # regenerated
    calendar.save()
    assert client.get(feed_url(old)).status_code == 404
    assert client.get(feed_url(calendar.feed_token)).status_code == 200
    calendar.feed_token = None  # revoked
    calendar.save()
    assert client.get(feed_url(old)).status_code == 404
    assert client.get("/feeds/None.ics").status_code == 404
    assert client.get("/feeds/.ics").status_code == 404
    archived = make_calendar("old", archived_at=timezone.now())
    assert client.get(feed_url(archived.feed_token)).status_code == 404


def test_feeds_are_read_only(client, calendar):
    assert client.post(feed_url(calendar.feed_token)).status_code == 405
    assert client.head(feed_url(calendar.feed_token)).status_code == 200


def test_a_holidays_feed_is_generated(client, make_calendar):
    from baton.calendars.services.calendars import seed_bundled_days

    holidays = make_calendar("中国节假日", kind=CalendarKind.HOLIDAYS)
    seed_bundled_days(organization=holidays.organization)
    response = client.get(feed_url(holidays.feed_token), HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert response.status_code == 200
    year = timezone.localdate().year
    if year <= 2026:  # chinese-calendar 1.11.0 knows 2004 to 2026
        events = icalendar.Calendar.from_ical(response.content).walk("VEVENT")
        national = [
            e for e in events if str(e["summary"]) == "国庆节" and e.decoded("dtstart").year == year
        ]
        assert national and national[0].decoded("dtstart") == dt.date(year, 10, 1)


def test_feed_query_count(client, calendar, django_assert_num_queries):
    for i in range(20):
        make_event(calendar, f"event {i}", days=i)
    with django_assert_num_queries(3):  # the calendar, the masters, their overrides
        response = client.get(feed_url(calendar.feed_token))
    assert len(summaries(response)) == 20


# ---------------------------------------------------------------- personal feeds


@pytest.fixture
def bob_feed(org, bob):
    return PersonalFeed.objects.create(user=bob, organization=org)


def test_a_personal_feed_holds_my_tasks_and_my_events(
    client, org, bob, alice, calendar, make_calendar, project, lists, bob_feed
):
    today = timezone.localdate()
    create_task(
        actor=alice, project=project, task_list=lists[0], title="退款", assignee=bob, due_date=today
    )
    create_task(
        actor=alice,
        project=project,
        task_list=lists[0],
        title="alice 的",
        assignee=alice,
        due_date=today,
    )
    create_task(actor=alice, project=project, task_list=lists[0], title="no date", assignee=bob)
    mine = make_event(calendar, "我参加的")
    EventParticipant.objects.create(event=mine, user=bob)
    make_event(calendar, "没有我")
    secret = make_calendar("秘密", visibility=CalendarVisibility.MEMBERS)
    make_event(secret, "看不到的")
    invited = make_event(secret, "邀请我的")  # invited: he reads it without seeing the calendar
    EventParticipant.objects.create(event=invited, user=bob)
    archived = make_calendar("旧的", archived_at=timezone.now())
    EventParticipant.objects.create(event=make_event(archived, "归档的"), user=bob)
    response = client.get(f"/feeds/me/{bob_feed.token}.ics")
    assert summaries(response) == ["SH-1 退款", "我参加的", "邀请我的"]
    [task] = [
        e
        for e in icalendar.Calendar.from_ical(response.content).walk("VEVENT")
        if "退款" in str(e["summary"])
    ]
    assert task.decoded("dtstart") == today
    assert str(task["url"]).endswith(f"/o/{org.slug}/SH-1")
    assert "秘密".encode() not in response.content  # nothing of the calendar itself


def test_a_personal_feed_of_someone_who_left_or_an_unknown_token_is_404(client, org, bob, bob_feed):
    assert client.get(f"/feeds/me/{bob_feed.token}.ics").status_code == 200
    assert client.get("/feeds/me/nope.ics").status_code == 404
    Membership.objects.filter(organization=org, user=bob).delete()
    assert client.get(f"/feeds/me/{bob_feed.token}.ics").status_code == 404


def test_a_personal_token_is_not_a_calendar_token(client, bob_feed, calendar):
    assert client.get(feed_url(bob_feed.token)).status_code == 404
    assert client.get(f"/feeds/me/{calendar.feed_token}.ics").status_code == 404


# ---------------------------------------------------------------- the import page

ICS = (
    "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//T//EN\r\n"
    "BEGIN:VEVENT\r\nUID:a\r\nSUMMARY:年货节\r\nDTSTART;VALUE=DATE:20260105\r\n"
    "DTEND;VALUE=DATE:20260120\r\nEND:VEVENT\r\n"
    "BEGIN:VEVENT\r\nUID:b\r\nSUMMARY:坏的\r\nDTSTART;TZID=Mars/Base:20260105T100000\r\n"
    "END:VEVENT\r\nEND:VCALENDAR\r\n"
).encode()


def upload(data: bytes = ICS, name: str = "campaigns.ics") -> dict:
    return {"file": SimpleUploadedFile(name, data, content_type="text/calendar")}


def import_url(org, calendar) -> str:
    return f"/o/{org.slug}/calendar/{calendar.pk}/import"


def test_import_page_shows_the_summary(english, alice, org, calendar):
    client = english(alice)
    assert client.get(import_url(org, calendar)).status_code == 200
    response = client.post(import_url(org, calendar), upload())
    assert response.status_code == 200
    html = response.content.decode()
    assert "1 event imported, 1 skipped" in html
    assert "年货节" in html and "Unknown time zone “Mars/Base”." in html
    assert list(calendar.events.values_list("title", flat=True)) == ["年货节"]


def test_import_page_htmx_returns_the_partial(english, alice, org, calendar):
    response = english(alice).post(import_url(org, calendar), upload(), **HTMX)
    assert response.status_code == 200
    html = response.content.decode()
    assert html.lstrip().startswith('<div id="import-body"') and "<html" not in html


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"not a calendar", "This is not an iCalendar (.ics) file"),
        (b"BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\n", "incomplete or malformed"),
    ],
)
def test_import_page_refuses_bad_files_with_422(english, alice, org, calendar, data, message):
    response = english(alice).post(import_url(org, calendar), upload(data))
    assert response.status_code == 422
    assert message in response.content.decode()
    assert not calendar.events.exists()


def test_import_page_without_a_file_or_too_large(english, alice, org, calendar, settings):
    client = english(alice)
    response = client.post(import_url(org, calendar), {})
    assert response.status_code == 422
    assert "Choose an .ics file to import." in response.content.decode()
    settings.CALENDAR_IMPORT_MAX_BYTES = 1024 * 1024
    response = client.post(import_url(org, calendar), upload(ICS + b" " * 1024 * 1024))
    assert response.status_code == 422
    assert "The file is too large (1.0 MB); at most 1 MB can be imported." in (
        response.content.decode()
    )
    assert not calendar.events.exists()


def test_import_page_access(client_for, bob, carol, mallory, org, calendar, make_calendar):
    url = import_url(org, calendar)
    assert client_for(mallory).get(url).status_code == 404
    assert client_for(mallory).post(url, upload()).status_code == 404
    assert client_for(carol).post(url, upload()).status_code == 404  # a guest not named on it
    assert client_for(bob).get(url).status_code == 403  # a member reads org calendars only
    assert client_for(bob).post(url, upload()).status_code == 403
    CalendarMember.objects.create(calendar=calendar, user=carol, role="viewer")
    assert client_for(carol).post(url, upload()).status_code == 403
    assert client_for(None).get(url).status_code == 302
    holidays = make_calendar("节假日", kind=CalendarKind.HOLIDAYS)
    assert (
        client_for(org.memberships.get(role="owner").user)
        .post(import_url(org, holidays), upload())
        .status_code
        == 403
    )
    assert not Event.objects.exists()


def test_a_feed_is_never_stale(client, calendar):
    event = make_event(calendar, "before")
    url = feed_url(calendar.feed_token)
    assert summaries(client.get(url)) == ["before"]
    Event.objects.filter(pk=event.pk).update(title="after")  # no updated_at change
    assert summaries(client.get(url)) == ["after"]
    Event.objects.filter(pk=event.pk).update(exdates=[event.start.isoformat()], rrule="FREQ=DAILY")
    [component] = icalendar.Calendar.from_ical(client.get(url).content).walk("VEVENT")
    assert component["rrule"].to_ical() == b"FREQ=DAILY" and "exdate" in component


# ---------------------------------------------------------------- the subscribe page


def subscribe_url(org) -> str:
    return f"/o/{org.slug}/calendar/subscribe"


def test_the_subscribe_page_shows_my_feed_and_the_calendars_i_manage(
    english, alice, bob, org, calendar, make_calendar
):
    make_calendar("节假日", kind=CalendarKind.HOLIDAYS)
    client = english(alice)
    html = client.get(subscribe_url(org)).content.decode()
    assert f"/feeds/{calendar.feed_token}.ics" in html and "webcal://" in html
    assert "Create my feed link" in html and "/feeds/me/" not in html
    response = client.post(f"/o/{org.slug}/calendar/subscribe/me")
    assert response.status_code == 302
    token = PersonalFeed.objects.get(user=alice).token
    assert f"/feeds/me/{token}.ics" in client.get(subscribe_url(org)).content.decode()
    client.post(f"/o/{org.slug}/calendar/subscribe/me")  # a new link: the old one stops
    assert client.get(f"/feeds/me/{token}.ics").status_code == 404
    # bob reads the calendar but does not manage it: no link to it, only his own feed.
    html = english(bob).get(subscribe_url(org)).content.decode()
    assert calendar.feed_token not in html and "You manage no calendar." in html


def test_regenerate_and_revoke_a_calendar_link(client_for, alice, org, calendar):
    client = client_for(alice)
    old = calendar.feed_token
    base = f"/o/{org.slug}/calendar/{calendar.pk}/feed/"
    assert client.post(base + "regenerate").status_code == 302
    calendar.refresh_from_db()
    assert calendar.feed_token != old and client.get(feed_url(old)).status_code == 404
    assert client.post(base + "revoke").status_code == 302
    calendar.refresh_from_db()
    assert calendar.feed_token is None
    assert client.get(base + "revoke").status_code == 405


def test_subscribe_page_access(client_for, bob, carol, mallory, org, calendar):
    base = f"/o/{org.slug}/calendar/{calendar.pk}/feed/"
    for url in (base + "regenerate", base + "revoke", f"/o/{org.slug}/calendar/subscribe/me"):
        assert client_for(mallory).post(url).status_code == 404
    assert client_for(mallory).get(subscribe_url(org)).status_code == 404
    token = calendar.feed_token
    for user, status in ((bob, 403), (carol, 404)):
        assert client_for(user).post(base + "regenerate").status_code == status
        assert client_for(user).post(base + "revoke").status_code == status
    calendar.refresh_from_db()
    assert calendar.feed_token == token
    assert client_for(carol).get(subscribe_url(org)).status_code == 200  # her own feed
    assert not PersonalFeed.objects.filter(user=mallory).exists()


def test_subscribe_page_query_count(
    client_for, alice, bob, org, make_calendar, django_assert_num_queries
):
    for i in range(5):
        make_calendar(f"平台 {i}")
    client = client_for(alice)
    client.get(subscribe_url(org))
    with django_assert_num_queries(8):  # +1: the bell's unread count in the sidebar
        client.get(subscribe_url(org))
    client = client_for(bob)  # reads them all, manages none
    client.get(subscribe_url(org))
    with django_assert_num_queries(8):  # +1: the bell's unread count in the sidebar
        client.get(subscribe_url(org))
