"""Reading and editing a document: the page (rendered, table of contents, task links, presence),
the editor (draft autosave, preview, saving a version, the conflict view), pasted images, and who
may do what."""

# Chinese text uses full-width punctuation, as Chinese text should.
# ruff: noqa: RUF001

import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from PIL import Image

from baton.activity.models import Activity
from baton.documents import services
from baton.documents.models import (
    BODY_MAX_LENGTH,
    Document,
    DocumentDraft,
    DocumentPresence,
    DocumentVersion,
)
from baton.documents.services.presence import PRESENCE_TTL, present_people
from baton.files.models import Attachment
from baton.lib.markdown import render_document, render_markdown
from baton.orgs.models import Membership, Role
from baton.projects import services as project_services

BODY = """# 售后退换货话术

## 开场

亲，您好！处理进度见 SH-1。

## 退换货规则

| 情况 | 处理 |
| --- | --- |
| 七天无理由 | 退货 |
| 质量问题 | 换货 |
"""


@pytest.fixture(autouse=True)
def in_english():
    with translation.override("en"):
        yield


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def task(project, lists, alice):
    return project_services.create_task(
        actor=alice, project=project, task_list=lists[0], title="客户换货"
    )


@pytest.fixture
def script(org, alice, task):
    return services.create_document(actor=alice, organization=org, title="售后退换货", body=BODY)


@pytest.fixture
def readonly(org, alice, carol, script):
    """carol reads the script (a guest named on it: read-only whatever the share says)."""
    from baton.documents.models import DocumentMember

    DocumentMember.objects.create(document=script, user=carol, role="editor")
    return carol


def url(name, document, *args):
    return reverse(f"documents:{name}", args=[document.organization.slug, document.pk, *args])


def png(width=40, height=30) -> SimpleUploadedFile:
    out = io.BytesIO()
    Image.new("RGB", (width, height), (47, 111, 237)).save(out, "PNG")
    return SimpleUploadedFile("截图.png", out.getvalue(), "image/png")


def unchanged(document: Document) -> tuple:
    fresh = Document.objects.get(pk=document.pk)
    return (fresh.version, fresh.title, fresh.body, DocumentVersion.objects.count())


# ---------------------------------------------------------------- Markdown for documents


def test_headings_get_anchors_and_make_the_table_of_contents():
    rendered = render_document("# 话术\n\n## 开场 *白*\n\n## 开场 白\n\n### Refund policy")
    assert '<h2 id="h-开场-白">开场 <em>白</em></h2>' in rendered.html
    assert '<h2 id="h-开场-白-2">' in rendered.html
    assert [(h.level, h.text, h.anchor) for h in rendered.toc] == [
        (1, "话术", "h-话术"),
        (2, "开场 白", "h-开场-白"),
        (2, "开场 白", "h-开场-白-2"),
        (3, "Refund policy", "h-refund-policy"),
    ]


def test_task_references_link_only_known_tasks_and_not_inside_code_or_links():
    html = render_document(
        "见 SH-1、SH-99 和 `SH-1`，[SH-1](https://example.com)",
        references=lambda ref: "/t/SH-1" if ref == "SH-1" else None,
    ).html
    assert '<a href="/t/SH-1" class="task-ref"' in html
    assert html.count("/t/SH-1") == 1
    assert "SH-99" in html and "<code>SH-1</code>" in html


def test_document_rendering_is_sanitised_like_tasks():
    hostile = "# <script>alert(1)</script>\n\n[x](javascript:alert(1)) <img src=x onerror=alert(1)>"
    html = render_document(hostile).html
    assert "<script" not in html and 'href="javascript' not in html
    assert "<img" not in html  # raw HTML stays text


def test_existing_markdown_callers_get_no_anchors():
    assert render_markdown("# Title SH-1") == "<h1>Title SH-1</h1>\n"


# ---------------------------------------------------------------- presence (services)


def test_presence_shows_who_else_is_here_and_whether_they_edit(script, alice, bob):
    services.touch_presence(actor=alice, document=script, editing=True)
    services.touch_presence(actor=bob, document=script)
    seen_by_bob = present_people(script, viewer=bob)
    assert [(p.user, p.editing) for p in seen_by_bob] == [(alice, True)]
    assert [(p.user, p.editing) for p in present_people(script, viewer=alice)] == [(bob, False)]


