"""Calendars in the browser: FullCalendar's views over the visible range, dragging a task to
another day on a project's calendar tab."""

import datetime

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from baton.projects import services
from baton.projects.models import Task
from tests.e2e.board import csp_violations, watch
from tests.e2e.conftest import login, screenshot

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def day_cell(page, day: datetime.date):
    return page.locator(f'.fc-daygrid-day[data-date="{day.isoformat()}"]')


def drag(page, source, target) -> None:
    """FullCalendar's drag: press, move in steps (it waits for a few pixels), release."""
    box = source.bounding_box()
    goal = target.bounding_box()
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.mouse.down()
    page.mouse.move(box["x"] + box["width"] / 2 + 5, box["y"] + box["height"] / 2 + 5, steps=3)
    page.mouse.move(goal["x"] + goal["width"] / 2, goal["y"] + goal["height"] / 2, steps=12)
    page.mouse.up()


@pytest.mark.parametrize("language", ["zh-CN", "en"])
def test_a_task_dragged_to_another_day_on_the_project_calendar(
    new_page, project, lists, bob, language
):
    today = datetime.date.today()
    due = today.replace(day=10)
    target = today.replace(day=17)
    task = services.create_task(
        actor=bob, project=project, task_list=lists[0], title="双11预案", due_date=due
    )
    services.create_task(
        actor=bob,
        project=project,
        task_list=lists[1],
        title="大促备货",
        start_date=today.replace(day=3),
        due_date=today.replace(day=6),
    )
    page = new_page(language)
    watch(page)
    login(page, bob.email)
    page.goto(reverse("calendars:project_calendar", args=[project.organization.slug, "SH"]))
    card = day_cell(page, due).locator(".fc-event", has_text="双11预案")
    expect(card).to_be_visible()
    # Chinese weeks start on Monday, English ones on Sunday.
    first_header = page.locator(".fc-col-header-cell").first
    expect(first_header).to_have_attribute(
        "class", "fc-col-header-cell fc-day fc-day-" + ("mon" if language == "zh-CN" else "sun")
    )
    screenshot(page, f"calendar-project-month-{language}")

    with page.expect_response(lambda r: r.url.endswith("/calendar/move")) as response:
        drag(page, card, day_cell(page, target))
    assert response.value.status == 200
    expect(day_cell(page, target).locator(".fc-event", has_text="双11预案")).to_be_visible()
    task.refresh_from_db()
    assert task.due_date == target

    # The agenda lists the 30 days from the date shown: from the 1st of this month here.
    page.evaluate(
        "(day) => document.getElementById('calendar').calendar.gotoDate(day)",
        today.replace(day=1).isoformat(),
    )
    page.locator(".fc-listUpcoming-button").click()
    expect(page.locator(".fc-list-event", has_text="大促备货").first).to_be_visible()
    screenshot(page, f"calendar-project-agenda-{language}")
    assert csp_violations(page) == []
    assert page.console_errors == []
    assert Task.objects.get(pk=task.pk).version == task.version


