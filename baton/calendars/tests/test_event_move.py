"""Moving an event to another calendar, the edit panel's calendar choice and people picker."""

import datetime as dt
import re

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.http import Http404
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from baton.activity.models import Activity
from baton.calendars import services
from baton.calendars.models import CalendarKind, CalendarVisibility, Event
from baton.orgs.models import Membership, Role

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture(autouse=True)
def english_services():
    with translation.override("en"):
        yield


@pytest.fixture
def jd(org, bob):
    """京东: bob's own calendar (he edits it)."""
    return services.create_calendar(actor=bob, organization=org, name="京东", color="red")


@pytest.fixture
def tmall(org, alice):
    """天猫: alice's, open to the organization (bob reads it)."""
    return services.create_calendar(actor=alice, organization=org, name="天猫", color="orange")


@pytest.fixture
def private(org, alice):
    """Alice's calendar for chosen members: bob does not even see it."""
    return services.create_calendar(
        actor=alice, organization=org, name="董事会", visibility=CalendarVisibility.MEMBERS
    )


@pytest.fixture
def holidays(org, alice):
    return services.create_calendar(
        actor=alice, organization=org, name="节假日", kind=CalendarKind.HOLIDAYS
    )


def make_event(calendar, actor, **fields):
    data = {
        "title": "直播排期",
        "start": "2026-11-02T10:00+08:00",
        "end": "2026-11-02T11:00+08:00",
        "timezone": "Asia/Shanghai",
        **fields,
    }
    return services.create_event(actor=actor, calendar=calendar, **data)


def activity_count(event) -> int:
    return Activity.objects.filter(target_id=event.pk, verb__startswith="event.").count()


def unchanged(event, calendar) -> None:
    fresh = Event.objects.get(pk=event.pk)
    assert fresh.calendar_id == calendar.pk and fresh.version == event.version


# ---------------------------------------------------------------- the service


def test_an_event_moves_to_another_calendar_with_one_activity_row(jd, tmall, alice, bob):
    event = make_event(jd, bob)
    before = activity_count(event)
    moved = services.update_event(actor=alice, event=event, calendar=tmall, title="直播排期 v2")
    moved.refresh_from_db()
    assert (moved.calendar_id, moved.title, moved.version) == (tmall.pk, "直播排期 v2", 2)
    assert activity_count(event) == before + 1
    row = Activity.objects.filter(target_id=event.pk).latest("id")
    assert row.data["calendar"] == tmall.pk and row.data["calendar_from"] == jd.pk


def test_a_series_moves_whole_with_its_edited_occurrences(jd, tmall, alice, bob):
    series = make_event(jd, bob, rrule="FREQ=WEEKLY;BYDAY=MO;COUNT=5")
    services.update_event(
        actor=bob,
        event=series,
        scope="this",
        occurrence="2026-11-09T02:00:00+00:00",
        title="改到下午",
    )
    series.refresh_from_db()
    services.update_event(actor=alice, event=series, scope="all", calendar=tmall)
    assert set(Event.objects.values_list("calendar_id", flat=True)) == {tmall.pk}
    assert Event.objects.count() == 2


def test_one_occurrence_cannot_change_calendar(jd, tmall, alice, bob):
    series = make_event(jd, bob, rrule="FREQ=WEEKLY;BYDAY=MO;COUNT=5")
    for scope in ("this", "following"):
        with pytest.raises(ValidationError) as caught:
            services.update_event(
                actor=alice,
                event=series,
                scope=scope,
                occurrence="2026-11-09T02:00:00+00:00",
                calendar=tmall,
            )
        assert "whole series" in caught.value.message_dict["calendar"][0]
    unchanged(series, jd)
    assert Event.objects.count() == 1


def test_staying_in_the_same_calendar_is_no_move(jd, bob):
    series = make_event(jd, bob, rrule="FREQ=WEEKLY;BYDAY=MO;COUNT=5")
    services.update_event(
        actor=bob,
        event=series,
        scope="this",
        occurrence="2026-11-09T02:00:00+00:00",
        calendar=jd,
        title="只改这一次",
    )
    assert Event.objects.get(series=series).title == "只改这一次"