def test_a_readers_claim_to_be_editing_counts_as_reading(script, readonly):
    services.touch_presence(actor=readonly, document=script, editing=True)
    assert DocumentPresence.objects.get(user=readonly).editing is False


def test_presence_expires_and_leaving_removes_it_at_once(script, alice, bob):
    services.touch_presence(actor=alice, document=script, editing=True)
    DocumentPresence.objects.update(seen_at=timezone.now() - PRESENCE_TTL - dt.timedelta(seconds=1))
    assert present_people(script, viewer=bob) == []
    services.touch_presence(actor=alice, document=script, editing=True)
    services.leave_document(actor=alice, document=script, editing=False)
    assert DocumentPresence.objects.filter(user=alice).exists()  # another page of hers is open
    services.leave_document(actor=alice, document=script, editing=True)
    assert not DocumentPresence.objects.filter(user=alice).exists()


def test_an_outsider_cannot_be_present(script, mallory):
    from django.http import Http404

    with pytest.raises(Http404):
        services.touch_presence(actor=mallory, document=script)
    assert not DocumentPresence.objects.exists()


# ---------------------------------------------------------------- files (services)


def test_a_pasted_image_is_stored_and_gives_markdown(script, bob):
    from baton.documents.presenters import markdown_for

    [image] = services.add_document_files(actor=bob, document=script, files=[png()])
    assert (image.content_type, image.width, image.height) == ("image/png", 40, 30)
    markdown = markdown_for(image)
    assert markdown.startswith("![截图.png](/o/") and markdown.endswith("%E6%88%AA%E5%9B%BE.png)")
    assert Activity.objects.filter(verb="document.attached").count() == 1


def test_a_reader_cannot_attach_files(script, readonly):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.add_document_files(actor=readonly, document=script, files=[png()])
    assert not Attachment.objects.exists()


# ---------------------------------------------------------------- the document page


def test_the_page_renders_the_document_with_contents_and_task_links(english, script, bob, task):
    response = english(bob).get(url("document", script))
    assert response.status_code == 200
    html = response.content.decode()
    assert '<h2 id="h-开场">开场</h2>' in html
    assert 'href="#h-退换货规则"' in html
    assert reverse("projects:task", args=[script.organization.slug, "SH-1"]) in html
    assert "<table>" in html
    assert url("edit", script) in html
    assert DocumentPresence.objects.filter(user=bob, editing=False).exists()


def test_the_page_hides_task_links_for_tasks_the_reader_cannot_see(english, org, script, make_user):
    dave = make_user("Dave")
    Membership.objects.create(organization=org, user=dave, role=Role.MEMBER)
    html = english(dave).get(url("document", script)).content.decode()
    assert "SH-1" in html
    assert reverse("projects:task", args=[org.slug, "SH-1"]) not in html


def test_the_page_shows_who_is_editing(english, script, alice, bob):
    alice.name = "王芳"
    alice.save()
    services.touch_presence(actor=alice, document=script, editing=True)
    html = english(bob).get(url("document", script)).content.decode()
    assert "王芳 is editing" in html


def test_a_reader_sees_the_page_without_the_edit_button(english, script, readonly):
    response = english(readonly).get(url("document", script))
    assert response.status_code == 200
    assert url("edit", script) not in response.content.decode()


def test_the_page_takes_a_fixed_number_of_queries(english, org, script, alice, bob, make_user):
    client = english(bob)
    client.get(url("document", script))
    with CaptureQueriesContext(connection) as few:
        client.get(url("document", script))
    for n in range(4):
        person = make_user(f"P{n}")
        Membership.objects.create(organization=org, user=person, role=Role.MEMBER)
        services.touch_presence(actor=person, document=script, editing=bool(n % 2))
    with CaptureQueriesContext(connection) as many:
        client.get(url("document", script))
    assert len(many) == len(few)


# ---------------------------------------------------------------- the editor


def test_the_editor_opens_with_the_text_and_marks_the_person_editing(english, script, bob):
    response = english(bob).get(url("edit", script))
    assert response.status_code == 200
    html = response.content.decode()
    assert "售后退换货话术" in html and 'name="base_version" value="1"' in html
    assert DocumentPresence.objects.get(user=bob).editing is True


