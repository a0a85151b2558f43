"""A new document in the browser: created empty, it has no version until its first text is saved,
which is version 1; its HTML export shows its own picture and loads nothing from another site.
Chinese and English, laptop and phone."""

# Chinese text uses full-width punctuation, as Chinese text should.
# ruff: noqa: RUF001

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from baton.documents import services
from baton.documents.models import Document, DocumentVersion
from baton.documents.presenters import markdown_for
from tests.e2e.board import csp_violations, watch
from tests.e2e.conftest import login, screenshot

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

TEXT = {
    "zh-CN": {"unsaved": "尚未保存", "nothing": "还没有保存过任何版本", "v1": "第 1 版"},
    "en": {"unsaved": "Not saved yet", "nothing": "Nothing has been saved yet", "v1": "Version 1"},
}
SIZES = [("zh-CN", 1280), ("en", 1280), ("zh-CN", 390), ("en", 390)]


def doc_url(name: str, document) -> str:
    return reverse(f"documents:{name}", args=[document.organization.slug, document.pk])


@pytest.mark.parametrize(("language", "width"), SIZES)
def test_a_new_document_has_no_version_until_its_first_text_is_saved(
    new_page, org, alice, language, width
):
    page = new_page(language, width=width, height=900)
    watch(page)
    login(page, alice.email)
    page.goto(reverse("documents:create", args=[org.slug]))
    page.fill("input[name=title]", "618 大促客服话术")
    page.locator("form.docs-create-form button[type=submit]").click()
    page.wait_for_url(re.compile(r"/edit$"))
    document = Document.objects.get()
    assert document.version == 0 and not DocumentVersion.objects.exists()

    # Before any save: the page and the history say so; nothing to compare.
    page.goto(doc_url("document", document))
    expect(page.locator(".doc-version")).to_have_text(TEXT[language]["unsaved"])
    page.goto(doc_url("history", document))
    expect(page.locator(".dh-no-versions")).to_contain_text(TEXT[language]["nothing"])
    expect(page.locator(".dh-version")).to_have_count(0)
    screenshot(page, f"documents-history-empty-{language}-{width}")

    # The first save is version 1, the only one.
    page.goto(doc_url("edit", document))
    page.locator("#doc-body-input").fill("亲，您好！618 期间满 300 减 40。")
    with page.expect_navigation():
        page.locator("#doc-save").click()
    expect(page.locator(".doc-version")).to_have_text(TEXT[language]["v1"])
    page.goto(doc_url("history", document))
    expect(page.locator(".dh-version")).to_have_count(1)
    expect(page.locator("#version-1")).to_be_visible()
    screenshot(page, f"documents-history-first-{language}-{width}")
    assert [v.number for v in DocumentVersion.objects.all()] == [1]
    assert csp_violations(page) == []
    assert page.console_errors == []


@pytest.mark.parametrize(("language", "width"), SIZES)
def test_an_exported_page_shows_its_own_picture_and_loads_nothing_from_elsewhere(
    new_page, org, alice, language, width, settings, tmp_path
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tests.e2e.test_documents_editing import poster

    settings.MEDIA_ROOT = tmp_path / "media"
    document = services.create_document(actor=alice, organization=org, title="活动页素材")
    attachment = services.add_document_files(
        actor=alice,
        document=document,
        files=[SimpleUploadedFile("海报.png", poster(), content_type="image/png")],
    )[0]
    body = (
        f"# 活动页素材\n\n{markdown_for(attachment)}\n\n"
        "![追踪](//evil.example/p.gif) ![x](HTTPS://EVIL.example/q.gif)\n\n"
        '<img src="http://evil.example/r.gif">'
    )
    services.save_version(
        actor=alice, document=document, title=document.title, body=body, base_version=0
    )
    page = new_page(language, width=width, height=900)
    login(page, alice.email)
    remote = []

    def refuse(route):  # a request to the other site would be the tracking pixel
        remote.append(route.request.url)
        route.abort()

    page.route(re.compile(r"evil\.example", re.IGNORECASE), refuse)
    export = page.request.get(doc_url("export_html", document))
    assert export.ok
    # Shown as a page of this server (as if opened from it), with the response's own CSP.
    page.route(
        "**/export-preview",
        lambda route: route.fulfill(
            status=200,
            headers={"content-type": "text/html; charset=utf-8", **_csp(export)},
            body=export.body(),
        ),
    )
    page.goto("/export-preview")
    own = page.locator("img")
    expect(own).to_have_count(1)
    page.wait_for_function("() => document.images[0].complete && document.images[0].naturalWidth")
    links = page.locator("a[href*='evil.example' i]")
    expect(links).to_have_count(2)
    expect(page.locator("body")).to_contain_text('<img src="http://evil.example/r.gif">')
    screenshot(page, f"documents-export-{language}-{width}")
    assert remote == []


def _csp(response) -> dict:
    return {"content-security-policy": response.headers["content-security-policy"]}