def test_an_event_created_by_clicking_a_day_dragged_made_weekly_and_in_the_agenda(
    new_page, org, project, lists, alice
):
    from baton.calendars import services as calendar_services
    from baton.calendars.models import Event

    calendar = calendar_services.create_calendar(
        actor=alice, organization=org, name="天猫/淘宝", color="orange"
    )
    today = datetime.date.today()
    day = today.replace(day=12)
    other = today.replace(day=19)
    services.create_task(
        actor=alice, project=project, task_list=lists[0], title="备货截止", due_date=day
    )
    page = new_page("zh-CN")
    watch(page)
    login(page, alice.email)
    page.goto(reverse("calendars:home", args=[org.slug]))
    expect(page.locator(".fc-daygrid-day").first).to_be_visible()

    # Click an empty day: the panel opens with the new-event form for that day.
    day_cell(page, day).locator(".fc-daygrid-day-frame").click()
    panel = page.locator("#calendar-panel")
    expect(panel.locator("input[name=title]")).to_be_visible()
    expect(panel.locator("input[name=start]")).to_have_value(day.isoformat())
    panel.locator("input[name=title]").fill("聚划算")
    panel.locator("select[name=repeat]").select_option("weekly")
    panel.locator("input[name=repeat_count]").fill("3")
    panel.locator("textarea[name=description]").fill("天猫聚划算报名截止")
    screenshot(page, "calendar-new-event-zh-CN")
    panel.locator("button[type=submit]").click()
    expect(panel).to_be_hidden()
    event = day_cell(page, day).locator(".fc-event", has_text="聚划算")
    expect(event).to_be_visible()
    stored = Event.objects.get()
    assert stored.all_day and "FREQ=WEEKLY" in stored.rrule and stored.calendar == calendar
    expect(page.locator(".fc-event", has_text="聚划算")).to_have_count(3)

    # Drag the first occurrence to another day: asked which occurrences move, Esc puts it back.
    scope = page.locator("#calendar-scope")
    drag(page, event, day_cell(page, other))
    expect(scope).to_be_visible()
    screenshot(page, "calendar-drag-scope-zh-CN")
    page.keyboard.press("Escape")
    expect(scope).to_be_hidden()
    expect(day_cell(page, day).locator(".fc-event", has_text="聚划算")).to_be_visible()
    assert not Event.objects.filter(series=stored).exists()

    # Again, and "this occurrence": only that one moves.
    drag(page, event, day_cell(page, other))
    with page.expect_response(lambda r: r.url.endswith("/calendar/move")) as response:
        scope.locator("button[value=this]").click()
    assert response.value.status == 200
    expect(day_cell(page, other).locator(".fc-event", has_text="聚划算")).to_have_count(2)
    assert Event.objects.filter(series=stored).count() == 1

    # Project tasks are off until turned on in the sidebar.
    expect(page.locator(".fc-event", has_text="备货截止")).to_have_count(0)
    page.locator(".cal-layer-toggle", has_text="售后处理").click()
    expect(page.locator(".fc-event", has_text="备货截止")).to_have_count(1)
    screenshot(page, "calendar-month-zh-CN")

    # The agenda lists the 30 days from the date shown: from the 1st of this month here.
    page.evaluate(
        "(day) => document.getElementById('calendar').calendar.gotoDate(day)",
        today.replace(day=1).isoformat(),
    )
    page.locator(".fc-listUpcoming-button").click()
    expect(page.locator(".fc-list-event", has_text="聚划算")).to_have_count(3)
    screenshot(page, "calendar-agenda-zh-CN")
    assert csp_violations(page) == []
    assert page.console_errors == []


def test_week_view_event_panel_edit_and_settings_in_english(new_page, org, alice):
    from baton.calendars import services as calendar_services
    from baton.calendars.models import Event

    calendar = calendar_services.create_calendar(
        actor=alice, organization=org, name="JD", color="red", description="京东 campaigns"
    )
    calendar_services.create_calendar(
        actor=alice, organization=org, name="Holidays", color="green", kind="holidays"
    )
    today = datetime.date.today()
    monday = today - datetime.timedelta(days=today.weekday())
    calendar_services.create_event(
        actor=alice,
        calendar=calendar,
        title="Weekly meeting",
        start=f"{monday.isoformat()}T10:00",
        end=f"{monday.isoformat()}T11:00",
        timezone="Asia/Shanghai",
        rrule="FREQ=WEEKLY;BYDAY=MO",
        location="Room 3",
    )
    page = new_page("en", width=1440, height=900)
    watch(page)
    login(page, alice.email)
    page.goto(reverse("calendars:home", args=[org.slug]))
    page.locator(".fc-timeGridWeek-button").click()
    event = page.locator(".fc-event", has_text="Weekly meeting").first
    expect(event).to_be_visible()
    screenshot(page, "calendar-week-en")

    event.click()
    panel = page.locator("#calendar-panel")
    expect(panel).to_contain_text("Room 3")
    screenshot(page, "calendar-event-panel-en")
    panel.get_by_role("button", name="Edit").click()
    panel.locator("input[name=title]").fill("Weekly review")
    panel.locator("select[name=scope]").select_option("all")
    panel.locator("button[type=submit]").click()
    expect(panel).to_be_hidden()
    expect(page.locator(".fc-event", has_text="Weekly review").first).to_be_visible()
    assert Event.objects.get(series__isnull=True).title == "Weekly review"

    page.keyboard.press("m")
    expect(page.locator(".fc-dayGridMonth-view")).to_be_visible()
    page.goto(reverse("calendars:settings", args=[org.slug, calendar.pk]))
    expect(page.locator(".cal-feed-url")).to_have_value(lambda_value(calendar.feed_token))
    screenshot(page, "calendar-settings-en")
    assert csp_violations(page) == []
    assert page.console_errors == []


