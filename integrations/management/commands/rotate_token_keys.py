"""Re-encrypt every stored OAuth token with the newest key in TOKEN_ENCRYPTION_KEYS."""

from django.core.management.base import BaseCommand
from django.db import connection, transaction

from integrations import crypto
from integrations.models import ConnectedAccount


class Command(BaseCommand):
    help = (
        "Re-encrypt stored OAuth tokens with the first key of TOKEN_ENCRYPTION_KEYS. Put the "
        "new key first, keep the old ones after it, run this, then drop the old keys."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--dry-run", action="store_true", help="Count, change nothing.")

    def handle(self, *args, dry_run: bool = False, **options) -> None:
        table = connection.ops.quote_name(ConnectedAccount._meta.db_table)
        rotated = 0
        with transaction.atomic():
            pks = list(ConnectedAccount.objects.select_for_update().values_list("pk", flat=True))
            # Raw ciphertexts: the model field would decrypt them on the way out.
            with connection.cursor() as cursor:
                cursor.execute(
                    f"SELECT id, access_token, refresh_token FROM {table} "  # noqa: S608
                    f"WHERE id IN ({','.join(str(int(pk)) for pk in pks) or 'NULL'})"
                )
                stored = cursor.fetchall()
                for pk, *secrets in stored:
                    new = [crypto.rotate(s) if s else s for s in secrets]
                    rotated += sum(1 for s in secrets if s)
                    if not dry_run:
                        cursor.execute(
                            f"UPDATE {table} SET access_token = %s, refresh_token = %s "  # noqa: S608
                            "WHERE id = %s",
                            [*new, pk],
                        )
        verb = "Would re-encrypt" if dry_run else "Re-encrypted"
        self.stdout.write(f"{verb} {rotated} token(s) of {len(stored)} account(s).")
