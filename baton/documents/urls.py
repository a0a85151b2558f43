from django.urls import path

import baton.projects.urls  # noqa: F401  (registers the <key:…> converter used below)
from baton.documents import views

app_name = "documents"
org = "o/<slug:slug>/"
docs = org + "docs/"
doc = org + "d/<int:document_id>/"

urlpatterns = [
    # the documents page: folders, lists, trash, import (views/pages.py)
    path(docs, views.documents_home, name="home"),
    path(docs + "f/<int:folder_id>", views.folder_page, name="folder"),
    path(docs + "new", views.document_create, name="create"),
    path(docs + "import", views.documents_import, name="import"),
    path(docs + "trash", views.trash_page, name="trash"),
    path(docs + "folders/new", views.folder_create, name="folder_create"),
    path(docs + "folders/<int:folder_id>/rename", views.folder_rename, name="folder_rename"),
    path(docs + "folders/<int:folder_id>/move", views.folder_move, name="folder_move"),
    path(docs + "folders/<int:folder_id>/delete", views.folder_delete, name="folder_delete"),
    path(org + "p/<key:key>/docs", views.project_documents, name="project"),
    path(doc + "move", views.document_move, name="move"),
    path(doc + "archive", views.document_archive, name="archive"),
    path(doc + "delete", views.document_delete, name="delete"),
    path(doc + "untrash", views.document_untrash, name="untrash"),
    path(doc + "export.md", views.export_markdown, name="export_markdown"),
    path(doc + "export.html", views.export_html, name="export_html"),
    # reading and editing (views/editing.py)
    path(org + "d/<int:document_id>", views.document_page, name="document"),
    path(doc + "edit", views.document_edit, name="edit"),
    path(doc + "draft", views.document_draft, name="draft"),
    path(doc + "preview", views.document_preview, name="preview"),
    path(doc + "presence", views.document_presence, name="presence"),
    path(doc + "files", views.document_file_upload, name="file_upload"),
    path(doc + "files/<int:file_id>/<str:name>", views.document_file, name="file"),
    # versions, followers, sharing, comments, links to tasks (views/history.py, views/sharing.py)
    path(doc + "history", views.document_history, name="history"),
    path(doc + "v/<int:number>", views.document_version, name="version"),
    path(doc + "compare", views.document_compare, name="compare"),
    path(doc + "restore", views.document_restore, name="restore"),
    path(doc + "follow", views.document_follow, name="follow"),
    path(doc + "followers", views.document_followers, name="followers"),
    path(doc + "share", views.document_share, name="share"),
    path(doc + "comments", views.document_comments, name="comments"),
    path(doc + "comments/<int:comment_id>/edit", views.comment_edit, name="comment_edit"),
    path(doc + "comments/<int:comment_id>/delete", views.comment_delete, name="comment_delete"),
    path(doc + "comments/<int:comment_id>/resolve", views.comment_resolve, name="comment_resolve"),
    path(org + "<ref:ref>/documents", views.task_documents, name="task_documents"),
]
