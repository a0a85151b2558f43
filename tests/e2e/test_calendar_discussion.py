"""An event's discussion in the browser: open an event, comment with an @mention, attach an image
with the button and see its thumbnail, in Chinese and in English."""

import datetime
import io

import pytest
from django.urls import reverse
from PIL import Image
from playwright.sync_api import expect

from baton.calendars import services as calendar_services
from baton.calendars.models import Calendar
from baton.discussion.models import Comment
from baton.files.models import Attachment
from tests.e2e.board import csp_violations, watch
from tests.e2e.conftest import login, screenshot

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

TEXT = {
    "zh-CN": {"comment": "评论", "placeholder": "写评论"},
    "en": {"comment": "Comment", "placeholder": "Write a comment"},
}


def poster() -> bytes:
    out = io.BytesIO()
    image = Image.new("RGB", (960, 540), (214, 48, 49))
    image.paste((255, 214, 0), (60, 60, 900, 200))
    image.save(out, "PNG")
    return out.getvalue()


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.mark.parametrize("language", ["zh-CN", "en"])
def test_comment_and_attach_an_image_to_an_event(new_page, org, alice, bob, media, language):
    calendar = calendar_services.create_calendar(
        actor=alice, organization=org, name="天猫", color="red"
    )
    calendar_services.set_calendar_member(actor=alice, calendar=calendar, user=bob, role="editor")
    today = datetime.date.today()
    event = calendar_services.create_event(
        actor=alice,
        calendar=Calendar.objects.get(pk=calendar.pk),
        title="双11 预热直播",
        start=f"{today.isoformat()}T20:00",
        end=f"{today.isoformat()}T22:00",
        timezone="Asia/Shanghai",
        location="杭州直播间",
        description="主播 小美 **脚本**见附件",
    )
    calendar_services.add_event_comment(
        actor=alice, event=event, body="直播间已预约 @Bob 请确认脚本"
    )

    page = new_page(language, width=1440, height=960)
    watch(page)
    login(page, bob.email)
    page.goto(reverse("calendars:home", args=[org.slug]))
    page.locator(".fc-event", has_text="双11 预热直播").first.click()
    panel = page.locator("#calendar-panel")
    expect(panel.locator("#event-discussion")).to_be_visible()
    expect(panel.locator(".comment-body .mention", has_text="@Bob")).to_be_visible()

    # Comment, naming alice through the @ autocomplete.
    box = panel.locator(".comment-form textarea[name=body]")
    box.click()
    box.type("脚本已确认 @Al")
    option = panel.locator(".mention-option", has_text="Alice")
    expect(option).to_be_visible()
    option.dispatch_event("mousedown")
    expect(box).to_have_value("脚本已确认 @Alice ")
    panel.locator(".comment-form button[type=submit]").click()
    mine = panel.locator(".event-comment-list .comment").nth(1)
    expect(mine).to_contain_text("脚本已确认")
    expect(mine.locator(".mention", has_text="@Alice")).to_be_visible()
    comment = Comment.objects.get(author=bob)
    assert [person.name for person in comment.mentions.all()] == ["Alice"]

    # Attach an image and a PDF at once with the button: the image's thumbnail shows, loaded.
    panel.locator("input[data-event-files]").set_input_files(
        [
            {"name": "直播海报.png", "mimeType": "image/png", "buffer": poster()},
            {"name": "直播脚本.pdf", "mimeType": "application/pdf", "buffer": b"%PDF-1.7 script"},
        ]
    )
    thumbnail = panel.locator(".event-files .attachment-thumb img")
    expect(thumbnail).to_be_visible()
    page.wait_for_function(
        "() => { const img = document.querySelector('.event-files .attachment-thumb img');"
        " return img && img.complete && img.naturalWidth > 0; }"
    )
    expect(panel.locator(".event-files .attachment-name", has_text="直播海报.png")).to_be_visible()
    expect(panel.locator(".event-files .attachment-row", has_text="直播脚本.pdf")).to_be_visible()
    assert set(Attachment.objects.values_list("uploaded_by", flat=True)) == {bob.pk}
    screenshot(page, f"calendar-event-discussion-{language}")

    # The viewer opens on the thumbnail and Esc closes it, leaving the panel open.
    thumbnail.click()
    expect(page.locator(".viewer")).to_be_visible()
    page.keyboard.press("Escape")
    expect(page.locator(".viewer")).to_be_hidden()
    expect(panel).to_be_visible()
    assert csp_violations(page) == []
    assert page.console_errors == []
