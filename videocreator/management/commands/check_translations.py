from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from videocreator.translation_check import check_catalogs


class Command(BaseCommand):
    help = (
        "Fail when any language's catalog has a missing, untranslated or fuzzy entry, "
        "or one whose placeholders differ from the English text."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--locale-dir", default=str(settings.LOCALE_PATHS[0]), help="Catalogs to check."
        )
        parser.add_argument(
            "--language",
            action="append",
            dest="languages",
            choices=[code for code, _name in settings.LANGUAGES],
            help="Check only this language (repeatable); all by default.",
        )

    def handle(self, *args, locale_dir: str, languages: list[str] | None, **options) -> None:
        languages = languages or [code for code, _name in settings.LANGUAGES]
        problems = check_catalogs(Path(locale_dir), languages)
        for problem in problems:
            self.stderr.write(str(problem))
        if problems:
            raise CommandError(f"{len(problems)} translation problem(s) in {locale_dir}.")
        self.stdout.write(
            self.style.SUCCESS(f"All {len(languages)} catalogs are complete in {locale_dir}.")
        )
