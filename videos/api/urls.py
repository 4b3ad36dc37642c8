"""Every /api/v1/ route of the videos app, in one list (included by videocreator/urls.py)."""

from django.urls import path

from . import brand_kits, exports, library, performance, review, schedules, versions, videos

urlpatterns = [
    path("templates/", library.TemplateList.as_view(), name="template-list"),
    path("templates/<slug:key>/", library.TemplateDetail.as_view(), name="template-detail"),
    path("videos/", videos.VideoListCreate.as_view(), name="video-list"),
    path("videos/<int:video_id>/", videos.VideoDetail.as_view(), name="video-detail"),
    path("videos/<int:video_id>/download/", videos.VideoDownload.as_view(), name="video-download"),
    path("videos/<int:video_id>/render/", videos.VideoRender.as_view(), name="video-render"),
    path(
        "videos/<int:video_id>/apply-branding/",
        videos.VideoApplyBranding.as_view(),
        name="video-apply-branding",
    ),
    path(
        "videos/<int:video_id>/performance/",
        performance.VideoPerformanceView.as_view(),
        name="video-performance",
    ),
    path(
        "videos/<int:video_id>/versions/",
        versions.VideoVersionList.as_view(),
        name="video-versions",
    ),
    path(
        "videos/<int:video_id>/versions/compare/",
        versions.VideoVersionCompare.as_view(),
        name="video-versions-compare",
    ),
    path(
        "videos/<int:video_id>/versions/<int:number>/restore/",
        versions.VideoVersionRestore.as_view(),
        name="video-version-restore",
    ),
    path("brand-kits/", brand_kits.BrandKitListCreate.as_view(), name="brand-kit-list"),
    path("exports/", exports.ExportCreate.as_view(), name="export-list"),
    path("exports/<uuid:export_id>/", exports.ExportDetail.as_view(), name="export-detail"),
    path("exports/<uuid:export_id>/cancel/", exports.ExportCancel.as_view(), name="export-cancel"),
    path(
        "videos/<int:video_id>/comments/",
        review.VideoCommentList.as_view(),
        name="video-comments",
    ),
    path("videos/<int:video_id>/review/", review.VideoReview.as_view(), name="video-review"),
    path("comments/<int:comment_id>/", review.CommentDetail.as_view(), name="comment-detail"),
    path(
        "comments/<int:comment_id>/resolve/",
        review.CommentResolve.as_view(),
        name="comment-resolve",
    ),
    path(
        "comments/<int:comment_id>/unresolve/",
        review.CommentUnresolve.as_view(),
        name="comment-unresolve",
    ),
    path("schedules/", schedules.ScheduleList.as_view(), name="schedule-list"),
    path(
        "schedules/<int:schedule_id>/",
        schedules.ScheduleDetail.as_view(),
        name="schedule-detail",
    ),
    path(
        "schedules/<int:schedule_id>/cancel/",
        schedules.ScheduleCancel.as_view(),
        name="schedule-cancel",
    ),
    path(
        "schedules/<int:schedule_id>/posts/<int:post_id>/mark-published/",
        schedules.PostMarkPublished.as_view(),
        name="schedule-post-mark-published",
    ),
    path(
        "schedules/<int:schedule_id>/posts/<int:post_id>/skip/",
        schedules.PostSkip.as_view(),
        name="schedule-post-skip",
    ),
]
