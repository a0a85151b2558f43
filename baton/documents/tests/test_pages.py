"""The documents pages: lists with the folder tree, folders, creating, moving, archiving, the
trash, import and export; who may see and do what, and how many queries a list takes."""

# ruff: noqa: RUF001

import datetime as dt
from html.parser import HTMLParser

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from baton.documents import services
from baton.documents.models import Document, DocumentRole, DocumentVisibility, Folder


@pytest.fixture
def scripts(org, alice):
    return services.create_folder(actor=alice, organization=org, name="客服话术")


@pytest.fixture
def doc(org, alice, scripts):
    return services.create_document(
        actor=alice, organization=org, title="售前咨询", body="# 售前\n亲，在的～", folder=scripts
    )


@pytest.fixture
def project_doc(org, alice, project):
    return services.create_document(
        actor=alice, organization=org, title="退款 SOP", project=project
    )


def url(name, org, *args):
    return reverse(f"documents:{name}", args=[org.slug, *args])


# ---------------------------------------------------------------- lists


def test_home_shows_the_folder_tree_and_the_documents(english, org, bob, scripts, doc):
    services.create_folder(actor=bob, organization=org, name="物流", parent=scripts)
    response = english(bob).get(url("home", org))
    assert response.status_code == 200
    html = response.content.decode()
    assert "客服话术" in html and "物流" in html and "售前咨询" in html
    assert url("document", org, doc.pk) in html


def test_a_folder_page_lists_its_subfolders_and_documents_with_breadcrumbs(
    english, org, alice, scripts, doc
):
    child = services.create_folder(actor=alice, organization=org, name="售后", parent=scripts)
    loose = services.create_document(actor=alice, organization=org, title="不在文件夹")
    response = english(alice).get(url("folder", org, scripts.pk))
    html = response.content.decode()
    assert response.status_code == 200
    assert "售前咨询" in html and url("folder", org, child.pk) in html
    assert loose.title not in html
    nested = english(alice).get(url("folder", org, child.pk)).content.decode()
    assert 'aria-current="page">售后<' in nested and url("folder", org, scripts.pk) in nested


def test_the_home_list_takes_the_same_number_of_queries_for_many_documents(
    client_for, org, alice, bob, scripts
):
    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client_for(bob).get(url("home", org)).status_code == 200
        return len(queries)

    services.create_document(actor=alice, organization=org, title="一", folder=scripts)
    few = count()
    for n in range(12):
        folder = services.create_folder(actor=alice, organization=org, name=f"F{n}")
        document = services.create_document(
            actor=alice, organization=org, title=f"文档{n}", folder=folder
        )
        services.follow_document(actor=bob, document=document)
    assert count() == few


def test_a_folder_page_takes_the_same_number_of_queries_for_many_documents(
    client_for, org, alice, bob, scripts
):
    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client_for(bob).get(url("folder", org, scripts.pk)).status_code == 200
        return len(queries)

    services.create_document(actor=alice, organization=org, title="一", folder=scripts)
    few = count()
    for n in range(10):
        services.create_document(actor=alice, organization=org, title=f"文档{n}", folder=scripts)
        services.create_folder(actor=alice, organization=org, name=f"子{n}", parent=scripts)
    assert count() == few


def test_documents_a_person_may_not_see_are_not_listed(english, org, alice, bob, scripts):
    services.create_document(
        actor=alice,
        organization=org,
        title="只给点名的人",
        folder=scripts,
        visibility=DocumentVisibility.MEMBERS,
    )
    assert "只给点名的人" not in english(bob).get(url("home", org)).content.decode()
    assert "只给点名的人" in english(alice).get(url("home", org)).content.decode()


def test_archived_documents_leave_the_list_and_have_their_own(english, org, alice, doc):
    services.archive_document(actor=alice, document=doc)
    client = english(alice)
    assert "售前咨询" not in client.get(url("home", org)).content.decode()
    archived = client.get(url("home", org) + "?archived=1").content.decode()
    assert "售前咨询" in archived


def test_the_project_tab_lists_the_projects_documents(english, org, bob, project, project_doc, doc):
    response = english(bob).get(reverse("documents:project", args=[org.slug, project.key]))
    html = response.content.decode()
    assert response.status_code == 200
    assert "退款 SOP" in html and "售前咨询" not in html
    assert 'class="tab active"' in html


