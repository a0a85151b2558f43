from django.urls import path

from baton.notifications import views

app_name = "notifications"

urlpatterns = [
    # The inbox (views/inbox.py).
    path("notifications/", views.inbox.inbox, name="inbox"),
    path("notifications/read-all", views.inbox.mark_all_read, name="read_all"),
    path("notifications/<str:notification_id>/read", views.inbox.mark_read, name="read"),
    path("notifications/<str:notification_id>/open", views.inbox.open_target, name="open"),
    # Mail and reminder settings, and the organization's mail status (views/settings.py).
    path("notifications/settings", views.settings.preferences, name="settings"),
    path("o/<slug:slug>/settings/mail", views.settings.org_mail, name="org_mail"),
]
