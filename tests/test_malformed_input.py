"""Every URL of the project, sent malformed input by the organization's owner: never a 5xx, and a
refused request writes nothing.

The walk introspects the URL resolver, so a new endpoint is covered the day it is added. Each URL
is tried with the kwargs of real objects of alice's organization and with absurd ones (30-digit ids,
negative and NUL-bearing strings); each request posts NUL bytes, 30-digit and negative integers,
impossible dates, non-finite numbers, repeated values and JSON bodies of the wrong shape in every
field name the project's forms, views and templates use. Each request runs in a savepoint that is
rolled back, so every request meets the same objects (a delete does not hide the URLs after it).
"""

import datetime as dt
import functools
import importlib
import json
import logging
import pkgutil
import re
import traceback
from pathlib import Path
from urllib.parse import urlencode

import pytest
from django import forms
from django.apps import apps
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, transaction
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone

import baton

BATON = Path(baton.__file__).parent
HUGE = "1" * 30
NUL = "text\x00with a NUL"

# A request refused with one of these wrote nothing; anything else (a redirect after a save, a
# page) may have written, which is no fault: only a 5xx is.
REFUSED = range(400, 500)


# --- what to send ---------------------------------------------------------------------------


@functools.cache
def known_field_names() -> tuple[str, ...]:
    """Every field name a template, a form or a view of the project reads."""
    names: set[str] = set()
    for template in BATON.rglob("*.html"):
        names |= set(re.findall(r'name="([A-Za-z_][\w-]*)"', template.read_text()))
    for source in BATON.rglob("*.py"):
        if "tests" in source.parts:
            continue
        text = source.read_text()
        names |= set(re.findall(r'(?:POST|GET|data|params)\.(?:get|getlist)\("([\w-]+)"', text))
    for info in pkgutil.walk_packages([str(BATON)], "baton."):
        if info.name.endswith(".forms") or info.name.endswith(".preferences"):
            module = importlib.import_module(info.name)
            for value in vars(module).values():
                if isinstance(value, type) and issubclass(value, forms.BaseForm):
                    names |= set(getattr(value, "base_fields", {}))
    for i in range(2):  # the custom field settings form's option rows
        names |= {f"option-{i}-{part}" for part in ("id", "name", "color", "remove")}
    names -= {"csrfmiddlewaretoken", "csrf-token", "viewport", "generator"}
    return tuple(sorted(names))


def field_names(world) -> list[str]:
    custom = [f"cf_{pk}{end}" for pk in world["field_ids"] for end in ("", "_from", "_to")]
    return [*known_field_names(), *custom]


# Fields that say what to do rather than carry a value: a valid choice lets the malformed values
# of the other fields reach the code that parses them. The task panel saves the fields named in
# `_fields` (numbers and dates first, so they are parsed before a text could be refused).
STEERING = {
    "_fields": "due_date,start_date,priority,assignee,participants,tags,title,description",
    "scope": "all",
}


def payloads(names: list[str]) -> dict[str, object]:
    """Each malformed kind of value in every field at once (the first kind also probes whether the
    URL takes the method at all)."""

    def every(value, **extra):
        return {name: value for name in names} | STEERING | extra

    return {
        "huge": every(HUGE),
        "nul": {name: NUL for name in names},
        "negative": every("-1"),
        # Digits Python's str.isdigit() accepts and int() refuses, and Arabic-Indic ones it takes.
        "odd-digits": every("²", who="user:²", rrule="FREQ=DAILY;COUNT=²", version="٣"),
        "date": every("2026-02-30", start="2026-02-30T25:61"),
        "far-date": every("9999-12-31", start="9999-12-31T23:59", due_from="0001-01-01"),
        "float": every("NaN", after_position="Infinity"),
        "repeated": every(["abc", HUGE, "-5", "", "{}"]),
        "json-nul": {name: NUL for name in names},
        "json-types": {name: [{"id": HUGE}, None, True, 1e308] for name in names},
        "json-broken": "[1, {not json",
    }


