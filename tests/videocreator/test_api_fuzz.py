"""Fuzz every operation of the OpenAPI schema (`/api/schema/`) with schemathesis, in-process.

Each operation gets a bounded, deterministic number of generated requests, sent through the WSGI
application with the owner's API token. Path parameters name real objects of `world` (a ready
video with a version, a brand kit, an export, a comment, a schedule to a connected account, a
notification, a member, a template, a webhook endpoint with a delivery, a REST hook), so most
requests reach the view rather than a 404. Every request runs in a transaction that is rolled
back, so each one meets the same data. The only check is the one issue 12 asks for: no response
is a server error (status 500 or above).
"""

from __future__ import annotations

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections, transaction
from drf_spectacular.generators import SchemaGenerator
from hypothesis import HealthCheck, Phase, settings

from accounts import services as account_services
from tests.videocreator.conftest import WEBHOOK_EVENT

MAX_EXAMPLES = 12

# Operations whose 5xx is known and tracked elsewhere: {(method, path): reason}. Empty means
# every operation is fuzzed; add an entry only with the issue point it belongs to.
KNOWN_FAILURES: dict[tuple[str, str], str] = {}


def load_schema():
    """The same document `/api/schema/` serves, generated without a request."""
    raw = SchemaGenerator().get_schema(request=None, public=True)
    loaded = schemathesis.openapi.from_dict(raw)
    loaded.app = get_wsgi_application()
    return loaded


schema = load_schema()


def path_values(world) -> dict:
    """A real object for every path parameter the schema declares."""
    return {
        "video_id": world.video.pk,
        "number": world.version,
        "comment_id": world.comment.pk,
        "export_id": str(world.export.pk),
        "data_export_id": str(world.data_export.pk),
        "notification_id": world.notification.pk,
        "schedule_id": world.post.schedule_id,
        "post_id": world.post.pk,
        "workspace_id": world.workspace.pk,
        "user_id": world.member.pk,
        "key": world.template.key,
        "endpoint_id": world.webhook.pk,
        "delivery_id": world.webhook_delivery.message_id,
        "hook_id": world.hook.pk,
        "event": WEBHOOK_EVENT,
        "reward_id": world.reward.pk,
        "feature_request_id": world.feature_request.pk,
    }


@pytest.fixture
def keep_test_connection():
    """The WSGI handler closes the connection after each request; the test database lives in it
    (as Django's test client does, stop that for the duration)."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def api_key(world) -> str:
    return account_services.api_token_create(user=world.owner, name="fuzz")[1]


@pytest.fixture
def real_ids(world, fast_passwords, keep_test_connection) -> dict:
    values = path_values(world)
    world.kit  # noqa: B018 - the workspace has a brand kit for apply-branding and lists
    return values


@pytest.mark.django_db
@schema.parametrize()
@settings(
    max_examples=MAX_EXAMPLES,
    deadline=None,
    derandomize=True,
    database=None,
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=list(HealthCheck),
)
def test_no_operation_answers_with_a_server_error(case, real_ids, api_key):
    known = KNOWN_FAILURES.get((case.method.upper(), case.path))
    if known:
        pytest.skip(f"known 5xx: {known}")
    if case.path_parameters is not None:
        missing = [name for name in case.path_parameters if name not in real_ids]
        assert not missing, f"{case.path}: no test object for {missing}; add one to path_values"
        case.path_parameters = {name: real_ids[name] for name in case.path_parameters}
    with transaction.atomic():
        response = case.call(headers={"Authorization": f"Token {api_key}"})
        transaction.set_rollback(True)
    assert response.status_code < 500, (
        f"{case.method} {case.formatted_path} -> {response.status_code}\n"
        f"{case.as_curl_command()}\n{response.text[:2000]}"
    )
