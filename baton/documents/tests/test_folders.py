"""Folders, placement, trash, import and export services: nested folders, moves that stay in
their place, the trash's 30 days, and Markdown files that are really text."""

# ruff: noqa: RUF001

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.utils import timezone

from baton.activity.models import Activity
from baton.documents import services
from baton.documents.models import Document, Folder
from baton.documents.services.transfer import decode_markdown, title_for


@pytest.fixture
def scripts(org, alice):
    return services.create_folder(actor=alice, organization=org, name="客服话术")


@pytest.fixture
def doc(org, alice, scripts):
    return services.create_document(
        actor=alice, organization=org, title="售前咨询", body="亲，在的～", folder=scripts
    )


def test_folders_nest_and_each_write_records_one_activity(org, alice, scripts):
    child = services.create_folder(actor=alice, organization=org, name="售后", parent=scripts)
    assert child.parent == scripts and child.project is None
    services.rename_folder(actor=alice, folder=child, name="售后退换货")
    assert Folder.objects.get(pk=child.pk).name == "售后退换货"
    assert Activity.objects.filter(verb__startswith="folder.").count() == 3


def test_a_folder_name_is_required_and_short(org, alice):
    with pytest.raises(ValidationError) as error:
        services.create_folder(actor=alice, organization=org, name="  ")
    assert "required" in str(error.value)
    with pytest.raises(ValidationError):
        services.create_folder(actor=alice, organization=org, name="长" * 61)
    assert not Folder.objects.exists()


def test_a_folder_cannot_move_into_itself_or_below_itself(org, alice, scripts):
    child = services.create_folder(actor=alice, organization=org, name="售后", parent=scripts)
    for target in (scripts, child):
        with pytest.raises(ValidationError) as error:
            services.move_folder(actor=alice, folder=scripts, parent=target)
        assert "itself" in str(error.value)
    services.move_folder(actor=alice, folder=child, parent=None)
    assert Folder.objects.get(pk=child.pk).parent is None


def test_a_folder_moves_only_within_its_place(org, alice, project, scripts):
    project_folder = services.create_folder(
        actor=alice, organization=org, name="SOP", project=project
    )
    with pytest.raises(ValidationError):
        services.move_folder(actor=alice, folder=scripts, parent=project_folder)


def test_a_guest_and_an_outsider_cannot_manage_folders(org, carol, mallory, scripts):
    with pytest.raises(PermissionDenied):
        services.create_folder(actor=carol, organization=org, name="x")
    with pytest.raises(PermissionDenied):
        services.rename_folder(actor=carol, folder=scripts, name="x")
    with pytest.raises(PermissionDenied):
        services.delete_folder(actor=mallory, folder=scripts)
    assert Folder.objects.get(pk=scripts.pk).name == "客服话术"


def test_a_folder_holding_documents_is_not_deleted(org, alice, scripts, doc):
    child = services.create_folder(actor=alice, organization=org, name="售后", parent=scripts)
    services.move_document(actor=alice, document=doc, folder=child)
    with pytest.raises(ValidationError) as error:
        services.delete_folder(actor=alice, folder=scripts)
    assert "still holds documents" in str(error.value)
    assert Folder.objects.count() == 2


def test_an_empty_folder_goes_with_its_empty_subfolders_and_trashed_documents_stay(
    org, alice, scripts, doc
):
    services.create_folder(actor=alice, organization=org, name="空", parent=scripts)
    services.trash_document(actor=alice, document=doc)
    services.delete_folder(actor=alice, folder=scripts)
    assert not Folder.objects.exists()
    doc.refresh_from_db()
    assert doc.folder is None and doc.deleted_at is not None


def test_moving_a_document_to_another_folder(org, alice, bob, scripts, doc):
    other = services.create_folder(actor=alice, organization=org, name="物流")
    services.move_document(actor=bob, document=doc, folder=other)
    assert Document.objects.get(pk=doc.pk).folder == other
    assert Activity.objects.filter(verb="document.moved").count() == 1


def test_a_document_does_not_move_into_a_project_folder(org, alice, project, doc):
    project_folder = services.create_folder(
        actor=alice, organization=org, name="SOP", project=project
    )
    with pytest.raises(ValidationError):
        services.move_document(actor=alice, document=doc, folder=project_folder)
    assert Document.objects.get(pk=doc.pk).folder.name == "客服话术"


def test_a_reader_cannot_move_archive_or_trash(org, alice, carol, project, scripts):
    readable = services.create_document(actor=alice, organization=org, title="SOP", project=project)
    for write in (
        lambda: services.move_document(actor=carol, document=readable, folder=None),
        lambda: services.archive_document(actor=carol, document=readable),
        lambda: services.trash_document(actor=carol, document=readable),
    ):
        with pytest.raises(PermissionDenied):
            write()
    readable.refresh_from_db()
    assert readable.archived_at is None and readable.deleted_at is None