def lambda_value(token):
    import re

    return re.compile(re.escape(token) + r"\.ics$")


@pytest.mark.parametrize("language", ["zh-CN", "en"])
def test_the_demo_workspace_calendar(new_page, language):
    """Screenshots of the demo: the platforms' campaigns, the weekly meeting and the holidays."""
    from baton.demo.build import build

    demo = build("demo password")
    org = demo["organization"]
    owner = org.memberships.order_by("id").first().user
    page = new_page(language, width=1440, height=900)
    watch(page)
    login(page, owner.email, "demo password")
    page.goto(reverse("calendars:home", args=[org.slug]))
    year = datetime.date.today().year
    page.evaluate(
        "(day) => document.getElementById('calendar').calendar.gotoDate(day)", f"{year}-10-01"
    )
    expect(page.locator(".fc-event.cal-holiday").first).to_be_visible()
    screenshot(page, f"calendar-demo-october-{language}")
    page.evaluate(
        "(day) => document.getElementById('calendar').calendar.gotoDate(day)", f"{year}-11-01"
    )
    expect(page.locator(".fc-event", has_text="11").first).to_be_visible()
    screenshot(page, f"calendar-demo-november-{language}")
    assert csp_violations(page) == []
    assert page.console_errors == []


def test_resizing_an_event_in_the_week_view_and_the_phone_layout(new_page, org, alice):
    from baton.calendars import services as calendar_services
    from baton.calendars.models import Event

    calendar = calendar_services.create_calendar(actor=alice, organization=org, name="抖音")
    today = datetime.date.today()
    calendar_services.create_event(
        actor=alice,
        calendar=calendar,
        title="直播排期",
        start=f"{today.isoformat()}T10:00",
        end=f"{today.isoformat()}T11:00",
        timezone="Asia/Shanghai",
    )
    page = new_page("zh-CN", width=1280, height=900)
    watch(page)
    login(page, alice.email)
    page.goto(reverse("calendars:home", args=[org.slug]))
    page.keyboard.press("d")  # the day view
    event = page.locator(".fc-timegrid-event", has_text="直播排期")
    expect(event).to_be_visible()
    event.hover()
    handle = event.locator(".fc-event-resizer-end")
    box = handle.bounding_box()
    slot = page.locator(".fc-timegrid-slot-lane").first.bounding_box()["height"]
    with page.expect_response(lambda r: r.url.endswith("/calendar/move")) as response:
        page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
        page.mouse.down()
        page.mouse.move(box["x"] + box["width"] / 2, box["y"] + slot + 4, steps=4)
        page.mouse.move(box["x"] + box["width"] / 2, box["y"] + 2 * slot + 2, steps=6)
        page.mouse.up()
    assert response.value.status == 200
    stored = Event.objects.get()
    assert stored.end - stored.start == datetime.timedelta(hours=2)
    screenshot(page, "calendar-day-resized-zh-CN")

    phone = new_page("zh-CN", width=390, height=844)
    login(phone, alice.email)
    phone.goto(reverse("calendars:home", args=[org.slug]))
    # A phone opens the agenda, where titles are readable (test_phone_layout.py).
    expect(phone.locator(".fc-list-event", has_text="直播排期")).to_be_visible()
    screenshot(phone, "calendar-phone-zh-CN")
    assert csp_violations(page) == []
