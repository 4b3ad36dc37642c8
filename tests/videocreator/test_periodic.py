"""The schedule names real tasks, and every e-mail recorded by `emailed_at` has a sweep."""

from django.apps import apps

from videocreator.periodic import PERIODIC_TASKS

# Which periodic task re-sends the e-mails of each model that records them with `emailed_at`.
SWEEPS = {
    "teams.Invitation": "teams.reissue_unsent_invitations",
    "teams.Notification": "teams.send_pending_notification_emails",
    "billing.DunningNotice": "billing.send_unsent_dunning_notices",
    "billing.BillingNotice": "billing.send_unsent_billing_notices",
    "videos.ExportJob": "videos.send_unsent_export_emails",
    "accounts.DataExport": "accounts.send_unsent_data_export_emails",
    "accounts.AccountDeletion": "accounts.send_unsent_account_deleted_emails",
    "videos.PlatformPost": "videos.send_unsent_manual_post_emails",
    "webhooks.Endpoint": "webhooks.send_unsent_disabled_emails",
    "referrals.ReferralReward": "referrals.send_unsent_emails",
    "referrals.ReferralInvitation": "referrals.send_unsent_emails",
    "feedback.StatusEmail": "feedback.send_unsent_status_emails",
}


def test_every_scheduled_task_is_a_registered_task():
    from videocreator.celery import app

    app.loader.import_default_modules()
    missing = [spec.task for spec in PERIODIC_TASKS if spec.task not in app.tasks]
    assert missing == []


def test_every_model_with_emailed_at_has_a_scheduled_sweep():
    with_emails = {
        model._meta.label
        for model in apps.get_models()
        if any(field.name == "emailed_at" for field in model._meta.get_fields())
    }
    assert with_emails == set(SWEEPS)
    scheduled = {spec.task for spec in PERIODIC_TASKS}
    assert set(SWEEPS.values()) <= scheduled


def test_stuck_renders_and_exports_are_requeued_by_tasks_of_their_own():
    scheduled = {spec.task for spec in PERIODIC_TASKS}
    assert {"videos.requeue_stuck_renders", "videos.requeue_stuck_exports"} <= scheduled
