"""Set the S3 bucket's lifecycle rules; idempotent (the whole configuration is replaced)."""

from __future__ import annotations

import json

from django.core.management.base import BaseCommand, CommandError

from videos import storage

RULE_PREFIX = "videocreator-"


def lifecycle_rules() -> list[dict]:
    """Version files → STANDARD_IA after 30 days; export ZIPs and temporary uploads deleted
    after 7 days. Version files live under workspaces/<id>/renders/, so they are matched by
    the tag `storage.save_path` puts on them; the others by their top-level prefixes."""
    return [
        {
            "ID": f"{RULE_PREFIX}versions-to-infrequent-access",
            "Status": "Enabled",
            "Filter": {"Tag": {"Key": storage.LIFECYCLE_TAG, "Value": storage.LIFECYCLE_VERSION}},
            "Transitions": [{"Days": 30, "StorageClass": "STANDARD_IA"}],
        },
        {
            "ID": f"{RULE_PREFIX}expire-exports",
            "Status": "Enabled",
            "Filter": {"Prefix": storage.EXPORTS_PREFIX},
            "Expiration": {"Days": 7},
            "AbortIncompleteMultipartUpload": {"DaysAfterInitiation": 1},
        },
        {
            "ID": f"{RULE_PREFIX}expire-temporary-uploads",
            "Status": "Enabled",
            "Filter": {"Prefix": storage.TMP_UPLOADS_PREFIX},
            "Expiration": {"Days": 7},
            "AbortIncompleteMultipartUpload": {"DaysAfterInitiation": 1},
        },
    ]


def _merged(existing: list[dict]) -> list[dict]:
    """Our rules replace our earlier ones; rules someone else added to the bucket stay."""
    others = [rule for rule in existing if not str(rule.get("ID", "")).startswith(RULE_PREFIX)]
    return [*others, *lifecycle_rules()]


class Command(BaseCommand):
    help = (
        "Set the S3 bucket's lifecycle rules: version files move to STANDARD_IA after 30 days; "
        "export ZIPs and temporary uploads are deleted after 7 days. Safe to run again."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--dry-run", action="store_true", help="Print the rules only.")

    def handle(self, *args, dry_run: bool = False, **options) -> None:
        if dry_run:
            self.stdout.write(json.dumps({"Rules": lifecycle_rules()}, indent=2))
            self.stdout.write("Dry run: the bucket was not changed.")
            return
        if storage.is_local():
            raise CommandError("Storage is the local disk: there is no bucket to configure.")
        from botocore.exceptions import ClientError
        from django.core.files.storage import default_storage

        client = default_storage.connection.meta.client
        bucket = default_storage.bucket_name
        try:
            existing = client.get_bucket_lifecycle_configuration(Bucket=bucket).get("Rules", [])
        except ClientError as error:
            if error.response.get("Error", {}).get("Code") != "NoSuchLifecycleConfiguration":
                raise
            existing = []
        rules = _merged(existing)
        if existing == rules:
            self.stdout.write(f"Bucket {bucket}: lifecycle rules already up to date.")
            return
        client.put_bucket_lifecycle_configuration(
            Bucket=bucket, LifecycleConfiguration={"Rules": rules}
        )
        self.stdout.write(
            f"Bucket {bucket}: {len(lifecycle_rules())} lifecycle rules set "
            f"({len(rules) - len(lifecycle_rules())} other rules kept)."
        )