def test_the_project_header_links_its_documents_tab(english, org, bob, project):
    html = english(bob).get(reverse("projects:board", args=[org.slug, project.key])).content
    assert reverse("documents:project", args=[org.slug, project.key]).encode() in html


def test_mallory_gets_404_on_every_page(english, org, mallory, doc, scripts, project, other_org):
    client = english(mallory)
    pages = [
        url("home", org),
        url("folder", org, scripts.pk),
        url("create", org),
        url("import", org),
        url("trash", org),
        url("move", org, doc.pk),
        url("export_markdown", org, doc.pk),
        url("export_html", org, doc.pk),
        reverse("documents:project", args=[org.slug, project.key]),
    ]
    for page in pages:
        assert client.get(page).status_code == 404, page
    writes = [
        (url("folder_create", org), {"name": "x"}),
        (url("folder_rename", org, scripts.pk), {"name": "x"}),
        (url("folder_move", org, scripts.pk), {"parent": ""}),
        (url("folder_delete", org, scripts.pk), {}),
        (url("move", org, doc.pk), {"folder": ""}),
        (url("archive", org, doc.pk), {}),
        (url("delete", org, doc.pk), {}),
        (url("untrash", org, doc.pk), {}),
    ]
    for page, data in writes:
        assert client.post(page, data).status_code == 404, page
    doc.refresh_from_db()
    assert doc.folder == scripts and doc.archived_at is None and doc.deleted_at is None
    assert Folder.objects.get(pk=scripts.pk).name == "客服话术"


def test_a_reader_gets_403_on_every_write_and_nothing_changes(
    english, org, carol, project, project_doc, alice
):
    folder = services.create_folder(actor=alice, organization=org, name="SOP", project=project)
    client = english(carol)
    assert client.get(reverse("documents:project", args=[org.slug, project.key])).status_code == 200
    writes = [
        (url("folder_create", org), {"name": "x", "project": project.key}),
        (url("folder_rename", org, folder.pk), {"name": "x"}),
        (url("folder_move", org, folder.pk), {"parent": ""}),
        (url("folder_delete", org, folder.pk), {}),
        (url("move", org, project_doc.pk), {"folder": folder.pk}),
        (url("archive", org, project_doc.pk), {}),
        (url("delete", org, project_doc.pk), {}),
    ]
    for page, data in writes:
        assert client.post(page, data).status_code == 403, page
    project_doc.refresh_from_db()
    assert project_doc.folder is None and project_doc.archived_at is None
    assert project_doc.deleted_at is None
    assert list(Folder.objects.values_list("name", flat=True)) == ["SOP"]


# ---------------------------------------------------------------- folders


def test_creating_a_folder_opens_it(english, org, bob):
    response = english(bob).post(url("folder_create", org), {"name": "  大促活动  "})
    folder = Folder.objects.get()
    assert folder.name == "大促活动"
    assert response.status_code == 302 and response["Location"] == url("folder", org, folder.pk)


def test_a_folder_without_a_name_is_refused_with_a_message(english, org, bob, scripts):
    response = english(bob).post(url("folder_create", org), {"name": " ", "parent": scripts.pk})
    assert response.status_code == 422
    assert "This field is required." in response.content.decode()
    assert Folder.objects.count() == 1


def test_a_too_long_folder_name_keeps_what_was_typed(english, org, bob):
    name = "长" * 61
    response = english(bob).post(url("folder_create", org), {"name": name})
    assert response.status_code == 422 and name in response.content.decode()


def test_rename_and_move_a_folder(english, org, bob, scripts):
    other = services.create_folder(actor=bob, organization=org, name="其他")
    client = english(bob)
    assert client.post(url("folder_rename", org, scripts.pk), {"name": "话术"}).status_code == 302
    assert client.post(url("folder_move", org, scripts.pk), {"parent": other.pk}).status_code == 302
    scripts.refresh_from_db()
    assert (scripts.name, scripts.parent) == ("话术", other)


def test_moving_a_folder_into_itself_is_refused(english, org, bob, scripts):
    response = english(bob).post(url("folder_move", org, scripts.pk), {"parent": scripts.pk})
    assert response.status_code == 422
    assert "cannot go into itself" in response.content.decode()


