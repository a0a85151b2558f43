"""The calendar and the document page follow someone else's changes (SSE)."""

# Chinese text uses full-width Chinese punctuation on purpose.
# ruff: noqa: RUF001

import datetime

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from tests.e2e.conftest import login, screenshot, wait_live

pytestmark = [pytest.mark.e2e]


def day_cell(page, day: datetime.date):
    return page.locator(f'.fc-daygrid-day[data-date="{day.isoformat()}"]')


def test_the_calendar_refetches_an_event_moved_by_someone_else(new_live_page, org, alice, bob):
    from baton.calendars import services as calendar_services

    calendar = calendar_services.create_calendar(
        actor=alice, organization=org, name="天猫", color="orange"
    )
    today = datetime.date.today()
    day, other = today.replace(day=12), today.replace(day=19)
    tz = datetime.UTC
    start = datetime.datetime.combine(day, datetime.time(2, 0), tz)
    event = calendar_services.create_event(
        actor=alice,
        calendar=calendar,
        title="聚划算报名",
        start=start,
        end=start + datetime.timedelta(hours=1),
    )
    page = new_live_page("zh-CN")
    login(page, bob.email)
    page.goto(reverse("calendars:home", args=[org.slug]))
    wait_live(page, "calendar:")
    expect(day_cell(page, day).locator(".fc-event", has_text="聚划算报名")).to_be_visible()
    assert f"calendar:{calendar.pk}" in page.locator("body").get_attribute("data-live-channels")

    moved = datetime.datetime.combine(other, datetime.time(2, 0), tz)
    calendar_services.move_event(
        actor=alice, event=event, start=moved, end=moved + datetime.timedelta(hours=1)
    )
    expect(day_cell(page, other).locator(".fc-event", has_text="聚划算报名")).to_be_visible()
    expect(day_cell(page, day).locator(".fc-event", has_text="聚划算报名")).to_have_count(0)
    assert page.console_errors == []


@pytest.mark.parametrize("language", ["zh-CN", "en"])
def test_the_document_page_shows_a_banner_when_someone_else_saves_a_version(
    new_live_page, org, alice, bob, language
):
    from baton.documents import services as document_services
    from baton.documents.models import Document

    document = document_services.create_document(
        actor=alice, organization=org, title="售后话术", body="# 退款\n\n亲，您好。"
    )
    url = reverse("documents:document", args=[org.slug, document.pk])
    page = new_live_page(language)
    login(page, alice.email)
    page.goto(url)
    wait_live(page, "document:")
    banner = page.locator("#live-doc-banner")
    expect(banner).to_be_hidden()

    document = Document.objects.get(pk=document.pk)
    document_services.save_version(
        actor=bob,
        document=document,
        title="售后话术",
        body="# 退款\n\n亲，您好，已为您退款。",
        base_version=document.version,
    )
    expect(banner).to_be_visible()
    expect(banner).to_contain_text("Bob")
    expect(banner).to_contain_text("2")
    # The text on the page is not replaced under the reader.
    expect(page.locator("#doc-body")).not_to_contain_text("已为您退款")
    screenshot(page, f"live-document-banner-{language}")

    # A comment by Bob appears.
    document_services.add_document_comment(actor=bob, document=document, body="这句话术要改")
    expect(page.locator("#document-comments")).to_contain_text("这句话术要改")

    # Showing the new version reloads the page with it.
    banner.locator("a").click()
    expect(page.locator("#doc-body")).to_contain_text("已为您退款")
    assert page.console_errors == []


def test_the_editor_keeps_its_text_when_someone_else_saves(new_live_page, org, alice, bob):
    from baton.documents import services as document_services
    from baton.documents.models import Document

    document = document_services.create_document(
        actor=alice, organization=org, title="话术", body="原文"
    )
    page = new_live_page("zh-CN")
    login(page, alice.email)
    page.goto(reverse("documents:edit", args=[org.slug, document.pk]))
    wait_live(page, "document:")
    editor = page.locator("#doc-editor textarea").first
    editor.fill("爱丽丝正在写的内容")
    document = Document.objects.get(pk=document.pk)
    document_services.save_version(
        actor=bob, document=document, title="话术", body="鲍勃的版本", base_version=document.version
    )
    banner = page.locator("#live-doc-banner")
    expect(banner).to_be_visible()
    expect(banner.locator("a")).to_have_attribute(
        "href", reverse("documents:version", args=[org.slug, document.pk, 2])
    )
    expect(editor).to_have_value("爱丽丝正在写的内容")
