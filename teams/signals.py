from django.conf import settings
from django.db.models.signals import post_save
from django.dispatch import receiver

from .services.workspaces import workspace_create_personal


@receiver(post_save, sender=settings.AUTH_USER_MODEL, dispatch_uid="teams_personal_workspace")
def give_new_user_a_workspace(sender, instance, created: bool, raw: bool = False, **kwargs) -> None:
    # However a user comes to exist (sign-up, command, admin), they get a workspace.
    if created and not raw:
        workspace_create_personal(user=instance)
