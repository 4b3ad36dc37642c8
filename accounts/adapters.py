from allauth.account.adapter import DefaultAccountAdapter
from django.utils import translation

from .emails import language_for
from .models import User


class AccountAdapter(DefaultAccountAdapter):
    # An address proved elsewhere (an invitation link: `stash_verified_email`) is verified when
    # the visitor signs up with exactly that address (allauth's `is_email_verified` reads the
    # stash). allauth would also add the stashed address to an account signed up with another
    # one, and make it the primary: an account gets only the address typed. The stash is
    # dropped once the sign-up is done (signals.on_signed_up).
    def unstash_verified_email(self, request) -> None:
        return None

    def send_mail(self, template_prefix: str, email: str, context: dict) -> None:
        # allauth renders in the active language; make that the recipient's own.
        user = context.get("user") or User.objects.filter(email__iexact=email).first()
        with translation.override(language_for(user)):
            super().send_mail(template_prefix, email, context)
