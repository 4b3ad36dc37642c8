"""A generated business history for the metrics, the dashboards and the benchmarks
(`manage.py seed_analytics`): sign-ups from marketing channels, visits, videos, Pro
subscriptions with their whole ledger, exchange rates and marketing spend, written in bulk.
README.md, *Seeded analytics history*, describes what it makes.
"""

from .catalog import DEFAULT_PASSWORD, EMAIL_DOMAIN
from .reset import seed_reset
from .run import (
    MODELS,
    SeededDataExists,
    SeedSummary,
    check_arguments,
    seed_history,
    seeded_data_exists,
)
from .writer import analyze

__all__ = [
    "DEFAULT_PASSWORD",
    "EMAIL_DOMAIN",
    "MODELS",
    "SeedSummary",
    "SeededDataExists",
    "analyze",
    "check_arguments",
    "seed_history",
    "seed_reset",
    "seeded_data_exists",
]
