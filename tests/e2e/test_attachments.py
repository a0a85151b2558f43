"""Attachments in the browser: a file dropped on the task panel is uploaded and shows as a
thumbnail; the viewer opens on a click and Esc closes it (not the panel); a pasted screenshot
attaches to the card, or to the comment being written; screenshots in Chinese and English."""

# Chinese text uses full-width Chinese punctuation on purpose.
# ruff: noqa: RUF001

import base64
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, ImageDraw
from playwright.sync_api import expect

from baton.discussion.models import Comment
from baton.files.models import Attachment
from baton.projects import services
from tests.e2e.board import board_url, csp_violations, is_post_to, open_task, watch
from tests.e2e.conftest import login, screenshot

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

TRANSFER = """([name, type, data]) => {
  const bytes = Uint8Array.from(atob(data), (c) => c.charCodeAt(0));
  const transfer = new DataTransfer();
  transfer.items.add(new File([bytes], name, { type }));
  return transfer;
}"""

PASTE = """([selector, data]) => {
  const bytes = Uint8Array.from(atob(data), (c) => c.charCodeAt(0));
  const transfer = new DataTransfer();
  transfer.items.add(new File([bytes], "image.png", { type: "image/png" }));
  const target = selector ? document.querySelector(selector) : document.body;
  if (selector) target.focus();
  target.dispatchEvent(new ClipboardEvent("paste", { clipboardData: transfer, bubbles: true }));
}"""


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def photo(width=1200, height=900, colors=((255, 153, 102), (204, 51, 102))) -> bytes:
    """A product-photo-like picture: a gradient with a parcel on it."""
    image = Image.new("RGB", (width, height))
    draw = ImageDraw.Draw(image)
    (r1, g1, b1), (r2, g2, b2) = colors
    for y in range(height):
        t = y / height
        draw.line(
            [(0, y), (width, y)],
            fill=(int(r1 + (r2 - r1) * t), int(g1 + (g2 - g1) * t), int(b1 + (b2 - b1) * t)),
        )
    box = (width * 0.3, height * 0.3, width * 0.7, height * 0.75)
    draw.rounded_rectangle(box, radius=24, fill=(222, 184, 135), outline=(120, 85, 50), width=8)
    draw.line(
        [(width * 0.5, height * 0.3), (width * 0.5, height * 0.75)], fill=(160, 120, 70), width=18
    )
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


def test_a_dropped_image_shows_as_a_thumbnail_and_opens_in_the_viewer(
    new_page, project, lists, bob
):
    services.create_task(actor=bob, project=project, task_list=lists[0], title="耳机破损换货")
    page = new_page()
    watch(page)
    login(page, bob.email)
    page.goto(board_url(project))
    panel = open_task(page, "耳机破损换货")
    expect(panel.locator(".attachment-tile")).to_have_count(0)

    transfer = page.evaluate_handle(TRANSFER, ["破损照片.png", "image/png", b64(photo())])
    target = panel.locator(".props")
    target.dispatch_event("dragenter", {"dataTransfer": transfer})
    target.dispatch_event("dragover", {"dataTransfer": transfer})
    expect(panel.locator(".drop-overlay")).to_be_visible()
    expect(panel.locator(".drop-message")).to_be_visible()
    screenshot(page, "attachments-drop-overlay")
    with page.expect_response(is_post_to("/attachments/new")) as response:
        target.dispatch_event("drop", {"dataTransfer": transfer})
    assert response.value.status == 200

    tile = page.locator("#attachments .attachment-tile")
    expect(tile).to_have_count(1)
    expect(page.locator(".drop-overlay")).to_be_hidden()
    expect(tile.locator(".attachment-name")).to_have_text("破损照片.png")
    thumbnail = tile.locator("img")
    expect(thumbnail).to_have_js_property("complete", True)
    assert thumbnail.evaluate("img => img.naturalWidth") == 320
    attachment = Attachment.objects.get()
    assert (attachment.name, attachment.width, attachment.height) == ("破损照片.png", 1200, 900)
    # The timeline heard of it without reloading the panel.
    expect(page.locator("#timeline-entries .change").last).to_contain_text("破损照片.png")

    tile.locator(".attachment-thumb").click()
    viewer = page.locator("#attachments .viewer")
    expect(viewer).to_be_visible()
    expect(viewer.locator(".viewer-name")).to_have_text("破损照片.png")
    expect(viewer.locator(".viewer-image")).to_have_js_property("naturalWidth", 1200)
    expect(viewer.locator("a.viewer-button")).to_have_attribute(
        "href", f"{tile.locator('.attachment-thumb').get_attribute('href')}?download"
    )
    page.keyboard.press("Escape")
    expect(viewer).to_be_hidden()
    expect(page.locator("#panel-body .task-detail")).to_be_visible()  # the panel stays open
    assert page.console_errors == []
    assert csp_violations(page) == []


