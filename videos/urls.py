from django.urls import path

from . import views
from .views import exports as export_views
from .views import performance as performance_views
from .views import posts as post_views
from .views import review as review_views
from .views import sandbox as sandbox_views
from .views import schedules as schedule_views
from .views import versions as version_views

app_name = "videos"

urlpatterns = [
    path("videos/", views.video_list, name="list"),
    path("videos/<int:video_id>/", views.video_detail, name="detail"),
    path("videos/<int:video_id>/status/", views.video_status, name="status"),
    path("videos/<int:video_id>/edit/", views.video_edit, name="edit"),
    path("videos/<int:video_id>/render/", views.video_render, name="render"),
    path("videos/<int:video_id>/branding/", views.video_apply_branding, name="apply_branding"),
    path("videos/<int:video_id>/delete/", views.video_delete, name="delete"),
    path("videos/<int:video_id>/download/", views.video_download, name="download"),
    path("videos/<int:video_id>/history/", version_views.video_history, name="history"),
    path(
        "videos/<int:video_id>/performance/",
        performance_views.video_performance,
        name="performance",
    ),
    path(
        "videos/<int:video_id>/versions/<int:number>/",
        version_views.video_version,
        name="version",
    ),
    path(
        "videos/<int:video_id>/versions/<int:number>/restore/",
        version_views.video_version_restore,
        name="version_restore",
    ),
    path("videos/<int:video_id>/compare/", version_views.video_compare, name="compare"),
    path(
        "videos/<int:video_id>/versions/<int:number>/comments/",
        review_views.comment_post,
        name="comment_post",
    ),
    path(
        "videos/<int:video_id>/versions/<int:number>/review/",
        review_views.version_decide,
        name="version_decide",
    ),
    path(
        "videos/<int:video_id>/versions/<int:number>/markers/",
        review_views.comment_markers,
        name="comment_markers",
    ),
    path(
        "videos/<int:video_id>/mentions/",
        review_views.mention_candidates,
        name="mention_candidates",
    ),
    path(
        "videos/<int:video_id>/comments/<int:comment_id>/edit/",
        review_views.comment_edit,
        name="comment_edit",
    ),
    path(
        "videos/<int:video_id>/comments/<int:comment_id>/delete/",
        review_views.comment_delete,
        name="comment_delete",
    ),
    path(
        "videos/<int:video_id>/comments/<int:comment_id>/resolve/",
        review_views.comment_resolve,
        name="comment_resolve",
    ),
    path("files/<str:token>/", views.stored_file, name="file"),
    path("templates/", views.template_list, name="templates"),
    path("templates/<slug:key>/", views.template_detail, name="template"),
    path("brand-kits/", views.brand_kit_list, name="brand_kits"),
    path("brand-kits/new/", views.brand_kit_create, name="brand_kit_create"),
    path("brand-kits/<int:kit_id>/", views.brand_kit_edit, name="brand_kit_edit"),
    path("brand-kits/<int:kit_id>/delete/", views.brand_kit_delete, name="brand_kit_delete"),
    path("brand-kits/<int:kit_id>/preview.png", views.brand_kit_preview, name="brand_kit_preview"),
    path("schedule/", views.schedule, name="schedule"),
    path("videos/<int:video_id>/schedule/", schedule_views.schedule_new, name="schedule_new"),
    path("schedules/<int:schedule_id>/", schedule_views.schedule_detail, name="schedule_detail"),
    path(
        "schedules/<int:schedule_id>/cancel/",
        schedule_views.schedule_cancel,
        name="schedule_cancel",
    ),
    path(
        "schedules/<int:schedule_id>/reschedule/",
        schedule_views.schedule_reschedule,
        name="schedule_reschedule",
    ),
    path(
        "schedules/<int:schedule_id>/posts/<int:post_id>/",
        post_views.post_detail,
        name="post_detail",
    ),
    path(
        "schedules/<int:schedule_id>/posts/<int:post_id>/download/",
        post_views.post_download,
        name="post_download",
    ),
    path(
        "schedules/<int:schedule_id>/posts/<int:post_id>/mark-published/",
        post_views.post_mark_published,
        name="post_mark_published",
    ),
    path(
        "schedules/<int:schedule_id>/posts/<int:post_id>/skip/",
        post_views.post_skip,
        name="post_skip",
    ),
    path(
        "sandbox/posts/<int:sandbox_post_id>/",
        sandbox_views.sandbox_post,
        name="sandbox_post",
    ),
    path("videos/export/", export_views.export_create, name="export_create"),
    path("exports/", export_views.export_list, name="exports"),
    path("exports/<uuid:export_id>/", export_views.export_detail, name="export_detail"),
    path("exports/<uuid:export_id>/status/", export_views.export_status, name="export_status"),
    path("exports/<uuid:export_id>/cancel/", export_views.export_cancel, name="export_cancel"),
    path("exports/download/<str:token>/", export_views.export_download, name="export_download"),
]
