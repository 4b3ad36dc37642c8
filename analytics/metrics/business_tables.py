"""The business dashboard's tables, made from a `business_report`: what the page shows beside
every chart, and what each CSV export holds (`?format=csv&table=<name>`)."""

from __future__ import annotations

from collections.abc import Callable

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .business import Report
from .cohorts import RETENTION_MONTHS
from .display import Column, Table, format_value

# Each table and the report section it is made from (a CSV export computes only that one).
TABLE_SECTIONS: dict[str, str] = {
    "revenue": "revenue",
    "movements": "revenue",
    "mrr_by_currency": "revenue",
    "users": "users",
    "content": "content",
    "platforms": "content",
    "templates": "content",
    "growth": "growth",
    "cohorts": "cohorts",
    "funnel": "funnel",
}

MOVEMENT_LABELS = {
    "new": gettext_lazy("New business"),  # ChartMogul's name; "New" alone means unread
    "expansion": gettext_lazy("Expansion"),
    "contraction": gettext_lazy("Contraction"),
    "churn": gettext_lazy("Churn"),
    "reactivation": gettext_lazy("Reactivation"),
    "fx": gettext_lazy("FX impact"),
}

Link = Callable[[str], str]


def missing_rate_message(missing: dict) -> str:
    return _(
        "No revenue figures: the exchange rate of %(currency)s on or before %(day)s is "
        "missing. Add it in the admin (Business metrics → Exchange rates) or load the ECB "
        "rates with manage.py load_fx_rates."
    ) % {"currency": missing["currency"], "day": format_value(missing["day"], "day")}


def _figures(name: str, title: str, rows: list[dict], currency: str = "") -> Table:
    """A two-column table: a figure's name, its value (each row says what kind it is)."""
    return Table(
        name=name,
        title=title,
        columns=[Column("label", _("Figure")), Column("value", _("Value"), "by_row")],
        rows=rows,
        currency=currency,
        figures=True,
    )


def revenue_tables(report: Report, movement_url: Link | None) -> list[Table]:
    section, currency = report["revenue"], report["revenue"]["currency"]
    if section["missing_rate"]:
        note = missing_rate_message(section["missing_rate"])
        return [
            _figures("revenue", _("Revenue"), [], currency),
            Table("movements", _("MRR movements"), [], [], currency, empty=note),
            Table("mrr_by_currency", _("MRR by currency"), [], [], currency, empty=note),
        ]

    def row(label: str, key: str, kind: str, **extra) -> dict:
        return {"label": label, "value": section[key], "kind": kind, **extra}

    below = section["ltv_to_cac_below_target"]
    target = format_value(section["ltv_to_cac_target"], "ratio")
    figures = [
        row(_("MRR"), "mrr", "money"),
        row(_("Committed MRR (scheduled cancellations left out)"), "cmrr", "money"),
        row(_("ARR"), "arr", "money"),
        row(_("Net new MRR"), "net_new_mrr", "money"),
        row(_("Customers (workspaces)"), "customers", "count"),
        row(_("Paying customers"), "paying_customers", "count"),
        row(_("New paying customers"), "new_paying_customers", "count"),
        row(_("Churned customers"), "churned_customers", "count"),
        row(_("Free-to-paid conversion"), "free_to_paid_conversion", "share"),
        row(_("ARPU (per paying customer)"), "arpu", "money"),
        row(_("Customer churn rate (over the range)"), "customer_churn_rate", "share"),
        row(_("Customer churn rate (per month)"), "monthly_customer_churn_rate", "share"),
        row(_("Gross MRR churn rate"), "gross_mrr_churn_rate", "share"),
        row(_("Net MRR churn rate"), "net_mrr_churn_rate", "share"),
        row(_("Net revenue retention"), "net_revenue_retention", "share"),
        row(_("Gross margin"), "gross_margin", "share"),
        row(_("LTV"), "ltv", "money"),
        row(_("Marketing spend"), "marketing_spend", "money"),
        row(_("CAC"), "cac", "money"),
        row(
            _("LTV:CAC"),
            "ltv_to_cac",
            "ratio",
            flag=_("Below the target of %(target)s") % {"target": target} if below else "",
        ),
        row(_("Payback (months)"), "payback_months", "decimal"),
        row(_("Average customer lifetime (months)"), "average_customer_lifetime_months", "decimal"),
    ]
    movements = [
        {
            "kind": item["kind"],
            "label": str(MOVEMENT_LABELS[item["kind"]]),
            "amount": item["amount"],
            "workspaces": item["workspaces"],
            "href": movement_url(item["kind"]) if movement_url else None,
        }
        for item in section["movements"]
    ]
    movements.append({"label": _("Net new MRR"), "amount": section["net_new_mrr"]})
    return [
        _figures("revenue", _("Revenue"), figures, currency),
        Table(
            "movements",
            _("MRR movements"),
            [
                Column("label", _("Movement"), link_key="href"),
                Column("amount", _("MRR"), "money"),
                Column("workspaces", _("Workspaces"), "count"),
            ],
            movements,
            currency,
        ),
        Table(
            "mrr_by_currency",
            _("MRR by currency"),
            [
                Column("currency", _("Currency")),
                Column("mrr", _("MRR in its currency"), "money", currency_key="currency"),
                Column("reported_mrr", _("MRR"), "money"),
                Column("paying", _("Paying customers"), "count"),
            ],
            section["by_currency"],
            currency,
            empty=_("No paying customers."),
        ),
    ]