def test_a_pasted_screenshot_attaches_to_the_card_or_to_the_comment_being_written(
    new_page, project, lists, bob
):
    task = services.create_task(actor=bob, project=project, task_list=lists[0], title="缺件")
    page = new_page()
    watch(page)
    login(page, bob.email)
    page.goto(board_url(project))
    panel = open_task(page, "缺件")

    # Outside any text field: to the card, under a name one can tell apart.
    with page.expect_response(is_post_to("/attachments/new")):
        page.evaluate(PASTE, [None, b64(photo(300, 200))])
    expect(page.locator("#attachments .attachment-tile")).to_have_count(1)
    pasted = Attachment.objects.get()
    assert pasted.name.startswith("粘贴的图片 ") or pasted.name.startswith("Pasted image ")
    assert pasted.comment is None

    # Into the comment box: to that comment, sent with its text.
    box = panel.locator(".comment-form textarea")
    box.fill("缺件照片见附件")
    page.evaluate(PASTE, [".comment-form textarea", b64(photo(300, 200))])
    expect(panel.locator(".chosen-file")).to_have_count(1)
    with page.expect_response(is_post_to("/comments/new")) as response:
        panel.locator(".comment-form button[type=submit]").click()
    assert response.value.status == 200
    comment = Comment.objects.get(task=task)
    expect(page.locator(f"#comment-files-{comment.pk} .attachment-tile")).to_have_count(1)
    assert comment.body == "缺件照片见附件" and comment.attachments.count() == 1
    assert page.console_errors == []


@pytest.mark.parametrize("language, short", [("zh-CN", "zh"), ("en-US", "en")])
def test_the_attachments_are_captured(new_page, project, lists, alice, bob, language, short):
    alice.language = ""  # follow the browser's Accept-Language
    alice.save(update_fields=["language"])
    task = services.create_task(
        actor=alice, project=project, task_list=lists[0], title="蓝牙耳机左耳无声，买家要求换新"
    )
    services.add_attachments(
        actor=bob,
        task=task,
        files=[
            SimpleUploadedFile("破损照片.png", photo(), "image/png"),
            SimpleUploadedFile("快递面单.png", photo(900, 1200, ((102, 170, 255), (40, 60, 160)))),
            SimpleUploadedFile("2026双11换货报价单（终版）.pdf", b"%PDF-1.7 " + b"x" * 480_000),
            SimpleUploadedFile("库存核对.xlsx", b"PK\x03\x04" + b"x" * 36_000),
        ],
    )
    services.add_comment(
        actor=alice,
        task=task,
        body="已收到寄回的耳机，质检照片如下。",
        files=[SimpleUploadedFile("质检.png", photo(800, 600, ((120, 200, 160), (30, 120, 90))))],
    )
    page = new_page(language=language)
    login(page, alice.email)
    page.goto(board_url(project))
    panel = open_task(page, task.title)
    expect(panel.locator("#attachments .attachment-tile")).to_have_count(2)
    expect(panel.locator("#attachments .attachment-row")).to_have_count(2)
    for image in panel.locator("img").all():
        expect(image).to_have_js_property("complete", True)
    panel.locator("#attachments").scroll_into_view_if_needed()
    page.evaluate("document.fonts.ready")
    screenshot(page, f"attachments-{short}-1280")
    panel.locator(".comment").scroll_into_view_if_needed()
    screenshot(page, f"attachments-{short}-1280-comment")
    panel.locator("#attachments .attachment-thumb").first.click()
    expect(page.locator(".viewer-image")).to_have_js_property("naturalWidth", 1200)
    page.locator(".viewer-next").click()
    expect(page.locator(".viewer-name")).to_have_text("快递面单.png")
    screenshot(page, f"attachments-{short}-viewer")
    page.keyboard.press("Escape")
    assert page.console_errors == []


