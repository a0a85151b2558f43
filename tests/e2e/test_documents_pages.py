"""The documents pages in the browser: create a folder, a document in it, move it to another
folder, reorder by dragging, delete it to the trash and restore it, import two .md files (and
see a binary one refused)."""

# ruff: noqa: RUF001

import re

import pytest
from playwright.sync_api import expect

from baton.documents import services
from baton.documents.models import Document, Folder
from tests.e2e.board import csp_violations, watch
from tests.e2e.conftest import login, screenshot

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def docs_url(org) -> str:
    return f"/o/{org.slug}/docs/"


def new_folder(page, name: str) -> None:
    page.locator("#new-folder summary").click()
    page.fill("#new-folder input[name=name]", name)
    page.locator("#new-folder button[type=submit]").click()
    expect(page.locator(".docs-header h1")).to_have_text(name)


@pytest.mark.parametrize("language", ["zh-CN", "en"])
def test_folders_a_document_moved_trashed_and_restored(new_page, org, alice, language):
    page = new_page(language)
    watch(page)
    page.on("dialog", lambda dialog: dialog.accept())
    login(page, alice.email)
    page.goto(docs_url(org))
    expect(page.locator(".docs-empty")).to_be_visible()
    screenshot(page, f"documents-empty-{language}")

    new_folder(page, "客服话术")
    scripts = Folder.objects.get(name="客服话术")
    new_folder(page, "售后")  # a subfolder of 客服话术
    after_sales = Folder.objects.get(name="售后")
    assert after_sales.parent == scripts

    page.goto(f"{docs_url(org)}f/{scripts.pk}")
    page.locator(".docs-actions a.button:not(.button-secondary)").click()
    expect(page.locator("select[name=folder]")).to_have_value(str(scripts.pk))
    page.fill("input[name=title]", "售前咨询")
    page.locator("form.docs-create-form button[type=submit]").click()
    page.wait_for_url(re.compile(r"/d/\d+/edit"))
    document = Document.objects.get(title="售前咨询")
    assert document.folder == scripts
    for title in ("物流查询", "大促活动说明"):
        services.create_document(actor=alice, organization=org, title=title, folder=scripts)

    page.goto(f"{docs_url(org)}f/{scripts.pk}")
    rows = page.locator(".docs-row .docs-title")
    expect(rows).to_have_text(["售前咨询", "物流查询", "大促活动说明"])
    expect(page.locator(".docs-subfolder")).to_contain_text("售后")
    expect(page.locator(".docs-tree-link.active")).to_contain_text("客服话术")
    screenshot(page, f"documents-folder-{language}")

    # drag the last row to the top
    last = page.locator(".docs-row").nth(2).locator("[data-drag-handle]")
    first = page.locator(".docs-row").nth(0)
    with page.expect_response(lambda r: r.url.endswith("/move") and r.status == 204):
        last.drag_to(first, target_position={"x": 20, "y": 2})
    titles = list(Document.objects.filter(folder=scripts).values_list("title", flat=True))
    assert titles[0] == "大促活动说明"

    # move 售前咨询 into 售后 through its menu
    row = page.locator(".docs-row", has_text="售前咨询")
    row.locator(".docs-doc-menu .icon-button").click()
    row.locator(f'a[href$="/d/{document.pk}/move"]').click()
    page.locator(f'input[name=folder][value="{after_sales.pk}"]').check()
    screenshot(page, f"documents-move-{language}")
    page.locator(".docs-move-form button[type=submit]").click()
    page.wait_for_url(f"**/f/{after_sales.pk}")
    expect(page.locator(".docs-row .docs-title")).to_have_text(["售前咨询"])
    expect(page.locator(".docs-breadcrumbs")).to_contain_text("客服话术")

    # to the trash and back
    row = page.locator(".docs-row", has_text="售前咨询")
    row.locator(".docs-doc-menu .icon-button").click()
    row.locator(".dropdown-item.danger").click()
    expect(page.locator(".flash-success")).to_be_visible()
    expect(page.locator(".docs-row")).to_have_count(0)
    page.locator(".docs-trash-link").click()
    expect(page.locator(".docs-trash .docs-row")).to_have_count(1)
    screenshot(page, f"documents-trash-{language}")
    page.locator(".docs-trash .docs-row button[type=submit]").click()
    expect(page.locator(".docs-trash")).to_have_count(0)
    assert Document.objects.get(pk=document.pk).deleted_at is None
    page.goto(f"{docs_url(org)}f/{after_sales.pk}")
    expect(page.locator(".docs-row .docs-title")).to_have_text(["售前咨询"])

    page.goto(docs_url(org))
    expect(page.locator(".docs-row")).to_have_count(3)
    screenshot(page, f"documents-home-{language}")
    assert csp_violations(page) == []
    assert page.console_errors == []