# What each method is sent; GET pages only read their query string.
KINDS = {
    "post": [
        "huge",
        "nul",
        "negative",
        "odd-digits",
        "date",
        "far-date",
        "float",
        "repeated",
        "json-types",
        "json-nul",
        "json-broken",
    ],
    "get": ["huge", "nul", "negative", "odd-digits", "date", "far-date", "float", "repeated"],
}


# --- the objects of alice's organization ------------------------------------------------------


@pytest.fixture
def world(org, project, lists, alice, bob, carol):
    """One of everything a URL can name, all in alice's organization."""
    from baton.calendars import services as calendars
    from baton.calendars.models import CalendarMember
    from baton.documents import services as documents
    from baton.documents.models import DocumentVersion
    from baton.notifications.models import Notification
    from baton.orgs import services as orgs
    from baton.orgs.models import Membership
    from baton.projects import services as projects

    task = projects.create_task(actor=alice, project=project, task_list=lists[0], title="退款")
    subtask = projects.create_subtask(actor=alice, parent=task, title="联系客户")
    tag = projects.create_tag(actor=alice, project=project, name="换货")
    fields = [
        projects.create_custom_field(actor=alice, project=project, name=kind, kind=kind, **extra)
        for kind, extra in [
            ("text", {}),
            ("number", {}),
            ("date", {}),
            ("checkbox", {}),
            ("url", {}),
            ("member", {}),
            ("select", {"options": [{"name": "高"}, {"name": "低"}]}),
            ("multi", {"options": [{"name": "甲"}, {"name": "乙"}]}),
        ]
    ]
    view = projects.create_saved_view(actor=alice, project=project, name="我的", layout="board")
    comment = projects.add_comment(actor=alice, task=task, body="已联系")
    attachment = projects.add_attachments(actor=alice, task=task, files=[upload()])[0]

    calendar = calendars.create_calendar(actor=alice, organization=org, name="天猫")
    calendars.set_calendar_member(actor=alice, calendar=calendar, user=bob, role="editor")
    start = timezone.now().replace(microsecond=0)
    event = calendars.create_event(
        actor=alice, calendar=calendar, title="双11", start=start, end=start + dt.timedelta(hours=1)
    )
    event_comment = calendars.add_event_comment(actor=alice, event=event, body="准备")
    event_file = calendars.add_event_attachments(actor=alice, event=event, files=[upload()])[0]

    folder = documents.create_folder(actor=alice, organization=org, name="话术")
    document = documents.create_document(actor=alice, organization=org, title="退款话术")
    document = documents.save_version(
        actor=alice, document=document, title="退款话术", body="您好", base_version=document.version
    )
    document_comment = documents.add_document_comment(actor=alice, document=document, body="好")
    document_file = documents.add_document_files(actor=alice, document=document, files=[upload()])[
        0
    ]

    team = orgs.create_team(actor=alice, organization=org, name="客服")
    invitation = orgs.invite(actor=alice, organization=org, email="dave@example.com")
    notification = Notification.objects.create(
        recipient=alice,
        organization=org,
        kind="task",
        verb="task.commented",
        target_type="task",
        target_id=task.pk,
        target_title=task.title,
        target_url="/",
    )
    return {
        "field_ids": [f.pk for f in fields],
        # URL kwarg → the value naming a real object; per namespace where one name means several.
        "kwargs": {
            "slug": org.slug,
            "key": project.key,
            "ref": f"{project.key}-{task.number}",
            "membership_id": Membership.objects.get(organization=org, user=bob).pk,
            "invitation_id": invitation.pk,
            "team_id": team.pk,
            "view_id": view.pk,
            "tag_id": tag.pk,
            "list_id": lists[0].pk,
            "field_id": fields[1].pk,
            "attachment_id": attachment.pk,
            "calendar_id": calendar.pk,
            "event_id": event.pk,
            "folder_id": folder.pk,
            "document_id": document.pk,
            "file_id": document_file.pk,
            "name": document_file.name,
            "number": DocumentVersion.objects.filter(document=document).first().number,
            "notification_id": str(notification.pk),
            "token": invitation.token,
            "uidb64": "MQ",
        },
        "by_namespace": {
            "projects": {"comment_id": comment.pk},
            "calendars": {
                "comment_id": event_comment.pk,
                "attachment_id": event_file.pk,
                "member_id": CalendarMember.objects.get(calendar=calendar, user=bob).pk,
                "token": calendar.feed_token or "none",
            },
            "documents": {"comment_id": document_comment.pk},
        },
        "subtask": subtask,
    }


