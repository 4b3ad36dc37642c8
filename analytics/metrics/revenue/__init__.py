"""Revenue metrics from billing's ledger: MRR, its movements, exchange rates, SaaS ratios.

The public functions, each keyword-only over a day or a range of days (UTC, inclusive):

- `mrr_on(day=…)`, `mrr_series(start=…, end=…)` — MRR, CMRR, per currency, per workspace;
- `mrr_movements(start=…, end=…)`, `mrr_movement_breakdown(start=…, end=…, kind=…)`;
- `saas_metrics(start=…, end=…)` — ARR, ARPU, customers, conversion, churn, NRR, LTV, CAC;
- `marketing_spend(start=…, end=…)`; `fx_convert(...)`, `fx_rate(...)`, `fx_table(...)`.
"""

from .fx import FxRateMissing, FxTable, fx_convert, fx_rate, fx_table
from .movements import MrrMovements, WorkspaceMovement, mrr_movement_breakdown, mrr_movements
from .mrr import MrrSnapshot, WorkspaceMrr, mrr_on, mrr_series, reporting_currency
from .ratios import LTV_CAC_TARGET, SaasMetrics, saas_metrics
from .spend import SpendTotal, marketing_spend
from .timeline import MOVEMENTS, CurrencyTotals, DayTotals, Movement, MovementEntry

__all__ = [
    "LTV_CAC_TARGET",
    "MOVEMENTS",
    "CurrencyTotals",
    "DayTotals",
    "FxRateMissing",
    "FxTable",
    "Movement",
    "MovementEntry",
    "MrrMovements",
    "MrrSnapshot",
    "SaasMetrics",
    "SpendTotal",
    "WorkspaceMovement",
    "WorkspaceMrr",
    "fx_convert",
    "fx_rate",
    "fx_table",
    "marketing_spend",
    "mrr_movement_breakdown",
    "mrr_movements",
    "mrr_on",
    "mrr_series",
    "reporting_currency",
    "saas_metrics",
]