@pytest.mark.parametrize("language", ["zh-CN", "en"])
def test_import_two_markdown_files_and_a_binary_one(new_page, org, alice, language, tmp_path):
    folder = services.create_folder(actor=alice, organization=org, name="客服话术")
    first = tmp_path / "售后退换货.md"
    first.write_text("# 售后退换货话术\n\n亲，支持七天无理由退换货～\n", encoding="utf-8")
    second = tmp_path / "logistics.md"
    second.write_text("物流一般 48 小时内发出。\n<script>alert(1)</script>\n", encoding="utf-8")
    binary = tmp_path / "photo.md"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00")
    page = new_page(language)
    watch(page)
    login(page, alice.email)
    page.goto(f"{docs_url(org)}f/{folder.pk}")
    page.locator(".docs-actions a.button-secondary", has_text=re.compile("md")).click()
    expect(page.locator("select[name=folder]")).to_have_value(str(folder.pk))
    page.set_input_files("#md-files", [str(first), str(second), str(binary)])
    page.locator("#import-body button[type=submit]").click()
    summary = page.locator(".docs-import-summary")
    expect(summary).to_be_visible()
    expect(summary.locator(".docs-imported")).to_have_count(2)
    expect(summary.locator(".docs-refused")).to_contain_text("photo.md")
    screenshot(page, f"documents-import-{language}")
    titles = sorted(Document.objects.filter(folder=folder).values_list("title", flat=True))
    assert titles == ["logistics", "售后退换货话术"]
    page.goto(f"{docs_url(org)}f/{folder.pk}")
    expect(page.locator(".docs-row")).to_have_count(2)
    assert csp_violations(page) == []
    assert page.console_errors == []


@pytest.mark.parametrize("language", ["zh-CN", "en"])
def test_the_project_documents_tab_for_a_reader(new_page, org, alice, carol, project, language):
    folder = services.create_folder(actor=alice, organization=org, name="退款流程", project=project)
    services.create_document(
        actor=alice, organization=org, title="退款 SOP", project=project, folder=folder
    )
    services.create_document(actor=alice, organization=org, title="换货须知", project=project)
    page = new_page(language)
    watch(page)
    login(page, carol.email)
    page.goto(f"/o/{org.slug}/p/{project.key}/")
    page.locator(f'.tabs a[href$="/p/{project.key}/docs"]').click()
    expect(page.locator(".docs-row")).to_have_count(2)
    expect(page.locator(".docs-tree")).to_contain_text("退款流程")
    # a viewer of the project reads and exports, and is offered no changes
    expect(page.locator(".docs-actions a.button")).to_have_count(0)
    row = page.locator(".docs-row", has_text="退款 SOP")
    row.locator(".docs-doc-menu .icon-button").click()
    expect(row.locator(".dropdown a")).to_have_count(2)
    expect(row.locator(".dropdown-item.danger")).to_have_count(0)
    screenshot(page, f"documents-project-tab-{language}")
    assert csp_violations(page) == []
    assert page.console_errors == []


def test_drop_a_document_on_a_folder_of_the_tree(new_page, org, alice, bob):
    scripts = services.create_folder(actor=alice, organization=org, name="客服话术")
    logistics = services.create_folder(actor=alice, organization=org, name="物流")
    document = services.create_document(
        actor=alice, organization=org, title="物流查询", folder=scripts
    )
    services.create_document(actor=alice, organization=org, title="售前咨询", folder=scripts)
    page = new_page("zh-CN")
    watch(page)
    login(page, bob.email)

    # from a folder's page, by the row's handle: the row leaves, the counts follow
    page.goto(f"{docs_url(org)}f/{scripts.pk}")
    handle = page.locator(".docs-row", has_text="物流查询").locator("[data-drag-handle]")
    target = page.locator(f'[data-drop-folder="{logistics.pk}"]')
    with page.expect_response(lambda r: r.url.endswith(f"/d/{document.pk}/move")) as answer:
        handle.drag_to(target)
    assert answer.value.status == 200
    expect(page.locator(".docs-row")).to_have_count(1)
    expect(target.locator(".docs-count")).to_have_text("1")
    expect(page.locator(f'[data-drop-folder="{scripts.pk}"] .docs-count')).to_have_text("1")
    assert Document.objects.get(pk=document.pk).folder == logistics

    # from the list of all documents, by the whole row: its folder cell changes
    page.goto(docs_url(org))
    row = page.locator(".docs-row", has_text="物流查询")
    with page.expect_response(lambda r: r.url.endswith(f"/d/{document.pk}/move")):
        row.drag_to(page.locator(f'[data-drop-folder="{scripts.pk}"]'))
    expect(row.locator(".docs-col-folder")).to_have_text("客服话术")
    assert Document.objects.get(pk=document.pk).folder == scripts
    assert csp_violations(page) == []
    assert page.console_errors == []
