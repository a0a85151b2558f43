"""Attachments: files on a card and on its comments, uploaded, shown, downloaded and deleted."""

import io
from pathlib import Path
from urllib.parse import quote

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from PIL import Image

from baton.activity.models import Activity
from baton.discussion.models import Comment
from baton.files import storage as filekit
from baton.files.models import Attachment
from baton.files.tests.uploads import MB, SCRIPT, SVG, image_bytes, stored_files, upload
from baton.projects import services
from baton.projects.models import ProjectMember, ProjectRole, Task

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media")]
HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture(autouse=True)
def english_messages():
    """Messages are asserted in English, whatever the translations say."""
    with translation.override("en"):
        yield


@pytest.fixture
def task(project, alice, lists):
    return services.create_task(actor=alice, project=project, task_list=lists[0], title="换货单")


def url(task, action=""):
    ref = f"{task.project.key}-{task.number}"
    return reverse("projects:task", args=[task.project.organization.slug, ref]) + action


def file_url(attachment, action=""):
    return url(attachment.owner, f"/attachments/{attachment.pk}{action}")


def attach(task, actor, *uploads):
    return services.add_attachments(actor=actor, task=task, files=list(uploads))


# ---------------------------------------------------------------- services


def test_an_image_is_stored_under_a_generated_name_with_a_thumbnail_and_its_size(task, bob, media):
    # The client says text/html: the type comes from Pillow, never from the client.
    [picture] = attach(task, bob, upload("样品图.png", image_bytes(1600, 900), "text/html"))
    picture.refresh_from_db()
    assert (picture.name, picture.content_type) == ("样品图.png", "image/png")
    assert (picture.width, picture.height, picture.uploaded_by) == (1600, 900, bob)
    assert picture.file.name.startswith(f"attachments/{task.project.organization_id}/")
    assert "样品图" not in picture.file.name and picture.thumbnail.name.startswith("attachments/")
    with Image.open(picture.thumbnail.open("rb")) as thumbnail:
        assert thumbnail.format == "WEBP" and max(thumbnail.size) == 320
    assert picture.is_image and len(stored_files(media)) == 2
    activity = Activity.objects.get(verb="task.attached")
    assert (activity.target_id, activity.data) == (task.pk, {"names": ["样品图.png"]})


def test_a_camera_photo_keeps_the_size_it_is_shown_at(task, bob):
    exif = Image.Exif()
    exif[0x0112] = 6  # taken with the phone turned: shown a quarter turn round
    out = io.BytesIO()
    Image.new("RGB", (400, 300), (10, 20, 30)).save(out, "JPEG", exif=exif)
    [photo] = attach(task, bob, upload("现场照片.jpg", out.getvalue(), "image/jpeg"))
    assert (photo.content_type, photo.width, photo.height) == ("image/jpeg", 300, 400)


def test_several_files_at_once_are_one_write_with_one_activity_row(task, bob, media):
    attach(
        task,
        bob,
        upload("报价单.pdf"),
        upload("库存.xlsx", b"PK\x03\x04 sheet", "application/vnd.ms-excel"),
        upload("破损.jpg", image_bytes(fmt="JPEG"), "image/jpeg"),
    )
    rows = list(Attachment.objects.order_by("id").values_list("name", "content_type"))
    assert rows == [
        ("报价单.pdf", "application/pdf"),
        ("库存.xlsx", f"{filekit._OFFICE}.spreadsheetml.sheet"),
        ("破损.jpg", "image/jpeg"),
    ]
    [activity] = Activity.objects.filter(verb="task.attached")
    assert activity.data == {"names": ["报价单.pdf", "库存.xlsx", "破损.jpg"]}
    assert len(stored_files(media)) == 4  # three files and one thumbnail


def test_a_file_over_the_limit_is_refused_by_name_and_nothing_is_stored(task, bob, settings, media):
    settings.BATON_MAX_UPLOAD_BYTES = 1 * MB
    big = upload("报价单.pdf", b"x" * (MB + 1))
    with pytest.raises(ValidationError) as error:
        attach(task, bob, upload("ok.pdf"), big)
    assert error.value.message_dict == {"files": ["报价单.pdf is larger than the 1 MB limit."]}
    assert not Attachment.objects.exists() and stored_files(media) == []
    assert not Activity.objects.filter(verb="task.attached").exists()


