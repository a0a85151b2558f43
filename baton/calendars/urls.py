from django.urls import path

import baton.projects.urls  # noqa: F401  (registers the <key:…> converter used below)
from baton.calendars import views

app_name = "calendars"
org = "o/<slug:slug>/"

project = org + "p/<key:key>/"

cal = org + "calendar/"

urlpatterns: list = [
    path(cal, views.calendar_home, name="home"),
    path(cal + "events", views.events_json, name="events"),
    path(cal + "move", views.calendar_move, name="move"),
    path(cal + "layers", views.calendar_layer, name="layer"),
    path(cal + "new", views.calendar_create, name="create"),
    path(cal + "<int:calendar_id>/settings", views.calendar_settings, name="settings"),
    path(cal + "<int:calendar_id>/archive", views.calendar_archive, name="archive"),
    path(cal + "<int:calendar_id>/feed", views.calendar_feed_token, name="feed_token"),
    path(cal + "<int:calendar_id>/members/add", views.calendar_member_add, name="member_add"),
    path(
        cal + "<int:calendar_id>/members/<int:member_id>/remove",
        views.calendar_member_remove,
        name="member_remove",
    ),
    # the organization's public holidays (see views/holidays.py)
    path(cal + "holidays", views.holidays_page, name="holidays"),
    path(cal + "holidays/switch", views.holidays_switch, name="holidays_switch"),
    path(cal + "holidays/new", views.holiday_add, name="holiday_add"),
    path(cal + "holidays/import", views.holidays_import, name="holidays_import"),
    path(cal + "holidays/bundled", views.holidays_load_bundled, name="holidays_bundled"),
    path(cal + "holidays/<int:day_id>", views.holiday_edit, name="holiday_edit"),
    path(cal + "holidays/<int:day_id>/delete", views.holiday_delete, name="holiday_delete"),
    path(cal + "events/new", views.event_new, name="event_new"),
    path(cal + "e/<int:event_id>", views.event_panel, name="event"),
    path(cal + "e/<int:event_id>/delete", views.event_delete, name="event_delete"),
    path(cal + "e/<int:event_id>/edit", views.event_edit, name="event_edit"),
    path(cal + "e/<int:event_id>/respond", views.event_respond, name="event_respond"),
    # an event's discussion: its files and comments (see views/discussion.py)
    path(cal + "e/<int:event_id>/discussion", views.event_discussion, name="event_discussion"),
    path(cal + "e/<int:event_id>/comments/new", views.event_comment_create, name="event_comment"),
    path(
        cal + "e/<int:event_id>/comments/<int:comment_id>/edit",
        views.event_comment_edit,
        name="event_comment_edit",
    ),
    path(
        cal + "e/<int:event_id>/comments/<int:comment_id>/delete",
        views.event_comment_delete,
        name="event_comment_delete",
    ),
    path(cal + "e/<int:event_id>/files/new", views.event_file_upload, name="event_file_upload"),
    path(
        cal + "e/<int:event_id>/files/<int:attachment_id>",
        views.event_file_download,
        name="event_file",
    ),
    path(
        cal + "e/<int:event_id>/files/<int:attachment_id>/thumbnail",
        views.event_file_thumbnail,
        name="event_file_thumbnail",
    ),
    path(
        cal + "e/<int:event_id>/files/<int:attachment_id>/delete",
        views.event_file_delete,
        name="event_file_delete",
    ),
    path(project + "calendar", views.project_calendar, name="project_calendar"),
    path(project + "calendar/events", views.project_calendar_events, name="project_events"),
    path(project + "calendar/move", views.project_calendar_move, name="project_move"),
    # iCalendar: secret subscription feeds (no login) and the .ics import
    path("feeds/me/<str:token>.ics", views.personal_feed, name="personal_feed"),
    path("feeds/<str:token>.ics", views.calendar_feed, name="calendar_feed"),
    path(org + "calendar/<int:calendar_id>/import", views.import_page, name="import"),
    path(cal + "subscribe", views.subscribe_page, name="subscribe"),
    path(cal + "subscribe/me", views.personal_feed_regenerate, name="personal_feed_regenerate"),
    path(
        cal + "<int:calendar_id>/feed/regenerate",
        views.calendar_feed_regenerate,
        name="feed_regenerate",
    ),
    path(cal + "<int:calendar_id>/feed/revoke", views.calendar_feed_revoke, name="feed_revoke"),
]