def test_deleting_a_folder_with_documents_is_refused_and_an_empty_one_goes(
    english, org, bob, scripts, doc
):
    client = english(bob)
    response = client.post(url("folder_delete", org, scripts.pk))
    assert response.status_code == 422 and "still holds documents" in response.content.decode()
    services.move_document(actor=bob, document=doc, folder=None)
    assert client.post(url("folder_delete", org, scripts.pk)).status_code == 302
    assert not Folder.objects.exists()


# ---------------------------------------------------------------- creating documents


def test_create_a_document_in_a_folder(english, org, bob, scripts):
    client = english(bob)
    form = client.get(url("create", org) + f"?folder={scripts.pk}").content.decode()
    assert f'<option value="{scripts.pk}" selected>' in form
    response = client.post(
        url("create", org), {"title": "物流查询", "folder": scripts.pk, "visibility": "org"}
    )
    document = Document.objects.get(title="物流查询")
    assert document.folder == scripts and document.created_by == bob
    assert response["Location"] == url("edit", org, document.pk)


def test_create_a_project_document_from_its_folder(english, org, bob, project):
    folder = services.create_folder(actor=bob, organization=org, name="SOP", project=project)
    english(bob).post(
        url("create", org), {"title": "换货", "folder": folder.pk, "visibility": "project"}
    )
    document = Document.objects.get(title="换货")
    assert (document.project, document.folder) == (project, folder)


def test_a_document_without_a_title_is_refused_and_keeps_the_choices(english, org, bob, scripts):
    response = english(bob).post(
        url("create", org), {"title": "", "folder": scripts.pk, "visibility": "org"}
    )
    assert response.status_code == 422
    assert "This field is required." in response.content.decode()
    assert not Document.objects.exists()


def test_project_visibility_without_a_project_is_explained(english, org, bob):
    response = english(bob).post(url("create", org), {"title": "x", "visibility": "project"})
    assert response.status_code == 422
    assert "Only a project" in response.content.decode()


def test_a_folder_of_another_place_is_refused(english, org, bob, project, scripts):
    response = english(bob).post(
        url("create", org),
        {"title": "x", "folder": scripts.pk, "project": project.key, "visibility": "project"},
    )
    assert response.status_code == 422
    assert "another place" in response.content.decode()


def test_a_guest_cannot_create_documents(english, org, carol):
    assert english(carol).get(url("create", org)).status_code == 403
    response = english(carol).post(url("create", org), {"title": "x", "visibility": "org"})
    assert response.status_code == 403 and not Document.objects.exists()


def test_a_member_who_may_not_write_in_a_project_gets_a_clear_error(
    english, org, bob, alice, make_user
):
    from baton.projects.services import create_project

    closed = create_project(actor=alice, organization=org, name="财务", key="CW", lists=["待办"])
    response = english(bob).post(
        url("create", org), {"title": "x", "project": closed.key, "visibility": "project"}
    )
    assert response.status_code == 422 and not Document.objects.exists()


# ---------------------------------------------------------------- a document's place


def test_the_move_page_lists_the_folders_and_moves(english, org, bob, scripts, doc):
    other = services.create_folder(actor=bob, organization=org, name="物流")
    client = english(bob)
    page = client.get(url("move", org, doc.pk)).content.decode()
    assert "物流" in page and "客服话术" in page
    response = client.post(url("move", org, doc.pk), {"folder": other.pk})
    assert response["Location"] == url("folder", org, other.pk)
    assert Document.objects.get(pk=doc.pk).folder == other


def test_moving_to_an_unknown_folder_is_refused(english, org, bob, doc, other_org, mallory):
    elsewhere = services.create_folder(actor=mallory, organization=other_org, name="外")
    response = english(bob).post(url("move", org, doc.pk), {"folder": elsewhere.pk})
    assert response.status_code == 422
    assert Document.objects.get(pk=doc.pk).folder.name == "客服话术"


def test_dragging_a_row_reorders_the_folder(english, org, bob, alice, scripts, doc):
    second = services.create_document(actor=alice, organization=org, title="二", folder=scripts)
    response = english(bob).post(url("move", org, second.pk), {"after": "", "before": doc.pk})
    assert response.status_code == 204
    titles = list(Document.objects.filter(folder=scripts).values_list("title", flat=True))
    assert titles == ["二", "售前咨询"]


