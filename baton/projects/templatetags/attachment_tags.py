"""The task panel's files: read once per panel (one query), shared by the attachments section
and every comment."""

from django import template

from baton.files.queries import OwnerFiles, files_of
from baton.projects.permissions import can_admin, can_edit

register = template.Library()


@register.simple_tag(takes_context=True)
def task_files(context) -> OwnerFiles:
    """The attachments of the panel's `task`, the card's own and each comment's (kept on the
    task, so every caller in one render shares one query)."""
    task, user = context["task"], context["request"].user
    cached = getattr(task, "_task_files", None)
    if cached is None:
        project = context.get("project") or task.project
        editor = can_edit(user, project)
        admin = editor and can_admin(user, project)
        cached = files_of(task, user_id=user.pk if editor else None, is_admin=admin)
        task._task_files = cached
    return cached


@register.simple_tag(takes_context=True)
def comment_files(context, comment) -> list:
    return task_files(context).for_comment(comment.pk)


@register.simple_tag(takes_context=True)
def attachment_base(context) -> str:
    """The URL an attachment's id follows in the file lists: `files_url` when the includer gives
    one (an event's files), else the panel task's."""
    if context.get("files_url"):
        return context["files_url"]
    return f"{context['task_prefix']}{context['task'].number}/attachments/"
