"""An event's discussion: comments and files on events, written, shown, downloaded and deleted.

alice owns the organization (and the calendar), bob edits the calendar, carol reads it (a named
viewer), mallory is in another organization.
"""

import datetime as dt
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404
from django.urls import reverse
from django.utils import translation

from baton.activity.models import Activity
from baton.calendars import services
from baton.calendars.models import Calendar, Event
from baton.discussion.models import Comment
from baton.files.models import Attachment
from baton.files.tests.uploads import MB, SCRIPT, SVG, image_bytes, stored_files, upload

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media")]
SH = ZoneInfo("Asia/Shanghai")
HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture(autouse=True)
def english_messages():
    """Messages are asserted in English, whatever the translations say."""
    with translation.override("en"):
        yield


@pytest.fixture
def calendar(org, alice, bob, carol):
    cal = services.create_calendar(actor=alice, organization=org, name="天猫", color="red")
    services.set_calendar_member(actor=alice, calendar=cal, user=bob, role="editor")
    services.set_calendar_member(actor=alice, calendar=cal, user=carol, role="viewer")
    return Calendar.objects.get(pk=cal.pk)


@pytest.fixture
def event(calendar, alice):
    return services.create_event(
        actor=alice,
        calendar=calendar,
        title="双11 预热直播",
        start=dt.datetime(2026, 11, 1, 20, tzinfo=SH),
        end=dt.datetime(2026, 11, 1, 22, tzinfo=SH),
    )


@pytest.fixture
def weekly(calendar, alice):
    return services.create_event(
        actor=alice,
        calendar=calendar,
        title="周例会",
        start=dt.datetime(2026, 1, 5, 10, tzinfo=SH),
        end=dt.datetime(2026, 1, 5, 11, tzinfo=SH),
        rrule="FREQ=WEEKLY;BYDAY=MO;COUNT=10",
    )


def fresh(event: Event) -> Event:
    """The event as a view loads it: no cached roles."""
    return Event.objects.select_related("calendar__organization").get(pk=event.pk)


def png(name="海报.png"):
    return upload(name, image_bytes(), "image/png")


def attach(event, actor, *uploads):
    return services.add_event_attachments(actor=actor, event=fresh(event), files=list(uploads))


def comment_on(event, actor, body, files=()):
    return services.add_event_comment(actor=actor, event=fresh(event), body=body, files=files)


def url(event, name="event", *extra):
    return reverse(f"calendars:{name}", args=[event.calendar.organization.slug, event.pk, *extra])


def snapshot():
    return (
        list(Comment.objects.values_list("pk", "body", "edited_at")),
        list(Attachment.objects.values_list("pk", "name")),
        Activity.objects.count(),
    )


# ---------------------------------------------------------------- comments (services)


def test_an_editor_comments_and_the_people_named_are_kept_as_mentions(event, bob, alice):
    comment = comment_on(event, bob, "  @Alice 直播脚本在附件里  ")
    assert comment.body == "@Alice 直播脚本在附件里" and comment.owner_id == event.pk
    assert list(comment.mentions.all()) == [alice]
    activity = Activity.objects.get(verb="event.commented")
    assert (activity.actor, activity.target_type, activity.target_id) == (bob, "event", event.pk)
    assert activity.data == {"comment": comment.pk}


def test_only_people_who_may_see_the_calendar_are_mentioned(org, alice, bob, carol, mallory):
    private = services.create_calendar(
        actor=alice, organization=org, name="老板", visibility="members"
    )
    services.set_calendar_member(actor=alice, calendar=private, user=bob, role="editor")
    meeting = services.create_event(
        actor=alice,
        calendar=Calendar.objects.get(pk=private.pk),
        title="复盘",
        start=dt.datetime(2026, 11, 12, 10, tzinfo=SH),
        end=dt.datetime(2026, 11, 12, 11, tzinfo=SH),
    )
    comment = comment_on(meeting, bob, "@Alice @Carol @Mallory 请看")
    assert list(comment.mentions.all()) == [alice]  # carol may not see it, mallory is outside


