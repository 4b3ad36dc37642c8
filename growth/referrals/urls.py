from django.urls import path

from . import staff_views, views

app_name = "referrals"

urlpatterns = [
    path("r/<str:code>", views.share, name="share"),
    path("referrals/", views.page, name="page"),
    path("referrals/apply/", views.apply, name="apply"),
    path("referrals/invite/", views.invite, name="invite"),
    path("referrals/rewards/<int:reward_id>/claim/", views.claim, name="claim"),
    path("referrals/staff/", staff_views.overview, name="staff"),
]
