"""Calendar pages and the JSON FullCalendar reads and posts back."""

import datetime
import json
from urllib.parse import urlencode

import pytest
from django.urls import reverse

from baton.projects import services as project_services
from baton.projects.models import Task

pytestmark = pytest.mark.django_db

NOV = {"start": "2026-10-26T00:00:00+08:00", "end": "2026-12-07T00:00:00+08:00"}
ONE_DAY = datetime.timedelta(days=1)


@pytest.fixture
def dated(project, lists, alice):
    return [
        project_services.create_task(
            actor=alice,
            project=project,
            task_list=lists[0],
            title="双11预案",
            due_date="2026-11-11",
        ),
        project_services.create_task(
            actor=alice,
            project=project,
            task_list=lists[0],
            title="大促备货",
            start_date="2026-11-02",
            due_date="2026-11-05",
        ),
        project_services.create_task(
            actor=alice, project=project, task_list=lists[0], title="年货节", due_date="2027-01-10"
        ),
        project_services.create_task(
            actor=alice, project=project, task_list=lists[0], title="没有日期"
        ),
    ]


def project_url(project, name):
    return reverse(f"calendars:{name}", args=[project.organization.slug, project.key])


def calendar_items(response) -> list[dict]:
    """The calendar JSON as FullCalendar's event objects, filled in as
    frontend/src/calendar-entries.js does (the tests read what the browser gets)."""
    raw = response.json()
    calendars, projects = raw.get("calendars", {}), raw.get("projects", {})
    items = []
    for entry in raw.get("events", []):
        calendar = calendars[str(entry["c"])]
        occurrence = entry.get("o", "")
        series = entry.get("i", entry["r"])
        query = "?" + urlencode({"occurrence": occurrence}) if occurrence else ""
        editable = calendar["editable"]
        items.append(
            {
                "id": f"{series}:{occurrence}" if occurrence else str(entry["r"]),
                "title": entry["t"],
                "start": entry["s"],
                "end": entry["e"],
                "allDay": len(entry["s"]) == 10,
                "editable": editable,
                "classNames": ["cal-event", f"c-{calendar['color']}"],
                "extendedProps": {
                    "kind": "event",
                    "ref": str(entry["r"]),
                    "occurrence": occurrence,
                    "recurring": bool(occurrence),
                    "editable": editable,
                    "panelUrl": f"{raw['panel']}{entry['r']}{query}",
                },
            }
        )
    for entry in raw.get("holidays", []):
        calendar = calendars[str(entry["c"])]
        items.append(
            {
                "title": entry["t"],
                "start": entry["s"],
                "end": entry["e"],
                "allDay": True,
                "classNames": ["cal-holiday", f"c-{calendar['color']}"]
                + (["is-workday"] if entry.get("w") else []),
                "extendedProps": {"kind": "holiday", "editable": False},
            }
        )
    for entry in raw.get("tasks", []):
        project = projects[str(entry["p"])]
        ref = f"{project['key']}-{entry['n']}"
        end = entry.get("e") or str(datetime.date.fromisoformat(entry["s"]) + ONE_DAY)
        items.append(
            {
                "title": f"{ref} {entry['t']}",
                "start": entry["s"],
                "end": end,
                "allDay": True,
                "id": f"task-{ref}",
                "editable": project["editable"],
                "url": f"{project['url']}{entry['n']}",
                "classNames": ["cal-task", f"c-{project['color']}"]
                + (["is-done"] if entry.get("d") else []),
                "durationEditable": project["editable"] and raw.get("span", False),
                "extendedProps": {"kind": "task", "ref": ref, "editable": project["editable"]},
            }
        )
    return items


# ---------------------------------------------------------------- a project's calendar tab


