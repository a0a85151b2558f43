"""Editing a document in the browser: write with the toolbar (a heading, a table), add an image,
save a version with a note and read it with its table of contents; two people editing the same
version: presence, then the second save gets the conflict view, merges and loses nothing."""

# Chinese text uses full-width punctuation, as Chinese text should.
# ruff: noqa: RUF001

import io
import re
import time

import pytest
from django.urls import reverse
from PIL import Image
from playwright.sync_api import expect

from baton.documents import services
from baton.documents.models import Document, DocumentDraft, DocumentVersion
from baton.projects import services as project_services
from tests.e2e.board import csp_violations, is_post_to, watch
from tests.e2e.conftest import login, screenshot

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

# Chinese or English; the Chinese translations are filled in by the lead, so either reads right.
TEXT = {
    "contents": re.compile("目录|Contents"),
    "editing": re.compile("正在编辑|is editing"),
    "conflict": re.compile("保存了|Someone saved while you were editing"),
}


def poster() -> bytes:
    out = io.BytesIO()
    image = Image.new("RGB", (640, 240), (47, 111, 237))
    image.paste((255, 214, 0), (40, 40, 600, 120))
    image.save(out, "PNG")
    return out.getvalue()


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def edit_url(document) -> str:
    return reverse("documents:edit", args=[document.organization.slug, document.pk])


def page_url(document) -> str:
    return reverse("documents:document", args=[document.organization.slug, document.pk])


@pytest.mark.parametrize("language", ["zh-CN", "en"])
def test_write_a_document_with_a_table_and_an_image_and_read_it_with_its_contents(
    new_page, org, project, lists, alice, bob, media, language
):
    project_services.create_task(actor=alice, project=project, task_list=lists[0], title="客户换货")
    script = services.create_document(actor=alice, organization=org, title="售前咨询", body="")
    page = new_page(language, width=1440, height=960)
    watch(page)
    login(page, bob.email)
    page.goto(edit_url(script))
    source = page.locator("#doc-body-input")

    # A heading from the toolbar, a paragraph naming a task, a table from the toolbar.
    source.click()
    page.locator(".doc-tool[data-md=h2]").click()
    page.keyboard.type("开场白")
    page.keyboard.press("End")
    page.keyboard.type("\n\n亲，您好！欢迎光临。处理进度见 SH-1。\n\n## 常见问题\n\n")
    page.locator(".doc-tool[data-md=table]").click()
    expect(source).to_have_value(re.compile(r"\| --- \| --- \| --- \|"))
    page.keyboard.type("问题")  # the first column's name was selected
    page.keyboard.press("Control+End")
    # The image: chosen with the toolbar's button (pasting goes through the same upload).
    with page.expect_response(is_post_to("/files")) as uploaded:
        page.locator(".doc-toolbar input[type=file]").set_input_files(
            {"name": "欢迎图.png", "mimeType": "image/png", "buffer": poster()}
        )
    assert uploaded.value.status == 200, uploaded.value.text()
    expect(source).to_have_value(re.compile(r"!\[欢迎图\.png\]\(/o/.+\)"))

    # The live preview renders it all with the document pipeline.
    preview = page.locator("#doc-preview")
    expect(preview.locator("h2#h-开场白")).to_be_visible()
    expect(preview.locator("table")).to_be_visible()
    expect(preview.locator("a.task-ref", has_text="SH-1")).to_be_visible()
    expect(preview.locator("img")).to_be_visible()
    # The draft is autosaved while typing.
    expect(page.locator("#doc-draft-status")).to_contain_text(":", timeout=15000)
    assert DocumentDraft.objects.filter(document=script, user=bob).exists()
    screenshot(page, f"documents-editor-{language}")

    page.fill("#doc-note-input", "新增开场白和常见问题")
    with page.expect_navigation():
        page.locator("#doc-save").click()
    assert page.url.endswith(page_url(script))

    # Read: the table of contents leads to each heading; the image is shown, loaded.
    toc = page.locator(".doc-toc")
    expect(toc).to_contain_text(TEXT["contents"])
    expect(toc.locator("a[href='#h-开场白']")).to_be_visible()
    expect(toc.locator("a[href='#h-常见问题']")).to_be_visible()
    body = page.locator("#doc-body")
    expect(body.locator("table")).to_be_visible()
    expect(body.locator("a.task-ref", has_text="SH-1")).to_have_attribute(
        "href", reverse("projects:task", args=[org.slug, "SH-1"])
    )
    page.wait_for_function(
        "() => { const img = document.querySelector('#doc-body img');"
        " return img && img.complete && img.naturalWidth === 640; }"
    )
    # The document was created empty: this first saved text is version 1, the only one.
    saved = DocumentVersion.objects.get(document=script)
    assert (saved.number, saved.note, saved.author) == (1, "新增开场白和常见问题", bob)
    expect(page.locator(".doc-version")).to_have_text(re.compile("第 1 版|Version 1"))
    assert not DocumentDraft.objects.filter(document=script).exists()
    screenshot(page, f"documents-page-{language}")
    assert csp_violations(page) == []
    assert page.console_errors == []


