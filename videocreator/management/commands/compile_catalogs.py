from pathlib import Path

import polib
from django.conf import settings
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = (
        "Compile every locale/*/LC_MESSAGES/*.po into .mo in pure Python, "
        "so a machine without GNU gettext still runs translated."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--force", action="store_true", help="Recompile up-to-date files.")

    def handle(self, *args, force: bool = False, **options) -> None:
        compiled = skipped = 0
        for locale_dir in settings.LOCALE_PATHS:
            for po_path in sorted(Path(locale_dir).glob("*/LC_MESSAGES/*.po")):
                mo_path = po_path.with_suffix(".mo")
                if (
                    not force
                    and mo_path.exists()
                    and mo_path.stat().st_mtime >= po_path.stat().st_mtime
                ):
                    skipped += 1
                    continue
                polib.pofile(str(po_path)).save_as_mofile(str(mo_path))
                compiled += 1
        self.stdout.write(f"Compiled {compiled} catalog(s); {skipped} already up to date.")
