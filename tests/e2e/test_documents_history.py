"""A script's history in the browser: two saved versions, the history, a comparison that marks
the one changed Chinese character, restoring the first version, following it as a second person,
and sharing it read-only with a team; in Chinese and in English."""

# Chinese text uses full-width punctuation, as Chinese text should.
# ruff: noqa: RUF001

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from baton.documents import services
from baton.documents.models import DocumentFollower, DocumentMember, DocumentRole
from baton.orgs.models import Team
from tests.e2e.board import csp_violations, watch
from tests.e2e.conftest import login, screenshot

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

FIRST = (
    "# 售后退换货话术\n\n亲，您好！很高兴为您服务。\n\n## 退货\n\n"
    "七天无理由退货，请保持商品完好。\n\n## 运费\n\n质量问题由我们承担运费。\n"
)
SECOND = FIRST.replace("七天无理由退货", "七天无理由退换货").replace(
    "质量问题由我们承担运费。", "质量问题由我们承担运费，顺丰上门取件。"
)

TEXT = {
    "zh-CN": {
        "restore": "恢复",
        "follow": "关注",
        "following": "已关注",
        "add": "添加",
        "read_only": "只读",
    },
    "en": {
        "restore": "Restore",
        "follow": "Follow",
        "following": "Following",
        "add": "Add",
        "read_only": "Read only",
    },
}


@pytest.fixture
def script(org, alice):
    document = services.create_document(
        actor=alice, organization=org, title="售后退换货", body=FIRST
    )
    services.save_version(
        actor=alice,
        document=document,
        title="售后退换货",
        body=SECOND,
        base_version=1,
        note="退货改为退换货，加上门取件",
    )
    return document


@pytest.mark.parametrize("language", ["zh-CN", "en"])
def test_compare_restore_follow_and_share(new_page, org, alice, bob, script, language):
    team = Team.objects.create(organization=org, name="客服", color="teal")
    team.members.add(bob)
    words = TEXT[language]
    history_url = reverse("documents:history", args=[org.slug, script.pk])

    page = new_page(language, width=1440, height=900)
    watch(page)
    login(page, alice.email)
    page.goto(history_url)
    rows = page.locator(".dh-version")
    expect(rows).to_have_count(2)
    expect(rows.first).to_contain_text("退货改为退换货")
    screenshot(page, f"documents-history-{language}")

    # Compare: the default pick is the newest against the one before it.
    page.locator("button[form=dh-compare-form]").click()
    inserted = page.locator(".dh-diff ins")
    expect(inserted.first).to_have_text("换")
    expect(page.locator(".dh-diff del")).to_have_count(0)
    screenshot(page, f"documents-compare-inline-{language}")
    page.locator(".dh-view-switch a").nth(1).click()
    expect(page.locator(".dh-diff-split ins").first).to_have_text("换")
    screenshot(page, f"documents-compare-split-{language}")

    # Restore version 1: asked first, then a third version appears, restored from 1.
    page.goto(history_url)
    page.locator("#version-1 .dh-restore-link").click()
    ask = page.locator("#restore .dh-restore-confirm")
    expect(ask).to_be_visible()
    expect(page.locator(".dh-version-body")).to_contain_text("七天无理由退货")
    screenshot(page, f"documents-restore-ask-{language}")
    ask.locator("button[type=submit]").click()
    expect(page.locator(".dh-version")).to_have_count(3)
    expect(page.locator("#version-3 .dh-restored")).to_be_visible()
    script.refresh_from_db()
    assert script.version == 3 and script.body == FIRST

    # Share it with the 客服 team, read only, and make them followers.
    page.goto(reverse("documents:share", args=[org.slug, script.pk]))
    page.select_option(".dh-share-add select[name=who]", f"team:{team.pk}")
    page.select_option(".dh-share-add select[name=role]", DocumentRole.VIEWER)
    page.locator(".dh-share-add button[type=submit]").click()
    member = page.locator(".dh-member", has_text="客服")
    expect(member).to_be_visible()
    expect(member.locator("select[name=role]")).to_have_value("viewer")
    assert DocumentMember.objects.get(document=script).role == DocumentRole.VIEWER
    screenshot(page, f"documents-share-{language}")
    assert csp_violations(page) == []
    assert page.console_errors == []

    # bob follows it from the document page (the team share made him a follower already:
    # unfollow, then follow again), and comments there.
    other = new_page(language, width=1440, height=900)
    watch(other)
    login(other, bob.email)
    other.goto(reverse("documents:document", args=[org.slug, script.pk]))
    button = other.locator(".dh-follow-button")
    expect(button).to_have_text(f"✓ {words['following']}")
    button.click()
    expect(other.locator(".dh-follow-button")).to_have_attribute("aria-pressed", "false")
    expect(other.locator(".dh-follow-button")).to_have_text(f"＋ {words['follow']}")
    assert not DocumentFollower.objects.filter(document=script, user=bob).exists()
    other.locator(".dh-follow-button").click()
    expect(other.locator(".dh-follow-button")).to_have_attribute("aria-pressed", "true")
    expect(other.locator(".dh-follower", has_text="Bob")).to_be_visible()
    assert DocumentFollower.objects.filter(document=script, user=bob).exists()
    box = other.locator("#document-comments textarea[name=body]")
    box.fill("运费那段 @Alice 要不要加上顺丰？")
    other.locator("#document-comments .comment-form button[type=submit]").click()
    expect(other.locator(".dh-comment .mention", has_text="@Alice")).to_be_visible()
    screenshot(other, f"documents-page-side-{language}")
    other.locator("#document-comments").scroll_into_view_if_needed()
    screenshot(other, f"documents-comments-{language}")
    assert csp_violations(other) == []
    assert other.console_errors == []


@pytest.mark.parametrize("language", ["zh-CN", "en"])
def test_link_a_document_from_a_card(new_page, org, project, lists, alice, bob, script, language):
    from baton.projects import services as project_services

    task = project_services.create_task(
        actor=alice, project=project, task_list=lists[0], title="顾客要求换货"
    )
    services.create_document(
        actor=alice, organization=org, title="物流查询", body=f"换货见 SH-{task.number}"
    )
    page = new_page(language, width=1440, height=900)
    watch(page)
    login(page, bob.email)
    page.goto(reverse("projects:task", args=[org.slug, f"SH-{task.number}"]))
    section = page.locator("#task-documents")
    expect(section.locator(".task-doc", has_text="物流查询")).to_be_visible()
    section.locator("select[name=document]").select_option(str(script.pk))
    section.locator(".task-doc-link button[type=submit]").click()
    expect(page.locator("#task-documents .task-doc", has_text="售后退换货")).to_be_visible()
    page.locator("#task-documents").scroll_into_view_if_needed()
    screenshot(page, f"documents-task-section-{language}")
    page.goto(reverse("documents:document", args=[org.slug, script.pk]))
    expect(page.locator(".dh-task", has_text=f"SH-{task.number}")).to_be_visible()
    assert csp_violations(page) == []
    assert page.console_errors == []
