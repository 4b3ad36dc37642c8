from django.db.models.signals import post_save
from django.dispatch import receiver

from teams.models import Team


@receiver(post_save, sender=Team, dispatch_uid="billing_free_plan_for_new_workspace")
def start_on_free(sender, instance: Team, created: bool, raw: bool = False, **kwargs) -> None:
    if created and not raw:
        from .services import subscription_for

        subscription_for(instance)
