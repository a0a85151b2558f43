"""The data migration that moved the comments and files of tasks, events and documents into
discussion.Comment and files.Attachment (files/migrations/0002): every row arrives with its owner,
author, mentions, times and stored file; the ids that stored text names are kept; Activity rows
and notifications naming a renumbered comment follow it."""

import datetime as dt

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

BEFORE = [
    ("files", "0001_initial"),
    ("discussion", "0001_initial"),
    ("projects", "0007_task_due_index"),
    ("calendars", "0004_holiday_days"),
    ("documents", "0001_initial"),
    ("activity", "0001_initial"),
    ("notifications", "0002_notification_mail_claimed_by"),
]
AFTER = [
    ("projects", "0008_comments_and_files_moved"),
    ("calendars", "0005_comments_and_files_moved"),
    ("documents", "0002_comments_and_files_moved"),
]
WHEN = timezone.make_aware(dt.datetime(2026, 11, 1, 9, 30))


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def old_world(apps) -> dict:
    """Two people, an organization, a card, an event and a document, each with comments and
    files in the old tables; an event comment's id collides with the card comment's."""
    User = apps.get_model("accounts", "User")
    alice = User.objects.create(email="alice@example.com", name="Alice")
    bob = User.objects.create(email="bob@example.com", name="Bob")
    org = apps.get_model("orgs", "Organization").objects.create(name="小熊猫", slug="xxm")
    project = apps.get_model("projects", "Project").objects.create(
        organization=org, name="售后", key="SH"
    )
    task_list = apps.get_model("projects", "TaskList").objects.create(
        project=project, name="处理中"
    )
    task = apps.get_model("projects", "Task").objects.create(
        project=project, list=task_list, number=1, title="退款单"
    )
    calendar = apps.get_model("calendars", "Calendar").objects.create(organization=org, name="天猫")
    event = apps.get_model("calendars", "Event").objects.create(
        calendar=calendar, uid="e@x", title="双11", start=WHEN, end=WHEN
    )
    document = apps.get_model("documents", "Document").objects.create(
        organization=org, title="话术"
    )
    task_comment = apps.get_model("projects", "Comment").objects.create(
        task=task, author=alice, body="@Bob 请处理", edited_at=WHEN
    )
    task_comment.mentions.set([bob])
    event_comment = apps.get_model("calendars", "EventComment").objects.create(
        event=event, author=bob, body="直播脚本在附件里"
    )
    apps.get_model("documents", "DocumentComment").objects.create(
        document=document, author=bob, body="第二段要改", resolved_at=WHEN, resolved_by=alice
    )
    for model, row in (("Comment", task_comment), ("EventComment", event_comment)):
        model_of = {"Comment": "projects", "EventComment": "calendars"}[model]
        apps.get_model(model_of, model).objects.filter(pk=row.pk).update(created_at=WHEN)
    apps.get_model("projects", "Attachment").objects.create(
        project=project, task=task, comment=task_comment, file="attachments/1/abc", name="单据.pdf"
    )
    apps.get_model("calendars", "EventAttachment").objects.create(
        event=event, comment=event_comment, file="attachments/events/1/def", name="脚本.docx"
    )
    picture = apps.get_model("documents", "DocumentAttachment").objects.create(
        document=document, file="documents/1/ghi", thumbnail="documents/1/jkl", name="主图.png"
    )
    Activity = apps.get_model("activity", "Activity")
    Activity.objects.create(
        organization=org, verb="event.commented", target_type="event", target_id=event.pk,
        data={"comment": event_comment.pk},
    )  # fmt: skip
    Activity.objects.create(
        organization=org, verb="comment.added", target_type="task", target_id=task.pk,
        data={"comment": task_comment.pk},
    )  # fmt: skip
    return {
        "task": task,
        "event": event,
        "document": document,
        "task_comment": task_comment,
        "picture": picture,
        "alice": alice,
        "bob": bob,
    }


@pytest.mark.django_db(transaction=True)
def test_comments_and_files_move_into_one_table_each():
    world = old_world(migrate(BEFORE))
    apps = migrate(AFTER)
    Comment = apps.get_model("discussion", "Comment")
    Attachment = apps.get_model("files", "Attachment")
    ContentType = apps.get_model("contenttypes", "ContentType")
    task_type = ContentType.objects.get(app_label="projects", model="task")
    event_type = ContentType.objects.get(app_label="calendars", model="event")
    document_type = ContentType.objects.get(app_label="documents", model="document")

    on_task = Comment.objects.get(owner_type=task_type, owner_id=world["task"].pk)
    assert on_task.pk == world["task_comment"].pk  # search entries and notifications name it
    assert (on_task.body, on_task.author_id, on_task.created_at) == (
        "@Bob 请处理",
        world["alice"].pk,
        WHEN,
    )
    assert on_task.edited_at == WHEN
    assert list(on_task.mentions.values_list("pk", flat=True)) == [world["bob"].pk]
    on_event = Comment.objects.get(owner_type=event_type, owner_id=world["event"].pk)
    assert on_event.pk != on_task.pk and on_event.created_at == WHEN
    on_document = Comment.objects.get(owner_type=document_type)
    assert (on_document.resolved_at, on_document.resolved_by_id) == (WHEN, world["alice"].pk)
    assert {c.organization_id for c in Comment.objects.all()} == {
        world["task"].project.organization_id
    }

    picture = Attachment.objects.get(owner_type=document_type)
    assert picture.pk == world["picture"].pk  # the document's Markdown links to its id
    assert (picture.file.name, picture.thumbnail.name) == ("documents/1/ghi", "documents/1/jkl")
    receipt = Attachment.objects.get(owner_type=task_type)
    assert (receipt.name, receipt.comment_id, receipt.file.name) == (
        "单据.pdf",
        on_task.pk,
        "attachments/1/abc",
    )
    script = Attachment.objects.get(owner_type=event_type)
    assert script.comment_id == on_event.pk and script.pk not in (picture.pk, receipt.pk)

    Activity = apps.get_model("activity", "Activity")
    assert Activity.objects.get(target_type="event").data == {"comment": on_event.pk}
    assert Activity.objects.get(target_type="task").data == {"comment": on_task.pk}
    # New rows get ids past the kept ones (PostgreSQL's sequences moved on).
    again = Comment.objects.create(
        organization_id=on_task.organization_id,
        owner_type=task_type,
        owner_id=world["task"].pk,
        body="再来一条",
    )
    assert again.pk > max(on_task.pk, on_event.pk, on_document.pk)
