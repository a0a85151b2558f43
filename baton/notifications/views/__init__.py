"""Views of the notifications: the inbox (inbox.py), settings and mail status (settings.py)."""

from baton.notifications.views import inbox, settings  # noqa: F401
