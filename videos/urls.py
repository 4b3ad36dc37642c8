from django.urls import path

from . import views

app_name = "videos"

urlpatterns = [
    path("videos/", views.video_list, name="list"),
    path("templates/", views.template_list, name="templates"),
    path("schedule/", views.schedule, name="schedule"),
]
