"""SaaS metrics read from the ledger and the event log (issue 14).

`revenue/` derives MRR, its movements, exchange rates and the ratios built on them (ARPU,
churn, retention, LTV, CAC) from what billing stores. Funnels, cohorts, adoption and
engagement live beside it in their own modules.
"""