@pytest.mark.parametrize("body", ["", "   ", None])
def test_an_empty_comment_is_refused_and_nothing_is_written(event, bob, body):
    before = snapshot()
    with pytest.raises(ValidationError) as error:
        comment_on(event, bob, body)
    assert error.value.message_dict == {"body": ["This field is required."]}
    assert snapshot() == before


def test_a_comment_longer_than_the_limit_is_refused(event, bob):
    with pytest.raises(ValidationError) as error:
        comment_on(event, bob, "长" * 20_001)
    assert "At most 20000 characters" in error.value.messages[0]
    assert not Comment.objects.exists()


def test_a_comment_on_an_edited_occurrence_goes_to_its_series(weekly, alice, bob):
    occurrence = dt.datetime(2026, 1, 12, 10, tzinfo=SH)
    override = services.update_event(
        actor=alice, event=weekly, scope="this", occurrence=occurrence, title="周例会 线上"
    )
    assert override.series_id == weekly.pk
    comment = comment_on(override, bob, "线上会议链接已更新")
    [picture] = attach(override, bob, png())
    assert comment.owner_id == weekly.pk and picture.owner_id == weekly.pk
    assert Activity.objects.filter(verb="event.commented", target_id=weekly.pk).exists()


def test_a_comment_may_carry_files_instead_of_text(event, bob, media):
    comment = comment_on(event, bob, "", files=[png(), upload("脚本.pdf")])
    assert comment.body == ""
    assert [a.name for a in comment.attachments.order_by("id")] == ["海报.png", "脚本.pdf"]
    assert Activity.objects.get(verb="event.commented").data["names"] == ["海报.png", "脚本.pdf"]
    assert len(stored_files(media)) == 3  # two files and one thumbnail


def test_the_author_edits_a_comment_and_the_edit_is_marked(event, bob, alice):
    comment = comment_on(event, bob, "初稿")
    edited = services.edit_event_comment(actor=bob, comment=comment, body="终稿 @Alice")
    edited.refresh_from_db()
    assert edited.body == "终稿 @Alice" and edited.edited_at is not None
    assert list(edited.mentions.all()) == [alice]
    assert Activity.objects.filter(verb="event.comment_edited").count() == 1


def test_nobody_else_edits_a_comment_and_an_edit_cannot_empty_it(event, bob, alice):
    comment = comment_on(event, bob, "初稿")
    with pytest.raises(PermissionDenied):
        services.edit_event_comment(actor=alice, comment=comment, body="改掉")
    with pytest.raises(ValidationError):
        services.edit_event_comment(actor=bob, comment=comment, body="  ")
    comment.refresh_from_db()
    assert (comment.body, comment.edited_at) == ("初稿", None)


def test_the_author_or_an_owner_deletes_a_comment_but_not_another_editor(
    event, calendar, alice, bob, carol
):
    services.set_calendar_member(actor=alice, calendar=calendar, user=carol, role="editor")
    mine, theirs = comment_on(event, bob, "一"), comment_on(event, bob, "二")
    with pytest.raises(PermissionDenied):
        services.delete_event_comment(actor=carol, comment=mine)
    services.delete_event_comment(actor=bob, comment=mine)
    services.delete_event_comment(actor=alice, comment=theirs)
    assert not Comment.objects.exists()
    assert Activity.objects.filter(verb="event.comment_deleted").count() == 2


def test_deleting_a_comment_removes_its_files_after_commit(
    event, bob, media, django_capture_on_commit_callbacks
):
    comment = comment_on(event, bob, "见图", files=[png()])
    assert len(stored_files(media)) == 2
    with django_capture_on_commit_callbacks(execute=True):
        services.delete_event_comment(actor=bob, comment=comment)
    assert not Attachment.objects.exists() and stored_files(media) == []


# ---------------------------------------------------------------- files (services)


def test_an_image_is_stored_under_a_generated_name_with_a_thumbnail(event, bob, media):
    [picture] = attach(event, bob, png("主图 800x600.png"))
    assert (picture.name, picture.content_type) == ("主图 800x600.png", "image/png")
    assert (picture.width, picture.height, picture.uploaded_by) == (800, 600, bob)
    assert picture.is_image and len(stored_files(media)) == 2
    assert "主图" not in picture.file.name and picture.file.name.startswith("attachments/")


