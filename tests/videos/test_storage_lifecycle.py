"""`manage.py apply_storage_lifecycle` against moto's S3 server: rules read back from the bucket."""

import io
import json

import pytest
from django.core.management import CommandError, call_command

from tests.conftest import BUCKET


def _run(*args) -> str:
    out = io.StringIO()
    call_command("apply_storage_lifecycle", *args, stdout=out)
    return out.getvalue()


def _rules(client) -> dict[str, dict]:
    rules = client.get_bucket_lifecycle_configuration(Bucket=BUCKET)["Rules"]
    return {rule["ID"]: rule for rule in rules}


@pytest.mark.django_db
def test_the_rules_are_set_and_read_back(s3):
    _run()
    rules = _rules(s3)
    versions = rules["videocreator-versions-to-infrequent-access"]
    assert versions["Status"] == "Enabled"
    assert versions["Filter"]["Tag"] == {"Key": "vc-lifecycle", "Value": "version"}
    assert versions["Transitions"][0]["Days"] == 30
    assert versions["Transitions"][0]["StorageClass"] == "STANDARD_IA"
    exports = rules["videocreator-expire-exports"]
    assert exports["Filter"]["Prefix"] == "exports/" and exports["Expiration"]["Days"] == 7
    uploads = rules["videocreator-expire-temporary-uploads"]
    assert uploads["Filter"]["Prefix"] == "tmp-uploads/" and uploads["Expiration"]["Days"] == 7


@pytest.mark.django_db
def test_it_is_idempotent_and_keeps_other_rules(s3):
    s3.put_bucket_lifecycle_configuration(
        Bucket=BUCKET,
        LifecycleConfiguration={
            "Rules": [
                {
                    "ID": "ops-logs",
                    "Status": "Enabled",
                    "Filter": {"Prefix": "logs/"},
                    "Expiration": {"Days": 90},
                }
            ]
        },
    )
    _run()
    first = _rules(s3)
    _run()
    assert _rules(s3) == first
    assert len(first) == 4 and first["ops-logs"]["Expiration"]["Days"] == 90


@pytest.mark.django_db
def test_dry_run_prints_and_changes_nothing(s3):
    output = _run("--dry-run")
    rules = json.loads(output[: output.rindex("}") + 1])["Rules"]
    assert {r["ID"] for r in rules} >= {"videocreator-expire-exports"}
    assert "STANDARD_IA" in output and "Dry run" in output
    from botocore.exceptions import ClientError

    with pytest.raises(ClientError):
        s3.get_bucket_lifecycle_configuration(Bucket=BUCKET)


@pytest.mark.django_db
def test_local_storage_has_no_bucket():
    with pytest.raises(CommandError):
        _run()
    assert "exports/" in _run("--dry-run")
