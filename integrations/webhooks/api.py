"""/api/v1/webhooks/ and /api/v1/hooks/ (REST hooks)."""

urlpatterns: list = []
