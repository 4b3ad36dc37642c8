from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .fields import EncryptedTextField


class Platform(models.TextChoices):
    YOUTUBE = "youtube", "YouTube"
    INSTAGRAM = "instagram", "Instagram"
    TIKTOK = "tiktok", "TikTok"
    FACEBOOK = "facebook", "Facebook"
    X = "x", "X"
    # A test channel every workspace can connect without credentials (integrations.sandbox).
    SANDBOX = "sandbox", _("Sandbox (test channel)")


class AccountStatus(models.TextChoices):
    ACTIVE = "active", _("Connected")
    RECONNECT = "reconnect", _("Needs reconnecting")
    DISCONNECTED = "disconnected", _("Disconnected")


class ConnectedAccount(models.Model):
    """A workspace's account on a platform: a YouTube channel, an Instagram professional
    account, a TikTok creator, a Facebook Page or an X user. Tokens are encrypted at rest."""

    workspace = models.ForeignKey(
        "teams.Team", on_delete=models.CASCADE, related_name="connected_accounts"
    )
    platform = models.CharField(_("platform"), max_length=12, choices=Platform.choices)
    external_id = models.CharField(max_length=100)
    name = models.CharField(_("name"), max_length=200)
    handle = models.CharField(max_length=200, blank=True, default="")
    access_token = EncryptedTextField(blank=True, default="")
    refresh_token = EncryptedTextField(blank=True, default="")
    expires_at = models.DateTimeField(null=True, blank=True)
    scopes = models.CharField(max_length=500, blank=True, default="")
    # Facebook and Instagram publish with a Page token; the user's token is kept to list pages.
    extra = models.JSONField(default=dict, blank=True)
    status = models.CharField(
        max_length=12, choices=AccountStatus.choices, default=AccountStatus.ACTIVE
    )
    last_error = models.TextField(blank=True, default="")
    connected_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    connected_at = models.DateTimeField(default=timezone.now)
    refreshed_at = models.DateTimeField(null=True, blank=True)

    WORKSPACE_PATH = "workspace"

    class Meta:
        verbose_name = _("connected account")
        verbose_name_plural = _("connected accounts")
        ordering = ["platform", "name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["workspace", "platform", "external_id"],
                name="one_connection_per_remote_account",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_platform_display()}: {self.name}"


class SandboxPost(models.Model):
    """What the sandbox channel "published": the test channel's own record of a post, shown on
    an in-app page instead of a platform's. One per post of ours (`reference`), so a retried
    publish finds the first instead of making a second."""

    account = models.ForeignKey(
        ConnectedAccount, on_delete=models.CASCADE, related_name="sandbox_posts"
    )
    # Our id for the post we were asked to publish ("post-<PlatformPost id>").
    reference = models.CharField(max_length=64)
    title = models.CharField(_("title"), max_length=200, blank=True, default="")
    caption = models.TextField(_("caption"), blank=True, default="")
    # The stored video file it "received", and what it was.
    video_key = models.CharField(max_length=500, blank=True, default="")
    size = models.BigIntegerField(default=0)
    duration = models.FloatField(default=0)
    width = models.PositiveIntegerField(default=0)
    height = models.PositiveIntegerField(default=0)
    published_at = models.DateTimeField(_("published at"), default=timezone.now)

    WORKSPACE_PATH = "account__workspace"

    class Meta:
        verbose_name = _("sandbox post")
        verbose_name_plural = _("sandbox posts")
        ordering = ["-published_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["account", "reference"], name="one_sandbox_post_per_reference"
            )
        ]

    def __str__(self) -> str:
        return f"sandbox post {self.pk} ({self.reference})"