def test_the_project_calendar_page_mounts_fullcalendar_with_its_urls(client_for, project, bob):
    response = client_for(bob).get(project_url(project, "project_calendar"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "data-calendar" in html
    assert project_url(project, "project_events") in html
    assert project_url(project, "project_move") in html
    assert 'data-editable="true"' in html
    assert "build/calendar.js" in html
    assert project_url(project, "project_calendar") in html  # the tab in the header


def test_week_starts_on_monday_in_chinese_and_sunday_in_english(client_for, english, project, bob):
    zh = client_for(bob)
    zh.defaults["HTTP_ACCEPT_LANGUAGE"] = "zh-hans"
    assert 'data-first-day="1"' in zh.get(project_url(project, "project_calendar")).text
    assert 'data-first-day="0"' in english(bob).get(project_url(project, "project_calendar")).text


def test_viewers_see_the_calendar_read_only(client_for, project, carol):
    response = client_for(carol).get(project_url(project, "project_calendar"))
    assert response.status_code == 200 and 'data-editable="false"' in response.text


def test_events_are_the_tasks_in_the_visible_range_only(
    client_for, project, dated, bob, django_assert_num_queries
):
    client = client_for(bob)
    client.get(project_url(project, "project_calendar"))  # session and caches warm
    with django_assert_num_queries(4):
        response = client.get(project_url(project, "project_events"), NOV)
    assert response.status_code == 200
    data = {item["title"]: item for item in calendar_items(response)}
    assert set(data) == {"SH-1 双11预案", "SH-2 大促备货"}
    assert data["SH-1 双11预案"]["start"] == "2026-11-11"
    assert data["SH-1 双11预案"]["end"] == "2026-11-12"  # exclusive, as FullCalendar reads it
    assert data["SH-2 大促备货"]["start"] == "2026-11-02"
    assert data["SH-2 大促备货"]["end"] == "2026-11-06"
    props = data["SH-1 双11预案"]["extendedProps"]
    assert props["kind"] == "task" and props["ref"] == "SH-1" and props["editable"] is True
    assert data["SH-1 双11预案"]["url"].endswith("/SH-1")


@pytest.mark.parametrize(
    "params",
    [
        {},
        {"start": "2026-11-01"},
        {"start": "yesterday", "end": "2026-12-01"},
        {"start": "2026-12-01", "end": "2026-11-01"},
        {"start": "2020-01-01", "end": "2026-01-01"},
    ],
)
def test_a_bad_range_is_a_clear_400(english, project, bob, params):
    response = english(bob).get(project_url(project, "project_events"), params)
    assert response.status_code == 400
    assert response.json()["error"]


def test_dragging_a_task_moves_its_dates_through_the_task_service(client_for, project, dated, bob):
    response = client_for(bob).post(
        project_url(project, "project_move"),
        {"kind": "task", "id": "SH-2", "start": "2026-11-09", "end": "2026-11-13"},
    )
    assert response.status_code == 200, response.content
    moved = Task.objects.get(pk=dated[1].pk)
    assert (moved.start_date, moved.due_date) == (
        datetime.date(2026, 11, 9),
        datetime.date(2026, 11, 12),
    )
    assert moved.version == dated[1].version + 1  # through update_task


def test_dragging_a_due_date_only_task_keeps_it_a_one_day_task(client_for, project, dated, bob):
    client_for(bob).post(
        project_url(project, "project_move"),
        {"kind": "task", "id": "SH-1", "start": "2026-11-12", "end": "2026-11-13"},
    )
    moved = Task.objects.get(pk=dated[0].pk)
    assert (moved.start_date, moved.due_date) == (None, datetime.date(2026, 11, 12))


@pytest.mark.parametrize(
    "fields",
    [
        {"kind": "task", "id": "SH-1", "start": "someday"},
        {"kind": "task", "id": "SH-1"},
        {"kind": "task", "id": ""},
        {"kind": "event", "id": "SH-1", "start": "2026-11-12"},
    ],
)
def test_bad_moves_are_a_clear_400_and_change_nothing(english, project, dated, bob, fields):
    response = english(bob).post(project_url(project, "project_move"), fields)
    assert response.status_code == 400 and response.json()["error"]
    assert Task.objects.get(pk=dated[0].pk).due_date == datetime.date(2026, 11, 11)


def test_a_viewer_cannot_move_a_task(english, project, dated, carol):
    response = english(carol).post(
        project_url(project, "project_move"), {"kind": "task", "id": "SH-1", "start": "2026-11-20"}
    )
    assert response.status_code == 403
    assert Task.objects.get(pk=dated[0].pk).due_date == datetime.date(2026, 11, 11)


def test_an_unknown_task_is_404(client_for, project, dated, bob):
    response = client_for(bob).post(
        project_url(project, "project_move"), {"kind": "task", "id": "SH-99", "start": "2026-11-20"}
    )
    assert response.status_code == 404


@pytest.mark.parametrize("name", ["project_calendar", "project_events", "project_move"])
def test_outsiders_get_404_on_the_project_calendar(client_for, project, dated, mallory, name):
    client = client_for(mallory)
    url = project_url(project, name)
    response = (
        client.post(url, {"kind": "task", "id": "SH-1", "start": "2026-11-20"})
        if (name == "project_move")
        else client.get(url, NOV)
    )
    assert response.status_code == 404
    assert Task.objects.get(pk=dated[0].pk).due_date == datetime.date(2026, 11, 11)


# ---------------------------------------------------------------- the organization's calendar


@pytest.fixture
def tmall(org, alice):
    from baton.calendars import services

    return services.create_calendar(actor=alice, organization=org, name="天猫", color="red")


def org_url(org, name, *args):
    return reverse(f"calendars:{name}", args=[org.slug, *args])


def new_event(client, org, calendar, **fields):
    data = {
        "title": "双11预售",
        "calendar": calendar.pk,
        "all_day": "false",
        "start": "2026-11-10T20:00",
        "end": "2026-11-10T22:00",
        "timezone": "Asia/Shanghai",
        "repeat": "",
        **fields,
    }
    return client.post(org_url(org, "event_new"), data, **HTMX)


HTMX = {"HTTP_HX_REQUEST": "true"}


def test_the_calendar_page_lists_calendars_and_projects_as_layers(
    client_for, org, tmall, project, bob
):
    response = client_for(bob).get(org_url(org, "home"))
    assert response.status_code == 200
    html = response.text
    assert "天猫" in html and "售后处理" in html
    assert org_url(org, "events") in html and org_url(org, "move") in html
    assert org_url(org, "home") in html  # the sidebar link
    assert 'class="nav-link active"' in html or "nav-link active" in html


def test_the_sidebar_links_to_the_calendar_from_every_page(client_for, org, project, bob):
    response = client_for(bob).get(reverse("projects:board", args=[org.slug, "SH"]))
    assert org_url(org, "home") in response.text


def test_the_new_event_form_is_prefilled_from_the_selection(client_for, org, tmall, alice):
    response = client_for(alice).get(
        org_url(org, "event_new"),
        {"start": "2026-11-11", "end": "2026-11-13", "all_day": "1"},
        **HTMX,
    )
    assert response.status_code == 200
    assert 'value="2026-11-11"' in response.text and 'value="2026-11-12"' in response.text
    assert 'type="date"' in response.text


def test_creating_an_event_from_the_panel(client_for, org, tmall, alice):
    from baton.calendars.models import Event

    response = new_event(client_for(alice), org, tmall)
    assert response.status_code == 204
    assert json.loads(response["HX-Trigger"]) == {"calendar:changed": {}}
    event = Event.objects.get()
    assert event.title == "双11预售" and event.calendar == tmall and not event.all_day
    assert event.start == datetime.datetime(2026, 11, 10, 12, 0, tzinfo=datetime.UTC)


def test_a_weekly_all_day_event(client_for, org, tmall, alice):
    from baton.calendars.models import Event

    response = new_event(
        client_for(alice),
        org,
        tmall,
        all_day="true",
        start="2026-11-10",
        end="2026-11-10",
        repeat="weekly",
        repeat_count="4",
    )
    assert response.status_code == 204, response.content
    event = Event.objects.get()
    assert event.all_day and "FREQ=WEEKLY" in event.rrule and "BYDAY=TU" in event.rrule
    assert "COUNT=4" in event.rrule


@pytest.mark.parametrize(
    "fields, field",
    [
        ({"title": ""}, "title"),
        ({"end": "2026-11-10T19:00"}, "end"),
        ({"start": "not a time"}, "start"),
        ({"timezone": "Mars/Olympus"}, "timezone"),
    ],
)
def test_bad_events_come_back_422_with_what_was_typed(english, org, tmall, alice, fields, field):
    from baton.calendars.models import Event

    response = new_event(english(alice), org, tmall, location="杭州西溪园区", **fields)
    assert response.status_code == 422
    assert "杭州西溪园区" in response.text  # nothing typed is lost
    assert "field-error" in response.text or "form-errors" in response.text
    assert not Event.objects.exists()


def test_the_layers_show_and_hide_calendars_and_projects(client_for, org, tmall, project, bob):
    from baton.calendars.models import CalendarLayer

    client = client_for(bob)
    response = client.post(org_url(org, "layer"), {"calendar": tmall.pk, "visible": "0"}, **HTMX)
    assert response.status_code == 200 and json.loads(response["HX-Trigger"]) == {
        "calendar:refetch": {}
    }
    assert 'id="cal-layers"' in response.text
    response = client.post(org_url(org, "layer"), {"project": "SH", "visible": "1"}, **HTMX)
    assert response.status_code == 200
    layers = {
        (layer.calendar_id, layer.project_id, layer.visible)
        for layer in CalendarLayer.objects.filter(user=bob)
    }
    assert layers == {(tmall.pk, None, False), (None, project.pk, True)}
    assert client.post(org_url(org, "layer"), {"visible": "1"}, **HTMX).status_code == 400


def test_creating_a_calendar(client_for, org, alice):
    from baton.calendars.models import Calendar

    client = client_for(alice)
    assert client.get(org_url(org, "create")).status_code == 200
    response = client.post(
        org_url(org, "create"),
        {"name": "京东", "color": "red", "visibility": "org", "description": "京东的活动"},
    )
    assert response.status_code == 302
    assert Calendar.objects.get().name == "京东"


def test_a_calendar_without_a_name_comes_back_422(english, org, alice):
    from baton.calendars.models import Calendar

    response = english(alice).post(
        org_url(org, "create"),
        {"name": "", "color": "red", "visibility": "org", "description": "留着"},
    )
    assert response.status_code == 422 and "留着" in response.text
    assert not Calendar.objects.exists()


def test_guests_cannot_create_calendars(client_for, org, carol):
    assert client_for(carol).get(org_url(org, "create")).status_code == 403


def test_calendar_settings_rename_share_and_archive(client_for, org, tmall, alice, bob):
    client = client_for(alice)
    assert client.get(org_url(org, "settings", tmall.pk)).status_code == 200
    response = client.post(
        org_url(org, "settings", tmall.pk),
        {"name": "天猫/淘宝", "color": "orange", "visibility": "members", "description": ""},
    )
    assert response.status_code == 302
    tmall.refresh_from_db()
    assert (tmall.name, tmall.color, tmall.visibility) == ("天猫/淘宝", "orange", "members")
    response = client.post(
        org_url(org, "member_add", tmall.pk), {"who": f"user:{bob.pk}", "role": "editor"}
    )
    assert response.status_code == 302
    member = tmall.memberships.get()
    assert member.user == bob and member.role == "editor"
    client.post(org_url(org, "member_remove", tmall.pk, member.pk))
    assert not tmall.memberships.exists()
    client.post(org_url(org, "archive", tmall.pk), {"archived": "1"})
    tmall.refresh_from_db()
    assert tmall.archived_at is not None


def test_members_without_edit_rights_get_403_on_calendar_writes(client_for, org, tmall, bob):
    client = client_for(bob)  # a member: reads the org-wide calendar, may not change it
    assert client.get(org_url(org, "settings", tmall.pk)).status_code == 403
    assert client.post(org_url(org, "archive", tmall.pk), {"archived": "1"}).status_code == 403
    response = new_event(client, org, tmall)
    assert response.status_code == 403
    tmall.refresh_from_db()
    assert tmall.archived_at is None and not tmall.events.exists()


def test_outsiders_get_404_on_every_calendar_url(client_for, org, tmall, alice, mallory):
    from baton.calendars import services

    event = services.create_event(
        actor=alice,
        calendar=tmall,
        title="618",
        start="2026-06-18T00:00+08:00",
        end="2026-06-19T00:00+08:00",
    )
    client = client_for(mallory)
    gets = [
        org_url(org, "home"),
        org_url(org, "events") + "?start=2026-06-01&end=2026-07-01",
        org_url(org, "create"),
        org_url(org, "settings", tmall.pk),
        org_url(org, "event_new"),
        org_url(org, "event", event.pk),
    ]
    for url in gets:
        assert client.get(url).status_code == 404, url
    posts = [
        (org_url(org, "move"), {"kind": "event", "id": event.pk, "start": "2026-06-20"}),
        (org_url(org, "layer"), {"calendar": tmall.pk, "visible": "0"}),
        (org_url(org, "archive", tmall.pk), {"archived": "1"}),
        (org_url(org, "member_add", tmall.pk), {"who": f"user:{mallory.pk}", "role": "editor"}),
        (org_url(org, "event_delete", event.pk), {"scope": "all"}),
        (org_url(org, "feed_token", tmall.pk), {"action": "revoke"}),
        (org_url(org, "event_new"), {"title": "x", "calendar": tmall.pk}),
        (org_url(org, "member_remove", tmall.pk, 1), {}),
    ]
    for url, data in posts:
        assert client.post(url, data).status_code == 404, url
    tmall.refresh_from_db()
    assert tmall.archived_at is None and tmall.events.count() == 1 and tmall.feed_token


def make_event(calendar, actor, **fields):
    from baton.calendars import services

    data = {
        "title": "周例会",
        "start": "2026-11-02T10:00+08:00",
        "end": "2026-11-02T11:00+08:00",
        "timezone": "Asia/Shanghai",
        **fields,
    }
    return services.create_event(actor=actor, calendar=calendar, **data)


def test_the_json_holds_events_of_the_range_with_recurrences_and_turned_on_tasks(
    client_for, org, tmall, project, dated, alice, bob, django_assert_max_num_queries
):
    from baton.calendars import services

    make_event(tmall, alice, rrule="FREQ=WEEKLY;BYDAY=MO")
    make_event(tmall, alice, title="双11", start="2026-11-11", end="2026-11-12", all_day=True)
    make_event(tmall, alice, title="年货节", start="2027-01-10", end="2027-01-11", all_day=True)
    client = client_for(bob)
    client.get(org_url(org, "home"))
    url = org_url(org, "events")
    titles = [item["title"] for item in calendar_items(client.get(url, NOV))]
    assert titles.count("周例会") == 5 and "双11" in titles and "年货节" not in titles
    assert not any(t.startswith("SH-") for t in titles)  # project tasks are off by default
    services.set_layer(actor=bob, project=project, visible=True)
    with django_assert_max_num_queries(9):
        data = calendar_items(client.get(url, NOV))
    by_title = {item["title"]: item for item in data}
    assert "SH-1 双11预案" in by_title
    assert by_title["SH-1 双11预案"]["extendedProps"]["kind"] == "task"
    assert by_title["双11"]["allDay"] is True and by_title["双11"]["start"] == "2026-11-11"
    weekly = [item for item in data if item["title"] == "周例会"]
    assert all(item["extendedProps"]["recurring"] for item in weekly)
    assert weekly[0]["extendedProps"]["editable"] is False  # bob reads the org-wide calendar
    assert "c-red" in weekly[0]["classNames"]
    services.set_layer(actor=bob, calendar=tmall, visible=False)
    titles = [item["title"] for item in calendar_items(client.get(url, NOV))]
    assert "周例会" not in titles and "SH-1 双11预案" in titles


def test_the_holidays_calendar_shows_the_public_holidays(client_for, org, alice):
    from baton.calendars import services

    services.create_calendar(
        actor=alice, organization=org, name="法定节假日", color="green", kind="holidays"
    )
    data = calendar_items(
        client_for(alice).get(org_url(org, "events"), {"start": "2026-09-28", "end": "2026-10-12"})
    )
    kinds = {item["extendedProps"]["kind"] for item in data}
    assert kinds == {"holiday"}
    assert all(item["extendedProps"]["editable"] is False for item in data)


def test_dragging_an_event_moves_it(client_for, org, tmall, alice):
    event = make_event(tmall, alice)
    response = client_for(alice).post(
        org_url(org, "move"),
        {
            "kind": "event",
            "id": event.pk,
            "start": "2026-11-03T14:00:00+08:00",
            "end": "2026-11-03T15:30:00+08:00",
            "all_day": "0",
        },
    )
    assert response.status_code == 200, response.content
    event.refresh_from_db()
    assert event.start == datetime.datetime(2026, 11, 3, 6, 0, tzinfo=datetime.UTC)
    assert event.end == datetime.datetime(2026, 11, 3, 7, 30, tzinfo=datetime.UTC)


def test_dragging_one_occurrence_moves_only_that_one(client_for, org, tmall, alice):
    from baton.calendars.models import Event

    series = make_event(tmall, alice, rrule="FREQ=WEEKLY;BYDAY=MO")
    client = client_for(alice)
    occurrence = next(
        item["extendedProps"]["occurrence"]
        for item in calendar_items(client.get(org_url(org, "events"), NOV))
        if item["start"].startswith("2026-11-09")
    )
    response = client.post(
        org_url(org, "move"),
        {
            "kind": "event",
            "id": series.pk,
            "occurrence": occurrence,
            "start": "2026-11-10T10:00:00+08:00",
            "end": "2026-11-10T11:00:00+08:00",
            "all_day": "0",
        },
    )
    assert response.status_code == 200, response.content
    override = Event.objects.get(series=series)
    assert override.start == datetime.datetime(2026, 11, 10, 2, 0, tzinfo=datetime.UTC)
    series.refresh_from_db()
    assert series.start == datetime.datetime(2026, 11, 2, 2, 0, tzinfo=datetime.UTC)


def _drag_monday_the_9th(client, org, series, scope):
    occurrence = next(
        item["extendedProps"]["occurrence"]
        for item in calendar_items(client.get(org_url(org, "events"), NOV))
        if item["start"].startswith("2026-11-09")
    )
    return client.post(
        org_url(org, "move"),
        {
            "kind": "event",
            "id": series.pk,
            "occurrence": occurrence,
            "start": "2026-11-10T10:00:00+08:00",
            "end": "2026-11-10T11:00:00+08:00",
            "all_day": "0",
            "scope": scope,
        },
    )


def test_dragging_an_occurrence_with_scope_all_shifts_the_whole_series(
    client_for, org, tmall, alice
):
    from baton.calendars.models import Event

    series = make_event(tmall, alice, rrule="FREQ=WEEKLY;BYDAY=MO")
    response = _drag_monday_the_9th(client_for(alice), org, series, "all")
    assert response.status_code == 200, response.content
    series.refresh_from_db()
    assert series.start == datetime.datetime(2026, 11, 3, 2, 0, tzinfo=datetime.UTC)
    assert series.rrule == "FREQ=WEEKLY;BYDAY=TU"
    assert not Event.objects.filter(series=series).exists()


def test_dragging_with_scope_following_starts_a_new_series(client_for, org, tmall, alice):
    from baton.calendars.models import Event

    series = make_event(tmall, alice, rrule="FREQ=WEEKLY;BYDAY=MO")
    response = _drag_monday_the_9th(client_for(alice), org, series, "following")
    assert response.status_code == 200, response.content
    later = Event.objects.exclude(pk=series.pk).get(calendar=tmall)
    assert later.start == datetime.datetime(2026, 11, 10, 2, 0, tzinfo=datetime.UTC)
    series.refresh_from_db()
    assert series.start == datetime.datetime(2026, 11, 2, 2, 0, tzinfo=datetime.UTC)
    assert series.recurrence_end < later.start


def test_a_drag_with_an_unknown_scope_is_refused(english, org, tmall, alice):
    series = make_event(tmall, alice, rrule="FREQ=WEEKLY;BYDAY=MO")
    response = _drag_monday_the_9th(english(alice), org, series, "everything")
    assert response.status_code == 400 and response.json()["error"]
    series.refresh_from_db()
    assert series.start == datetime.datetime(2026, 11, 2, 2, 0, tzinfo=datetime.UTC)


def test_dragging_a_task_on_the_calendar_changes_its_due_date(client_for, org, dated, bob):
    response = client_for(bob).post(
        org_url(org, "move"), {"kind": "task", "id": "SH-1", "start": "2026-11-13"}
    )
    assert response.status_code == 200
    assert Task.objects.get(pk=dated[0].pk).due_date == datetime.date(2026, 11, 13)


@pytest.mark.parametrize(
    "fields",
    [
        {"kind": "event", "start": "2026-11-03T14:00:00+08:00", "end": "2026-11-03T13:00:00+08:00"},
        {"kind": "event", "start": "nonsense", "end": "2026-11-03T13:00:00+08:00"},
        {"kind": "meeting", "start": "2026-11-03T14:00:00+08:00"},
    ],
)
def test_bad_event_moves_are_400_and_change_nothing(english, org, tmall, alice, fields):
    event = make_event(tmall, alice)
    response = english(alice).post(org_url(org, "move"), {"id": event.pk, **fields})
    assert response.status_code == 400 and response.json()["error"]
    event.refresh_from_db()
    assert event.start == datetime.datetime(2026, 11, 2, 2, 0, tzinfo=datetime.UTC)


def test_read_only_members_cannot_move_or_delete_events(english, org, tmall, alice, bob):
    event = make_event(tmall, alice)
    client = english(bob)
    response = client.post(
        org_url(org, "move"),
        {
            "kind": "event",
            "id": event.pk,
            "start": "2026-11-05T10:00+08:00",
            "end": "2026-11-05T11:00+08:00",
        },
    )
    assert response.status_code == 403
    assert client.post(org_url(org, "event_delete", event.pk), {"scope": "all"}).status_code == 403
    event.refresh_from_db()
    assert event.start == datetime.datetime(2026, 11, 2, 2, 0, tzinfo=datetime.UTC)


def test_the_event_panel_and_deleting_an_occurrence(client_for, org, tmall, alice):
    series = make_event(tmall, alice, rrule="FREQ=WEEKLY;BYDAY=MO", location="3楼会议室")
    client = client_for(alice)
    item = next(
        i
        for i in calendar_items(client.get(org_url(org, "events"), NOV))
        if i["start"].startswith("2026-11-09")
    )
    response = client.get(item["extendedProps"]["panelUrl"], **HTMX)
    assert response.status_code == 200 and "3楼会议室" in response.text
    response = client.post(
        org_url(org, "event_delete", series.pk),
        {"scope": "this", "occurrence": item["extendedProps"]["occurrence"]},
        **HTMX,
    )
    assert response.status_code == 204 and json.loads(response["HX-Trigger"]) == {
        "calendar:changed": {}
    }
    starts = [i["start"][:10] for i in calendar_items(client.get(org_url(org, "events"), NOV))]
    assert "2026-11-09" not in starts and "2026-11-16" in starts


def test_the_subscription_url_is_shown_regenerated_and_revoked(client_for, org, tmall, alice, bob):
    client = client_for(alice)
    old = tmall.feed_token
    assert old in client.get(org_url(org, "settings", tmall.pk)).text
    client.post(org_url(org, "feed_token", tmall.pk), {"action": "regenerate"})
    tmall.refresh_from_db()
    assert tmall.feed_token and tmall.feed_token != old
    client.post(org_url(org, "feed_token", tmall.pk), {"action": "revoke"})
    tmall.refresh_from_db()
    assert tmall.feed_token is None
    assert client_for(bob).post(org_url(org, "feed_token", tmall.pk)).status_code == 403


def edit(client, org, event, **fields):
    data = {
        "title": event.title,
        "calendar": event.calendar_id,
        "all_day": "false",
        "start": "2026-11-02T10:00",
        "end": "2026-11-02T11:00",
        "timezone": "Asia/Shanghai",
        "repeat": "keep",
        **fields,
    }
    return client.post(org_url(org, "event_edit", event.pk), data, **HTMX)


def test_editing_an_event_and_making_it_weekly(client_for, org, tmall, alice):
    event = make_event(tmall, alice, title="复盘会")
    client = client_for(alice)
    response = client.get(org_url(org, "event_edit", event.pk), **HTMX)
    assert response.status_code == 200 and 'value="2026-11-02T10:00"' in response.text
    response = edit(client, org, event, title="大促复盘会", repeat="weekly", location="2楼")
    assert response.status_code == 204, response.content
    event.refresh_from_db()
    assert (event.title, event.location) == ("大促复盘会", "2楼")
    assert event.rrule.startswith("FREQ=WEEKLY") and "BYDAY=MO" in event.rrule


def _switch(html: str) -> str:
    """The all-day switch's input tag in the form."""
    start = html.index('name="all_day"')
    return html[html.rindex("<input", 0, start) : html.index(">", start) + 1]


def test_the_event_form_has_an_all_day_switch_set_from_the_selection(client_for, org, tmall, alice):
    client = client_for(alice)
    day = client.get(
        org_url(org, "event_new"),
        {"start": "2026-11-11", "end": "2026-11-12", "all_day": "1"},
        **HTMX,
    )
    switch = _switch(day.text)
    assert 'type="checkbox"' in switch and "data-all-day-switch" in switch and "checked" in switch
    timed = client.get(
        org_url(org, "event_new"),
        {
            "start": "2026-11-11T10:00:00+08:00",
            "end": "2026-11-11T11:00:00+08:00",
            "timezone": "Asia/Shanghai",
        },
        **HTMX,
    )
    assert "checked" not in _switch(timed.text) and 'value="2026-11-11T10:00"' in timed.text


def test_a_day_with_the_switch_turned_off_becomes_ten_to_eleven(client_for, org, tmall, alice):
    """Without JavaScript the inputs still hold days: the form gives them the default hours."""
    from baton.calendars.models import Event

    data = {
        "title": "直播",
        "calendar": tmall.pk,
        "start": "2026-11-11",
        "end": "2026-11-11",
        "timezone": "Asia/Shanghai",
    }
    response = client_for(alice).post(org_url(org, "event_new"), data, **HTMX)  # no all_day: off
    assert response.status_code == 204, response.content
    event = Event.objects.get()
    assert not event.all_day
    assert event.start == datetime.datetime(2026, 11, 11, 2, 0, tzinfo=datetime.UTC)  # 10:00 +8
    assert event.end - event.start == datetime.timedelta(hours=1)


def test_editing_keeps_the_switch_and_converts_both_ways(client_for, org, tmall, alice):
    event = make_event(tmall, alice, title="复盘会")
    client = client_for(alice)
    assert "checked" not in _switch(client.get(org_url(org, "event_edit", event.pk), **HTMX).text)

    response = edit(
        client, org, event, all_day="true", start="2026-11-02", end="2026-11-03", repeat=""
    )
    assert response.status_code == 204, response.content
    event.refresh_from_db()
    assert event.all_day and event.end - event.start == 2 * ONE_DAY
    form = client.get(org_url(org, "event_edit", event.pk), **HTMX).text
    assert "checked" in _switch(form) and 'value="2026-11-03"' in form and 'type="date"' in form

    data = {
        "title": event.title,
        "calendar": tmall.pk,
        "start": "2026-11-02T09:30",
        "end": "2026-11-02T10:15",
        "timezone": "Asia/Shanghai",
        "repeat": "",
        "version": event.version,
    }
    response = client.post(org_url(org, "event_edit", event.pk), data, **HTMX)
    assert response.status_code == 204, response.content
    event.refresh_from_db()
    assert not event.all_day
    assert event.start == datetime.datetime(2026, 11, 2, 1, 30, tzinfo=datetime.UTC)
    assert event.end - event.start == datetime.timedelta(minutes=45)


def test_editing_one_occurrence_of_a_series(client_for, org, tmall, alice):
    from baton.calendars.models import Event

    series = make_event(tmall, alice, rrule="FREQ=WEEKLY;BYDAY=MO")
    occurrence = "2026-11-09T02:00:00+00:00"
    client = client_for(alice)
    form = client.get(org_url(org, "event_edit", series.pk), {"occurrence": occurrence}, **HTMX)
    assert 'value="2026-11-09T10:00"' in form.text and 'name="scope"' in form.text
    response = edit(
        client,
        org,
        series,
        title="周例会改到周二",
        start="2026-11-10T10:00",
        end="2026-11-10T11:00",
        scope="this",
        occurrence=occurrence,
    )
    assert response.status_code == 204, response.content
    override = Event.objects.get(series=series)
    assert override.title == "周例会改到周二"
    series.refresh_from_db()
    assert series.title == "周例会"


def test_a_bad_edit_comes_back_422_and_changes_nothing(english, org, tmall, alice):
    event = make_event(tmall, alice)
    response = edit(english(alice), org, event, title="新标题", end="2026-11-02T09:00")
    assert response.status_code == 422 and "新标题" in response.text
    event.refresh_from_db()
    assert event.title == "周例会"


def test_read_only_members_cannot_edit(client_for, org, tmall, alice, bob, mallory):
    event = make_event(tmall, alice)
    assert client_for(bob).get(org_url(org, "event_edit", event.pk)).status_code == 403
    assert edit(client_for(bob), org, event, title="改").status_code == 403
    assert edit(client_for(mallory), org, event, title="改").status_code == 404
    event.refresh_from_db()
    assert event.title == "周例会"


@pytest.mark.parametrize(
    "rule, words",
    [
        ("FREQ=WEEKLY;BYDAY=MO", "Every week on Monday"),
        ("FREQ=WEEKLY;BYDAY=MO,WE;COUNT=4", "Every week on Monday, Wednesday, 4 times"),
        ("FREQ=MONTHLY;BYDAY=-1FR", "Every month on the last Friday"),
        (
            "FREQ=MONTHLY;BYMONTHDAY=31;UNTIL=20271231T235959Z",
            "Every month on day 31, until 2027-12-31",
        ),
        ("FREQ=YEARLY", "Every year"),
        ("FREQ=WEEKLY;INTERVAL=2;BYDAY=MO", "FREQ=WEEKLY;INTERVAL=2;BYDAY=MO"),
    ],
)
def test_repetition_in_words(rule, words):
    from django.utils import translation

    from baton.calendars.views.events import describe_rrule

    with translation.override("en"):
        assert describe_rrule(rule) == words


def test_the_json_takes_the_same_9_queries_for_many_calendars_events_and_tasks(
    client_for, org, project, lists, alice, bob, django_assert_num_queries
):
    from baton.calendars import services

    services.set_layer(actor=bob, project=project, visible=True)
    project_services.create_task(
        actor=alice, project=project, task_list=lists[0], title="首个", due_date="2026-11-19"
    )
    client = client_for(bob)
    url = org_url(org, "events")
    client.get(url, NOV)

    def count():
        with django_assert_num_queries(9) as context:
            client.get(url, NOV)
        return len(context)

    first = count()
    for n in range(6):
        calendar = services.create_calendar(actor=alice, organization=org, name=f"平台{n}")
        make_event(calendar, alice, rrule="FREQ=DAILY")
        make_event(
            calendar, alice, title="大促", start="2026-11-11", end="2026-11-12", all_day=True
        )
        project_services.create_task(
            actor=alice,
            project=project,
            task_list=lists[0],
            title=f"任务{n}",
            due_date="2026-11-20",
        )
    assert count() == first
    assert len(calendar_items(client.get(url, NOV))) == 6 * (35 + 1) + 6 + 1


def test_a_timed_selection_opens_in_the_browsers_time_zone(client_for, org, tmall, alice):
    response = client_for(alice).get(
        org_url(org, "event_new"),
        {
            "start": "2026-11-10T09:00:00+08:00",
            "end": "2026-11-10T10:30:00+08:00",
            "all_day": "0",
            "timezone": "America/New_York",
        },
        **HTMX,
    )
    assert 'value="2026-11-09T20:00"' in response.text  # 09:00 in Shanghai
    assert 'value="2026-11-09T21:30"' in response.text
    assert '<option value="America/New_York" selected>' in response.text
    unknown = client_for(alice).get(
        org_url(org, "event_new"),
        {
            "start": "2026-11-10T09:00:00+08:00",
            "end": "2026-11-10T10:00:00+08:00",
            "timezone": "Mars/Base",
        },
        **HTMX,
    )
    assert 'value="2026-11-10T09:00"' in unknown.text
    assert '<option value="Asia/Shanghai" selected>' in unknown.text


def test_a_project_viewer_sees_its_tasks_on_the_calendar_but_cannot_drag_them(
    client_for, org, project, dated, carol
):
    from baton.calendars import services

    services.set_layer(actor=carol, project=project, visible=True)
    data = calendar_items(client_for(carol).get(org_url(org, "events"), NOV))
    tasks = [item for item in data if item["extendedProps"]["kind"] == "task"]
    assert tasks and all(item["editable"] is False for item in tasks)


def test_participants_are_invited_and_answer_from_the_panel(client_for, org, tmall, alice, bob):
    from baton.calendars.models import Event, EventParticipant

    response = new_event(client_for(alice), org, tmall, participants=[str(bob.pk)])
    assert response.status_code == 204, response.content
    event = Event.objects.get()
    assert list(event.participants.all()) == [bob]
    client = client_for(bob)
    panel = client.get(org_url(org, "event", event.pk), **HTMX)
    assert "Accept" in panel.text or "接受" in panel.text
    response = client.post(
        org_url(org, "event_respond", event.pk), {"response": "accepted"}, **HTMX
    )
    assert response.status_code == 200
    assert EventParticipant.objects.get(event=event, user=bob).response == "accepted"
    bad = client.post(org_url(org, "event_respond", event.pk), {"response": "maybe"}, **HTMX)
    assert bad.status_code == 400
    assert EventParticipant.objects.get(event=event, user=bob).response == "accepted"


def test_only_participants_answer(client_for, org, tmall, alice, bob, mallory):
    event = make_event(tmall, alice)
    url = org_url(org, "event_respond", event.pk)
    assert client_for(bob).post(url, {"response": "accepted"}).status_code == 403
    assert client_for(mallory).post(url, {"response": "accepted"}).status_code == 404


def test_archived_calendars_leave_the_view_and_are_listed_for_their_managers(
    client_for, org, tmall, alice, bob
):
    from baton.calendars import services

    make_event(tmall, alice)
    services.set_calendar_archived(actor=alice, calendar=tmall, archived=True)
    assert calendar_items(client_for(alice).get(org_url(org, "events"), NOV)) == []
    page = client_for(alice).get(org_url(org, "home")).text
    assert "cal-archived" in page and org_url(org, "settings", tmall.pk) in page
    assert "cal-archived" not in client_for(bob).get(org_url(org, "home")).text


def test_descriptions_are_markdown_in_the_panel(client_for, org, tmall, alice):
    event = make_event(tmall, alice, description="**报名截止**\n\n- 备货\n- 预热")
    html = client_for(alice).get(org_url(org, "event", event.pk), **HTMX).text
    assert "<strong>报名截止</strong>" in html and "<li>备货</li>" in html


def test_guests_see_only_calendars_shared_with_them_read_only(client_for, org, tmall, alice, carol):
    from baton.calendars import services

    make_event(tmall, alice)
    client = client_for(carol)
    page = client.get(org_url(org, "home"))
    assert page.status_code == 200 and "天猫" not in page.text
    assert 'data-editable="false"' in page.text and "data-new-url" not in page.text
    assert calendar_items(client.get(org_url(org, "events"), NOV)) == []
    services.set_calendar_member(actor=alice, calendar=tmall, user=carol, role="viewer")
    data = calendar_items(client.get(org_url(org, "events"), NOV))
    assert [item["title"] for item in data] == ["周例会"] and data[0]["editable"] is False
    assert client.get(org_url(org, "event_new")).status_code == 403


def test_deleting_an_occurrence_and_the_following_ones(client_for, org, tmall, alice):
    series = make_event(tmall, alice, rrule="FREQ=WEEKLY;BYDAY=MO")
    client = client_for(alice)
    panel = client.get(
        org_url(org, "event", series.pk), {"occurrence": "2026-11-16T02:00:00+00:00"}, **HTMX
    )
    assert 'value="following"' in panel.text
    response = client.post(
        org_url(org, "event_delete", series.pk),
        {"scope": "following", "occurrence": "2026-11-16T02:00:00+00:00"},
        **HTMX,
    )
    assert response.status_code == 204
    starts = [i["start"][:10] for i in calendar_items(client.get(org_url(org, "events"), NOV))]
    assert starts == ["2026-11-02", "2026-11-09"]


def test_a_bad_occurrence_to_delete_is_400(english, org, tmall, alice):
    series = make_event(tmall, alice, rrule="FREQ=WEEKLY;BYDAY=MO")
    client = english(alice)
    url = org_url(org, "event_delete", series.pk)
    assert client.post(url, {"scope": "this", "occurrence": "soon"}).status_code == 400
    assert (
        client.post(url, {"scope": "this", "occurrence": "2026-11-17T02:00:00+00:00"}).status_code
        == 400
    )
    assert client.post(url, {"scope": "sometimes"}).status_code == 400
    series.refresh_from_db()
    assert series.exdates == []


# ---------------------------------------------------------------- the compact calendar JSON


def test_the_month_json_says_once_what_entries_share_and_each_entry_its_own(
    client_for, org, tmall, project, lists, alice, bob
):
    from baton.calendars import services

    series = make_event(tmall, alice, rrule="FREQ=WEEKLY;BYDAY=MO")
    make_event(tmall, alice, title="双11", start="2026-11-11", end="2026-11-12", all_day=True)
    done = project_services.create_task(
        actor=alice, project=project, task_list=lists[0], title="已完成", due_date="2026-11-03"
    )
    project_services.set_task_done(actor=alice, task=done, done=True)
    project_services.create_task(
        actor=alice,
        project=project,
        task_list=lists[0],
        title="三天",
        start_date="2026-11-04",
        due_date="2026-11-06",
    )
    services.set_layer(actor=bob, project=project, visible=True)
    response = client_for(bob).get(org_url(org, "events"), NOV)
    assert response["Content-Type"] == "application/json"
    assert "周例会".encode() in response.content  # UTF-8, not \u escapes
    raw = response.json()
    assert raw["calendars"][str(tmall.pk)] == {"name": "天猫", "color": "red", "editable": False}
    assert raw["projects"][str(project.pk)] == {
        "key": "SH",
        "name": project.name,
        "color": project.color,
        "url": reverse("projects:task", args=[org.slug, "SH-1"])[:-1],
        "editable": True,
    }
    assert raw["panel"] + str(series.pk) == org_url(org, "event", series.pk)
    first = next(e for e in raw["events"] if e["t"] == "周例会")
    assert first == {
        "r": series.pk,
        "c": tmall.pk,
        "t": "周例会",
        "s": "2026-11-02T02:00:00+00:00",
        "e": "2026-11-02T03:00:00+00:00",
        "o": "2026-11-02T02:00:00+00:00",
    }
    single = next(e for e in raw["events"] if e["t"] == "双11")
    assert single == {
        "r": single["r"],
        "c": tmall.pk,
        "t": "双11",
        "s": "2026-11-11",
        "e": "2026-11-12",
    }
    by_title = {t["t"]: t for t in raw["tasks"]}
    assert by_title["已完成"] == {
        "p": project.pk,
        "n": done.number,
        "t": "已完成",
        "s": "2026-11-03",
        "d": 1,
    }
    # On the organization's calendar a task sits on its due date, one day: no end is sent.
    assert by_title["三天"] == {"p": project.pk, "n": 2, "t": "三天", "s": "2026-11-06"}
    assert raw["span"] is False and raw["holidays"] == []


def test_the_project_calendar_json_spans_tasks_from_start_to_due(
    client_for, project, dated, bob, carol
):
    raw = client_for(bob).get(project_url(project, "project_events"), NOV).json()
    assert raw["span"] is True and raw["projects"][str(project.pk)]["editable"] is True
    by_title = {t["t"]: t for t in raw["tasks"]}
    assert by_title["大促备货"] == {
        "p": project.pk,
        "n": 2,
        "t": "大促备货",
        "s": "2026-11-02",
        "e": "2026-11-06",
    }
    assert by_title["双11预案"] == {"p": project.pk, "n": 1, "t": "双11预案", "s": "2026-11-11"}
    viewer = client_for(carol).get(project_url(project, "project_events"), NOV).json()
    assert viewer["projects"][str(project.pk)]["editable"] is False


def test_a_moved_and_a_deleted_occurrence_in_the_json(client_for, org, tmall, alice):
    from baton.calendars import services

    series = make_event(tmall, alice, rrule="FREQ=WEEKLY;BYDAY=MO")
    moved_from = datetime.datetime(2026, 11, 9, 2, tzinfo=datetime.UTC)
    services.update_event(
        actor=alice,
        event=series,
        scope="this",
        occurrence=moved_from,
        start="2026-11-10T10:00+08:00",
        end="2026-11-10T11:00+08:00",
    )
    services.delete_event(
        actor=alice,
        event=series,
        scope="this",
        occurrence=datetime.datetime(2026, 11, 16, 2, tzinfo=datetime.UTC),
    )
    items = calendar_items(client_for(alice).get(org_url(org, "events"), NOV))
    starts = sorted(i["start"][:10] for i in items if i["title"] == "周例会")
    assert starts == ["2026-11-02", "2026-11-10", "2026-11-23", "2026-11-30"]
    moved = next(i for i in items if i["start"].startswith("2026-11-10"))
    assert moved["id"] == f"{series.pk}:2026-11-09T02:00:00+00:00"
    assert moved["extendedProps"]["ref"] != str(series.pk)  # the override's own panel
    assert moved["extendedProps"]["editable"] is True


def test_editing_a_series_is_seen_at_once_despite_the_expansion_cache(
    client_for, org, tmall, alice
):
    from baton.calendars import services

    series = make_event(tmall, alice, rrule="FREQ=WEEKLY;BYDAY=MO")
    client = client_for(alice)
    assert len(calendar_items(client.get(org_url(org, "events"), NOV))) == 5
    series.refresh_from_db()
    services.update_event(
        actor=alice, event=series, scope="all", title="周会", rrule="FREQ=WEEKLY;BYDAY=MO;COUNT=2"
    )
    titles = [i["title"] for i in calendar_items(client.get(org_url(org, "events"), NOV))]
    assert titles == ["周会", "周会"]


def test_outsiders_get_404_and_nothing_of_the_month(
    client_for, org, tmall, project, alice, mallory
):
    make_event(tmall, alice)
    for url in (org_url(org, "events"), project_url(project, "project_events")):
        response = client_for(mallory).get(url, NOV)
        assert response.status_code == 404 and "周例会".encode() not in response.content
