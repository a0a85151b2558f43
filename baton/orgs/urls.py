from django.urls import path

from baton.orgs import views

app_name = "orgs"
org = "o/<slug:slug>/"

urlpatterns = [
    path("orgs/new", views.create, name="create"),
    path("invite/<str:token>", views.invitation_accept, name="invitation_accept"),
    path(org, views.home, name="home"),
    path(org + "settings", views.org_settings, name="settings"),
    path(org + "members", views.members, name="members"),
    path(org + "members/<int:membership_id>/role", views.member_role, name="member_role"),
    path(org + "members/<int:membership_id>/remove", views.member_remove, name="member_remove"),
    path(org + "leave", views.leave, name="leave"),
    path(org + "invitations/new", views.invite, name="invite"),
    path(
        org + "invitations/<int:invitation_id>/revoke",
        views.invitation_revoke,
        name="invitation_revoke",
    ),
    path(org + "teams", views.teams, name="teams"),
    path(org + "teams/new", views.team_create, name="team_create"),
    path(org + "teams/<int:team_id>", views.team_edit, name="team_edit"),
    path(org + "teams/<int:team_id>/members", views.team_members, name="team_members"),
    path(org + "teams/<int:team_id>/delete", views.team_delete, name="team_delete"),
]
