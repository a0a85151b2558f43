from django.urls import path

from baton.realtime import views

app_name = "realtime"

urlpatterns = [
    path("presence/", views.presence, name="presence"),
]
