from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from accounts.services import user_create


class Command(BaseCommand):
    help = "Create a verified user exactly as sign-up does, personal workspace included."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--email", required=True)
        parser.add_argument("--password", required=True)
        parser.add_argument("--staff", action="store_true", help="Allow the admin site.")
        parser.add_argument(
            "--language",
            default="",
            choices=[code for code, _name in settings.LANGUAGES],
            help="Saved language preference.",
        )

    def handle(self, *args, **options) -> None:
        try:
            user = user_create(
                email=options["email"],
                password=options["password"],
                is_staff=options["staff"],
                language=options["language"],
                verified=True,
            )
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error
        workspace = user.teams.get(is_personal=True)
        self.stdout.write(
            self.style.SUCCESS(
                f"Created {user.email} (staff: {'yes' if user.is_staff else 'no'}) "
                f"with workspace “{workspace.name}” (id {workspace.id})."
            )
        )
