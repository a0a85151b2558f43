"""Copy the comments and files of tasks, events and documents into discussion.Comment and
files.Attachment (their old tables go in the next migration of each app).

Ids that stored text or other rows name are kept: a task comment keeps its id (search entries,
Activity rows and notifications name it) and a document's file keeps its id (a document's
Markdown links to /files/<id>/). Event and document comments, task and event files get new
ids; the Activity rows and notifications naming a moved comment are rewritten to its new id.
Stored files do not move: a row keeps the name its file has in storage.
"""

from django.core.management.color import no_style
from django.db import migrations

COMMENT_FIELDS = ("body", "created_at", "edited_at")
FILE_FIELDS = (
    "name",
    "size",
    "content_type",
    "width",
    "height",
    "uploaded_by_id",
    "created_at",
)


def content_type(apps, app_label: str, model: str):
    ContentType = apps.get_model("contenttypes", "ContentType")
    return ContentType.objects.get_or_create(app_label=app_label, model=model)[0]


def copy_comments(apps, old, *, owner_field: str, owner_type, organization_of, keep_ids: bool):
    """Copy one app's comments; returns {old id: new id}."""
    Comment = apps.get_model("discussion", "Comment")
    ids = {}
    rows = old.objects.select_related(owner_field).prefetch_related("mentions").order_by("pk")
    for row in rows.iterator(chunk_size=500):
        owner = getattr(row, owner_field)
        comment = Comment(
            organization_id=organization_of(owner),
            owner_type=owner_type,
            owner_id=owner.pk,
            author_id=row.author_id,
            resolved_at=getattr(row, "resolved_at", None),
            resolved_by_id=getattr(row, "resolved_by_id", None),
            **{name: getattr(row, name) for name in COMMENT_FIELDS},
        )
        if keep_ids:
            comment.pk = row.pk
        comment.save()
        # auto_now_add set created_at again: keep the original time.
        Comment.objects.filter(pk=comment.pk).update(created_at=row.created_at)
        comment.mentions.set(row.mentions.all())
        ids[row.pk] = comment.pk
    return ids


def copy_files(apps, old, *, owner_field, owner_type, organization_of, keep_ids, comment_ids):
    Attachment = apps.get_model("files", "Attachment")
    has_comment = any(f.name == "comment" for f in old._meta.get_fields())
    for row in old.objects.select_related(owner_field).order_by("pk").iterator(chunk_size=500):
        owner = getattr(row, owner_field)
        attachment = Attachment(
            organization_id=organization_of(owner),
            owner_type=owner_type,
            owner_id=owner.pk,
            comment_id=comment_ids.get(row.comment_id) if has_comment else None,
            # The names the files have in storage (they stay where they are).
            file=row.file.name,
            thumbnail=row.thumbnail.name,
            **{name: getattr(row, name) for name in FILE_FIELDS},
        )
        if keep_ids:
            attachment.pk = row.pk
        attachment.save()
        Attachment.objects.filter(pk=attachment.pk).update(created_at=row.created_at)


def rename_comment_ids(apps, target_type: str, ids: dict) -> None:
    """Activity rows and notifications about a moved comment name its new id."""
    for label in (("activity", "Activity"), ("notifications", "Notification")):
        model = apps.get_model(*label)
        rows = model.objects.filter(target_type=target_type, data__has_key="comment")
        for row in rows.iterator(chunk_size=500):
            new = ids.get(row.data.get("comment"))
            if new is not None and new != row.data["comment"]:
                row.data["comment"] = new
                model.objects.filter(pk=row.pk).update(data=row.data)


def reset_sequences(apps, schema_editor, *labels) -> None:
    """After rows inserted with their ids, PostgreSQL's sequences must move past them."""
    models = [apps.get_model(*label) for label in labels]
    connection = schema_editor.connection
    with connection.cursor() as cursor:
        for sql in connection.ops.sequence_reset_sql(no_style(), models):
            cursor.execute(sql)


def copy(apps, schema_editor):
    task_type = content_type(apps, "projects", "task")
    event_type = content_type(apps, "calendars", "event")
    document_type = content_type(apps, "documents", "document")
    Calendar = apps.get_model("calendars", "Calendar")
    Project = apps.get_model("projects", "Project")
    projects = dict(Project.objects.values_list("pk", "organization_id"))
    calendars = dict(Calendar.objects.values_list("pk", "organization_id"))

    def of_task(task):
        return projects[task.project_id]

    def of_event(event):
        return calendars[event.calendar_id]

    def of_document(document):
        return document.organization_id

    task_comments = copy_comments(
        apps,
        apps.get_model("projects", "Comment"),
        owner_field="task",
        owner_type=task_type,
        organization_of=of_task,
        keep_ids=True,
    )
    reset_sequences(apps, schema_editor, ("discussion", "Comment"))
    event_comments = copy_comments(
        apps,
        apps.get_model("calendars", "EventComment"),
        owner_field="event",
        owner_type=event_type,
        organization_of=of_event,
        keep_ids=False,
    )
    document_comments = copy_comments(
        apps,
        apps.get_model("documents", "DocumentComment"),
        owner_field="document",
        owner_type=document_type,
        organization_of=of_document,
        keep_ids=False,
    )
    rename_comment_ids(apps, "event", event_comments)
    rename_comment_ids(apps, "document", document_comments)

    copy_files(
        apps,
        apps.get_model("documents", "DocumentAttachment"),
        owner_field="document",
        owner_type=document_type,
        organization_of=of_document,
        keep_ids=True,
        comment_ids={},
    )
    reset_sequences(apps, schema_editor, ("files", "Attachment"))
    copy_files(
        apps,
        apps.get_model("projects", "Attachment"),
        owner_field="task",
        owner_type=task_type,
        organization_of=of_task,
        keep_ids=False,
        comment_ids=task_comments,
    )
    copy_files(
        apps,
        apps.get_model("calendars", "EventAttachment"),
        owner_field="event",
        owner_type=event_type,
        organization_of=of_event,
        keep_ids=False,
        comment_ids=event_comments,
    )


class Migration(migrations.Migration):
    dependencies = [
        ("files", "0001_initial"),
        ("discussion", "0001_initial"),
        ("projects", "0007_task_due_index"),
        ("calendars", "0004_holiday_days"),
        ("documents", "0001_initial"),
        ("activity", "0001_initial"),
        ("notifications", "0002_notification_mail_claimed_by"),
    ]

    operations = [migrations.RunPython(copy, migrations.RunPython.noop)]