def test_reordering_puts_the_document_between_its_neighbours(org, alice, scripts):
    a, b, c = (
        services.create_document(actor=alice, organization=org, title=t, folder=scripts)
        for t in "ABC"
    )
    services.reorder_document(actor=alice, document=c, above=a, below=b)
    order = list(Document.objects.filter(folder=scripts).order_by("position"))
    assert [d.title for d in order] == ["A", "C", "B"]


def test_reordering_renumbers_when_the_gap_runs_out(org, alice, scripts):
    a, b, c = (
        services.create_document(actor=alice, organization=org, title=t, folder=scripts)
        for t in "ABC"
    )
    Document.objects.filter(pk=b.pk).update(position=a.position + 1e-9)
    b.refresh_from_db()
    services.reorder_document(actor=alice, document=c, above=a, below=b)
    order = list(Document.objects.filter(folder=scripts).order_by("position"))
    assert [d.title for d in order] == ["A", "C", "B"]


def test_reordering_among_another_folders_documents_is_refused(org, alice, scripts, doc):
    loose = services.create_document(actor=alice, organization=org, title="散")
    with pytest.raises(ValidationError):
        services.reorder_document(actor=alice, document=doc, above=loose, below=None)


def test_archive_and_bring_back(alice, doc):
    services.archive_document(actor=alice, document=doc)
    assert Document.objects.get(pk=doc.pk).archived_at is not None
    services.archive_document(actor=alice, document=doc, archived=False)
    assert Document.objects.get(pk=doc.pk).archived_at is None


def test_the_trash_restores_within_30_days_and_not_after(alice, doc):
    services.trash_document(actor=alice, document=doc)
    services.untrash_document(actor=alice, document=doc)
    assert Document.objects.get(pk=doc.pk).deleted_at is None
    services.trash_document(actor=alice, document=doc)
    Document.objects.filter(pk=doc.pk).update(deleted_at=timezone.now() - dt.timedelta(days=31))
    doc.refresh_from_db()
    with pytest.raises(ValidationError) as error:
        services.untrash_document(actor=alice, document=doc)
    assert "30 days" in str(error.value)


def test_purge_trash_deletes_only_documents_older_than_30_days(org, alice, doc):
    recent = services.create_document(actor=alice, organization=org, title="新")
    services.trash_document(actor=alice, document=recent)
    services.trash_document(actor=alice, document=doc)
    Document.objects.filter(pk=doc.pk).update(
        deleted_at=timezone.now() - dt.timedelta(days=30, minutes=1)
    )
    call_command("purge_trash", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert list(Document.objects.values_list("title", flat=True)) == ["新"]


# ---------------------------------------------------------------- import


def test_importing_several_files_into_a_folder(org, alice, scripts):
    result = services.import_markdown_files(
        actor=alice,
        organization=org,
        folder=scripts,
        files=[
            ("物流查询.md", "# 物流查询话术\n\n亲，请提供订单号～".encode()),
            ("售后.md", "\ufeff七天无理由退换货".encode()),
        ],
    )
    assert [d.title for d in result.imported] == ["物流查询话术", "售后"]
    assert result.refused == []
    assert Document.objects.filter(folder=scripts).count() == 2
    assert Document.objects.get(title="售后").body == "七天无理由退换货"


def test_a_binary_file_named_md_is_refused_and_the_others_imported(org, alice):
    png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256))
    result = services.import_markdown_files(
        actor=alice,
        organization=org,
        files=[("logo.md", png), ("好.md", "正文".encode())],
    )
    assert [d.title for d in result.imported] == ["好"]
    assert result.refused[0][0] == "logo.md"
    assert "not a text file" in result.refused[0][1]


def test_a_file_that_is_not_markdown_is_refused(org, alice):
    result = services.import_markdown_files(
        actor=alice, organization=org, files=[("表格.xlsx", b"PK\x03\x04")]
    )
    assert not result.imported and "Only Markdown" in result.refused[0][1]
    assert not Document.objects.exists()


def test_script_in_an_imported_file_is_kept_as_text_and_rendered_harmless(org, alice):
    from baton.lib.markdown import render_markdown

    evil = '<script>alert(1)</script>\n\n[x](javascript:alert(1)) <img src=x onerror="alert(1)">'
    result = services.import_markdown_files(
        actor=alice, organization=org, files=[("evil.md", evil.encode())]
    )
    html = render_markdown(result.imported[0].body)
    assert "<script" not in html and 'href="javascript' not in html and "<img" not in html


def test_gb18030_files_are_read(org):
    assert decode_markdown("售后话术".encode("gb18030")) == "售后话术"


def test_a_title_comes_from_the_first_heading_or_the_file_name():
    assert title_for("a.md", "intro\n# 大促活动说明\n") == "大促活动说明"
    assert title_for("dir/售前咨询.markdown", "没有标题") == "售前咨询"


def test_a_guest_cannot_import(org, carol):
    with pytest.raises(PermissionDenied):
        services.import_markdown_files(actor=carol, organization=org, files=[("a.md", b"x")])
    assert not Document.objects.exists()


def test_an_import_needs_files(org, alice):
    with pytest.raises(ValidationError):
        services.import_markdown_files(actor=alice, organization=org, files=[])
