"""Guests stay guests: an organization guest never archives or deletes cards, lists or saved views
and never changes a project's settings, whatever role the project gives them (here: admin)."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import URLPattern, reverse

from baton.activity.models import Activity
from baton.projects import services
from baton.projects import urls as project_urls
from baton.projects.models import (
    CustomField,
    Project,
    ProjectMember,
    ProjectRole,
    SavedView,
    Tag,
    Task,
    TaskList,
)
from baton.projects.permissions import can_admin, can_edit, can_shape, project_role

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}

# URL names that remove something or change how the project is set up. Any projects URL whose
# name looks like one of these must be listed in shaping_requests() below (checked by a test).
SHAPING_NAME = re.compile(r"delete|archive|settings|members|field_|list_|tag|view_|bulk")
# Matched by SHAPING_NAME but reading only, or a card edit guests keep (see the tests below).
NOT_SHAPING = {"list", "list_rows", "list_cards", "views", "task_fields"}


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def guest_admin(project, carol):
    """Carol is a guest of the organization whom the project made an admin."""
    ProjectMember.objects.filter(project=project, user=carol).update(role=ProjectRole.ADMIN)
    return carol


@pytest.fixture
def things(project, lists, alice, bob, media):
    """One of everything a guest could try to remove or change, made by alice."""
    task = services.create_task(actor=alice, project=project, task_list=lists[0], title="订单 1")
    comment = services.add_comment(actor=alice, task=task, body="已联系客户")
    attachment = services.add_attachments(
        actor=alice,
        task=task,
        files=[SimpleUploadedFile("报价.pdf", b"%PDF-1.7", "application/pdf")],
    )[0]
    field = services.create_custom_field(actor=alice, project=project, name="订单号", kind="text")
    view = services.create_saved_view(actor=alice, project=project, name="退款", layout="board")
    tag = services.create_tag(actor=alice, project=project, name="退款")
    other_tag = services.create_tag(actor=alice, project=project, name="换货")
    return {
        "task": task,
        "comment": comment,
        "attachment": attachment,
        "field": field,
        "view": view,
        "tag": tag,
        "other_tag": other_tag,
        "bob_member": ProjectMember.objects.get(project=project, user=bob),
    }


def kwargs_for(pattern: URLPattern, project, lists, things) -> dict:
    """The URL's arguments, each naming one of `things` (or the project and its first list)."""
    values = {
        "slug": project.organization.slug,
        "key": project.key,
        "ref": f"{project.key}-{things['task'].number}",
        "list_id": lists[0].pk,
        "field_id": things["field"].pk,
        "view_id": things["view"].pk,
        "tag_id": things["tag"].pk,
        "comment_id": things["comment"].pk,
        "attachment_id": things["attachment"].pk,
    }
    return {name: values[name] for name in pattern.pattern.converters}


def shaping_requests(project, lists, things) -> dict[str, dict]:
    """URL name -> the form data of a write that would remove or reshape something."""
    task, bob_member = things["task"], things["bob_member"]
    return {
        "settings": {"name": "改名", "key": project.key, "color": "red", "visibility": "members"},
        "members": {"action": "remove", "member": bob_member.pk},
        "archive": {"archived": "1"},
        "list_create": {"name": "新列表"},
        "list_update": {"name": "改名", "is_done": "1", "wip_limit": "3"},
        "list_move": {"after": lists[-1].pk},
        "list_archive": {"archived": "1"},
        "tag_create": {"name": "加急", "color": "red", "task": f"{project.key}-{task.number}"},
        "tag_set_add": {"set": "after_sales"},
        "tag_update": {"name": "改名", "color": "red"},
        "tag_merge": {"target": things["other_tag"].pk},
        "tag_delete": {},
        "field_create": {"name": "金额", "kind": "number"},
        "field_update": {"name": "改名"},
        "field_move": {"after": ""},
        "field_delete": {},
        "view_create": None,  # a guest may save a view of their own (see below)
        "view_update": {"name": "改名", "layout": "list"},
        "view_delete": {},
        "bulk": {"action": "archive", "tasks": [task.pk]},
        "task_archive": {"archived": "1"},
        "task_delete": {},
        "comment_delete": {},
        "attachment_delete": {},
    }


def shaping_patterns():
    return [
        p
        for p in project_urls.urlpatterns
        if SHAPING_NAME.search(p.name) and p.name not in NOT_SHAPING
    ]


def state(project) -> dict:
    """Everything a denied write must leave as it was."""
    models = (Project, TaskList, Task, Tag, CustomField, SavedView, ProjectMember)
    snapshot = {model.__name__: sorted(map(str, model.objects.values_list())) for model in models}
    snapshot["comments"] = sorted(map(str, project.tasks.values_list("comments__body")))
    snapshot["attachments"] = sorted(map(str, project.tasks.values_list("attachments__name")))
    snapshot["activity"] = Activity.objects.count()
    return snapshot


