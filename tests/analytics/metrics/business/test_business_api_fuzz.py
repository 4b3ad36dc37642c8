"""The staff analytics API fuzzed with schemathesis as a member of staff (the project-wide fuzz
test calls it as a workspace owner, who gets 404): whatever the query, no server error."""

from __future__ import annotations

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections, transaction
from drf_spectacular.generators import SchemaGenerator
from hypothesis import HealthCheck, Phase, settings

from accounts.services import api_token_create
from tests.factories import UserFactory


def load_schema():
    loaded = schemathesis.openapi.from_dict(SchemaGenerator().get_schema(request=None, public=True))
    loaded.app = get_wsgi_application()
    return loaded


schema = load_schema().include(path_regex=r"^/api/v1/analytics/(business|funnel)/$")


@pytest.fixture
def staff_key(db) -> str:
    # The WSGI handler would close the test's connection after each request.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield api_token_create(user=UserFactory(is_staff=True, password=None), name="fuzz")[1]
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.mark.django_db
@schema.parametrize()
@settings(
    max_examples=40,
    deadline=None,
    derandomize=True,
    database=None,
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=list(HealthCheck),
)
def test_no_query_gets_a_server_error(case, staff_key):
    with transaction.atomic():
        response = case.call(headers={"Authorization": f"Token {staff_key}"})
        transaction.set_rollback(True)
    assert response.status_code < 500, (
        f"{case.method} {case.formatted_path} -> {response.status_code}\n"
        f"{case.as_curl_command()}\n{response.text[:2000]}"
    )
    if case.method.upper() == "GET":  # schemathesis also tries methods the route refuses
        assert response.status_code in {200, 400}, response.text[:500]
