"""Comments on a task: Markdown, @mentions, editing and deleting your own, and the timeline."""

import re

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from baton.activity.models import Activity
from baton.discussion.models import Comment
from baton.projects import queries, services

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def task(project, alice, lists):
    return services.create_task(actor=alice, project=project, task_list=lists[0], title="退款单")


def url(task, action=""):
    ref = f"{task.project.key}-{task.number}"
    return reverse("projects:task", args=[task.project.organization.slug, ref]) + action


def test_a_comment_stores_the_project_people_it_mentions(task, bob, alice, mallory):
    comment = services.add_comment(
        actor=bob, task=task, body=f"@{alice.name} 请看一下 @{mallory.name} @nobody"
    )
    assert list(comment.mentions.all()) == [alice]  # mallory is not in the project
    assert Activity.objects.filter(verb="comment.added", target_id=task.pk).count() == 1


def test_only_the_author_edits_and_the_edit_is_marked(task, bob, alice):
    comment = services.add_comment(actor=bob, task=task, body="第一版")
    with pytest.raises(PermissionDenied):
        services.edit_comment(actor=alice, comment=comment, body="改掉")
    services.edit_comment(actor=bob, comment=comment, body=f"第二版 @{alice.name}")
    comment.refresh_from_db()
    assert comment.body.startswith("第二版") and comment.edited_at
    assert list(comment.mentions.all()) == [alice]


def test_the_author_or_a_project_admin_deletes(task, bob, alice, project, lists):
    mine = services.add_comment(actor=alice, task=task, body="admin's")
    theirs = services.add_comment(actor=bob, task=task, body="bob's")
    with pytest.raises(PermissionDenied):
        services.delete_comment(actor=bob, comment=mine)
    services.delete_comment(actor=alice, comment=theirs)  # alice owns the organization
    assert list(Comment.objects.values_list("body", flat=True)) == ["admin's"]


def test_empty_long_and_viewer_comments_are_refused(task, bob, carol):
    for body in ["", "   ", "x" * 20_001]:
        with pytest.raises(ValidationError):
            services.add_comment(actor=bob, task=task, body=body)
    with pytest.raises(PermissionDenied):
        services.add_comment(actor=carol, task=task, body="看看")
    assert not Comment.objects.exists()


def test_the_timeline_has_comments_and_changes_oldest_first(task, bob, alice):
    services.update_task(actor=bob, task=task, priority=2)
    services.add_comment(actor=bob, task=task, body=f"**加急** @{alice.name}")
    entries = queries.timeline(task)
    assert [e.kind for e in entries] == ["change", "change", "comment"]
    assert "<strong>加急</strong>" in entries[-1].html
    assert f'<span class="mention">@{alice.name}</span>' in entries[-1].html


HOSTILE = [
    "<script>alert(1)</script>",
    "[点我](javascript:alert(1))",
    '<img src=x onerror="alert(1)">',
    "<a href='javascript:alert(1)'>x</a>",
    '<svg onload="alert(1)"></svg>',
]


@pytest.mark.parametrize("body", HOSTILE)
def test_hostile_comments_are_rendered_harmless(client_for, task, bob, body):
    client = client_for(bob)
    assert client.post(url(task, "/comments/new"), {"body": body}, **HTMX).status_code == 200
    html = client.get(url(task), **HTMX).content.decode()
    comment_html = html.split('class="markdown comment-body">', 1)[1].split("</div>", 1)[0]
    # Whatever remains is text: no element, attribute or link that could run script.
    assert not re.search(r"<(script|svg|img|iframe)", comment_html)
    assert not re.search(r"<[^>]*\son\w+=", comment_html)
    assert not re.search(r"<[^>]*javascript:", comment_html)


def test_commenting_editing_and_deleting_over_http(client_for, task, bob, alice):
    client = client_for(bob)
    response = client.post(url(task, "/comments/new"), {"body": f"@{alice.name} 已退款"}, **HTMX)
    assert response.status_code == 200 and "已退款" in response.content.decode()
    comment = Comment.objects.get()
    response = client.post(url(task, f"/comments/{comment.pk}/update"), {"body": ""}, **HTMX)
    assert response.status_code == 422
    response = client.post(url(task, f"/comments/{comment.pk}/update"), {"body": "改"}, **HTMX)
    assert response.status_code == 200 and "改" in response.content.decode()
    comment.refresh_from_db()
    assert comment.edited_at is not None
    response = client.post(url(task, f"/comments/{comment.pk}/delete"), **HTMX)
    assert response.status_code == 200 and not Comment.objects.exists()


def test_an_empty_comment_keeps_nothing_and_a_long_one_keeps_the_text(client_for, task, bob):
    long = "长" * 20_001
    response = client_for(bob).post(url(task, "/comments/new"), {"body": long}, **HTMX)
    assert response.status_code == 422 and long in response.content.decode()
    assert not Comment.objects.exists()


def test_outsiders_get_404_viewers_403_and_others_cannot_touch_a_comment(
    client_for, task, bob, carol, mallory, alice
):
    comment = services.add_comment(actor=alice, task=task, body="原文")
    paths = [
        (url(task, "/comments/new"), {"body": "x"}),
        (url(task, f"/comments/{comment.pk}/update"), {"body": "x"}),
        (url(task, f"/comments/{comment.pk}/delete"), {}),
    ]
    for path, data in paths:
        assert client_for(mallory).post(path, data, **HTMX).status_code == 404
        assert client_for(carol).post(path, data, **HTMX).status_code == 403
    for path, data in paths[1:]:
        assert client_for(bob).post(path, data, **HTMX).status_code == 403
    other = services.create_task(actor=alice, project=task.project, task_list=task.list, title="o")
    stray = url(other, f"/comments/{comment.pk}/update")  # the comment is not on that task
    assert client_for(alice).post(stray, {"body": "x"}, **HTMX).status_code == 404
    comment.refresh_from_db()
    assert comment.body == "原文" and Comment.objects.count() == 1


def test_the_panel_query_count_does_not_grow_with_comments(client_for, task, bob, alice):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_for(bob)
    services.add_comment(actor=bob, task=task, body=f"@{alice.name} 1")
    with CaptureQueriesContext(connection) as small:
        client.get(url(task), **HTMX)
    for i in range(10):
        services.add_comment(actor=alice, task=task, body=f"@{bob.name} {i}")
    with CaptureQueriesContext(connection) as large:
        client.get(url(task), **HTMX)
    assert len(large) == len(small)


def test_anyone_who_sees_the_task_follows_and_unfollows_it(client_for, task, carol, mallory):
    follow = url(task, "/follow")
    assert client_for(mallory).post(follow, {"following": "1"}, **HTMX).status_code == 404
    response = client_for(carol).post(follow, {"following": "1"}, **HTMX)  # carol only views
    assert response.status_code == 200 and 'aria-pressed="true"' in response.content.decode()
    assert list(task.participants.all()) == [carol]
    services.set_following(actor=carol, task=task, following=True)  # no second row
    assert Activity.objects.filter(verb="task.followed", target_id=task.pk).count() == 1
    client_for(carol).post(follow, {"following": "0"}, **HTMX)
    assert not task.participants.exists()
    assert Activity.objects.filter(verb="task.unfollowed", target_id=task.pk).count() == 1
