"""The public holidays pages for alice (owner), bob (member), carol (guest) and mallory (outsider):
reading, the switch, adding, editing, removing, importing, and the next-year notice."""

import datetime as dt

import orjson
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from baton.calendars import holidays, services
from baton.calendars.models import Calendar, HolidayDay
from baton.orgs.models import Organization

FIRST, LAST = holidays.covered_years()


def url(org, name: str, *args) -> str:
    return reverse(f"calendars:{name}", args=[org.slug, *args])


def snapshot(org) -> list:
    return list(HolidayDay.objects.filter(organization=org).values_list("date", "name", "kind"))


@pytest.fixture
def day(org, alice):
    return services.add_holiday(
        actor=alice, organization=org, date=dt.date(LAST + 1, 2, 6), name="春节", kind="holiday"
    )


@pytest.fixture
def last_year_of_data(monkeypatch):
    """Today is early December of the last year the bundled data covers, so next year has no
    days unless someone adds them."""
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *a: dt.date(LAST, 12, 6))


def ics_upload(text: str, name: str = "holidays.ics") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, text.encode(), content_type="text/calendar")


HOLIDAY_ICS = f"""BEGIN:VCALENDAR\r
VERSION:2.0\r
PRODID:-//Test//CN\r
BEGIN:VEVENT\r
UID:spring-{LAST + 1}\r
DTSTAMP:20261201T000000Z\r
SUMMARY:春节\r
DTSTART;VALUE=DATE:{LAST + 1}0206\r
DTEND;VALUE=DATE:{LAST + 1}0209\r
END:VEVENT\r
BEGIN:VEVENT\r
UID:work-{LAST + 1}\r
DTSTAMP:20261201T000000Z\r
SUMMARY:春节调休上班\r
DTSTART;VALUE=DATE:{LAST + 1}0214\r
END:VEVENT\r
BEGIN:VEVENT\r
UID:meeting\r
DTSTAMP:20261201T000000Z\r
SUMMARY:周会\r
DTSTART;TZID=Asia/Shanghai:{LAST + 1}0105T100000\r
END:VEVENT\r
END:VCALENDAR\r
"""


# ---------------------------------------------------------------- reading


def test_an_admin_sees_the_days_and_the_forms(english, org, alice, day):
    response = english(alice).get(url(org, "holidays"), {"year": LAST + 1})
    assert response.status_code == 200
    assert "春节" in response.text
    assert url(org, "holiday_add") in response.text
    assert url(org, "holidays_import") in response.text
    assert url(org, "holiday_edit", day.pk) in response.text


def test_a_member_reads_the_days_without_forms(english, org, bob, day):
    response = english(bob).get(url(org, "holidays"), {"year": LAST + 1})
    assert response.status_code == 200
    assert "春节" in response.text
    assert url(org, "holiday_add") not in response.text
    assert url(org, "holiday_edit", day.pk) not in response.text
    assert url(org, "holidays_switch") not in response.text


def test_guests_get_403_and_outsiders_404(client_for, org, carol, mallory, day):
    assert client_for(carol).get(url(org, "holidays")).status_code == 403
    assert client_for(mallory).get(url(org, "holidays")).status_code == 404
    assert client_for(carol).get(url(org, "holiday_edit", day.pk)).status_code == 403
    assert client_for(mallory).get(url(org, "holiday_edit", day.pk)).status_code == 404


@pytest.mark.parametrize("year", ["abc", "99999", "-1", ""])
def test_a_strange_year_shows_this_year(client_for, org, alice, year):
    response = client_for(alice).get(url(org, "holidays"), {"year": year})
    assert response.status_code == 200


def test_bundled_days_read_in_english_for_english_users(english, org, alice):
    services.set_public_holidays(actor=alice, organization=org, enabled=True)
    response = english(alice).get(url(org, "holidays"), {"year": LAST})
    assert "National Day" in response.text


# ---------------------------------------------------------------- the switch


def test_the_switch_from_the_organization_settings(english, org, alice):
    client = english(alice)
    settings_url = reverse("orgs:settings", args=[org.slug])
    assert url(org, "holidays_switch") in client.get(settings_url).text
    response = client.post(url(org, "holidays_switch"), {"enabled": "1", "next": "settings"})
    assert response.status_code == 302 and response["Location"] == settings_url
    assert Calendar.objects.get(organization=org, kind="holidays").archived_at is None
    assert HolidayDay.objects.filter(organization=org).exists()
    client.post(url(org, "holidays_switch"), {"enabled": "0"})
    assert Calendar.objects.get(organization=org, kind="holidays").archived_at is not None