def test_saving_a_version_with_a_note_goes_back_to_the_page(english, script, bob):
    response = english(bob).post(
        url("edit", script),
        {"title": "售后话术", "body": BODY + "\n新增一行", "base_version": 1, "note": "加一行"},
    )
    assert response.status_code == 302 and response.url == url("document", script)
    script.refresh_from_db()
    assert (script.version, script.title) == (2, "售后话术")
    assert DocumentVersion.objects.get(document=script, number=2).note == "加一行"


def test_a_stale_save_shows_the_conflict_view_with_both_texts_and_keeps_a_draft(
    english, script, alice, bob
):
    services.save_version(
        actor=alice,
        document=script,
        title="售后退换货",
        body=BODY + "\nalice 的修改",
        base_version=1,
    )
    mine = BODY.replace("七天无理由", "七天无理由退换")
    response = english(bob).post(
        url("edit", script), {"title": "售后退换货", "body": mine, "base_version": 1, "note": ""}
    )
    assert response.status_code == 409
    html = response.content.decode()
    assert "Someone saved while you were editing" in html
    assert "alice 的修改" in html  # their version
    assert html.count("七天无理由退换") >= 2  # mine, and the merge box
    assert 'name="base_version" value="2"' in html  # the merge saves against the newest
    assert "<ins>换</ins>" in html or "<ins>退换</ins>" in html
    draft = DocumentDraft.objects.get(document=script, user=bob)
    assert (draft.body, draft.base_version) == (mine, 1)
    script.refresh_from_db()
    assert script.version == 2 and "alice 的修改" in script.body  # nothing overwritten

    merged = mine + "\nalice 的修改"
    response = english(bob).post(
        url("edit", script), {"title": "售后退换货", "body": merged, "base_version": 2}
    )
    assert response.status_code == 302
    script.refresh_from_db()
    assert (script.version, script.body) == (3, merged)
    assert not DocumentDraft.objects.filter(user=bob).exists()


def test_bad_input_answers_422_and_keeps_what_was_typed(english, script, bob):
    before = unchanged(script)
    response = english(bob).post(
        url("edit", script), {"title": "  ", "body": "我写的字", "base_version": 1}
    )
    assert response.status_code == 422
    assert "我写的字" in response.content.decode()
    assert 'aria-invalid="true"' in response.content.decode()
    too_long = "字" * (BODY_MAX_LENGTH + 1)
    response = english(bob).post(
        url("edit", script), {"title": "t", "body": too_long, "base_version": 1}
    )
    assert response.status_code == 422
    assert "at most 700,000 characters" in response.content.decode()
    assert unchanged(script) == before


def test_a_missing_base_version_is_treated_as_stale_not_as_an_overwrite(english, script, bob):
    before = unchanged(script)
    response = english(bob).post(url("edit", script), {"title": "t", "body": "新的"})
    assert response.status_code == 409
    assert unchanged(script) == before


def test_reopening_the_editor_restores_the_draft(english, script, alice, bob):
    client = english(bob)
    response = client.post(
        url("draft", script), {"title": "草稿标题", "body": "没保存的字", "base_version": 1}
    )
    assert response.status_code == 200 and response.json()["saved"] is True
    html = client.get(url("edit", script)).content.decode()
    assert "没保存的字" in html and "草稿标题" in html
    assert "Your unsaved draft" in html
    assert "Discard draft" in html
    services.save_version(
        actor=alice, document=script, title="售后退换货", body="alice", base_version=1
    )
    html = client.get(url("edit", script)).content.decode()
    assert 'name="base_version" value="1"' in html  # a save will show the conflict view
    assert "has saved version 2 since" in html


def test_discarding_the_draft(english, script, bob):
    services.save_draft(actor=bob, document=script, title="x", body="y", base_version=1)
    response = english(bob).post(url("draft", script), {"discard": "1"})
    assert response.status_code == 302 and response.url == url("edit", script)
    assert not DocumentDraft.objects.exists()


def test_a_draft_that_is_too_long_is_refused_with_a_message(english, script, bob):
    response = english(bob).post(
        url("draft", script),
        {"title": "t", "body": "字" * (BODY_MAX_LENGTH + 1), "base_version": 1},
    )
    assert response.status_code == 422
    assert "at most" in response.json()["errors"]["body"][0]
    assert not DocumentDraft.objects.exists()


def test_the_preview_uses_the_document_pipeline(english, script, bob, task):
    response = english(bob).post(
        url("preview", script), {"body": "## 标题\n\nSH-1 <script>x</script>"}
    )
    html = response.content.decode()
    assert '<h2 id="h-标题">' in html and 'class="task-ref"' in html
    assert "<script>" not in html


