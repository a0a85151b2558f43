"""The demo workspace's calendars: the platforms' campaigns, the weekly meeting, the holidays."""

import datetime as dt

import icalendar
from django.test import Client
from django.utils import timezone

from baton.calendars import recurrence
from baton.calendars.models import Calendar, CalendarKind, Event


def test_the_demo_has_a_calendar_per_platform_with_its_campaigns(demo):
    org = demo["organization"]
    names = list(Calendar.objects.filter(organization=org).values_list("name", flat=True))
    assert {"天猫/淘宝", "京东", "拼多多", "抖音", "团队日程", "中国法定节假日"} <= set(names)
    year = timezone.localdate().year
    tmall = Event.objects.filter(calendar__name="天猫/淘宝", calendar__organization=org)
    titles = set(tmall.values_list("title", flat=True))
    assert {
        "天猫年货节",
        "天猫 3·8 女王节",
        "天猫 618",
        "淘宝七夕礼遇季",
        "天猫双 11",
        "淘宝双 12",
    } <= titles
    eleven = tmall.get(title="天猫双 11")
    assert eleven.all_day and eleven.description.startswith("双 11 全球狂欢节")
    local = eleven.end.astimezone(dt.timezone(dt.timedelta(hours=8)))
    assert local.date() == dt.date(year, 11, 12)  # through 11/11, exclusive end
    assert Event.objects.filter(calendar__organization=org, description="").count() == 0


# 七夕 (the 7th day of the 7th lunar month) and the Spring Festival, from published calendars.
QIXI = {2026: (8, 19), 2027: (8, 8), 2028: (8, 26), 2029: (8, 16), 2030: (8, 5)}
SPRING_FESTIVAL = {2026: (2, 17), 2027: (2, 6), 2028: (1, 26), 2029: (2, 13), 2030: (2, 3)}


def test_lunar_campaigns_follow_the_lunar_calendar(demo):
    year = timezone.localdate().year
    org = demo["organization"]
    china = dt.timezone(dt.timedelta(hours=8))
    qixi = Event.objects.get(title="淘宝七夕礼遇季", calendar__organization=org)
    assert qixi.end.astimezone(china).date() == dt.date(year, *QIXI[year]) + dt.timedelta(days=1)
    new_year = Event.objects.get(title="京东年货节", calendar__organization=org)
    festival = dt.date(year, *SPRING_FESTIVAL[year])
    assert new_year.end.astimezone(china).date() == festival - dt.timedelta(days=6)


def test_the_weekly_meeting_repeats_on_mondays(demo):
    meeting = Event.objects.get(title="周例会", calendar__organization=demo["organization"])
    assert meeting.rrule == "FREQ=WEEKLY;BYDAY=MO" and meeting.recurrence_end is None
    now = timezone.now()
    occurrences = recurrence.expand(meeting, now, now + dt.timedelta(days=28))
    assert len(occurrences) == 4
    assert all(o.start.astimezone(recurrence.zone("Asia/Shanghai")).hour == 10 for o in occurrences)
    assert meeting.participants.count() == 6


def test_the_holidays_calendar_and_the_feeds(demo):
    holidays = Calendar.objects.get(organization=demo["organization"], kind=CalendarKind.HOLIDAYS)
    assert not holidays.events.exists()  # generated, not stored
    client = Client()
    response = client.get(f"/feeds/{holidays.feed_token}.ics")
    assert response.status_code == 200
    jd = Calendar.objects.get(organization=demo["organization"], name="京东")
    parsed = icalendar.Calendar.from_ical(client.get(f"/feeds/{jd.feed_token}.ics").content)
    assert "京东 618" in {str(e["summary"]) for e in parsed.walk("VEVENT")}
