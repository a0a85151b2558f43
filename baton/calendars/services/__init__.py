"""Every write to calendars and events (re-exported from the modules of this package).

Each service checks permission, validates, writes inside one transaction with one Activity row,
and publishes its live event after commit. Views call these and nothing else.
"""

from baton.calendars.services.calendars import (
    create_calendar,
    personal_feed_token,
    regenerate_feed_token,
    remove_calendar_member,
    revoke_feed_token,
    set_calendar_archived,
    set_calendar_member,
    set_layer,
    update_calendar,
)
from baton.calendars.services.discussion import (
    add_event_attachments,
    add_event_comment,
    delete_event_attachment,
    delete_event_comment,
    edit_event_comment,
)
from baton.calendars.services.events import (
    create_event,
    delete_event,
    move_event,
    respond_to_event,
    update_event,
)
from baton.calendars.services.holidays import (
    HolidayImportSummary,
    add_holiday,
    apply_default_holidays,
    delete_holiday,
    import_holidays,
    load_bundled_holidays,
    set_public_holidays,
    update_holiday,
)
from baton.calendars.services.imports import ImportSummary, import_ics
from baton.core.errors import ConflictError

__all__ = [
    "ConflictError",
    "HolidayImportSummary",
    "ImportSummary",
    "add_event_attachments",
    "add_event_comment",
    "add_holiday",
    "apply_default_holidays",
    "create_calendar",
    "create_event",
    "delete_event",
    "delete_event_attachment",
    "delete_event_comment",
    "delete_holiday",
    "edit_event_comment",
    "import_holidays",
    "import_ics",
    "load_bundled_holidays",
    "move_event",
    "personal_feed_token",
    "regenerate_feed_token",
    "remove_calendar_member",
    "respond_to_event",
    "revoke_feed_token",
    "set_calendar_archived",
    "set_calendar_member",
    "set_layer",
    "set_public_holidays",
    "update_calendar",
    "update_event",
    "update_holiday",
]
