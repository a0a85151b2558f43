"""Calendar pages, their htmx partials and JSON for FullCalendar, and the iCalendar feeds."""

from baton.calendars.views.discussion import (  # noqa: F401
    event_comment_create,
    event_comment_delete,
    event_comment_edit,
    event_discussion,
    event_file_delete,
    event_file_download,
    event_file_thumbnail,
    event_file_upload,
)
from baton.calendars.views.events import (  # noqa: F401
    calendar_move,
    event_delete,
    event_edit,
    event_new,
    event_panel,
    event_respond,
    events_json,
)
from baton.calendars.views.feeds import (  # noqa: F401
    calendar_feed,
    calendar_feed_regenerate,
    calendar_feed_revoke,
    import_page,
    personal_feed,
    personal_feed_regenerate,
    subscribe_page,
)
from baton.calendars.views.holidays import (  # noqa: F401
    holiday_add,
    holiday_delete,
    holiday_edit,
    holidays_import,
    holidays_load_bundled,
    holidays_page,
    holidays_switch,
)
from baton.calendars.views.pages import (  # noqa: F401
    calendar_archive,
    calendar_create,
    calendar_feed_token,
    calendar_home,
    calendar_layer,
    calendar_member_add,
    calendar_member_remove,
    calendar_settings,
    project_calendar,
    project_calendar_events,
    project_calendar_move,
)