def test_files_chosen_with_the_button_upload_together_with_a_progress_bar(
    new_page, project, lists, bob, settings
):

    settings.BATON_MAX_UPLOAD_BYTES = 1024 * 1024
    services.create_task(actor=bob, project=project, task_list=lists[0], title="报价")
    page = new_page(language="en-US")
    watch(page)
    login(page, bob.email)
    page.goto(board_url(project))
    panel = open_task(page, "报价")
    picker = panel.locator("#attachments input[type=file]")

    # Too large: refused by the page at once, naming the file and the limit; nothing is sent.
    big = {"name": "视频.mp4", "mimeType": "video/mp4", "buffer": b"x" * (1024 * 1024 + 1)}
    picker.set_input_files([big])
    expect(panel.locator("#attachments .field-error")).to_have_text(
        "视频.mp4 is larger than the 1 MB limit."
    )
    assert Attachment.objects.count() == 0

    # The upload is held until the bar has been seen (however slow the machine), then let go.
    held = []
    page.route("**/attachments/new", lambda route: held.append(route))
    files = [
        {"name": "报价单.pdf", "mimeType": "application/pdf", "buffer": b"%PDF-1.7 " * 40_000},
        {"name": "样品.png", "mimeType": "image/png", "buffer": photo(640, 480)},
    ]
    with page.expect_response(is_post_to("/attachments/new")) as response:
        picker.set_input_files(files)
        expect(panel.locator(".upload-progress")).to_be_visible()
        expect(panel.locator(".upload-label")).to_contain_text("2")
        while not held:
            page.wait_for_timeout(50)
        held[0].continue_()
    assert response.value.status == 200
    expect(page.locator("#attachments .attachment-row")).to_have_count(1)
    expect(page.locator("#attachments .attachment-tile")).to_have_count(1)
    expect(page.locator("#attachments .upload-progress")).to_be_hidden()
    assert sorted(Attachment.objects.values_list("name", flat=True)) == ["报价单.pdf", "样品.png"]
    assert page.console_errors == []


def test_deleting_a_file_asks_first_and_updates_the_section_and_the_comment(
    new_page, project, lists, bob
):
    task = services.create_task(actor=bob, project=project, task_list=lists[0], title="退货")
    services.add_attachments(
        actor=bob, task=task, files=[SimpleUploadedFile("运单.pdf", b"%PDF-1.7 waybill")]
    )
    comment = services.add_comment(
        actor=bob, task=task, body="", files=[SimpleUploadedFile("截图.png", photo(400, 300))]
    )
    page = new_page(language="en-US")
    login(page, bob.email)
    page.goto(board_url(project))
    panel = open_task(page, "退货")

    messages = []
    page.once("dialog", lambda dialog: (messages.append(dialog.message), dialog.dismiss()))
    panel.locator("#attachments .attachment-row .attachment-action.danger").click()
    expect(panel.locator("#attachments .attachment-row")).to_have_count(1)  # dismissed: kept
    assert messages == ["Delete 运单.pdf? This cannot be undone."]

    page.once("dialog", lambda dialog: dialog.accept())
    with page.expect_response(is_post_to("/delete")):
        panel.locator("#attachments .attachment-row .attachment-action.danger").click()
    expect(page.locator("#attachments .attachment-row")).to_have_count(0)
    expect(page.locator("#timeline-entries .change").last).to_contain_text(
        "deleted the attachment 运单.pdf"
    )

    files = page.locator(f"#comment-files-{comment.pk}")
    files.locator(".attachment-tile").hover()
    page.once("dialog", lambda dialog: dialog.accept())
    with page.expect_response(is_post_to("/delete")):
        files.locator(".attachment-action.danger").click()
    expect(files).to_have_count(0)
    assert not Attachment.objects.exists()
    assert page.console_errors == []