def test_empty_files_and_no_files_are_refused_with_a_message(task, bob, media):
    with pytest.raises(ValidationError) as error:
        attach(task, bob, upload("空文件.txt", b""))
    assert error.value.messages == ["空文件.txt is empty (0 bytes)."]
    with pytest.raises(ValidationError) as error:
        attach(task, bob)
    assert error.value.messages == ["Choose at least one file."]
    assert stored_files(media) == []


@pytest.mark.parametrize(
    "raw, shown",
    [
        ("../../etc/passwd", "passwd"),
        ("..\\..\\windows\\win.ini", "win.ini"),
        ("发票\x00\x07\x1b[31m.pdf", "发票[31m.pdf"),
        ("合同\u202efdp.exe", "合同fdp.exe"),
        ("  售后说明.docx  ", "售后说明.docx"),
    ],
)
def test_a_name_is_reduced_to_a_safe_display_name(task, bob, media, raw, shown):
    [attachment] = attach(task, bob, upload(raw, b"data"))
    assert attachment.name == shown
    # Everything was written under the storage root, under a generated name.
    for path in stored_files(media):
        assert path.resolve().is_relative_to(Path(media).resolve())
        assert path.parent.name == str(task.project.organization_id) and path.name != shown


def test_a_very_long_or_empty_name_still_makes_a_display_name():
    name = filekit.safe_name("长" * 300 + ".xlsx")
    assert len(name) == 255 and name.endswith(".xlsx")
    assert [filekit.safe_name(raw) for raw in ["/tmp/../..", "", None, "\x00\x01"]] == ["file"] * 4


def test_a_double_extension_is_typed_by_its_last_one(task, bob):
    [attachment] = attach(task, bob, upload("发票.pdf.exe", b"MZ\x90\x00", "application/pdf"))
    assert (attachment.name, attachment.content_type) == (
        "发票.pdf.exe",
        "application/octet-stream",
    )


def test_svg_and_a_script_named_like_an_image_get_no_thumbnail(task, bob):
    svg, fake = attach(
        task,
        bob,
        upload("logo.svg", SVG, "image/svg+xml"),
        upload("截图.png", SCRIPT, "image/png"),
    )
    assert (svg.content_type, bool(svg.thumbnail)) == ("image/svg+xml", False)
    assert (fake.content_type, bool(fake.thumbnail)) == ("application/octet-stream", False)


def test_a_truncated_image_keeps_its_type_and_size_but_gets_no_thumbnail(task, bob):
    out = io.BytesIO()
    Image.effect_noise((900, 700), 60).convert("RGB").save(out, "PNG")
    [broken] = attach(task, bob, upload("半张.png", out.getvalue()[:30_000], "image/png"))
    assert (broken.content_type, broken.width, broken.height) == ("image/png", 900, 700)
    assert not broken.thumbnail and not broken.is_image


def test_a_viewer_cannot_upload_or_delete_and_nothing_changes(task, bob, carol, media):
    [mine] = attach(task, bob, upload("报价单.pdf"))
    before = stored_files(media)
    with pytest.raises(PermissionDenied):
        attach(task, carol, upload("x.pdf"))
    with pytest.raises(PermissionDenied):
        services.delete_attachment(actor=carol, attachment=mine)
    assert list(Attachment.objects.all()) == [mine] and stored_files(media) == before


def test_the_uploader_or_a_project_admin_deletes(task, alice, bob, project, make_user, org):
    from baton.orgs.models import Membership, Role

    dave = make_user("Dave")
    Membership.objects.create(organization=org, user=dave, role=Role.MEMBER)
    services.add_project_member(actor=alice, project=project, user=dave, role=ProjectRole.MEMBER)
    [alices] = attach(task, alice, upload("alice.pdf"))
    [bobs] = attach(task, bob, upload("bob.pdf"))
    with pytest.raises(PermissionDenied):
        services.delete_attachment(actor=bob, attachment=alices)
    services.delete_attachment(actor=bob, attachment=bobs)
    with pytest.raises(PermissionDenied):
        services.delete_attachment(actor=dave, attachment=alices)
    ProjectMember.objects.filter(project=project, user=bob).update(role=ProjectRole.ADMIN)
    task.project = type(project).objects.get(pk=project.pk)  # a fresh role cache
    services.delete_attachment(actor=bob, attachment=Attachment.objects.get(pk=alices.pk))
    assert not Attachment.objects.exists()
    names = list(
        Activity.objects.filter(verb="task.attachment_deleted").values_list("data", flat=True)
    )
    assert names == [{"name": "bob.pdf"}, {"name": "alice.pdf"}]


