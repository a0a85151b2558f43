"""A busy month on the organization's calendar, drawn from the compact JSON
(baton/calendars/entries.py, filled in by frontend/src/calendar-entries.js): tasks link to their
page, done ones look done, a day with many entries folds them under "+N more", and a repeating
event opens its occurrence's panel."""

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


@pytest.mark.parametrize("language", ["zh-CN", "en"])
def test_a_busy_month_of_tasks_and_events(new_page, org, project, lists, alice, language):
    from baton.calendars import services as calendar_services

    today = datetime.date.today()
    busy = today.replace(day=12)
    calendar = calendar_services.create_calendar(
        actor=alice, organization=org, name="天猫", color="red"
    )
    monday = today.replace(day=1) + datetime.timedelta(
        days=(7 - today.replace(day=1).weekday()) % 7
    )
    calendar_services.create_event(
        actor=alice,
        calendar=calendar,
        title="周例会",
        start=f"{monday.isoformat()}T10:00",
        end=f"{monday.isoformat()}T11:00",
        timezone="Asia/Shanghai",
        rrule="FREQ=WEEKLY;BYDAY=MO",
    )
    calendar_services.set_layer(actor=alice, project=project, visible=True)
    for n in range(8):
        services.create_task(
            actor=alice, project=project, task_list=lists[0], title=f"售后工单{n}", due_date=busy
        )
    done = services.create_task(
        actor=alice, project=project, task_list=lists[0], title="已退款", due_date=busy
    )
    services.set_task_done(actor=alice, task=done, done=True)

    page = new_page(language, width=1440, height=900)
    watch(page)
    login(page, alice.email)
    page.goto(reverse("calendars:home", args=[org.slug]))
    first = page.locator(".fc-event", has_text="周例会").first
    expect(first).to_be_visible()
    expect(first).to_have_class(lambda_class("cal-event c-red"))
    # dayMaxEvents is 4: the other entries of the busy day are one "+N more" away.
    more = day_cell(page, busy).locator(".fc-daygrid-more-link")
    expect(more).to_be_visible()
    screenshot(page, f"calendar-busy-month-{language}")
    more.click()
    popover = page.locator(".fc-popover")
    task = popover.locator("a.fc-event", has_text="已退款")
    expect(task).to_have_class(lambda_class("cal-task"))
    expect(task).to_have_class(lambda_class("is-done"))
    expect(task).to_have_attribute("href", f"/o/{org.slug}/SH-{done.number}")
    screenshot(page, f"calendar-busy-day-{language}")
    page.keyboard.press("Escape")
    expect(popover).to_be_hidden()

    first.click()
    panel = page.locator("#calendar-panel")
    expect(panel).to_contain_text("周例会")
    assert Task.objects.get(pk=done.pk).completed_at is not None
    assert csp_violations(page) == []
    assert page.console_errors == []


def lambda_class(names: str):
    import re

    return re.compile("".join(rf"(?=.*\b{re.escape(n)}\b)" for n in names.split()))
