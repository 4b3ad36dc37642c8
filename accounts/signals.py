from allauth.account.models import EmailAddress
from allauth.account.signals import email_confirmed, user_logged_in, user_signed_up
from django.conf import settings
from django.db.models.signals import post_save
from django.dispatch import receiver
from django.utils import translation

from . import services
from .models import Profile

VERIFIED_EMAIL_SESSION_KEY = "account_verified_email"  # allauth's stash of a proved address


@receiver(post_save, sender=settings.AUTH_USER_MODEL, dispatch_uid="accounts_profile")
def create_profile(sender, instance, created: bool, raw: bool = False, **kwargs) -> None:
    if created and not raw:
        Profile.objects.get_or_create(user=instance)


@receiver(user_signed_up, dispatch_uid="accounts_signed_up")
def on_signed_up(sender, request, user, **kwargs) -> None:
    # The language the visitor browsed in becomes their saved preference.
    language = translation.get_language()
    if language and language in services.LANGUAGE_CODES:
        services.profile_set_language(user=user, language=language)
    services.user_signed_up_record(user=user, method="web")
    if request is not None:
        request.session.pop(VERIFIED_EMAIL_SESSION_KEY, None)  # used once (adapters.py)
    # An address proved at sign-up (an invitation link) sends no confirmation, so no
    # `email_confirmed` either.
    if EmailAddress.objects.filter(user=user, verified=True).exists():
        services.user_verified_record(user=user)


@receiver(email_confirmed, dispatch_uid="accounts_email_confirmed")
def on_email_confirmed(sender, request, email_address, **kwargs) -> None:
    services.user_verified_record(user=email_address.user)


@receiver(user_logged_in, dispatch_uid="accounts_logged_in")
def on_logged_in(sender, request, user, **kwargs) -> None:
    services.user_logged_in_record(user=user, request=request)