def upload():
    return SimpleUploadedFile("a.txt", b"hello", content_type="text/plain")


# --- walking the URLs -------------------------------------------------------------------------


def url_patterns(resolver=None, prefix="", namespace=""):
    """(route, namespace, pattern) for every view of the project."""
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            inner = ":".join(filter(None, [namespace, entry.namespace or ""]))
            yield from url_patterns(entry, prefix + str(entry.pattern), inner)
        elif isinstance(entry, URLPattern):
            yield prefix + str(entry.pattern), namespace, entry


KWARG = re.compile(r"<(?:(\w+):)?(\w+)>")


def real_path(route: str, namespace: str, world) -> str:
    values = world["kwargs"] | world["by_namespace"].get(namespace, {})
    # A kwarg this walk does not know yet still gets a plausible value: the URL is walked anyway.
    return "/" + KWARG.sub(lambda m: str(values.get(m.group(2), "1")), route)


def absurd_paths(route: str) -> list[str]:
    """The route with ids that cannot exist (30 digits) and strings no object has."""
    if not KWARG.search(route):
        return []

    def fill(match, text):
        converter = match.group(1) or "str"
        if converter == "int":
            return HUGE
        if converter == "ref":
            return "SH-999999999"
        if converter == "key":
            return "ZZZZZZZZZZ"
        return text

    return [
        "/" + KWARG.sub(lambda m: fill(m, "-" + HUGE), route),
        "/" + KWARG.sub(lambda m: fill(m, "%00"), route),
    ]


def database_state() -> tuple:
    """Row counts of every table of the project's apps, in one query, and the last Activity."""
    tables = [
        model._meta.db_table
        for config in apps.get_app_configs()
        if config.name.startswith("baton.")
        for model in config.get_models()
        if not model._meta.proxy
    ]
    tables = [t for t in tables if not t.startswith("realtime_")]  # presence, bus: transient
    counts = ", ".join(f'(SELECT COUNT(*) FROM "{t}")' for t in tables)
    with connection.cursor() as cursor:
        cursor.execute(f'SELECT {counts}, (SELECT MAX(id) FROM "activity_activity")')
        return tuple(zip([*tables, "last activity"], cursor.fetchone(), strict=True))


def kept_on_conflict(response, before, after) -> bool:
    """A document saved over a newer version answers 409 and keeps the text as the person's
    draft: the only write a refused request may make."""
    changed = {a[0] for a, b in zip(before, after, strict=True) if a != b}
    return response.status_code == 409 and changed == {"documents_documentdraft"}


class CaughtByTheNet(logging.Handler):
    """Records the database errors the middleware turned into a 4xx."""

    def __init__(self):
        super().__init__(logging.WARNING)
        self.records = []

    def emit(self, record):
        if record.exc_info:
            self.records.append(record)

    def culprit(self) -> str:
        """The error and the project's line nearest to it."""
        error = self.records[-1].exc_info[1]
        frames = traceback.extract_tb(error.__traceback__)
        ours = [f for f in frames if "/baton/" in f.filename and "/.venv/" not in f.filename]
        where = f" at {ours[-1].filename.split('/baton/')[-1]}:{ours[-1].lineno}" if ours else ""
        return f"{error!r}{where}"


