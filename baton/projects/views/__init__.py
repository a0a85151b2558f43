"""Project, board and task pages. Thin adapters: parse the request, call a service, render.

Each htmx endpoint answers with a named partial of the page that renders it in full.
"""

from baton.projects.views.attachments import (  # noqa: F401
    attachment_delete,
    attachment_download,
    attachment_thumbnail,
    attachment_upload,
)
from baton.projects.views.bulk import bulk  # noqa: F401
from baton.projects.views.comments import (  # noqa: F401
    comment_create,
    comment_delete,
    comment_update,
)
from baton.projects.views.fields import (  # noqa: F401
    field_create,
    field_delete,
    field_move,
    field_update,
    task_field_update,
)
from baton.projects.views.listing import (  # noqa: F401
    filter_form,
    list_rows,
    list_view,
    saved_view_create,
    saved_view_delete,
    saved_view_update,
    saved_views,
)
from baton.projects.views.my_tasks import my_task_done, my_tasks  # noqa: F401
from baton.projects.views.projects import (  # noqa: F401
    board,
    list_archive,
    list_cards,
    list_create,
    list_move,
    list_update,
    project_archive,
    project_create,
    project_members,
    project_settings,
)
from baton.projects.views.search import search  # noqa: F401
from baton.projects.views.tags import (  # noqa: F401
    tag_delete,
    tag_merge,
    tag_set_add,
    tag_update,
)
from baton.projects.views.tasks import (  # noqa: F401
    EDITABLE_FIELDS,
    subtask_create,
    subtask_move,
    subtask_promote,
    tag_create,
    task_archive,
    task_create,
    task_delete,
    task_detail,
    task_done,
    task_follow,
    task_move,
    task_update,
)
from baton.projects.views.transfer import task_copy, task_transfer  # noqa: F401
