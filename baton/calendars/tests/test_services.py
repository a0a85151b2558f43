"""Calendar and event services: permissions, validation, scopes this / following / all."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

from baton.activity.models import Activity
from baton.calendars import services
from baton.calendars.models import (
    Attendance,
    Calendar,
    CalendarKind,
    CalendarMember,
    CalendarRole,
    CalendarVisibility,
    Event,
)
from baton.calendars.permissions import (
    calendar_role,
    get_calendar_for_user_or_404,
    get_event_for_user_or_404,
    require_calendar_role,
    visible_calendars,
)
from baton.calendars.recurrence import expand, utc_key
from baton.orgs.models import Team

SH = ZoneInfo("Asia/Shanghai")
NY = ZoneInfo("America/New_York")
UTC = dt.UTC


def at(tz, *args):
    return dt.datetime(*args, tzinfo=tz)


@pytest.fixture
def calendar(org, alice):
    return services.create_calendar(actor=alice, organization=org, name="京东", color="red")


@pytest.fixture
def weekly(calendar, alice):
    """周例会: Mondays 10:00-11:00 Shanghai time, ten times from 5 January 2026."""
    return services.create_event(
        actor=alice,
        calendar=calendar,
        title="周例会",
        start=at(SH, 2026, 1, 5, 10),
        end=at(SH, 2026, 1, 5, 11),
        timezone="Asia/Shanghai",
        rrule="FREQ=WEEKLY;BYDAY=MO;COUNT=10",
    )


YEAR = (dt.datetime(2026, 1, 1, tzinfo=SH), dt.datetime(2027, 1, 1, tzinfo=SH))


def starts(event, lo=YEAR[0], hi=YEAR[1]):
    event.refresh_from_db()
    found = expand(event, lo, hi, overrides=list(event.overrides.all()))
    return [o.start.astimezone(SH) for o in found]


# ---------------------------------------------------------------- calendars and permissions


def test_create_calendar_records_activity_and_has_a_feed(calendar, alice):
    assert calendar.feed_token and calendar.created_by == alice
    assert Activity.objects.filter(verb="calendar.created", target_id=calendar.pk).count() == 1


def test_create_calendar_validation(org, alice):
    with pytest.raises(ValidationError) as caught:
        services.create_calendar(actor=alice, organization=org, name=" ", color="plaid")
    assert "name" in caught.value.message_dict
    with pytest.raises(ValidationError) as caught:
        services.create_calendar(actor=alice, organization=org, name="x", color="plaid")
    assert "color" in caught.value.message_dict


def test_guests_and_outsiders_cannot_create(org, carol, mallory):
    with pytest.raises(PermissionDenied):
        services.create_calendar(actor=carol, organization=org, name="x")
    with pytest.raises(Http404):
        services.create_calendar(actor=mallory, organization=org, name="x")


def test_roles(org, calendar, alice, bob, carol, mallory):
    assert calendar_role(alice, calendar) == CalendarRole.EDITOR
    assert calendar_role(bob, calendar) == CalendarRole.VIEWER
    assert calendar_role(carol, calendar) is None  # guest, not named
    assert calendar_role(mallory, calendar) is None
    with pytest.raises(Http404):
        get_calendar_for_user_or_404(mallory, org.slug, calendar.pk)
    with pytest.raises(Http404):
        get_calendar_for_user_or_404(carol, org.slug, calendar.pk)
    with pytest.raises(PermissionDenied):
        require_calendar_role(bob, calendar, CalendarRole.EDITOR)
    assert get_calendar_for_user_or_404(bob, org.slug, calendar.pk) == calendar


def test_members_and_teams(org, calendar, alice, bob, carol):
    services.set_calendar_member(actor=alice, calendar=calendar, user=carol, role="viewer")
    calendar = Calendar.objects.get(pk=calendar.pk)
    assert calendar_role(carol, calendar) == CalendarRole.VIEWER
    team = Team.objects.create(organization=org, name="运营")
    team.members.add(bob)
    services.set_calendar_member(actor=alice, calendar=calendar, team=team, role="editor")
    calendar = Calendar.objects.get(pk=calendar.pk)
    assert calendar_role(bob, calendar) == CalendarRole.EDITOR
    member = CalendarMember.objects.get(calendar=calendar, team=team)
    services.remove_calendar_member(actor=alice, member=member)
    calendar = Calendar.objects.get(pk=calendar.pk)
    assert calendar_role(bob, calendar) == CalendarRole.VIEWER
    with pytest.raises(PermissionDenied):
        services.set_calendar_member(actor=bob, calendar=calendar, user=carol, role="editor")


def test_members_only_calendar(org, alice, bob, carol):
    private = services.create_calendar(
        actor=alice, organization=org, name="老板", visibility=CalendarVisibility.MEMBERS
    )
    assert calendar_role(bob, private) is None
    assert list(visible_calendars(bob, org)) == []
    services.set_calendar_member(actor=alice, calendar=private, user=bob, role="viewer")
    assert list(visible_calendars(bob, org)) == [private]
    assert list(visible_calendars(carol, org)) == []
    assert list(visible_calendars(alice, org)) == [private]


def test_visible_calendars_hides_archived(org, calendar, alice, bob):
    services.set_calendar_archived(actor=alice, calendar=calendar, archived=True)
    assert list(visible_calendars(bob, org)) == []
    assert list(visible_calendars(bob, org, include_archived=True)) == [calendar]


def test_holidays_calendar_is_read_only(org, alice):
    holidays = services.create_calendar(
        actor=alice, organization=org, name="法定节假日", kind=CalendarKind.HOLIDAYS
    )
    assert calendar_role(alice, holidays) == CalendarRole.VIEWER
    with pytest.raises(PermissionDenied):
        services.create_event(
            actor=alice,
            calendar=holidays,
            title="x",
            start=dt.date(2026, 1, 1),
            end=dt.date(2026, 1, 1),
            all_day=True,
        )
    services.update_calendar(actor=alice, calendar=holidays, name="节假日")  # managers rename it


def test_update_calendar_and_viewer_gets_403(calendar, alice, bob):
    services.update_calendar(actor=alice, calendar=calendar, name="京东自营", color="green")
    calendar.refresh_from_db()
    assert (calendar.name, calendar.color) == ("京东自营", "green")
    with pytest.raises(PermissionDenied):
        services.update_calendar(actor=bob, calendar=calendar, name="x")
    calendar.refresh_from_db()
    assert calendar.name == "京东自营"


def test_feed_tokens(org, calendar, alice, bob, mallory):
    old = calendar.feed_token
    new = services.regenerate_feed_token(actor=alice, calendar=calendar)
    assert new != old
    services.revoke_feed_token(actor=alice, calendar=calendar)
    calendar.refresh_from_db()
    assert calendar.feed_token is None
    token = services.personal_feed_token(actor=bob, organization=org)
    assert services.personal_feed_token(actor=bob, organization=org) == token
    with pytest.raises(Http404):
        services.personal_feed_token(actor=mallory, organization=org)


def test_layers(calendar, project, bob):
    layer = services.set_layer(actor=bob, calendar=calendar, visible=False)
    assert not layer.visible
    assert services.set_layer(actor=bob, project=project, visible=True).visible


# ---------------------------------------------------------------- events: create and validate


def test_create_event(calendar, alice, bob):
    event = services.create_event(
        actor=alice,
        calendar=calendar,
        title="618 大促",
        start=dt.date(2026, 6, 1),
        end=dt.date(2026, 6, 19),
        all_day=True,
        description="**京东** 618",
        participants=[bob],
        reminders=[60, 1440],
    )
    assert event.start == at(SH, 2026, 6, 1) and event.end == at(SH, 2026, 6, 19)
    assert event.recurrence_end == event.end
    assert event.reminders == [1440, 60]
    assert event.attendance.get().user == bob
    assert Activity.objects.filter(verb="event.created", target_id=event.pk).count() == 1


def test_all_day_end_on_the_start_day_is_one_day(calendar, alice):
    event = services.create_event(
        actor=alice,
        calendar=calendar,
        title="七夕",
        start="2026-08-19",
        end="2026-08-19",
        all_day=True,
    )
    assert event.end - event.start == dt.timedelta(days=1)


@pytest.mark.parametrize(
    "changes, field",
    [
        ({"end": at(SH, 2026, 1, 5, 9)}, "end"),
        ({"rrule": "FREQ=WEEKLY;BYDAY=ZZ"}, "rrule"),
        ({"rrule": "FREQ=MINUTELY"}, "rrule"),
        ({"rrule": "FREQ=DAILY;BYHOUR=1,2,3,4,5,6,7,8,9"}, "rrule"),
        ({"timezone": "Asia/Beijing"}, "timezone"),
        ({"title": ""}, "title"),
        ({"reminders": [-5]}, "reminders"),
        ({"start": "not a date"}, "start"),
    ],
)
def test_create_event_refuses_bad_input(calendar, alice, changes, field):
    fields = {
        "title": "会",
        "start": at(SH, 2026, 1, 5, 10),
        "end": at(SH, 2026, 1, 5, 11),
        **changes,
    }
    with pytest.raises(ValidationError) as caught:
        services.create_event(actor=alice, calendar=calendar, **fields)
    assert field in caught.value.message_dict
    assert not Event.objects.exists()


def test_participants_must_be_members(calendar, alice, mallory):
    with pytest.raises(ValidationError) as caught:
        services.create_event(
            actor=alice,
            calendar=calendar,
            title="x",
            start=at(SH, 2026, 1, 5, 10),
            end=at(SH, 2026, 1, 5, 11),
            participants=[mallory],
        )
    assert "participants" in caught.value.message_dict


def test_viewer_cannot_write_events(calendar, weekly, bob):
    with pytest.raises(PermissionDenied):
        services.create_event(
            actor=bob,
            calendar=calendar,
            title="x",
            start=at(SH, 2026, 1, 5, 10),
            end=at(SH, 2026, 1, 5, 11),
        )
    with pytest.raises(PermissionDenied):
        services.update_event(actor=bob, event=weekly, title="x")
    with pytest.raises(PermissionDenied):
        services.delete_event(actor=bob, event=weekly)
    weekly.refresh_from_db()
    assert weekly.title == "周例会"


def test_outsider_gets_404(org, weekly, mallory):
    with pytest.raises(Http404):
        get_event_for_user_or_404(mallory, org.slug, weekly.pk)
    with pytest.raises(Http404):
        services.update_event(actor=mallory, event=weekly, title="x")


def test_archived_calendar_refuses_events(calendar, alice):
    services.set_calendar_archived(actor=alice, calendar=calendar, archived=True)
    with pytest.raises(ValidationError):
        services.create_event(
            actor=alice,
            calendar=calendar,
            title="x",
            start=at(SH, 2026, 1, 5, 10),
            end=at(SH, 2026, 1, 5, 11),
        )


def test_series_start_snaps_to_its_first_occurrence(calendar, alice):
    event = services.create_event(
        actor=alice,
        calendar=calendar,
        title="x",
        start=at(SH, 2026, 1, 6, 10),
        end=at(SH, 2026, 1, 6, 11),
        rrule="FREQ=WEEKLY;BYDAY=MO;COUNT=2",
    )
    assert event.start == at(SH, 2026, 1, 12, 10)
    assert event.recurrence_end == at(SH, 2026, 1, 19, 11)


def test_recurrence_end_forever_is_none(calendar, alice):
    event = services.create_event(
        actor=alice,
        calendar=calendar,
        title="x",
        start=at(SH, 2026, 1, 5, 10),
        end=at(SH, 2026, 1, 5, 11),
        rrule="FREQ=WEEKLY",
    )
    assert event.recurrence_end is None


def test_version_conflict(weekly, alice):
    with pytest.raises(services.ConflictError):
        services.update_event(actor=alice, event=weekly, version=weekly.version + 1, title="x")


# ---------------------------------------------------------------- scopes


def test_update_this_occurrence_makes_an_override(weekly, alice):
    third = at(SH, 2026, 1, 19, 10)
    override = services.update_event(
        actor=alice,
        event=weekly,
        scope="this",
        occurrence=third,
        title="周例会 改到下午",
        start=at(SH, 2026, 1, 19, 15),
        end=at(SH, 2026, 1, 19, 16),
    )
    assert override.series_id == weekly.pk and override.recurrence_id == third
    hours = [(d.day, d.hour) for d in starts(weekly)][:4]
    assert hours == [(5, 10), (12, 10), (19, 15), (26, 10)]
    # Editing it again updates the same override.
    again = services.update_event(actor=alice, event=override, scope="this", location="3F")
    assert again.pk == override.pk and Event.objects.filter(series=weekly).count() == 1
    # A single occurrence cannot repeat.
    with pytest.raises(ValidationError):
        services.update_event(actor=alice, event=override, scope="this", rrule="FREQ=DAILY")


def test_update_this_refuses_a_time_that_is_no_occurrence(weekly, alice):
    with pytest.raises(ValidationError) as caught:
        services.update_event(
            actor=alice, event=weekly, scope="this", occurrence=at(SH, 2026, 1, 6, 10), title="x"
        )
    assert "occurrence" in caught.value.message_dict


def test_update_following_splits_the_series(weekly, alice, bob):
    services.update_event(actor=alice, event=weekly, participants=[bob])
    fourth = at(SH, 2026, 1, 26, 10)
    successor = services.update_event(
        actor=alice,
        event=weekly,
        scope="following",
        occurrence=fourth,
        title="新周例会",
        start=at(SH, 2026, 1, 26, 14),
        end=at(SH, 2026, 1, 26, 15),
    )
    weekly.refresh_from_db()
    assert [d.day for d in starts(weekly)] == [5, 12, 19]
    assert weekly.recurrence_end == at(SH, 2026, 1, 19, 11)
    later = starts(successor)
    assert len(later) == 7 and {d.hour for d in later} == {14}
    assert later[0].date() == dt.date(2026, 1, 26)
    assert successor.title == "新周例会" and successor.uid != weekly.uid
    assert list(successor.attendance.values_list("user", flat=True)) == [bob.pk]


def test_following_moves_later_exceptions_to_the_new_series(weekly, alice):
    services.delete_event(
        actor=alice, event=weekly, scope="this", occurrence=at(SH, 2026, 2, 9, 10)
    )
    services.update_event(
        actor=alice, event=weekly, scope="this", occurrence=at(SH, 2026, 2, 2, 10), location="A"
    )
    successor = services.update_event(
        actor=alice,
        event=weekly,
        scope="following",
        occurrence=at(SH, 2026, 1, 26, 10),
        title="新",
    )
    assert Event.objects.filter(series=successor).count() == 1
    assert successor.exdates == [utc_key(at(SH, 2026, 2, 9, 10))]
    assert at(SH, 2026, 2, 9, 10) not in starts(successor)


def test_update_all_moves_the_series_by_the_drag(weekly, alice):
    services.update_event(
        actor=alice, event=weekly, scope="this", occurrence=at(SH, 2026, 1, 19, 10), location="A"
    )
    services.delete_event(
        actor=alice, event=weekly, scope="this", occurrence=at(SH, 2026, 1, 12, 10)
    )
    # Drag the 26 January occurrence to Tuesday 27 at 11:00, for the whole series.
    services.move_event(
        actor=alice,
        event=weekly,
        scope="all",
        occurrence=at(SH, 2026, 1, 26, 10),
        start=at(SH, 2026, 1, 27, 11),
        end=at(SH, 2026, 1, 27, 12),
    )
    weekly.refresh_from_db()
    assert weekly.rrule == "FREQ=WEEKLY;COUNT=10;BYDAY=TU"
    days = starts(weekly)
    assert days[0] == at(SH, 2026, 1, 6, 11)
    assert at(SH, 2026, 1, 13, 11) not in days  # the EXDATE followed
    override = Event.objects.get(series=weekly)
    assert override.recurrence_id == at(SH, 2026, 1, 20, 11)
    assert len(days) == 9


def test_changing_the_rule_drops_old_exceptions(weekly, alice):
    services.delete_event(
        actor=alice, event=weekly, scope="this", occurrence=at(SH, 2026, 1, 12, 10)
    )
    services.update_event(actor=alice, event=weekly, rrule="FREQ=DAILY;COUNT=3")
    weekly.refresh_from_db()
    assert weekly.exdates == []
    assert [d.day for d in starts(weekly)] == [5, 6, 7]


def test_move_single_event(calendar, alice):
    event = services.create_event(
        actor=alice,
        calendar=calendar,
        title="双 11",
        start=dt.date(2026, 11, 11),
        end=dt.date(2026, 11, 12),
        all_day=True,
    )
    services.move_event(
        actor=alice, event=event, start=dt.date(2026, 11, 10), end=dt.date(2026, 11, 13)
    )
    event.refresh_from_db()
    assert (event.start, event.end) == (at(SH, 2026, 11, 10), at(SH, 2026, 11, 13))
    assert event.version == 2
    with pytest.raises(ValidationError):
        services.move_event(
            actor=alice, event=event, start=dt.date(2026, 11, 10), end=dt.date(2026, 11, 9)
        )


def test_move_one_occurrence(weekly, alice):
    override = services.move_event(
        actor=alice,
        event=weekly,
        occurrence=at(SH, 2026, 1, 12, 10),
        start=at(SH, 2026, 1, 13, 10),
        end=at(SH, 2026, 1, 13, 11),
    )
    assert override.series_id == weekly.pk
    assert at(SH, 2026, 1, 13, 10) in starts(weekly)


def test_delete_scopes(weekly, alice):
    services.delete_event(
        actor=alice, event=weekly, scope="this", occurrence=at(SH, 2026, 1, 12, 10)
    )
    assert len(starts(weekly)) == 9
    services.delete_event(
        actor=alice, event=weekly, scope="following", occurrence=at(SH, 2026, 2, 2, 10)
    )
    assert [d.day for d in starts(weekly)] == [5, 19, 26]
    services.delete_event(actor=alice, event=weekly, scope="all")
    assert not Event.objects.exists()


def test_delete_an_override_leaves_an_exdate(weekly, alice):
    override = services.update_event(
        actor=alice, event=weekly, scope="this", occurrence=at(SH, 2026, 1, 12, 10), title="x"
    )
    services.delete_event(actor=alice, event=override, scope="this")
    assert not Event.objects.filter(series=weekly).exists()
    assert at(SH, 2026, 1, 12, 10) not in starts(weekly)


def test_new_york_series_edited_from_shanghai(calendar, alice):
    event = services.create_event(
        actor=alice,
        calendar=calendar,
        title="NY sync",
        start=at(NY, 2026, 3, 2, 10),
        end=at(NY, 2026, 3, 2, 11),
        timezone="America/New_York",
        rrule="FREQ=WEEKLY;COUNT=3",
    )
    seen = starts(event)
    assert [d.hour for d in seen] == [23, 22, 22]  # 10:00 in New York, before and after DST
    override = services.update_event(
        actor=alice, event=event, scope="this", occurrence=seen[1], location="Zoom"
    )
    assert override.recurrence_id == at(NY, 2026, 3, 9, 10)


def test_respond(weekly, alice, bob, carol):
    services.update_event(actor=alice, event=weekly, participants=[bob])
    row = services.respond_to_event(actor=bob, event=weekly, response=Attendance.ACCEPTED)
    assert row.response == Attendance.ACCEPTED
    with pytest.raises(ValidationError):
        services.respond_to_event(actor=bob, event=weekly, response="maybe")
    with pytest.raises(PermissionDenied):
        services.respond_to_event(actor=alice, event=weekly, response=Attendance.ACCEPTED)
    with pytest.raises(Http404):
        services.respond_to_event(actor=carol, event=weekly, response=Attendance.ACCEPTED)


def test_following_on_a_counted_month_end_series(calendar, alice):
    """Monthly on the 31st, six times: split at the third (31 May); 3 before, 3 after."""
    monthly = services.create_event(
        actor=alice,
        calendar=calendar,
        title="月底盘点",
        start=at(SH, 2026, 1, 31, 17),
        end=at(SH, 2026, 1, 31, 18),
        rrule="FREQ=MONTHLY;COUNT=6",
    )
    months = [d.month for d in starts(monthly, hi=at(SH, 2028, 1, 1))]
    assert months == [1, 3, 5, 7, 8, 10]
    successor = services.update_event(
        actor=alice,
        event=monthly,
        scope="following",
        occurrence=at(SH, 2026, 5, 31, 17),
        location="仓库",
    )
    assert [d.month for d in starts(monthly, hi=at(SH, 2028, 1, 1))] == [1, 3]
    assert successor.rrule == "FREQ=MONTHLY;COUNT=4"
    assert [d.month for d in starts(successor, hi=at(SH, 2028, 1, 1))] == [5, 7, 8, 10]
    assert successor.recurrence_end == at(SH, 2026, 10, 31, 18)


def test_leap_day_yearly_series(calendar, alice):
    event = services.create_event(
        actor=alice,
        calendar=calendar,
        title="闰日",
        start=dt.date(2028, 2, 29),
        end=dt.date(2028, 2, 29),
        all_day=True,
        rrule="FREQ=YEARLY;COUNT=3",
    )
    assert event.rrule == "FREQ=YEARLY;COUNT=3"
    assert [d.year for d in starts(event, hi=at(SH, 2040, 1, 1))] == [2028, 2032, 2036]
    assert event.recurrence_end == at(SH, 2036, 3, 1)


def test_single_event_becomes_a_series_and_back(calendar, alice):
    event = services.create_event(
        actor=alice,
        calendar=calendar,
        title="x",
        start=at(SH, 2026, 1, 5, 10),
        end=at(SH, 2026, 1, 5, 11),
    )
    services.update_event(actor=alice, event=event, rrule="FREQ=DAILY;UNTIL=20260107")
    event.refresh_from_db()
    assert event.rrule == "FREQ=DAILY;UNTIL=20260107T155959Z"  # the whole 7th, in UTC
    assert len(starts(event)) == 3
    services.delete_event(actor=alice, event=event, scope="this", occurrence=at(SH, 2026, 1, 6, 10))
    services.update_event(actor=alice, event=event, rrule="")
    event.refresh_from_db()
    assert (event.rrule, event.exdates, event.recurrence_end) == ("", [], event.end)


def test_bad_scope_and_occurrence(weekly, alice):
    with pytest.raises(ValidationError):
        services.update_event(actor=alice, event=weekly, scope="some", title="x")
    with pytest.raises(ValidationError):
        services.update_event(actor=alice, event=weekly, scope="this", title="x")
    with pytest.raises(ValidationError):
        services.delete_event(actor=alice, event=weekly, scope="this", occurrence="nonsense")
    weekly.refresh_from_db()
    assert weekly.title == "周例会" and weekly.exdates == []


def test_each_write_records_one_activity(weekly, alice):
    before = Activity.objects.count()
    services.update_event(
        actor=alice, event=weekly, scope="following", occurrence=at(SH, 2026, 2, 2, 10), title="y"
    )
    services.delete_event(
        actor=alice, event=weekly, scope="this", occurrence=at(SH, 2026, 1, 12, 10)
    )
    assert Activity.objects.count() == before + 2


def test_an_invited_guest_sees_and_answers_that_event_only(org, calendar, weekly, alice, carol):
    other = services.create_event(
        actor=alice,
        calendar=calendar,
        title="其他",
        start=at(SH, 2026, 1, 6, 10),
        end=at(SH, 2026, 1, 6, 11),
    )
    with pytest.raises(Http404):
        get_event_for_user_or_404(carol, org.slug, weekly.pk)
    services.update_event(actor=alice, event=weekly, participants=[carol])
    assert get_event_for_user_or_404(carol, org.slug, weekly.pk) == weekly
    services.respond_to_event(actor=carol, event=weekly, response=Attendance.DECLINED)
    with pytest.raises(Http404):
        get_event_for_user_or_404(carol, org.slug, other.pk)
    with pytest.raises(Http404):
        services.update_event(actor=carol, event=weekly, title="x")


def test_roles_of_visible_calendars_need_no_query_each(
    org, alice, bob, carol, django_assert_num_queries
):
    team = Team.objects.create(organization=org, name="运营")
    team.members.add(bob)
    for n in range(5):
        shared = services.create_calendar(actor=alice, organization=org, name=f"c{n}")
        if n == 1:
            services.set_calendar_member(actor=alice, calendar=shared, team=team, role="editor")
        if n == 2:
            services.set_calendar_member(actor=alice, calendar=shared, user=carol, role="editor")
    org.membership = None
    with django_assert_num_queries(2):  # membership, calendars
        roles = {c.name: calendar_role(bob, c) for c in visible_calendars(bob, org)}
    assert roles == {"c0": "viewer", "c1": "editor", "c2": "viewer", "c3": "viewer", "c4": "viewer"}
    org.membership = None
    assert {c.name: calendar_role(carol, c) for c in visible_calendars(carol, org)} == {
        "c2": "editor"
    }


def test_edit_all_from_an_occurrence_with_naive_times_and_a_new_zone(weekly, alice):
    """The form sends the occurrence's wall-clock times (naive) and its zone."""
    services.update_event(
        actor=alice,
        event=weekly,
        scope="all",
        occurrence=at(SH, 2026, 2, 2, 10),
        start="2026-02-02T09:00",
        end="2026-02-02T10:30",
        timezone="America/New_York",
    )
    weekly.refresh_from_db()
    assert weekly.timezone == "America/New_York"
    assert weekly.start == at(NY, 2026, 1, 5, 9) and weekly.end == at(NY, 2026, 1, 5, 10, 30)
    with pytest.raises(ValidationError) as caught:
        services.update_event(
            actor=alice,
            event=weekly,
            scope="all",
            occurrence=at(NY, 2026, 2, 2, 9),
            start="2026-02-02T09:00",
            end="2026-02-02T08:00",
        )
    assert "end" in caught.value.message_dict


def test_event_zone_defaults_to_the_actors(calendar, alice):
    alice.timezone = "Europe/Berlin"
    event = services.create_event(
        actor=alice, calendar=calendar, title="x", start="2026-07-01T10:00", end="2026-07-01T11:00"
    )
    assert event.timezone == "Europe/Berlin"
    assert event.start == at(ZoneInfo("Europe/Berlin"), 2026, 7, 1, 10)
