from django.urls import path

from . import notification_views, views

app_name = "teams"

urlpatterns = [
    path("", views.team_page, name="team"),
    path("switch/", views.workspace_switch, name="switch"),
    path("new/", views.workspace_new, name="new"),
    path("<int:workspace_id>/rename/", views.workspace_rename, name="rename"),
    path("<int:workspace_id>/delete/", views.workspace_delete, name="delete"),
    path("<int:workspace_id>/transfer/", views.ownership_transfer, name="transfer"),
    path("<int:workspace_id>/members/<int:user_id>/role/", views.member_role, name="member_role"),
    path("<int:workspace_id>/invitations/", views.invite, name="invite"),
    path(
        "<int:workspace_id>/invitations/<int:invitation_id>/resend/",
        views.invitation_resend,
        name="invitation_resend",
    ),
    path(
        "<int:workspace_id>/invitations/<int:invitation_id>/revoke/",
        views.invitation_revoke,
        name="invitation_revoke",
    ),
    path(
        "invitations/received/<int:invitation_id>/",
        views.invitation_received,
        name="invitation_received",
    ),
    path("invitations/<str:token>/", views.invitation_page, name="invitation"),
    path("notifications/", notification_views.notification_list, name="notifications"),
    path(
        "notifications/<int:notification_id>/open/",
        notification_views.notification_open,
        name="notification_open",
    ),
    path(
        "notifications/<int:notification_id>/read/",
        notification_views.notification_read,
        name="notification_read",
    ),
    path(
        "notifications/read-all/",
        notification_views.notifications_read_all,
        name="notifications_read_all",
    ),
    path(
        "notifications/settings/",
        notification_views.notification_preferences,
        name="notification_preferences",
    ),
    path(
        "<int:workspace_id>/members/<int:user_id>/remove/",
        views.member_remove,
        name="member_remove",
    ),
]
