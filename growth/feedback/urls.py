"""The board's pages, under /feedback/."""

from django.urls import path

from . import staff_views, unsubscribe, views

app_name = "feedback"

urlpatterns = [
    path("", views.board, name="board"),
    path("new/", views.new, name="new"),
    path("similar/", views.similar, name="similar"),
    path("roadmap/", views.roadmap, name="roadmap"),
    path("changelog/", views.changelog, name="changelog"),
    path("unsubscribe/<str:token>/", unsubscribe.unsubscribe, name="unsubscribe"),
    path("prioritized/", staff_views.prioritized, name="prioritized"),
    path("<int:feature_request_id>/", views.detail, name="detail"),
    path("<int:feature_request_id>/vote/", views.vote, name="vote"),
    path("<int:feature_request_id>/comment/", views.comment, name="comment"),
    path("<int:feature_request_id>/subscription/", views.subscription, name="subscription"),
    path("<int:feature_request_id>/status/", staff_views.set_status, name="set_status"),
    path("<int:feature_request_id>/merge/", staff_views.merge, name="merge"),
    path("<int:feature_request_id>/rice/", staff_views.set_rice, name="set_rice"),
    path("<int:feature_request_id>/vote-for/", staff_views.vote_on_behalf, name="vote_on_behalf"),
    path("comments/<int:feature_comment_id>/edit/", views.comment_edit, name="comment_edit"),
    path("comments/<int:feature_comment_id>/delete/", views.comment_delete, name="comment_delete"),
    path("comments/<int:feature_comment_id>/hide/", staff_views.comment_hide, name="comment_hide"),
]