@pytest.mark.parametrize(("who", "status"), [("bob", 403), ("carol", 403), ("mallory", 404)])
def test_only_admins_switch(request, client_for, org, who, status):
    response = client_for(request.getfixturevalue(who)).post(
        url(org, "holidays_switch"), {"enabled": "1"}
    )
    assert response.status_code == status
    assert not Calendar.objects.filter(organization=org).exists()
    assert not HolidayDay.objects.exists()


def test_switching_on_shows_the_days_on_every_members_calendar(client_for, org, alice, bob):
    client_for(alice).post(url(org, "holidays_switch"), {"enabled": "1"})
    client_for(alice).post(
        url(org, "holiday_add"), {"date": f"{LAST + 1}-01-01", "name": "元旦", "kind": "holiday"}
    )
    response = client_for(bob).get(
        url(org, "events"), {"start": f"{LAST + 1}-01-01", "end": f"{LAST + 1}-02-01"}
    )
    raw = orjson.loads(response.content)
    assert [(h["t"], h["s"]) for h in raw["holidays"]] == [("元旦", f"{LAST + 1}-01-01")]


# ---------------------------------------------------------------- writing


def test_an_admin_adds_a_day(client_for, org, alice):
    response = client_for(alice).post(
        url(org, "holiday_add"), {"date": f"{LAST + 1}-02-20", "name": "春节", "kind": "workday"}
    )
    assert response.status_code == 302
    assert response["Location"] == url(org, "holidays") + f"?year={LAST + 1}"
    assert snapshot(org) == [(dt.date(LAST + 1, 2, 20), "春节", "workday")]


@pytest.mark.parametrize(
    "data",
    [
        {"date": "2027-02-30", "name": "春节", "kind": "holiday"},
        {"date": "tomorrow", "name": "春节", "kind": "holiday"},
        {"date": "2027-02-06", "name": "春\x00节", "kind": "holiday"},
        {"date": "2027-02-06", "name": "春节" * 21, "kind": "holiday"},
        {"date": "2027-02-06", "name": "", "kind": "holiday"},
        {"date": "2027-02-06", "name": "春节", "kind": "party"},
        {"date": "1066-10-14", "name": "春节", "kind": "holiday"},
    ],
)
def test_bad_input_answers_422_with_the_text_kept(english, org, alice, data):
    response = english(alice).post(url(org, "holiday_add"), data)
    assert response.status_code == 422
    assert not HolidayDay.objects.exists()
    if "\x00" not in data["name"]:
        assert data["name"] in response.text


def test_a_duplicate_day_answers_422_and_keeps_the_form(english, org, alice, day):
    response = english(alice).post(
        url(org, "holiday_add"),
        {"date": day.date.isoformat(), "name": "另一个名字", "kind": "workday"},
    )
    assert response.status_code == 422
    assert "already in the list" in response.text and "另一个名字" in response.text
    assert snapshot(org) == [(day.date, "春节", "holiday")]


@pytest.mark.parametrize(("who", "status"), [("bob", 403), ("carol", 403), ("mallory", 404)])
def test_nobody_but_admins_adds_edits_removes_or_imports(
    request, client_for, org, day, who, status
):
    client = client_for(request.getfixturevalue(who))
    before = snapshot(org)
    new = {"date": f"{LAST + 1}-03-01", "name": "x", "kind": "holiday"}
    assert client.post(url(org, "holiday_add"), new).status_code == status
    assert client.post(url(org, "holiday_edit", day.pk), new).status_code == status
    assert client.post(url(org, "holiday_delete", day.pk)).status_code == status
    response = client.post(url(org, "holidays_import"), {"file": ics_upload(HOLIDAY_ICS)})
    assert response.status_code == status
    assert client.post(url(org, "holidays_bundled")).status_code == status
    assert snapshot(org) == before


def test_an_admin_edits_and_removes_a_day(english, org, alice, day):
    client = english(alice)
    assert client.get(url(org, "holiday_edit", day.pk)).status_code == 200
    response = client.post(
        url(org, "holiday_edit", day.pk),
        {"date": f"{LAST + 1}-02-07", "name": "春节假期", "kind": "holiday"},
    )
    assert response.status_code == 302
    assert snapshot(org) == [(dt.date(LAST + 1, 2, 7), "春节假期", "holiday")]
    bad = client.post(
        url(org, "holiday_edit", day.pk), {"date": "2027-13-01", "name": "改名", "kind": "holiday"}
    )
    assert bad.status_code == 422 and "改名" in bad.text
    assert client.post(url(org, "holiday_delete", day.pk)).status_code == 302
    assert snapshot(org) == []