def test_the_presence_heartbeat_answers_with_the_others(english, script, alice, bob):
    services.touch_presence(actor=alice, document=script, editing=True)
    response = english(bob).post(url("presence", script), {"editing": "1"})
    assert response.status_code == 200
    assert "Alice is editing" in response.content.decode()
    assert DocumentPresence.objects.get(user=bob).editing is True
    response = english(bob).post(url("presence", script), {"left": "1", "editing": "1"})
    assert response.status_code == 204
    assert not DocumentPresence.objects.filter(user=bob).exists()


# ---------------------------------------------------------------- files (views)


def test_uploading_an_image_answers_with_markdown_that_serves_it(english, script, bob, carol):
    response = english(bob).post(url("file_upload", script), {"files": [png()]})
    assert response.status_code == 200
    [file] = response.json()["files"]
    assert file["markdown"] == f"![截图.png]({file['url']})"
    served = english(bob).get(file["url"])
    assert served.status_code == 200 and served["Content-Type"] == "image/png"
    assert served["Content-Disposition"].startswith("inline")
    assert served["X-Content-Type-Options"] == "nosniff"


def test_a_file_is_served_only_through_its_own_document(english, org, script, alice, bob):
    [image] = services.add_document_files(actor=bob, document=script, files=[png()])
    other = services.create_document(actor=alice, organization=org, title="物流查询")
    assert english(bob).get(url("file", other, image.pk, "x.png")).status_code == 404


def test_a_script_named_png_is_never_served_as_an_image(english, script, bob):
    fake = SimpleUploadedFile("evil.png", b"<script>alert(1)</script>", "image/png")
    response = english(bob).post(url("file_upload", script), {"files": [fake]})
    [file] = response.json()["files"]
    assert file["markdown"].startswith("[evil.png]")  # a link, not an image
    served = english(bob).get(file["url"])
    assert served["Content-Type"] == "application/octet-stream"
    assert served["Content-Disposition"].startswith("attachment")


def test_an_empty_upload_is_refused_with_a_message(english, script, bob):
    response = english(bob).post(url("file_upload", script), {})
    assert response.status_code == 422
    assert response.json()["errors"] == ["Choose at least one file."]


# ---------------------------------------------------------------- who may do what


def _writes(document):
    return [
        ("get", url("edit", document), {}),
        ("post", url("edit", document), {"title": "x", "body": "y", "base_version": 1}),
        ("post", url("draft", document), {"title": "x", "body": "y", "base_version": 1}),
        ("post", url("draft", document), {"discard": "1"}),
        ("post", url("preview", document), {"body": "x"}),
        ("post", url("file_upload", document), {"files": [png()]}),
    ]


def test_a_reader_gets_403_on_every_write_and_nothing_changes(english, script, readonly):
    before = unchanged(script)
    client = english(readonly)
    for method, address, data in _writes(script):
        assert getattr(client, method)(address, data).status_code == 403, address
    assert unchanged(script) == before
    assert not DocumentDraft.objects.exists() and not Attachment.objects.exists()


def test_an_outsider_gets_404_on_every_url_and_nothing_changes(english, script, bob, mallory):
    [image] = services.add_document_files(actor=bob, document=script, files=[png()])
    before = unchanged(script)
    client = english(mallory)
    reads = [
        ("get", url("document", script), {}),
        ("post", url("presence", script), {"editing": "1"}),
        ("get", url("file", script, image.pk, "x.png"), {}),
    ]
    for method, address, data in reads + _writes(script):
        assert getattr(client, method)(address, data).status_code == 404, address
    assert unchanged(script) == before
    assert not DocumentDraft.objects.exists()
    assert not DocumentPresence.objects.filter(user=mallory).exists()
    assert Attachment.objects.count() == 1


def test_a_document_in_the_trash_is_not_found(english, script, bob):
    Document.objects.filter(pk=script.pk).update(deleted_at=timezone.now())
    assert english(bob).get(url("document", script)).status_code == 404
    assert english(bob).get(url("edit", script)).status_code == 404


def test_anonymous_visitors_are_sent_to_log_in(client, script):
    response = client.get(url("document", script))
    assert response.status_code == 302 and "/accounts/login" in response.url
    assert not DocumentPresence.objects.exists()
