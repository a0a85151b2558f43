"""Every write to projects, lists, tags, tasks and comments.

Each service checks permission, validates, writes inside one transaction with one Activity row,
and publishes its live event after commit. Views and the API call these and nothing else.
"""

from baton.core.errors import ConflictError  # noqa: F401
from baton.projects.services.bulk import BULK_ACTIONS, bulk_update_tasks  # noqa: F401
from baton.projects.services.comments import (  # noqa: F401
    add_attachments,
    add_comment,
    delete_attachment,
    delete_comment,
    edit_comment,
)
from baton.projects.services.fields import (  # noqa: F401
    clean_custom_values,
    create_custom_field,
    delete_custom_field,
    missing_required,
    move_custom_field,
    set_custom_values,
    update_custom_field,
)
from baton.projects.services.projects import (  # noqa: F401
    DEFAULT_LISTS,
    add_project_member,
    change_project_member_role,
    create_list,
    create_project,
    create_tag,
    move_list,
    remove_project_member,
    set_list_archived,
    set_project_archived,
    update_list,
    update_project,
)
from baton.projects.services.saved_views import (  # noqa: F401
    create_saved_view,
    delete_saved_view,
    update_saved_view,
)
from baton.projects.services.tags import (  # noqa: F401
    AFTER_SALES_TAGS,
    TAG_SETS,
    add_tag_set,
    delete_tag,
    merge_tags,
    update_tag,
)
from baton.projects.services.tasks import (  # noqa: F401
    TEXT_FIELDS,
    allocate_task_number,
    create_subtask,
    create_task,
    delete_task,
    move_subtask,
    move_task,
    promote_subtask,
    set_following,
    set_task_archived,
    set_task_done,
    update_task,
)
from baton.projects.services.transfer import copy_task, move_task_to_project  # noqa: F401