def test_a_day_of_another_organization_is_404(client_for, org, other_org, mallory, alice, day):
    assert (
        client_for(mallory)
        .post(reverse("calendars:holiday_delete", args=[other_org.slug, day.pk]))
        .status_code
        == 404
    )
    huge = reverse("calendars:holiday_edit", args=[org.slug, 10**30])
    assert client_for(alice).get(huge).status_code == 404
    assert snapshot(org) != []


# ---------------------------------------------------------------- import


def test_an_admin_imports_an_ics_file_and_sees_the_summary(english, org, alice):
    response = english(alice).post(url(org, "holidays_import"), {"file": ics_upload(HOLIDAY_ICS)})
    assert response.status_code == 200
    assert "4 days added, 1 skipped" in response.text
    assert "周会" in response.text  # skipped, with its reason
    assert snapshot(org) == [
        (dt.date(LAST + 1, 2, 6), "春节", "holiday"),
        (dt.date(LAST + 1, 2, 7), "春节", "holiday"),
        (dt.date(LAST + 1, 2, 8), "春节", "holiday"),
        (dt.date(LAST + 1, 2, 14), "春节", "workday"),
    ]


@pytest.mark.parametrize(
    "upload",
    [None, "not ics", "BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nSUMMARY:cut"],
)
def test_a_missing_or_malformed_file_answers_422(english, org, alice, upload):
    data = {} if upload is None else {"file": ics_upload(upload)}
    response = english(alice).post(url(org, "holidays_import"), data)
    assert response.status_code == 422
    assert 'class="field-error"' in response.text
    assert not HolidayDay.objects.exists()


# ---------------------------------------------------------------- the next-year notice


def test_admins_are_told_when_next_year_has_no_days(english, org, alice, bob, last_year_of_data):
    services.set_public_holidays(actor=alice, organization=org, enabled=True)
    notice = f"No public holidays for {LAST + 1} yet"
    link = url(org, "holidays") + f"?year={LAST + 1}#add-holiday"
    for page in (url(org, "home"), url(org, "holidays")):
        text = english(alice).get(page).text
        assert notice in text, page
        assert f"year={LAST + 1}#add-holiday" in text
    assert link in english(alice).get(url(org, "home")).text
    # Members are not asked to do what they cannot.
    assert notice not in english(bob).get(url(org, "home")).text
    assert notice not in english(bob).get(url(org, "holidays")).text
    services.add_holiday(
        actor=alice, organization=org, date=dt.date(LAST + 1, 1, 1), name="元旦", kind="holiday"
    )
    assert notice not in english(alice).get(url(org, "home")).text


def test_no_notice_while_the_holidays_are_off(english, org, alice, last_year_of_data):
    assert "No public holidays" not in english(alice).get(url(org, "home")).text


# ---------------------------------------------------------------- new organizations


def test_signing_up_in_chinese_switches_the_holidays_on(db, client):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "zh-hans"
    data = {"name": "Dora", "email": "dora@example.com", "password": "correct horse battery staple"}
    assert client.post(reverse("accounts:signup"), data).status_code == 302
    org = Organization.objects.get()
    assert Calendar.objects.filter(organization=org, kind="holidays", archived_at=None).exists()
    assert HolidayDay.objects.filter(organization=org).count() == len(holidays.bundled_days())


def test_signing_up_in_english_leaves_them_off(english):
    data = {"name": "Dora", "email": "dora@example.com", "password": "correct horse battery staple"}
    assert english().post(reverse("accounts:signup"), data).status_code == 302
    assert not Calendar.objects.filter(kind="holidays").exists()


def test_a_new_organization_follows_its_creators_language(client_for, make_user):
    chinese = make_user("Li", language="zh-hans")
    english = make_user("Ann", language="en")
    client_for(chinese).post(reverse("orgs:create"), {"name": "李的店"})
    client_for(english).post(reverse("orgs:create"), {"name": "Ann's shop"})
    assert Calendar.objects.filter(organization__name="李的店", kind="holidays").exists()
    assert not Calendar.objects.filter(organization__name="Ann's shop").exists()
