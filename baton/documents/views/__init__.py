"""Document pages, their htmx partials and downloads."""

from baton.documents.views.editing import (  # noqa: F401
    document_draft,
    document_edit,
    document_file,
    document_file_upload,
    document_page,
    document_presence,
    document_preview,
)
from baton.documents.views.history import (  # noqa: F401
    document_compare,
    document_history,
    document_restore,
    document_version,
)
from baton.documents.views.pages import (  # noqa: F401
    document_archive,
    document_create,
    document_delete,
    document_move,
    document_untrash,
    documents_home,
    documents_import,
    export_html,
    export_markdown,
    folder_create,
    folder_delete,
    folder_move,
    folder_page,
    folder_rename,
    project_documents,
    trash_page,
)
from baton.documents.views.sharing import (  # noqa: F401
    comment_delete,
    comment_edit,
    comment_resolve,
    document_comments,
    document_follow,
    document_followers,
    document_share,
    task_documents,
)