def test_a_deleted_attachment_leaves_storage_once_committed(
    task, bob, media, django_capture_on_commit_callbacks
):
    [picture] = attach(task, bob, upload("图.png", image_bytes()))
    pk = picture.pk
    assert len(stored_files(media)) == 2
    with (
        pytest.raises(RuntimeError),
        django_capture_on_commit_callbacks(execute=True),
        transaction.atomic(),
    ):
        services.delete_attachment(actor=bob, attachment=picture)
        raise RuntimeError("rolled back")
    assert Attachment.objects.filter(pk=pk).exists() and len(stored_files(media)) == 2
    with django_capture_on_commit_callbacks(execute=True):
        services.delete_attachment(actor=bob, attachment=Attachment.objects.get(pk=pk))
    assert stored_files(media) == []


def test_deleting_a_comment_or_a_task_removes_their_files(
    task, alice, bob, project, lists, media, django_capture_on_commit_callbacks
):
    comment = services.add_comment(actor=bob, task=task, body="图见附件", files=[upload("a.pdf")])
    subtask = services.create_subtask(actor=bob, parent=task, title="补发")
    attach(subtask, bob, upload("b.pdf"))
    attach(task, bob, upload("c.png", image_bytes()))
    other = services.create_task(actor=alice, project=project, task_list=lists[0], title="别的")
    [kept] = attach(other, bob, upload("kept.pdf"))
    assert len(stored_files(media)) == 5
    with django_capture_on_commit_callbacks(execute=True):
        services.delete_comment(actor=bob, comment=comment)
    assert len(stored_files(media)) == 4
    with django_capture_on_commit_callbacks(execute=True):
        services.delete_task(actor=bob, task=Task.objects.get(pk=task.pk))
    assert stored_files(media) == [Path(media) / kept.file.name]
    assert list(Attachment.objects.all()) == [kept]


def test_a_comment_carries_files_in_one_write(task, bob, media):
    comment = services.add_comment(
        actor=bob,
        task=task,
        body="破损照片和报价单",
        files=[upload("破损.png", image_bytes()), upload("报价单.pdf")],
    )
    files = list(comment.attachments.order_by("id"))
    assert [a.name for a in files] == ["破损.png", "报价单.pdf"]
    assert all(a.owner == task for a in files)
    [activity] = Activity.objects.filter(verb__in=["comment.added", "task.attached"])
    assert activity.data == {"comment": comment.pk, "names": ["破损.png", "报价单.pdf"]}


def test_a_comment_may_be_files_alone_but_not_nothing(task, bob, media):
    comment = services.add_comment(actor=bob, task=task, body="  ", files=[upload("单据.pdf")])
    assert comment.body == "" and comment.attachments.count() == 1
    with pytest.raises(ValidationError):
        services.add_comment(actor=bob, task=task, body="", files=[])


def test_a_comment_with_a_refused_file_writes_nothing(task, bob, media, settings):
    settings.BATON_MAX_UPLOAD_BYTES = 1 * MB
    with pytest.raises(ValidationError):
        services.add_comment(
            actor=bob, task=task, body="看附件", files=[upload("大.pdf", b"x" * (2 * MB))]
        )
    with pytest.raises(ValidationError):  # too long a text: its files are not kept either
        services.add_comment(actor=bob, task=task, body="长" * 20_001, files=[upload("a.pdf")])
    assert not Comment.objects.exists() and not Attachment.objects.exists()
    assert stored_files(media) == []


# ---------------------------------------------------------------- views


def test_uploading_answers_with_the_section_and_the_new_timeline_entry(english, task, bob, media):
    files = [upload("报价单.pdf"), upload("破损.png", image_bytes(), "image/png")]
    response = english(bob).post(url(task, "/attachments/new"), {"files": files}, **HTMX)
    assert response.status_code == 200
    html = response.content.decode()
    assert html.lstrip().startswith('<section class="section attachments" id="attachments"')
    pdf, png = Attachment.objects.order_by("id")
    assert f'href="{file_url(pdf)}?download"' in html and "报价单.pdf" in html
    assert f'src="{file_url(png)}/thumbnail"' in html and "data-viewer-item" in html
    assert 'hx-swap-oob="beforeend:#timeline-entries"' in html
    assert "<b>Bob</b> attached 2 files: <b>报价单.pdf、破损.png</b>" in " ".join(html.split())