def send(client, method, path, kind, body):
    htmx = kind in ("huge", "json-types") or (kind == "nul" and method == "post")
    headers = {"HX-Request": "true"} if htmx else {}
    if method == "get":
        return client.get(path, body, headers=headers)
    if kind.startswith("json"):
        text = body if isinstance(body, str) else json.dumps(body)
        return client.post(path, text, content_type="application/json", headers=headers)
    if kind == "nul":  # multipart, as a form with a file input sends it
        return client.post(path, body, headers=headers)
    # urlencoded, as most forms send it (and much quicker to parse than multipart)
    form = urlencode(body, doseq=True)
    return client.post(
        path, form, content_type="application/x-www-form-urlencoded", headers=headers
    )


def requests_for(route, namespace, world):
    """(method, path, kind, body) to send; a method the URL refuses (405) to its first request
    is not tried further."""
    bodies = payloads(field_names(world))
    real = real_path(route, namespace, world)
    for method, kinds in KINDS.items():
        for kind in kinds:
            refused = yield method, real, kind, bodies[kind]
            if refused:
                break
    for path in absurd_paths(route):
        yield "post", path, "huge", bodies["huge"]
        yield "get", path, "negative", {}


@pytest.mark.django_db
def test_no_url_answers_malformed_input_with_a_server_error_or_a_partial_write(
    world, alice, english
):
    client = english(alice)
    client.raise_request_exception = False  # a 500 is counted, not raised
    session = client.cookies["sessionid"].value
    before = database_state()
    failures, tried = [], 0
    net = CaughtByTheNet()
    logging.getLogger("baton.core.middleware").addHandler(net)
    try:
        for route, namespace, _pattern in url_patterns():
            walk = requests_for(route, namespace, world)
            response = None
            while True:
                try:
                    method, path, kind, body = walk.send(
                        None if response is None else response.status_code == 405
                    )
                except StopIteration:
                    break
                tried += 1
                with transaction.atomic():
                    response = send(client, method, path, kind, body)
                    # A request the database failed has marked its transaction for rollback.
                    checked = response.status_code in REFUSED and not transaction.get_rollback()
                    after = database_state() if checked else before
                    transaction.set_rollback(True)
                client.cookies["sessionid"] = session  # logging out changed it
                label = f"{method.upper()} {path} [{kind}] → {response.status_code}"
                if response.status_code >= 500:
                    failures.append(label)
                elif net.records:
                    # The middleware's last resort answered: the view or service lacks a check.
                    failures.append(f"{label} only by the middleware: {net.culprit()}")
                    net.records.clear()
                elif after != before and not kept_on_conflict(response, before, after):
                    failures.append(f"{label} yet wrote: {differences(before, after)}")
    finally:
        logging.getLogger("baton.core.middleware").removeHandler(net)
    assert tried > 1000
    assert not failures, f"{len(failures)} of {tried} requests:\n" + "\n".join(failures)


def differences(before, after) -> str:
    changed = zip(before, after, strict=True)
    return ", ".join(f"{a[0]} {a[1]}→{b[1]}" for a, b in changed if a != b)


# --- the faults found, one by one -------------------------------------------------------------


def test_a_nul_in_a_plain_form_is_refused_and_the_text_is_given_back(project, alice, english):
    from baton.projects.models import TaskList

    lists = TaskList.objects.count()
    response = english(alice).post(
        f"/o/{project.organization.slug}/p/SH/lists/new", {"name": "退\x00款"}
    )
    assert response.status_code == 422
    text = response.content.decode()
    assert "invisible control character" in text and "退款" in text
    assert TaskList.objects.count() == lists