def test_several_files_are_one_write_with_one_activity_row(event, bob, media):
    files = attach(event, bob, png(), upload("排期.pdf"), upload("清单.xlsx", b"PK\x03\x04"))
    assert [f.name for f in files] == ["海报.png", "排期.pdf", "清单.xlsx"]
    [activity] = Activity.objects.filter(verb="event.attached")
    assert activity.data == {"names": ["海报.png", "排期.pdf", "清单.xlsx"]}
    assert len(stored_files(media)) == 4


def test_a_file_over_the_limit_is_refused_by_name_and_nothing_is_stored(
    event, bob, settings, media
):
    settings.BATON_MAX_UPLOAD_BYTES = 1 * MB
    with pytest.raises(ValidationError) as error:
        attach(event, bob, upload("ok.pdf"), upload("大视频.mp4", b"x" * (MB + 1)))
    assert error.value.message_dict == {"files": ["大视频.mp4 is larger than the 1 MB limit."]}
    assert not Attachment.objects.exists() and stored_files(media) == []
    assert not Activity.objects.filter(verb="event.attached").exists()


def test_empty_files_and_no_files_are_refused(event, bob, media):
    with pytest.raises(ValidationError) as error:
        attach(event, bob, upload("空.txt", b""))
    assert error.value.messages == ["空.txt is empty (0 bytes)."]
    with pytest.raises(ValidationError) as error:
        attach(event, bob)
    assert error.value.messages == ["Choose at least one file."]
    assert stored_files(media) == []


def test_a_path_in_a_name_is_dropped_and_the_file_stays_under_the_storage_root(event, bob, media):
    [attachment] = attach(event, bob, upload("../../etc/passwd", b"root:x:0:0"))
    assert attachment.name == "passwd" and attachment.content_type == "application/octet-stream"
    [stored] = stored_files(media)
    assert stored.resolve().is_relative_to(Path(media).resolve())


def test_a_failed_write_leaves_no_file_behind(event, bob, media, monkeypatch):
    from baton.files import services as file_services

    def broken(*args, **kwargs):
        raise RuntimeError("database went away")

    monkeypatch.setattr(file_services, "insert_attachments", broken)
    with pytest.raises(RuntimeError):
        attach(event, bob, png())
    assert stored_files(media) == [] and not Attachment.objects.exists()


def test_any_editor_deletes_a_file_and_it_leaves_storage_after_commit(
    event, bob, alice, media, django_capture_on_commit_callbacks
):
    [picture] = attach(event, bob, png())
    with transaction.atomic():  # a rolled-back delete keeps the file
        services.delete_event_attachment(actor=alice, attachment=picture)
        transaction.set_rollback(True)
    assert len(stored_files(media)) == 2
    picture = Attachment.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        services.delete_event_attachment(actor=alice, attachment=picture)
    assert not Attachment.objects.exists() and stored_files(media) == []
    assert Activity.objects.get(verb="event.attachment_deleted").data == {"name": "海报.png"}


@pytest.mark.parametrize("scope", ["single", "series"])
def test_deleting_an_event_removes_its_files_after_commit(
    event, weekly, bob, alice, media, scope, django_capture_on_commit_callbacks
):
    target = event if scope == "single" else weekly
    attach(target, bob, png())
    comment_on(target, bob, "附件", files=[upload("脚本.pdf")])
    assert len(stored_files(media)) == 3
    with django_capture_on_commit_callbacks(execute=True):
        services.delete_event(actor=alice, event=fresh(target), scope="all")
    assert stored_files(media) == [] and not Attachment.objects.exists()


# ---------------------------------------------------------------- who may write (services)


def test_a_read_only_member_may_not_write_and_nothing_changes(event, bob, carol, media):
    comment = comment_on(event, bob, "bob 的评论")
    [picture] = attach(event, bob, png())
    before, files = snapshot(), stored_files(media)
    attempts = [
        lambda: comment_on(event, carol, "我也说两句"),
        lambda: attach(event, carol, png()),
        lambda: services.edit_event_comment(actor=carol, comment=comment, body="改"),
        lambda: services.delete_event_comment(actor=carol, comment=comment),
        lambda: services.delete_event_attachment(actor=carol, attachment=picture),
    ]
    for attempt in attempts:
        with pytest.raises(PermissionDenied):
            attempt()
    assert snapshot() == before and stored_files(media) == files