def test_the_panel_shows_the_files_of_the_card_and_of_each_comment(client_for, task, alice, bob):
    attach(task, bob, upload("报价单.pdf"), upload("破损.png", image_bytes(), "image/png"))
    services.add_comment(
        actor=alice, task=task, body="回执", files=[upload("回执.jpg", image_bytes(fmt="JPEG"))]
    )
    html = client_for(bob).get(url(task), **HTMX).content.decode()
    section = html.split('id="attachments"')[1].split("</section>")[0]
    assert "报价单.pdf" in section and "破损.png" in section and "回执.jpg" not in section
    comment = Comment.objects.get()
    assert f'id="comment-files-{comment.pk}"' in html and "回执.jpg" in html
    # bob deletes his own files, not alice's
    pdf = Attachment.objects.get(name="报价单.pdf")
    receipt = Attachment.objects.get(name="回执.jpg")
    assert f"{file_url(pdf)}/delete" in html and f"{file_url(receipt)}/delete" not in html
    page = client_for(bob).get(url(task)).content.decode()  # the task's own page, not the panel
    assert 'id="attachments"' in page and "回执.jpg" in page and "<html" in page


def test_uploads_past_the_limit_or_empty_get_422_with_the_message(
    english, task, bob, settings, media
):
    settings.BATON_MAX_UPLOAD_BYTES = 1 * MB
    client = english(bob)
    big = upload("报价单.pdf", b"x" * (MB + 10))
    response = client.post(url(task, "/attachments/new"), {"files": [big]}, **HTMX)
    assert response.status_code == 422
    assert "报价单.pdf is larger than the 1 MB limit." in response.content.decode()
    response = client.post(
        url(task, "/attachments/new"), {"files": [upload("空.txt", b"")]}, **HTMX
    )
    assert response.status_code == 422 and "空.txt is empty (0 bytes)." in response.content.decode()
    response = client.post(url(task, "/attachments/new"), {}, **HTMX)
    assert response.status_code == 422 and "Choose at least one file." in response.content.decode()
    assert not Attachment.objects.exists() and stored_files(media) == []


def test_a_file_larger_than_djangos_memory_limit_streams_to_disk_and_is_kept(
    client_for, task, bob, settings
):
    settings.FILE_UPLOAD_MAX_MEMORY_SIZE = 256 * 1024  # 2.5 MB by default: smaller, for speed
    data = bytes(range(256)) * 4096  # 1 MB, above both Django limits here
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 512 * 1024
    files = [SimpleUploadedFile("录像.mp4", data, "video/mp4")]
    response = client_for(bob).post(url(task, "/attachments/new"), {"files": files}, **HTMX)
    assert response.status_code == 200
    video = Attachment.objects.get()
    assert (video.size, video.content_type) == (len(data), "video/mp4")
    assert video.file.open("rb").read() == data


def test_an_image_is_shown_inline_and_downloaded_on_request(client_for, task, bob, carol):
    [picture] = attach(task, bob, upload("破损.png", image_bytes(), "image/png"))
    client = client_for(carol)  # a viewer may see and download
    response = client.get(file_url(picture))
    assert response.status_code == 200 and response["Content-Type"] == "image/png"
    assert response["Content-Disposition"].startswith("inline;")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"].startswith("private")
    assert "sandbox" in response["Content-Security-Policy"]
    assert b"".join(response.streaming_content) == picture.file.open("rb").read()
    response = client.get(file_url(picture) + "?download")
    assert response["Content-Disposition"].startswith("attachment;")
    thumbnail = client.get(file_url(picture, "/thumbnail"))
    assert thumbnail.status_code == 200 and thumbnail["Content-Type"] == "image/webp"


