"""A fixed cast: owner, admin, editor and viewer of one workspace, and an outsider."""

import urllib.request

import pytest
from django.test import Client
from django.urls import reverse

from teams.models import Membership, Role, Team
from tests.factories import DEFAULT_PASSWORD, MembershipFactory, UserFactory


@pytest.fixture(autouse=True)
def _isolated_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _language_and_zone_reset():
    """A request leaves its reader's language and time zone active in this thread; the next
    test starts from English and UTC, whatever ran before it."""
    yield
    from django.utils import timezone, translation

    translation.activate("en")
    timezone.deactivate()


@pytest.fixture(autouse=True)
def _fresh_cache():
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def fast_passwords(settings):
    """Real sign-ins and password checks, with a hasher cheap enough for many of them."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def password() -> str:
    return DEFAULT_PASSWORD


@pytest.fixture
def owner(db):
    return UserFactory(email="owner@example.com", name="Olivia Owner")


@pytest.fixture
def workspace(owner) -> Team:
    team = Team.objects.create(name="Acme Studio", created_by=owner)
    Membership.objects.create(team=team, user=owner, role=Role.OWNER)
    return team


def _member(workspace: Team, email: str, name: str, role: str):
    user = UserFactory(email=email, name=name)
    MembershipFactory(team=workspace, user=user, role=role)
    return user


@pytest.fixture
def admin_user(workspace):
    return _member(workspace, "admin@example.com", "Adam Admin", Role.ADMIN)


@pytest.fixture
def editor(workspace):
    return _member(workspace, "editor@example.com", "Edith Editor", Role.EDITOR)


@pytest.fixture
def viewer(workspace):
    return _member(workspace, "viewer@example.com", "Victor Viewer", Role.VIEWER)


@pytest.fixture
def outsider(db):
    # Has a personal workspace of their own (every user does), and nothing in ours.
    return UserFactory(email="outsider@example.com", name="Oscar Outsider")


@pytest.fixture
def cast(owner, admin_user, editor, viewer, outsider) -> dict:
    return {
        "owner": owner,
        "admin": admin_user,
        "editor": editor,
        "viewer": viewer,
        "outsider": outsider,
    }


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def client_in(user, workspace: Team) -> Client:
    """A signed-in browser with `workspace` chosen in the header, as the user would choose it."""
    client = client_for(user)
    client.post(reverse("teams:switch"), {"workspace": workspace.pk})
    return client


@pytest.fixture
def owner_client(owner) -> Client:
    return client_for(owner)


def pytest_collection_modifyitems(items) -> None:
    # A transactional test flushes the database afterwards, which deletes the rows our data
    # migrations created (the plans); serialized_rollback puts them back.
    for item in items:
        marker = item.get_closest_marker("django_db")
        if (
            marker
            and marker.kwargs.get("transaction")
            and not marker.kwargs.get("serialized_rollback")
        ):
            raise pytest.UsageError(
                f"{item.nodeid}: use @pytest.mark.django_db(transaction=True, "
                "serialized_rollback=True) so the migrated data survives the flush."
            )


# -- S3 (moto's server on loopback) -------------------------------------------------------------

BUCKET = "videocreator-test"


def _reset_storages() -> None:
    # Django caches storage backends; a new STORAGES must build new ones.
    from django.core.files import storage as django_storage
    from django.utils.functional import empty

    django_storage.storages._storages = {}
    django_storage.default_storage._wrapped = empty


@pytest.fixture
def s3(settings):
    """A moto S3 server on 127.0.0.1, a bucket, and STORAGES["default"] pointing at it."""
    import boto3
    from moto.server import ThreadedMotoServer

    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    endpoint = f"http://{host}:{port}"
    _moto_reset(endpoint)  # moto keeps its state per process: start from an empty account
    client = boto3.client(
        "s3",
        endpoint_url=endpoint,
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
        region_name="us-east-1",
    )
    client.create_bucket(Bucket=BUCKET)
    settings.AWS_STORAGE_BUCKET_NAME = BUCKET
    settings.AWS_S3_ENDPOINT_URL = endpoint
    settings.AWS_S3_REGION_NAME = "us-east-1"
    settings.AWS_S3_SIGNATURE_VERSION = "s3v4"
    settings.AWS_ACCESS_KEY_ID = "testing"
    settings.AWS_SECRET_ACCESS_KEY = "testing"
    settings.AWS_QUERYSTRING_AUTH = True
    settings.AWS_QUERYSTRING_EXPIRE = 600
    settings.AWS_DEFAULT_ACL = None
    settings.AWS_S3_FILE_OVERWRITE = False
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "storages.backends.s3.S3Storage"},
    }
    _reset_storages()
    try:
        yield client
    finally:
        _reset_storages()
        _moto_reset(endpoint)
        server.stop()


def _moto_reset(endpoint: str) -> None:
    request = urllib.request.Request(f"{endpoint}/moto-api/reset", method="POST")  # noqa: S310
    urllib.request.build_opener(urllib.request.ProxyHandler({})).open(request, timeout=10)


def bucket_keys(client) -> list[str]:
    return sorted(o["Key"] for o in client.list_objects_v2(Bucket=BUCKET).get("Contents", []))


def fetch_url(url: str) -> tuple[bytes, dict]:
    # Straight to the loopback server, never through a proxy.
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    with opener.open(url, timeout=30) as response:
        return response.read(), dict(response.headers)


# -- SMTP (aiosmtpd on loopback) ------------------------------------------------------------------


class SmtpInbox:
    """What a real SMTP server on 127.0.0.1 accepted; `refuse` lists addresses it rejects at
    RCPT, as a relay refuses a mailbox that does not exist."""

    def __init__(self) -> None:
        self.messages: list[tuple[str, list[str]]] = []
        self.refuse: set[str] = set()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.refuse:
            return "550 5.1.1 No such mailbox"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.messages.append((envelope.mail_from, list(envelope.rcpt_tos)))
        return "250 Message accepted"

    def recipients(self) -> list[str]:
        return [address for _sender, to in self.messages for address in to]


@pytest.fixture
def smtp(settings):
    """Django's SMTP backend sending to an aiosmtpd server on a free loopback port."""
    import socket

    from aiosmtpd.controller import Controller

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    inbox = SmtpInbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    yield inbox
    controller.stop()


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix) -> None:
    """An `analytics` alias mirroring the test database, as a read replica would: tests of
    dashboard routing turn it on with settings.ANALYTICS_DATABASE_ALIAS."""
    from django.conf import settings

    if "analytics" not in settings.DATABASES:
        mirror = dict(settings.DATABASES["default"])
        mirror["TEST"] = {**mirror.get("TEST", {}), "MIRROR": "default"}
        settings.DATABASES["analytics"] = mirror
