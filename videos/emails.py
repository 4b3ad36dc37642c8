"""One function per e-mail; each goes out in the recipient's language."""

from __future__ import annotations

from accounts.emails import language_for, send_templated_email, time_zone_for
from accounts.http import absolute_url

from .models import ExportJob


def send_export_ready(*, export: ExportJob, download_url: str) -> None:
    """Tell the requester their ZIP is ready, with the link (valid until it expires, shown in
    their time zone and labelled with it)."""
    user = export.requested_by
    send_templated_email(
        template="export_ready",
        to=[user.email],
        language=language_for(user),
        time_zone=time_zone_for(user),
        context={
            "user": user,
            "export": export,
            "workspace": export.workspace,
            "download_url": download_url,
            "export_url": absolute_url("videos:export_detail", export.pk),
        },
    )


def send_schedule_report(*, schedule, posts) -> None:
    """When a schedule has finished: each platform's result, with the link to the post."""
    user = schedule.requested_by
    send_templated_email(
        template="schedule_report",
        to=[user.email],
        language=language_for(user),
        context={
            "user": user,
            "schedule": schedule,
            "video": schedule.video,
            "posts": posts,
            "schedule_url": absolute_url("videos:schedule_detail", schedule.pk),
        },
        headers={"X-Entity-Ref-ID": f"schedule-{schedule.pk}"},
    )


def _time_zone_of(user) -> str:
    profile = getattr(user, "profile", None)
    return (profile.time_zone if profile else "") or "UTC"


def send_manual_post_due(*, post) -> None:
    """A post to publish by hand is due: the download link, the title and caption to paste,
    and the page where the requester marks it published. The time is in their time zone."""
    from integrations.models import Platform

    schedule = post.schedule
    user = schedule.requested_by
    send_templated_email(
        template="manual_post_due",
        to=[user.email],
        language=language_for(user),
        context={
            "user": user,
            "post": post,
            "video": schedule.video,
            "platform": Platform(post.platform).label,
            "publish_at": schedule.publish_at,
            "zone": _time_zone_of(user),
            "download_url": absolute_url("videos:post_download", schedule.pk, post.pk),
            "post_url": absolute_url("videos:post_detail", schedule.pk, post.pk),
        },
        headers={"X-Entity-Ref-ID": f"manual-post-{post.pk}"},
    )