@pytest.mark.parametrize(
    "name, content",
    [
        ("说明.html", b"<html><body>" + SCRIPT + b"</body></html>"),
        ("logo.svg", SVG),
        ("feed.xml", b"<?xml version='1.0'?><x:script xmlns:x='http://www.w3.org/1999/xhtml'/>"),
        ("app.js", b"alert(1)"),
        ("截图.png", SCRIPT),  # a script named like an image
        ("神秘文件", SCRIPT),  # no extension
    ],
)
def test_anything_a_browser_could_run_downloads_as_octet_stream(
    client_for, task, bob, name, content
):
    [attachment] = attach(task, bob, upload(name, content, "text/html"))
    response = client_for(bob).get(file_url(attachment))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/octet-stream"
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert client_for(bob).get(file_url(attachment, "/thumbnail")).status_code == 404


def test_a_chinese_name_survives_the_download_header(client_for, task, bob):
    [pdf] = attach(task, bob, upload("2026双11报价单 (终版).pdf"))
    response = client_for(bob).get(file_url(pdf))
    assert response["Content-Type"] == "application/pdf"
    disposition = response["Content-Disposition"]
    assert disposition == f"attachment; filename*=utf-8''{quote('2026双11报价单 (终版).pdf')}"
    assert response["Content-Disposition"].encode("latin-1")  # a valid header


def test_mallory_gets_404_on_every_attachment_url(client_for, task, bob, mallory, other_org):
    [picture] = attach(task, bob, upload("图.png", image_bytes(), "image/png"))
    client = client_for(mallory)
    assert (
        client.post(url(task, "/attachments/new"), {"files": [upload("x.pdf")]}).status_code == 404
    )
    assert client.get(file_url(picture)).status_code == 404
    assert client.get(file_url(picture, "/thumbnail")).status_code == 404
    assert client.post(file_url(picture, "/delete")).status_code == 404
    assert Attachment.objects.count() == 1


def test_carol_the_viewer_gets_403_on_writes_with_nothing_changed(
    client_for, task, bob, carol, media
):
    [pdf] = attach(task, bob, upload("报价单.pdf"))
    before = stored_files(media)
    client = client_for(carol)
    response = client.post(url(task, "/attachments/new"), {"files": [upload("x.pdf")]}, **HTMX)
    assert response.status_code == 403
    assert client.post(file_url(pdf, "/delete"), **HTMX).status_code == 403
    assert list(Attachment.objects.all()) == [pdf] and stored_files(media) == before
    html = client.get(url(task), **HTMX).content.decode()
    assert "/attachments/new" not in html and f"{file_url(pdf)}/delete" not in html
    assert f"{file_url(pdf)}?download" in html  # but she may download


def test_an_attachment_is_reached_only_through_its_own_task(
    client_for, task, alice, bob, project, lists
):
    [pdf] = attach(task, bob, upload("报价单.pdf"))
    other = services.create_task(actor=alice, project=project, task_list=lists[0], title="别的")
    wrong = url(other, f"/attachments/{pdf.pk}")
    assert client_for(bob).get(wrong).status_code == 404
    assert client_for(bob).post(wrong + "/delete").status_code == 404
    assert client_for(bob).get(url(task, "/attachments/999999")).status_code == 404


def test_bob_cannot_delete_alices_file_but_deletes_his_own(client_for, task, alice, bob, media):
    [alices] = attach(task, alice, upload("alice.pdf"))
    [bobs] = attach(task, bob, upload("bob.pdf"))
    client = client_for(bob)
    assert client.post(file_url(alices, "/delete"), **HTMX).status_code == 403
    response = client.post(file_url(bobs, "/delete"), **HTMX)
    assert response.status_code == 200 and "bob.pdf" in response.content.decode()  # the history
    assert list(Attachment.objects.all()) == [alices]


def test_deleting_a_comments_file_answers_with_that_comments_files(client_for, task, bob):
    comment = services.add_comment(
        actor=bob, task=task, body="两张图", files=[upload("1.pdf"), upload("2.pdf")]
    )
    first = Attachment.objects.get(name="1.pdf")
    response = client_for(bob).post(file_url(first, "/delete"), **HTMX)
    html = response.content.decode()
    assert response.status_code == 200
    assert f'id="comment-files-{comment.pk}"' in html and "2.pdf" in html
    assert 'id="attachments"' not in html


def test_a_comment_with_files_from_the_form(client_for, task, bob):
    data = {"body": "附上破损照片", "files": [upload("破损.png", image_bytes(), "image/png")]}
    response = client_for(bob).post(url(task, "/comments/new"), data, **HTMX)
    assert response.status_code == 200
    comment = Comment.objects.get()
    assert [a.name for a in comment.attachments.all()] == ["破损.png"]
    assert f'id="comment-files-{comment.pk}"' in response.content.decode()