def users_tables(report: Report) -> list[Table]:
    section = report["users"]
    activation = section["activation"]
    rows = [
        {"label": _("Accounts"), "value": section["total"], "kind": "count"},
        {"label": _("New sign-ups (last 7 days)"), "value": section["new_7_days"], "kind": "count"},
        {"label": _("Active (last day)"), "value": section["active_1_day"], "kind": "count"},
        {"label": _("Active (last 7 days)"), "value": section["active_7_days"], "kind": "count"},
        {"label": _("Active (last 30 days)"), "value": section["active_30_days"], "kind": "count"},
        {"label": _("Stickiness (DAU/MAU)"), "value": section["dau_mau"], "kind": "share"},
        {
            "label": _("Activation rate (a first video within %(days)s days of signing up)")
            % {"days": activation["days"]},
            "value": activation["rate"],
            "kind": "share",
        },
        {"label": _("Videos per account"), "value": section["videos_per_user"], "kind": "ratio"},
    ]
    return [_figures("users", _("Users"), rows)]


def content_tables(report: Report) -> list[Table]:
    section = report["content"]
    rows = [
        {"label": _("Videos created"), "value": section["total_videos"], "kind": "count"},
        {
            "label": _("Videos created (last 7 days)"),
            "value": section["videos_7_days"],
            "kind": "count",
        },
        {
            "label": _("Videos created (in the range)"),
            "value": section["videos_in_range"],
            "kind": "count",
        },
        {
            "label": _("Average video length"),
            "value": section["average_length_seconds"],
            "kind": "seconds",
        },
    ]
    return [
        _figures("content", _("Content"), rows),
        Table(
            "platforms",
            _("Posts by platform"),
            [
                Column("label", _("Platform")),
                Column("posts", _("Posts"), "count"),
                Column("share", _("Share of posts"), "share"),
            ],
            section["platforms"],
            empty=_("Nothing was published in this range."),
        ),
        Table(
            "templates",
            _("Popular templates"),
            [Column("name", _("Template")), Column("videos", _("Videos"), "count")],
            section["templates"],
            empty=_("No video was made from a template in this range."),
        ),
    ]


def growth_tables(report: Report) -> list[Table]:
    section = report["growth"]
    partial = [row for row in section["months"] if row["partial"]]
    return [
        Table(
            "growth",
            _("Growth trends"),
            [
                Column("month", _("Month"), "month"),
                Column("signups", _("Sign-ups"), "count"),
                Column("signups_change", _("Change in sign-ups"), "count"),
                Column("signups_velocity", _("Sign-up velocity"), "share"),
                Column("mrr", _("MRR at the month’s end"), "money"),
                Column("mrr_change", _("MRR change"), "money"),
                Column("mrr_velocity", _("MRR velocity"), "share"),
            ],
            section["months"],
            section["currency"],
            note=" ".join(
                filter(
                    None,
                    [
                        _("The last month counts up to the range’s end.") if partial else "",
                        missing_rate_message(section["missing_rate"])
                        if section["missing_rate"]
                        else "",
                    ],
                )
            ),
        )
    ]


