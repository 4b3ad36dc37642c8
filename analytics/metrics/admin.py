"""Exchange rates and marketing spend are edited here (and loaded by the management commands
`load_fx_rates` and `import_marketing_spend`)."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from billing.money import format_money

from .models import DailyMetric, FxRate, MarketingSpend


@admin.register(FxRate)
class FxRateAdmin(admin.ModelAdmin):
    list_display = ["day", "currency", "rate_per_eur"]
    list_filter = ["currency"]
    search_fields = ["currency"]
    date_hierarchy = "day"
    ordering = ["-day", "currency"]


@admin.register(MarketingSpend)
class MarketingSpendAdmin(admin.ModelAdmin):
    list_display = ["month", "channel", "amount_shown", "currency", "note"]
    list_filter = ["channel", "currency"]
    search_fields = ["channel", "note"]
    date_hierarchy = "month"
    ordering = ["-month", "channel"]

    @admin.display(description=_("amount"), ordering="amount")
    def amount_shown(self, spend: MarketingSpend) -> str:
        return format_money(spend.amount, spend.currency)


@admin.register(DailyMetric)
class DailyMetricAdmin(admin.ModelAdmin):
    """Read only: the rollup is rebuilt from the ledger (`manage.py rebuild_metrics`), never
    edited by hand."""

    list_display = ["day", "key", "value", "currency", "computed_at"]
    list_filter = ["key", "currency"]
    date_hierarchy = "day"
    ordering = ["-day", "key", "currency"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