def test_archive_delete_and_restore_from_the_trash(english, org, bob, doc, scripts):
    client = english(bob)
    assert client.post(url("archive", org, doc.pk)).status_code == 302
    assert Document.objects.get(pk=doc.pk).archived_at is not None
    client.post(url("archive", org, doc.pk), {"archived": "0"})
    response = client.post(url("delete", org, doc.pk))
    assert response["Location"] == url("folder", org, scripts.pk)
    trash = client.get(url("trash", org)).content.decode()
    assert "售前咨询" in trash and "30 more days" in trash
    assert client.post(url("untrash", org, doc.pk)).status_code == 302
    doc.refresh_from_db()
    assert doc.deleted_at is None and doc.archived_at is None and doc.folder == scripts


def test_the_trash_hides_documents_older_than_30_days(english, org, alice, doc):
    services.trash_document(actor=alice, document=doc)
    Document.objects.filter(pk=doc.pk).update(deleted_at=timezone.now() - dt.timedelta(days=31))
    assert "售前咨询" not in english(alice).get(url("trash", org)).content.decode()
    english(alice).post(url("untrash", org, doc.pk))
    assert Document.objects.get(pk=doc.pk).deleted_at is not None


def test_the_trash_takes_the_same_number_of_queries_for_many_documents(client_for, org, alice):
    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client_for(alice).get(url("trash", org)).status_code == 200
        return len(queries)

    first = services.create_document(actor=alice, organization=org, title="一")
    services.trash_document(actor=alice, document=first)
    few = count()
    for n in range(10):
        document = services.create_document(actor=alice, organization=org, title=f"{n}")
        services.trash_document(actor=alice, document=document)
    assert count() == few


def test_a_trashed_document_is_not_listed_and_mallory_cannot_see_the_trash(
    english, org, alice, mallory, doc
):
    services.trash_document(actor=alice, document=doc)
    assert "售前咨询" not in english(alice).get(url("home", org)).content.decode()
    assert english(mallory).get(url("trash", org)).status_code == 404


# ---------------------------------------------------------------- import and export


def md(name: str, content: bytes):
    return SimpleUploadedFile(name, content, content_type="text/markdown")


def test_import_two_files_into_a_folder(english, org, bob, scripts):
    response = english(bob).post(
        url("import", org),
        {
            "folder": scripts.pk,
            "files": [md("售后.md", "# 售后退换货\n正文".encode()), md("b.md", b"text")],
        },
    )
    assert response.status_code == 200
    assert "2 documents imported" in response.content.decode()
    assert sorted(scripts.documents.values_list("title", flat=True)) == ["b", "售后退换货"]


def test_importing_only_a_binary_file_says_why(english, org, bob):
    response = english(bob).post(
        url("import", org), {"files": [md("photo.md", b"\xff\xd8\xff\xe0\x00\x10JFIF\x00")]}
    )
    assert response.status_code == 422
    assert "not a text file" in response.content.decode() and not Document.objects.exists()


def test_importing_nothing_asks_for_files(english, org, bob):
    response = english(bob).post(url("import", org), {})
    assert response.status_code == 422 and "Choose one or more" in response.content.decode()


def test_a_guest_cannot_import(english, org, carol):
    assert english(carol).get(url("import", org)).status_code == 403
    response = english(carol).post(url("import", org), {"files": [md("a.md", b"x")]})
    assert response.status_code == 403 and not Document.objects.exists()


def test_export_markdown(english, org, carol, project, project_doc, alice):
    services.save_version(
        actor=alice,
        document=project_doc,
        title=project_doc.title,
        body="# 退款\n- 先核实订单",
        base_version=project_doc.version,
    )
    response = english(carol).get(url("export_markdown", org, project_doc.pk))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/markdown")
    assert "filename*=utf-8''%E9%80%80%E6%AC%BE%20SOP.md" in response["Content-Disposition"]
    assert response.content.decode() == "# 退款\n- 先核实订单\n"