def cohorts_tables(report: Report) -> list[Table]:
    months = range(RETENTION_MONTHS + 1)
    rows = []
    for cohort in report["cohorts"]["cohorts"]:
        row = {"cohort": cohort["cohort"], "size": cohort["size"]}
        row.update({f"month_{k}": cohort["retention"][k] for k in months})
        rows.append(row)
    return [
        Table(
            "cohorts",
            _("Retention by sign-up month"),
            [
                Column("cohort", _("Cohort"), "month"),
                Column("size", _("Sign-ups"), "count"),
                *[
                    Column(f"month_{k}", _("Month %(number)s") % {"number": k}, "share")
                    for k in months
                ],
            ],
            rows,
            note=_(
                "The share of each month’s new accounts that signed in, created, rendered or "
                "published a video in the months after (month 0 is the sign-up month)."
            ),
            heatmap=True,
        )
    ]


def funnel_tables(report: Report) -> list[Table]:
    section = report["funnel"]
    flag = _("Drop above %(share)s") % {"share": format_value(section["drop_flag"], "share")}
    rows = [{**step, "flag": flag if step["flagged"] else ""} for step in section["steps"]]
    return [
        Table(
            "funnel",
            _("Funnel: %(name)s") % {"name": section["label"]},
            [
                Column("label", _("Step")),
                Column("count", _("People"), "count"),
                Column("dropped", _("Lost from the step before"), "count"),
                Column("conversion_from_previous", _("From the step before"), "share"),
                Column("conversion_from_first", _("From the first step"), "share"),
                Column(
                    "median_seconds_to_convert", _("Median time from the step before"), "duration"
                ),
            ],
            rows,
            note=_("People who entered in the range, converting within %(days)s days.")
            % {"days": section["window_days"]},
        )
    ]


def business_tables(
    report: Report, *, movement_url: Link | None = None, csv_url: Link | None = None
) -> dict[str, Table]:
    """The tables of the report's sections, by name (`TABLE_SECTIONS`), in page order."""
    tables: list[Table] = []
    if "revenue" in report:
        tables += revenue_tables(report, movement_url)
    builders = {
        "users": users_tables,
        "content": content_tables,
        "growth": growth_tables,
        "cohorts": cohorts_tables,
        "funnel": funnel_tables,
    }
    for section, build in builders.items():
        if section in report:
            tables += build(report)
    for table in tables:
        table.csv_url = csv_url(table.name) if csv_url else ""
    return {table.name: table for table in tables}


def highlights(report: Report) -> list[dict]:
    """The figures the dashboard opens with, formatted, LTV:CAC flagged below target."""
    section = report.get("revenue")
    if not section or section["missing_rate"]:
        return []
    currency = section["currency"]
    below = section["ltv_to_cac_below_target"]
    target = format_value(section["ltv_to_cac_target"], "ratio")
    return [
        {"label": _("MRR"), "text": format_value(section["mrr"], "money", currency)},
        {"label": _("ARR"), "text": format_value(section["arr"], "money", currency)},
        {
            "label": _("Net new MRR"),
            "text": format_value(section["net_new_mrr"], "money", currency),
        },
        {
            "label": _("Paying customers"),
            "text": format_value(section["paying_customers"], "count"),
        },
        {
            "label": _("ARPU (per paying customer)"),
            "text": format_value(section["arpu"], "money", currency),
        },
        {
            "label": _("LTV:CAC"),
            "text": format_value(section["ltv_to_cac"], "ratio"),
            "flag": _("Below the target of %(target)s") % {"target": target} if below else "",
        },
    ]


def movement_table(breakdown: dict) -> Table:
    """The drill-down of one movement: the workspaces behind it."""
    label = MOVEMENT_LABELS[breakdown["kind"]]
    empty = (
        missing_rate_message(breakdown["missing_rate"])
        if breakdown["missing_rate"]
        else _("No workspace had this movement in the range.")
    )
    return Table(
        "workspaces",
        _("Workspaces behind “%(movement)s”") % {"movement": label},
        [
            Column("workspace_name", _("Workspace")),
            Column("workspace_id", _("Workspace id")),
            Column("amount", _("MRR"), "money"),
            Column("days", _("Days with this movement"), "count"),
            Column("first_day", _("First day"), "day"),
            Column("last_day", _("Last day"), "day"),
        ],
        breakdown.get("workspaces", []),
        breakdown["currency"],
        empty=empty,
    )