def test_an_outsider_gets_404_and_nothing_changes(event, mallory, other_org):
    before = snapshot()
    with pytest.raises(Http404):
        comment_on(event, mallory, "hi")
    with pytest.raises(Http404):
        attach(event, mallory, png())
    assert snapshot() == before


def test_an_archived_calendar_takes_no_new_comments(event, calendar, alice, bob):
    services.set_calendar_archived(actor=alice, calendar=calendar, archived=True)
    with pytest.raises(ValidationError):
        comment_on(event, bob, "还在吗")
    assert not Comment.objects.exists()


# ---------------------------------------------------------------- the panel (views)


def test_the_panel_shows_files_and_comments_newest_at_the_bottom(client_for, event, bob, alice):
    comment_on(event, alice, "第一条")
    comment_on(event, bob, "**第二条** @Alice")
    attach(event, bob, png(), upload("排期.pdf"))
    html = client_for(bob).get(url(event), **HTMX).content.decode()
    assert html.index("第一条") < html.index("第二条")
    assert "<strong>第二条</strong>" in html and '<span class="mention">@Alice</span>' in html
    assert url(event, "event_file_thumbnail", Attachment.objects.first().pk) in html
    assert "排期.pdf" in html and 'name="files"' in html and 'x-data="mentions"' in html
    assert "data-drop-zone" in html


def test_a_read_only_member_sees_the_discussion_without_forms(client_for, event, bob, carol):
    comment_on(event, bob, "只读可见")
    attach(event, bob, png())
    html = client_for(carol).get(url(event), **HTMX).content.decode()
    assert "只读可见" in html and "海报.png" in html
    assert 'name="files"' not in html and 'name="body"' not in html
    assert "/delete" not in html


def test_the_panel_reads_the_discussion_in_a_fixed_number_of_queries(
    client_for, event, bob, alice, django_assert_max_num_queries
):
    client = client_for(bob)

    def count() -> int:
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as queries:
            assert client.get(url(event), **HTMX).status_code == 200
        return len(queries)

    comment_on(event, alice, "@Bob 看一下", files=[png()])
    attach(event, bob, upload("a.pdf"))
    few = count()
    for n in range(6):
        comment_on(event, alice if n % 2 else bob, f"第{n}条 @Alice", files=[png(f"{n}.png")])
        attach(event, bob, upload(f"{n}.pdf"))
    assert count() == few
    with django_assert_max_num_queries(few):
        client.get(url(event, "event_discussion"), **HTMX)


def test_posting_a_comment_answers_with_the_section(client_for, event, bob):
    response = client_for(bob).post(url(event, "event_comment"), {"body": "收到"}, **HTMX)
    assert response.status_code == 200
    assert 'id="event-discussion"' in response.text and "收到" in response.text
    assert Comment.objects.get().body == "收到"


def test_an_empty_comment_answers_422_with_the_message(english, event, bob):
    response = english(bob).post(url(event, "event_comment"), {"body": "  "}, **HTMX)
    assert response.status_code == 422 and "This field is required." in response.text
    assert not Comment.objects.exists()


def test_a_failed_edit_keeps_what_was_typed(english, event, bob):
    comment = comment_on(event, bob, "原文")
    path = url(event, "event_comment_edit", comment.pk)
    response = english(bob).post(path, {"body": ""}, **HTMX)
    assert response.status_code == 422 and "This field is required." in response.text
    response = english(bob).post(path, {"body": "新文"}, **HTMX)
    assert response.status_code == 200 and "新文" in response.text and "(edited)" in response.text


def test_uploading_through_the_view_and_a_too_large_file(english, event, bob, settings):
    client = english(bob)
    response = client.post(
        url(event, "event_file_upload"), {"files": [png(), png("b.png")]}, **HTMX
    )
    assert response.status_code == 200 and Attachment.objects.count() == 2
    settings.BATON_MAX_UPLOAD_BYTES = 1 * MB
    big = upload("大.pdf", b"x" * (MB + 1))
    response = client.post(url(event, "event_file_upload"), {"files": [big]}, **HTMX)
    assert response.status_code == 422 and "大.pdf is larger than the 1 MB limit." in response.text
    assert Attachment.objects.count() == 2


