from django.apps import AppConfig


class CalendarsConfig(AppConfig):
    name = "baton.calendars"
    label = "calendars"

    def ready(self) -> None:
        # Who may listen to this app's live channels (the SSE endpoint asks).
        from baton.calendars.permissions import may_listen_to_calendar
        from baton.realtime.channels import register_channel

        register_channel("calendar", may_listen_to_calendar)

        # Comments and files on events: the calendar's rules (baton/files/owners.py).
        from baton.calendars.models import Event
        from baton.calendars.services.discussion import EVENT_OWNER
        from baton.files.owners import register

        register(Event, EVENT_OWNER)