def test_a_refused_comment_file_keeps_the_text(english, task, bob, settings):
    settings.BATON_MAX_UPLOAD_BYTES = 1 * MB
    data = {"body": "**请尽快处理**", "files": [upload("大.pdf", b"x" * (MB + 1))]}
    response = english(bob).post(url(task, "/comments/new"), data, **HTMX)
    assert response.status_code == 422
    html = response.content.decode()
    assert "大.pdf is larger than the 1 MB limit." in html and "**请尽快处理**" in html
    assert not Comment.objects.exists()


def test_without_javascript_an_upload_redirects_back_to_the_task(client_for, task, bob):
    response = client_for(bob).post(url(task, "/attachments/new"), {"files": [upload("a.pdf")]})
    assert response.status_code == 302 and response["Location"] == url(task)


def test_the_timeline_reads_the_attachment_verbs(english, task, bob):
    [pdf] = attach(task, bob, upload("报价单.pdf"))
    attach(task, bob, upload("a.pdf"), upload("b.pdf"))
    services.delete_attachment(actor=bob, attachment=pdf)
    html = " ".join(english(bob).get(url(task), **HTMX).content.decode().split())
    assert "attached <b>报价单.pdf</b>" in html
    assert "attached 2 files: <b>a.pdf、b.pdf</b>" in html
    assert "deleted the attachment <del>报价单.pdf</del>" in html


def test_the_panel_reads_its_attachments_in_one_query(
    client_for, task, alice, bob, django_assert_num_queries
):
    client = client_for(bob)
    client.get(url(task), **HTMX)
    with CaptureQueriesContext(connection) as none:
        assert client.get(url(task), **HTMX).status_code == 200
    attach(task, alice, upload("a.pdf"), upload("b.png", image_bytes(), "image/png"))
    attach(task, bob, upload("c.xlsx", b"PK"), upload("d.jpg", image_bytes(fmt="JPEG")))
    for n in range(3):
        services.add_comment(actor=bob, task=task, body=f"第{n}条", files=[upload(f"{n}.pdf")])
    with CaptureQueriesContext(connection) as several:
        assert client.get(url(task), **HTMX).status_code == 200
    # one query for all of them (and the three comments' own rows come with the timeline)
    assert len(several) == len(none) + 1
    with django_assert_num_queries(len(several)):
        client.get(url(task), **HTMX)


@pytest.mark.django_db(transaction=True)
def test_a_large_upload_passes_through_the_server_bridge(client_for, project, lists, bob, media):
    """`baton serve` reads the whole body first (spooled to disk past 2 MB), then Django streams
    the file to a temporary file: neither caps a body below the upload limit."""
    from django.core.wsgi import get_wsgi_application
    from django.test.client import BOUNDARY, MULTIPART_CONTENT, encode_multipart

    from tests.test_wsgi_bridge import scope, serve

    task = services.create_task(actor=bob, project=project, task_list=lists[0], title="大文件")
    session = client_for(bob).cookies["sessionid"].value
    csrf = "a" * 32
    data = bytes(range(256)) * (12 * 1024)  # 3 MB: past the bridge's spool and Django's memory
    body = encode_multipart(BOUNDARY, {"files": [upload("录像.mp4", data, "video/mp4")]})
    headers = [
        ("host", "127.0.0.1"),
        ("content-type", MULTIPART_CONTENT),
        ("content-length", str(len(body))),
        ("cookie", f"sessionid={session}; csrftoken={csrf}"),
        ("x-csrftoken", csrf),
        ("hx-request", "true"),
    ]
    chunks = [body[i : i + 64 * 1024] for i in range(0, len(body), 64 * 1024)]
    messages = [
        {"type": "http.request", "body": chunk, "more_body": i < len(chunks) - 1}
        for i, chunk in enumerate(chunks)
    ]
    sent = serve(
        get_wsgi_application(), scope("POST", url(task, "/attachments/new"), headers), *messages
    )
    assert sent[0]["status"] == 200, b"".join(m.get("body", b"") for m in sent[1:])[:500]
    video = Attachment.objects.get()
    assert video.size == len(data) and video.file.open("rb").read() == data