def test_deleting_through_the_views(client_for, event, bob):
    comment = comment_on(event, bob, "删掉")
    [picture] = attach(event, bob, png())
    client = client_for(bob)
    assert client.post(url(event, "event_file_delete", picture.pk), **HTMX).status_code == 200
    assert client.post(url(event, "event_comment_delete", comment.pk), **HTMX).status_code == 200
    assert not Comment.objects.exists() and not Attachment.objects.exists()


def test_an_image_is_shown_inline_and_downloaded_on_request(client_for, event, bob, carol):
    [picture] = attach(event, bob, png())
    client = client_for(carol)  # a read-only member may see and download
    response = client.get(url(event, "event_file", picture.pk))
    assert response.status_code == 200 and response["Content-Type"] == "image/png"
    assert response["Content-Disposition"].startswith("inline;")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in response["Content-Security-Policy"]
    assert b"".join(response.streaming_content) == picture.file.open("rb").read()
    response = client.get(url(event, "event_file", picture.pk) + "?download")
    assert response["Content-Disposition"].startswith("attachment;")
    thumbnail = client.get(url(event, "event_file_thumbnail", picture.pk))
    assert thumbnail.status_code == 200 and thumbnail["Content-Type"] == "image/webp"


@pytest.mark.parametrize(
    "name, content",
    [("page.html", SCRIPT), ("logo.svg", SVG), ("截图.png", SCRIPT), ("x.js", SCRIPT)],
)
def test_anything_a_browser_could_run_downloads_as_octet_stream(
    client_for, event, bob, name, content
):
    [attachment] = attach(event, bob, upload(name, content, "text/html"))
    response = client_for(bob).get(url(event, "event_file", attachment.pk))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/octet-stream"
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in response["Content-Security-Policy"]
    thumbnail = client_for(bob).get(url(event, "event_file_thumbnail", attachment.pk))
    assert thumbnail.status_code == 404


def test_a_file_is_only_found_through_its_own_event(client_for, event, weekly, bob):
    [picture] = attach(event, bob, png())
    comment = comment_on(event, bob, "这条")
    client = client_for(bob)
    assert client.get(url(weekly, "event_file", picture.pk)).status_code == 404
    assert client.post(url(weekly, "event_file_delete", picture.pk)).status_code == 404
    assert client.post(url(weekly, "event_comment_delete", comment.pk)).status_code == 404
    assert Attachment.objects.count() == 1 and Comment.objects.count() == 1


def every_url(event, comment, picture):
    return [
        ("get", url(event, "event_discussion")),
        ("post", url(event, "event_comment")),
        ("post", url(event, "event_comment_edit", comment.pk)),
        ("post", url(event, "event_comment_delete", comment.pk)),
        ("post", url(event, "event_file_upload")),
        ("get", url(event, "event_file", picture.pk)),
        ("get", url(event, "event_file_thumbnail", picture.pk)),
        ("post", url(event, "event_file_delete", picture.pk)),
    ]


def test_mallory_gets_404_on_every_url_and_nothing_changes(
    client_for, event, bob, mallory, other_org
):
    comment = comment_on(event, bob, "内部")
    [picture] = attach(event, bob, png())
    before, client = snapshot(), client_for(mallory)
    for method, path in every_url(event, comment, picture):
        data = {"body": "x", "files": [png()]} if method == "post" else {}
        assert getattr(client, method)(path, data).status_code == 404, path
    assert snapshot() == before


def test_a_read_only_member_gets_403_on_every_write_and_nothing_changes(
    client_for, event, bob, carol, media
):
    comment = comment_on(event, bob, "内部")
    [picture] = attach(event, bob, png())
    before, files, client = snapshot(), stored_files(media), client_for(carol)
    for method, path in every_url(event, comment, picture):
        if method == "post":
            response = client.post(path, {"body": "x", "files": [png()]}, **HTMX)
            assert response.status_code == 403, path
    assert snapshot() == before and stored_files(media) == files
