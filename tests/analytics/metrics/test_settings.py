"""REPORTING_CURRENCY and ANALYTICS_GROSS_MARGIN are checked when the settings load."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
PRINT = (
    "import django; django.setup(); from analytics.metrics import conf;"
    "print(conf.reporting_currency(), conf.gross_margin())"
)


def _run(**env: str) -> subprocess.CompletedProcess:
    base = {k: v for k, v in os.environ.items() if k not in {"REPORTING_CURRENCY", "DEBUG"}}
    base.pop("ANALYTICS_GROSS_MARGIN", None)
    return subprocess.run(
        [sys.executable, "-c", PRINT],
        cwd=ROOT,
        env={**base, "DJANGO_SETTINGS_MODULE": "videocreator.settings", "DEBUG": "1", **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_defaults_and_values():
    assert _run().stdout.split() == ["USD", "0.8"]
    assert _run(REPORTING_CURRENCY="eur", ANALYTICS_GROSS_MARGIN="0.65").stdout.split() == [
        "EUR",
        "0.65",
    ]


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"REPORTING_CURRENCY": "dollars"}, "REPORTING_CURRENCY must be a three-letter"),
        ({"REPORTING_CURRENCY": "€"}, "REPORTING_CURRENCY must be a three-letter"),
        ({"ANALYTICS_GROSS_MARGIN": "1.5"}, "ANALYTICS_GROSS_MARGIN must be a number above 0"),
        ({"ANALYTICS_GROSS_MARGIN": "0"}, "ANALYTICS_GROSS_MARGIN must be a number above 0"),
        ({"ANALYTICS_GROSS_MARGIN": "lots"}, "ANALYTICS_GROSS_MARGIN must be a number above 0"),
        ({"ANALYTICS_GROSS_MARGIN": "NaN"}, "ANALYTICS_GROSS_MARGIN must be a number above 0"),
    ],
)
def test_bad_values_stop_startup_with_a_clear_error(env, message):
    result = _run(**env)
    assert result.returncode != 0
    assert message in result.stderr
