from django.urls import include, path

from baton.core import views as core_views

urlpatterns = [
    path("", core_views.home, name="home"),
    path("healthz", core_views.healthz, name="healthz"),
    path("markdown/preview", core_views.markdown_preview, name="markdown_preview"),
    path("accounts/", include("baton.accounts.urls")),
    path("", include("baton.orgs.urls")),
    path("", include("baton.projects.urls")),
    path("", include("baton.calendars.urls")),
    path("", include("baton.documents.urls")),
    path("", include("baton.realtime.urls")),
    path("", include("baton.notifications.urls")),
]

handler404 = "baton.core.views.not_found"
handler403 = "baton.core.views.forbidden"