def test_a_read_only_target_calendar_is_refused_with_403(jd, tmall, bob):
    event = make_event(jd, bob)
    before = activity_count(event)
    with pytest.raises(PermissionDenied):
        services.update_event(actor=bob, event=event, calendar=tmall, title="改")
    unchanged(event, jd)
    assert Event.objects.get(pk=event.pk).title == "直播排期"
    assert activity_count(event) == before


def test_a_calendar_the_actor_cannot_see_is_not_found(jd, private, bob):
    event = make_event(jd, bob)
    with pytest.raises(Http404):
        services.update_event(actor=bob, event=event, calendar=private)
    unchanged(event, jd)


def test_another_organizations_calendar_is_not_found(jd, bob, alice, other_org, mallory):
    theirs = services.create_calendar(actor=mallory, organization=other_org, name="拼多多")
    event = make_event(jd, bob)
    for actor in (bob, alice):  # even the owner of this organization
        with pytest.raises(Http404):
            services.update_event(actor=actor, event=event, calendar=theirs)
    unchanged(event, jd)


def test_the_holidays_calendar_takes_no_events(jd, holidays, alice, bob):
    event = make_event(jd, bob)
    with pytest.raises(PermissionDenied):
        services.update_event(actor=alice, event=event, calendar=holidays)
    unchanged(event, jd)


def test_an_archived_target_is_refused(jd, tmall, alice, bob):
    services.set_calendar_archived(actor=alice, calendar=tmall, archived=True)
    event = make_event(jd, bob)
    with pytest.raises(ValidationError):
        services.update_event(actor=alice, event=event, calendar=tmall)
    unchanged(event, jd)


def test_a_stale_move_is_a_conflict_and_changes_nothing(jd, tmall, alice, bob):
    event = make_event(jd, bob)
    services.update_event(actor=bob, event=event, title="bob 改过")
    stale = Event.objects.get(pk=event.pk)
    with pytest.raises(services.ConflictError) as caught:
        services.update_event(actor=alice, event=stale, version=1, calendar=tmall)
    assert caught.value.current.title == "bob 改过"
    assert Event.objects.get(pk=event.pk).calendar_id == jd.pk


def test_a_target_holding_the_same_uid_is_refused(jd, tmall, alice, bob):
    event = make_event(jd, bob)
    Event.objects.create(
        calendar=tmall, uid=event.uid, title="副本", start=event.start, end=event.end
    )
    with pytest.raises(ValidationError) as caught:
        services.update_event(actor=alice, event=event, calendar=tmall)
    assert "UID" in caught.value.message_dict["calendar"][0]
    unchanged(event, jd)


# ---------------------------------------------------------------- the edit panel


def edit_url(org, event):
    return reverse("calendars:event_edit", args=[org.slug, event.pk])


def post_edit(client, org, event, **fields):
    data = {
        "title": event.title,
        "calendar": event.calendar_id,
        "all_day": "false",
        "start": "2026-11-02T10:00",
        "end": "2026-11-02T11:00",
        "timezone": "Asia/Shanghai",
        "repeat": "keep" if event.rrule else "",
        "version": event.version,
        **fields,
    }
    return client.post(edit_url(org, event), data, **HTMX)


def test_the_edit_form_offers_only_calendars_the_person_edits(
    client_for, org, jd, tmall, private, holidays, bob
):
    event = make_event(jd, bob)
    other = services.create_calendar(actor=bob, organization=org, name="抖音")
    html = client_for(bob).get(edit_url(org, event), **HTMX).text
    choices = re.search(r'<select name="calendar".*?</select>', html, re.S).group(0)
    assert re.findall(r'<option value="(\d+)"', choices) == [str(jd.pk), str(other.pk)]
    assert f'name="version" value="{event.version}"' in html