@pytest.mark.parametrize("language", ["zh-CN", "en"])
def test_two_people_edit_the_same_version_and_the_second_merges_without_losing_anything(
    new_page, org, alice, bob, media, language
):
    alice.name = "王芳"
    alice.save()
    script = services.create_document(
        actor=alice,
        organization=org,
        title="售后退换货",
        body="# 售后退换货\n\n亲，您好！\n\n七天无理由退货。\n",
    )
    bobs = new_page(language, width=1440, height=960)
    alices = new_page(language, width=1440, height=960)
    watch(bobs)
    login(bobs, bob.email)
    login(alices, alice.email)

    # bob reads the document; alice opens the editor: bob sees it within seconds.
    bobs.goto(page_url(script))
    expect(bobs.locator(".doc-presence-editing")).to_have_count(0)
    alices.goto(edit_url(script))
    editing = bobs.locator(".doc-presence-editing", has_text="王芳")
    expect(editing).to_be_visible(timeout=15000)
    expect(editing).to_contain_text(TEXT["editing"])
    screenshot(bobs, f"documents-presence-{language}")

    # Both edit version 1; alice saves first.
    bobs.goto(edit_url(script))
    expect(bobs.locator(".doc-presence-editing", has_text="王芳")).to_be_visible()
    alices.locator("#doc-body-input").fill("# 售后退换货\n\n亲，您好！\n\n七天无理由退换货。\n")
    with alices.expect_navigation():
        alices.locator("#doc-save").click()
    mine = "# 售后退换货\n\n亲，您好！我是客服小美。\n\n七天无理由退货。\n"
    bobs.locator("#doc-body-input").fill(mine)
    bobs.fill("#doc-note-input", "加上客服名字")
    with bobs.expect_response(is_post_to("/edit")) as answer:
        bobs.locator("#doc-save").click()
    assert answer.value.status == 409

    # The conflict view: her version and his text side by side, the difference, the merge box.
    conflict = bobs.locator("#doc-conflict")
    expect(conflict).to_contain_text(TEXT["conflict"])
    expect(conflict.locator("#doc-conflict-theirs")).to_contain_text("七天无理由退换货。")
    expect(conflict.locator("#doc-conflict-mine")).to_contain_text("我是客服小美")
    expect(conflict.locator(".doc-diff ins").first).to_be_visible()
    merge = bobs.locator("#doc-body-input")
    expect(merge).to_have_value(mine)
    expect(bobs.locator("#doc-note-input")).to_have_value("加上客服名字")
    screenshot(bobs, f"documents-conflict-{language}")
    assert Document.objects.get(pk=script.pk).version == 2  # nothing overwritten

    merged = "# 售后退换货\n\n亲，您好！我是客服小美。\n\n七天无理由退换货。\n"
    merge.fill(merged)
    with bobs.expect_navigation():
        bobs.locator("#doc-save").click()
    expect(bobs.locator("#doc-body")).to_contain_text("我是客服小美")
    expect(bobs.locator("#doc-body")).to_contain_text("七天无理由退换货")
    script.refresh_from_db()
    assert (script.version, script.body) == (3, merged)
    assert DocumentVersion.objects.get(document=script, number=3).note == "加上客服名字"
    assert csp_violations(bobs) == []
    # The browser logs the 409 answer itself; nothing else may go wrong.
    assert [e for e in bobs.console_errors if "409" not in e] == []


def wait_for_draft(document, user, text: str) -> DocumentDraft | None:
    """The draft the closing page sent (a beacon: nothing in the page to wait on)."""
    for _attempt in range(100):
        draft = DocumentDraft.objects.filter(document=document, user=user).first()
        if draft and text in draft.body:
            return draft
        time.sleep(0.1)
    return None


def test_closing_the_tab_right_after_typing_keeps_the_text_as_a_draft(
    new_page, org, alice, bob, media
):
    script = services.create_document(actor=alice, organization=org, title="物流查询", body="")
    page = new_page("zh-CN")
    login(page, bob.email)
    page.goto(edit_url(script))
    page.locator("#doc-body-input").fill("快递一般 48 小时内发出。")
    page.close(run_before_unload=True)  # before the next autosave tick

    draft = wait_for_draft(script, bob, "48 小时")
    assert draft is not None and draft.base_version == 0  # nothing saved yet
    again = new_page("zh-CN")
    login(again, bob.email)
    again.goto(edit_url(script))
    expect(again.locator("#doc-body-input")).to_have_value("快递一般 48 小时内发出。")
    expect(again.locator("#doc-draft-restored")).to_be_visible()
