from django.urls import path, register_converter

from baton.projects import views


class ProjectKeyConverter:
    regex = "[A-Za-z]{2,10}"

    def to_python(self, value: str) -> str:
        return value.upper()

    def to_url(self, value: str) -> str:
        return value


class TaskReferenceConverter:
    """SH-42: a project key, a dash and the task number."""

    regex = "[A-Za-z]{2,10}-[0-9]{1,9}"

    def to_python(self, value: str) -> str:
        return value.upper()

    def to_url(self, value: str) -> str:
        return value


register_converter(ProjectKeyConverter, "key")
register_converter(TaskReferenceConverter, "ref")

app_name = "projects"
org = "o/<slug:slug>/"
board = org + "p/<key:key>/"
task = org + "<ref:ref>"

urlpatterns = [
    path(org + "projects/new", views.project_create, name="create"),
    path(org + "my-tasks", views.my_tasks, name="my_tasks"),
    path(org + "my-tasks/<ref:ref>/done", views.my_task_done, name="my_task_done"),
    path(org + "search", views.search, name="search"),
    path(board, views.board, name="board"),
    path(board + "settings", views.project_settings, name="settings"),
    path(board + "list", views.list_view, name="list"),
    path(board + "list/rows", views.list_rows, name="list_rows"),
    path(board + "filters", views.filter_form, name="filters"),
    path(board + "views", views.saved_views, name="views"),
    path(board + "views/new", views.saved_view_create, name="view_create"),
    path(board + "views/<int:view_id>/update", views.saved_view_update, name="view_update"),
    path(board + "views/<int:view_id>/delete", views.saved_view_delete, name="view_delete"),
    path(board + "members", views.project_members, name="members"),
    path(board + "archive", views.project_archive, name="archive"),
    path(board + "lists/new", views.list_create, name="list_create"),
    path(board + "lists/<int:list_id>/update", views.list_update, name="list_update"),
    path(board + "lists/<int:list_id>/move", views.list_move, name="list_move"),
    path(board + "lists/<int:list_id>/archive", views.list_archive, name="list_archive"),
    path(board + "lists/<int:list_id>/cards", views.list_cards, name="list_cards"),
    path(board + "lists/<int:list_id>/tasks/new", views.task_create, name="task_create"),
    path(board + "tags/new", views.tag_create, name="tag_create"),
    path(board + "tags/set", views.tag_set_add, name="tag_set_add"),
    path(board + "tags/<int:tag_id>/update", views.tag_update, name="tag_update"),
    path(board + "tags/<int:tag_id>/merge", views.tag_merge, name="tag_merge"),
    path(board + "tags/<int:tag_id>/delete", views.tag_delete, name="tag_delete"),
    path(board + "fields/new", views.field_create, name="field_create"),
    path(board + "fields/<int:field_id>/update", views.field_update, name="field_update"),
    path(board + "fields/<int:field_id>/move", views.field_move, name="field_move"),
    path(board + "fields/<int:field_id>/delete", views.field_delete, name="field_delete"),
    path(board + "bulk", views.bulk, name="bulk"),
    path(task, views.task_detail, name="task"),
    path(task + "/update", views.task_update, name="task_update"),
    path(task + "/move", views.task_move, name="task_move"),
    path(task + "/done", views.task_done, name="task_done"),
    path(task + "/archive", views.task_archive, name="task_archive"),
    path(task + "/delete", views.task_delete, name="task_delete"),
    path(task + "/follow", views.task_follow, name="task_follow"),
    path(task + "/fields", views.task_field_update, name="task_fields"),
    path(task + "/copy", views.task_copy, name="task_copy"),
    path(task + "/transfer", views.task_transfer, name="task_transfer"),
    path(task + "/subtasks/new", views.subtask_create, name="subtask_create"),
    path(task + "/reorder", views.subtask_move, name="subtask_move"),
    path(task + "/promote", views.subtask_promote, name="subtask_promote"),
    path(task + "/comments/new", views.comment_create, name="comment_create"),
    path(task + "/comments/<int:comment_id>/update", views.comment_update, name="comment_update"),
    path(task + "/comments/<int:comment_id>/delete", views.comment_delete, name="comment_delete"),
    path(task + "/attachments/new", views.attachment_upload, name="attachment_upload"),
    path(
        task + "/attachments/<int:attachment_id>",
        views.attachment_download,
        name="attachment_download",
    ),
    path(
        task + "/attachments/<int:attachment_id>/thumbnail",
        views.attachment_thumbnail,
        name="attachment_thumbnail",
    ),
    path(
        task + "/attachments/<int:attachment_id>/delete",
        views.attachment_delete,
        name="attachment_delete",
    ),
]
