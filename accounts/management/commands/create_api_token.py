from django.core.management.base import BaseCommand, CommandError

from accounts.models import User
from accounts.services import api_token_create


class Command(BaseCommand):
    help = "Create a personal API token for a user and print the key alone on the last line."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--email", required=True)
        parser.add_argument("--name", default="Command line")

    def handle(self, *args, **options) -> None:
        user = User.objects.filter(email__iexact=options["email"].strip()).first()
        if user is None:
            raise CommandError(f"No user with the e-mail address {options['email']}.")
        token, key = api_token_create(user=user, name=options["name"])
        self.stdout.write(f"Token “{token.name}” created for {user.email}. It is shown only once:")
        self.stdout.write(key)