def test_htmx_hears_of_a_nul_in_a_toast_and_nothing_on_the_page_is_swapped(project, alice, english):
    from baton.projects.models import Task

    tasks = Task.objects.count()
    response = english(alice).post(
        f"/o/{project.organization.slug}/p/SH/lists/{project.lists.first().pk}/tasks/new",
        {"title": "换货\x00"},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 422 and response["HX-Reswap"] == "none"
    toast = json.loads(response["HX-Trigger"])["toast"]
    assert toast["kind"] == "error" and "invisible control character" in toast["message"]
    assert Task.objects.count() == tasks


def test_a_json_body_with_a_nul_gets_its_errors_as_json(project, alice, english):
    response = english(alice).post(
        f"/o/{project.organization.slug}/p/SH/lists/new",
        json.dumps({"name": "a\u0000b"}),
        content_type="application/json",
    )
    assert response.status_code == 422
    assert list(response.json()["errors"]) == ["name"]


def test_a_nul_in_the_address_names_nothing(org, alice, english):
    assert english(alice).get("/notifications/1%00/open").status_code == 404


def test_a_document_saved_from_an_absurd_base_version_is_stale_and_keeps_the_text(
    org, alice, english
):
    from baton.documents import services
    from baton.documents.models import Document, DocumentVersion

    document = services.create_document(actor=alice, organization=org, title="话术")
    client = english(alice)
    for base in (HUGE, "-1", "²", ""):
        typed = {"title": "话术", "body": "您好请稍等", "base_version": base}
        response = client.post(f"/o/{org.slug}/d/{document.pk}/edit", typed)
        assert response.status_code == 409 and "您好请稍等" in response.content.decode()
        draft = client.post(
            f"/o/{org.slug}/d/{document.pk}/draft", typed, headers={"Accept": "application/json"}
        )
        assert draft.status_code == 200
    assert Document.objects.get(pk=document.pk).version == document.version
    assert not DocumentVersion.objects.filter(document=document).exists()
    with pytest.raises(ValidationError):
        services.save_draft(actor=alice, document=document, title="", body="", base_version=HUGE)


def test_following_a_document_for_a_30_digit_user_id_adds_nobody(org, alice, english):
    from baton.documents import services
    from baton.documents.models import DocumentFollower

    document = services.create_document(actor=alice, organization=org, title="话术")
    followers = DocumentFollower.objects.count()
    response = english(alice).post(
        f"/o/{org.slug}/d/{document.pk}/followers", {"users": [HUGE, "-3"]}
    )
    assert response.status_code == 422
    assert DocumentFollower.objects.count() == followers


def test_an_impossible_date_is_refused_with_422(project, lists, alice, english):
    from baton.projects.services import create_task

    task = create_task(actor=alice, project=project, task_list=lists[0], title="退款")
    response = english(alice).post(
        f"/o/{project.organization.slug}/SH-{task.number}/update",
        {"_fields": "due_date", "due_date": "2026-02-30", "version": task.version},
    )
    assert response.status_code == 422
    task.refresh_from_db()
    assert task.due_date is None


def test_whole_numbers_and_ids_are_read_within_what_the_database_holds():
    from baton.core.validation import MAX_ID, parse_id, parse_ids, parse_int

    assert parse_int(" 42 ", field="n") == 42
    for bad in (HUGE, "-1", "1.5", "²", "", None, "NaN"):
        with pytest.raises(ValidationError):
            parse_int(bad, field="n")
    assert parse_int("-1", field="n", minimum=None) == -1
    assert parse_id(str(MAX_ID)) == MAX_ID and parse_id(MAX_ID + 1) is None
    assert [parse_id(v) for v in ("0", "-2", "٣", HUGE, True, "7")] == [None] * 5 + [7]
    assert parse_ids(["3", HUGE, "x", "3", 5]) == [3, 5]


def test_a_database_error_a_view_let_through_is_answered_4xx_not_500(rf, alice):
    from django.db import DataError, IntegrityError

    from baton.core.middleware import MalformedInputMiddleware

    middleware = MalformedInputMiddleware(lambda request: None)
    request = rf.post("/anything", {"x": "1"}, headers={"Accept": "application/json"})
    request.user = alice
    for error, status in [(DataError(), 422), (OverflowError(), 422), (IntegrityError(), 409)]:
        assert middleware.process_exception(request, error).status_code == status
    assert middleware.process_exception(request, KeyError()) is None


def test_a_nul_in_a_query_string_is_refused_before_the_view(project, bob, english):
    url = f"/o/{project.organization.slug}/p/SH/calendar/events"
    params = {"start": "2026-11-01\x00", "end": "2026-12-01"}
    response = english(bob).get(url, params, headers={"Accept": "application/json"})
    assert response.status_code == 422 and list(response.json()["errors"]) == ["start"]