def test_export_html_is_standalone_and_sanitised(english, org, alice):
    document = services.create_document(
        actor=alice,
        organization=org,
        title="活动说明",
        body="## 满减\n<script>alert(1)</script>\n\n| 档位 | 优惠 |\n|---|---|\n| 299 | 40 |",
    )
    response = english(alice).get(url("export_html", org, document.pk))
    html = response.content.decode()
    assert response.status_code == 200 and "<!doctype html>" in html
    assert "<title>活动说明</title>" in html and "<table>" in html
    assert "<script" not in html
    assert "default-src 'none'" in response["Content-Security-Policy"]


TRACKERS = [
    "![x](//evil.example/p1.gif)",
    "![x](http://evil.example/p2.gif)",
    "![x](HTTPS://EVIL.example/p3.gif)",
    "![x](HtTp://evil.example/p4.gif 'title')",
    "![](https://evil.example/p5.gif)",
    "![x](<//evil.example/p6.gif>)",
    "![x][ref]\n\n[ref]: //evil.example/p7.gif",
    "![x](/\\evil.example/p8.gif)",
    "![x](\\\\evil.example/p9.gif)",
    "![x](  //evil.example/p10.gif  )",
    "[![x](//evil.example/p11.gif)](https://shop.example/)",
    "<img src=http://evil.example/p12.gif>",
    '<img srcset="http://evil.example/p13.gif 1x" src="x.png">',
    '<picture><source srcset="//evil.example/p14.gif"><img src="//evil.example/p15.gif"></picture>',
    "![x](data:image/gif;base64,R0lGODlhAQABAAAAACw=)",
]


class _Images(HTMLParser):
    def __init__(self):
        super().__init__()
        self.sources: list[str] = []

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if name in ("src", "srcset") or (tag in ("img", "source") and name != "alt"):
                self.sources.append(f"{tag} {name}={value}")


def test_an_exported_page_loads_no_picture_from_elsewhere_but_keeps_its_own(english, org, alice):
    document = services.create_document(actor=alice, organization=org, title="追踪像素")
    own = url("file_upload", org, document.pk) + "/7/%E6%B5%B7%E6%8A%A5.png"
    other = url("file_upload", org, document.pk + 1) + "/8/a.png"
    body = "\n\n".join([f"![海报]({own})", f"![别的文档]({other})", *TRACKERS])
    services.save_version(
        actor=alice, document=document, title=document.title, body=body, base_version=0
    )
    response = english(alice).get(url("export_html", org, document.pk))
    html = response.content.decode()
    found = _Images()
    found.feed(html)
    assert found.sources == [f"img src={own}"]
    # A refused picture is still there, as a link to where it was.
    assert '<a href="//evil.example/p1.gif" rel="noopener noreferrer nofollow">x</a>' in html
    assert "https://evil.example/p5.gif</a>" in html  # no alt text: the address is the label
    assert f'<a href="{other}"' in html
    assert "img-src 'self';" in response["Content-Security-Policy"]


def test_rows_offer_changes_only_to_those_who_may_make_them(
    english, org, alice, bob, carol, project, project_doc
):
    services.create_document(actor=alice, organization=org, title="全员可改")
    services.create_document(
        actor=alice, organization=org, title="只读", access=DocumentRole.VIEWER
    )
    move = f'href="{url("move", org, project_doc.pk)}"'
    tab = reverse("documents:project", args=[org.slug, project.key])
    assert move in english(bob).get(tab).content.decode()
    assert move not in english(carol).get(tab).content.decode()
    home = english(bob).get(url("home", org)).content.decode()
    editable = Document.objects.get(title="全员可改")
    readonly = Document.objects.get(title="只读")
    assert f'href="{url("move", org, editable.pk)}"' in home
    assert f'href="{url("move", org, readonly.pk)}"' not in home
    assert url("export_markdown", org, readonly.pk) in home


def test_a_drop_on_a_folder_answers_for_the_page(english, org, bob, scripts, doc):
    other = services.create_folder(actor=bob, organization=org, name="物流")
    client = english(bob)
    response = client.post(url("move", org, doc.pk), {"folder": other.pk}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert response.json() == {
        "message": "“售前咨询” moved to 物流.",
        "folder": other.pk,
        "name": "物流",
    }
    refused = client.post(url("move", org, doc.pk), {"folder": "999999"}, HTTP_HX_REQUEST="true")
    assert refused.status_code == 422 and refused.content.decode() == "Choose one of the folders."
    assert Document.objects.get(pk=doc.pk).folder == other
