from allauth.account.adapter import DefaultAccountAdapter
from django.utils import translation

from .emails import language_for
from .models import User


class AccountAdapter(DefaultAccountAdapter):
    def send_mail(self, template_prefix: str, email: str, context: dict) -> None:
        # allauth renders in the active language; make that the recipient's own.
        user = context.get("user") or User.objects.filter(email__iexact=email).first()
        with translation.override(language_for(user)):
            super().send_mail(template_prefix, email, context)
