"""/api/v1/webhooks/ (endpoints, their deliveries, the event catalogue) and /api/v1/hooks/
(REST hooks for Zapier and Make) — one module per subdomain; every route is in urls.py.

Every route but the event catalogue needs the "manage_webhooks" action (owners and admins):
outsiders get 404, other members 403. Views validate, call one service of
integrations/webhooks/services.py and serialise; a service's ValidationError is a 400 in the
shared error format (videocreator/api.py).
"""

from .urls import urlpatterns

__all__ = ["urlpatterns"]