def test_moving_an_event_from_the_edit_panel(client_for, org, jd, tmall, alice, bob):
    event = make_event(jd, bob)
    response = post_edit(client_for(alice), org, event, calendar=tmall.pk)
    assert response.status_code == 204, response.content
    assert Event.objects.get(pk=event.pk).calendar_id == tmall.pk


def test_a_calendar_id_outside_the_choices_is_422_and_changes_nothing(
    client_for, org, other_org, mallory, jd, tmall, bob
):
    theirs = services.create_calendar(actor=mallory, organization=other_org, name="拼多多")
    event = make_event(jd, bob)
    client = client_for(bob)
    for calendar in (theirs, tmall):  # another organization's; one bob only reads
        response = post_edit(client, org, event, calendar=calendar.pk, title="新标题")
        assert response.status_code == 422 and "新标题" in response.text
    unchanged(event, jd)


def test_outsiders_and_read_only_members_cannot_move(client_for, org, jd, tmall, alice, mallory):
    event = make_event(tmall, alice)
    assert post_edit(client_for(mallory), org, event, calendar=jd.pk).status_code == 404
    bob = Membership.objects.get(organization=org, role=Role.MEMBER).user
    assert post_edit(client_for(bob), org, event, calendar=jd.pk).status_code == 403
    unchanged(event, tmall)


def test_moving_one_occurrence_from_the_panel_explains_why_not(english, org, jd, tmall, alice, bob):
    series = make_event(jd, bob, rrule="FREQ=WEEKLY;BYDAY=MO")
    occurrence = "2026-11-09T02:00:00+00:00"
    response = post_edit(
        english(alice),
        org,
        series,
        calendar=tmall.pk,
        scope="this",
        occurrence=occurrence,
        start="2026-11-09T10:00",
        end="2026-11-09T11:00",
    )
    assert response.status_code == 422
    assert "whole series" in response.text
    unchanged(series, jd)
    assert not Event.objects.filter(series=series).exists()


def test_a_stale_edit_is_409_and_keeps_what_was_typed(client_for, org, jd, bob, alice):
    event = make_event(jd, bob)
    services.update_event(actor=alice, event=event, title="alice 的标题")
    response = post_edit(client_for(bob), org, event, title="bob 的标题", version=1)
    assert response.status_code == 409
    assert "bob 的标题" in response.text and "alice 的标题" in response.text
    assert 'name="version" value="2"' in response.text  # saving again is a choice now
    assert Event.objects.get(pk=event.pk).title == "alice 的标题"
    again = post_edit(client_for(bob), org, event, title="bob 的标题", version=2)
    assert again.status_code == 204
    assert Event.objects.get(pk=event.pk).title == "bob 的标题"


def test_the_participant_picker_carries_emails_and_falls_back_to_a_select(client_for, org, jd, bob):
    event = make_event(jd, bob, participants=[bob.pk])
    html = client_for(bob).get(edit_url(org, event), **HTMX).text
    assert 'x-data="peoplePicker"' in html
    assert '<select name="participants"' in html and "multiple" in html
    assert 'data-email="bob@example.com"' in html
    option = re.search(rf'<option value="{bob.pk}"[^>]*>', html).group(0)
    assert "selected" in option and 'data-email="bob@example.com"' in option


def test_the_edit_form_costs_the_same_queries_for_many_people_and_calendars(
    client_for, make_user, org, jd, bob
):
    event = make_event(jd, bob)
    client = client_for(bob)
    client.get(edit_url(org, event), **HTMX)  # session warm

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(edit_url(org, event), **HTMX).status_code == 200
        return len(queries)

    few = count()
    for n in range(40):
        person = make_user(f"同事{n}", f"p{n}@example.com")
        Membership.objects.create(organization=org, user=person, role=Role.MEMBER)
    for n in range(5):
        services.create_calendar(actor=bob, organization=org, name=f"店铺{n}")
    assert count() == few


def test_an_event_time_stays_utc(jd, tmall, alice, bob):
    event = make_event(jd, bob)
    moved = services.update_event(actor=alice, event=event, calendar=tmall)
    assert moved.start == dt.datetime(2026, 11, 2, 2, tzinfo=dt.UTC)