def test_every_shaping_url_of_projects_is_walked_by_the_guest_test(project, lists, things):
    names = {p.name for p in shaping_patterns()}
    listed = set(shaping_requests(project, lists, things))
    assert names <= listed, f"classify these URLs in test_guests.py: {sorted(names - listed)}"


def test_a_guest_made_project_admin_has_the_role_of_a_member_who_cannot_shape(
    project, guest_admin, bob
):
    project = Project.objects.get(pk=project.pk)
    assert project_role(guest_admin, project) == ProjectRole.MEMBER
    assert can_edit(guest_admin, project) and not can_admin(guest_admin, project)
    assert not can_shape(guest_admin, project)
    assert can_shape(bob, project)


def test_a_guest_made_project_admin_gets_403_on_every_shaping_url_and_nothing_changes(
    client_for, project, lists, things, guest_admin
):
    client = client_for(guest_admin)
    requests = shaping_requests(project, lists, things)
    before = state(project)
    walked = []
    for pattern in shaping_patterns():
        data = requests[pattern.name]
        if data is None:
            continue
        url = reverse(
            f"projects:{pattern.name}", kwargs=kwargs_for(pattern, project, lists, things)
        )
        for headers in ({}, HTMX):
            response = client.post(url, data, **headers)
            assert response.status_code in (403, 404), (url, response.status_code)
        walked.append(pattern.name)
    assert state(project) == before
    assert len(walked) >= 18


def test_a_guest_still_works_on_cards_and_comments(client_for, project, lists, things, guest_admin):
    client = client_for(guest_admin)
    task = things["task"]
    slug, ref = project.organization.slug, f"{project.key}-{task.number}"
    on_card = {
        "task_update": {"_fields": "title", "title": "订单 1 · 已退款"},
        "task_move": {"list": lists[1].pk},
        "task_done": {"done": "1"},
        "comment_create": {"body": "客户已确认"},
    }
    for name, data in on_card.items():
        response = client.post(reverse(f"projects:{name}", args=[slug, ref]), data)
        assert response.status_code < 400, name
    new_card = reverse("projects:task_create", args=[slug, project.key, lists[0].pk])
    assert client.post(new_card, {"title": "订单 2"}).status_code < 400
    view_url = reverse("projects:view_create", args=[slug, project.key])
    assert client.post(view_url, {"name": "我的", "layout": "board"}).status_code < 400

    task.refresh_from_db()
    assert (task.title, task.list_id, bool(task.completed_at)) == (
        "订单 1 · 已退款",
        lists[1].pk,
        True,
    )
    assert task.comments.filter(body="客户已确认", author=guest_admin).exists()
    assert project.tasks.filter(title="订单 2").exists()
    assert SavedView.objects.filter(name="我的", created_by=guest_admin).exists()


def test_a_guest_may_delete_their_own_comment_and_leave_the_project(
    client_for, project, things, guest_admin
):
    task = things["task"]
    comment = services.add_comment(actor=guest_admin, task=task, body="写错了")
    slug, ref = project.organization.slug, f"{project.key}-{task.number}"
    client = client_for(guest_admin)
    url = reverse("projects:comment_delete", args=[slug, ref, comment.pk])
    assert client.post(url).status_code in (200, 302)
    assert not task.comments.filter(pk=comment.pk).exists()
    me = ProjectMember.objects.get(project=project, user=guest_admin)
    members = reverse("projects:members", args=[slug, project.key])
    assert client.post(members, {"action": "remove", "member": me.pk}).status_code == 302
    assert not ProjectMember.objects.filter(pk=me.pk).exists()


def test_the_board_and_the_card_hide_removing_and_reshaping_from_a_guest(
    client_for, project, lists, things, guest_admin, bob
):
    slug = project.organization.slug
    board = reverse("projects:board", args=[slug, project.key])
    card = reverse("projects:task", args=[slug, f"{project.key}-{things['task'].number}"])
    bulk = reverse("projects:bulk", args=[slug, project.key])
    views = reverse("projects:views", args=[slug, project.key])
    settings_url = reverse("projects:settings", args=[slug, project.key])
    hidden = {
        board: ["/archive", "Add a list", "data-list-handle", "Rename list", "List actions"],
        card: ["/archive", '/delete"', "tags/new", "New tag"],
        bulk: ['"action": "archive"'],
        views: ["/delete"],
        settings_url: ["Archive project", 'type="submit">Save'],
    }
    for url, markers in hidden.items():
        guest_html = client_for(guest_admin).get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
        assert "Add a card" in guest_html or url != board  # cards stay editable
        for marker in markers:
            assert marker not in guest_html, (url, marker)
    for url in (board, card, bulk):
        member_html = client_for(bob).get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
        assert "archive" in member_html, url
