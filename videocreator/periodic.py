"""Every periodic task, defined in one place and synced into django-celery-beat.

`manage.py setup_periodic_tasks` creates or updates these rows and disables
rows it once created that are no longer listed here.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class PeriodicTaskSpec:
    name: str
    task: str
    every_seconds: int | None = None
    crontab: str | None = None  # "minute hour day_of_month month_of_year day_of_week"
    queue: str | None = None


PERIODIC_TASKS: list[PeriodicTaskSpec] = [
    PeriodicTaskSpec(
        name="Worker heartbeat",
        task="analytics.record_worker_heartbeat",
        every_seconds=60,
    ),
    PeriodicTaskSpec(
        name="Renew due sandbox subscriptions",
        task="billing.renew_due_subscriptions",
        every_seconds=15 * 60,
    ),
    PeriodicTaskSpec(
        name="Publish due scheduled posts",
        task="videos.dispatch_due_posts",
        every_seconds=60,
    ),
    PeriodicTaskSpec(
        name="Collect published posts' statistics",
        task="videos.collect_post_statistics",
        every_seconds=5 * 60,
    ),
    PeriodicTaskSpec(
        name="Re-queue stuck renders",
        task="videos.requeue_stuck_renders",
        every_seconds=5 * 60,
    ),
    PeriodicTaskSpec(
        name="Re-queue stuck exports",
        task="videos.requeue_stuck_exports",
        every_seconds=5 * 60,
    ),
    PeriodicTaskSpec(
        name="Re-queue stuck data exports",
        task="accounts.requeue_stuck_data_exports",
        every_seconds=5 * 60,
    ),
    PeriodicTaskSpec(
        name="Delete video versions beyond the plan's allowance",
        task="videos.apply_version_retention",
        crontab="20 3 * * *",
    ),
    PeriodicTaskSpec(
        name="Retry past-due payments",
        task="billing.retry_past_due_payments",
        every_seconds=60 * 60,
    ),
    # E-mails whose first message was lost; each still goes out once (accounts.emails.send_once).
    *(
        PeriodicTaskSpec(
            name=f"Send {what} e-mails that were not sent", task=task, every_seconds=every
        )
        for what, task, every in [
            ("notification", "teams.send_pending_notification_emails", 10 * 60),
            ("invitation", "teams.reissue_unsent_invitations", 10 * 60),
            ("dunning", "billing.send_unsent_dunning_notices", 10 * 60),
            ("receipt and cancellation", "billing.send_unsent_billing_notices", 10 * 60),
            ("export", "videos.send_unsent_export_emails", 5 * 60),
            ("data export", "accounts.send_unsent_data_export_emails", 5 * 60),
            ("account deleted", "accounts.send_unsent_account_deleted_emails", 10 * 60),
            ("publish-by-hand", "videos.send_unsent_manual_post_emails", 10 * 60),
            ("webhook endpoint disabled", "webhooks.send_unsent_disabled_emails", 10 * 60),
            ("referral", "referrals.send_unsent_emails", 10 * 60),
            ("feature request status", "feedback.send_unsent_status_emails", 10 * 60),
        ]
    ),
    # Webhooks: new events become deliveries within seconds; due retries and deliveries whose
    # worker died are picked up here too (integrations/webhooks/sending.py).
    PeriodicTaskSpec(name="Fan out webhook events", task="webhooks.fan_out", every_seconds=5),
    # Referral rewards follow payments, refunds and disputes in the event log.
    PeriodicTaskSpec(
        name="Grant and reverse referral rewards", task="referrals.sync_rewards", every_seconds=60
    ),
    PeriodicTaskSpec(
        name="Send due webhook deliveries", task="webhooks.send_due", every_seconds=30
    ),
    PeriodicTaskSpec(
        name="Re-queue stuck webhook deliveries",
        task="webhooks.requeue_stale_deliveries",
        every_seconds=60,
    ),
    PeriodicTaskSpec(
        name="Refresh the daily business figures",
        task="metrics.refresh_rollups",
        every_seconds=60 * 60,
    ),
    PeriodicTaskSpec(
        name="Delete expired exports",
        task="videos.expire_exports",
        every_seconds=60 * 60,
    ),
    PeriodicTaskSpec(
        name="Delete expired data exports",
        task="accounts.expire_data_exports",
        every_seconds=60 * 60,
    ),
]

# Rows whose name starts with this are ours to update and disable.
MANAGED_PREFIX = "[videocreator] "
