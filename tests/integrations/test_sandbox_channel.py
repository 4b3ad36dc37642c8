"""The sandbox test channel: connected by one click without credentials, labelled as a test
channel, and a publisher that records one post per reference."""

from __future__ import annotations

import io
from urllib.parse import urlencode

import pytest
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from analytics.models import Event
from integrations.http import PlatformError
from integrations.models import ConnectedAccount, SandboxPost
from integrations.publishers import Media, PostContent, Progress, publisher_for
from integrations.services import account_disconnect, connect_sandbox
from tests.conftest import client_for, client_in

from .conftest import CAPTION, TITLE, recorded_progress

pytestmark = pytest.mark.usefixtures("english")


@pytest.fixture
def english():
    from django.utils import translation

    with translation.override("en"):
        yield


def _connect_url(workspace, **params) -> str:
    query = urlencode({"workspace": workspace.pk, **params})
    return f"{reverse('integrations:connect', args=['sandbox'])}?{query}"


def _media() -> Media:
    payload = b"\0" * 2048
    return Media(
        open=lambda: io.BytesIO(payload),
        size=len(payload),
        duration=12.5,
        width=1080,
        height=1920,
        key="workspaces/1/videos/launch.mp4",
    )


@pytest.mark.django_db
def test_a_fresh_install_offers_the_test_channel(owner, workspace):
    page = client_in(owner, workspace).get(reverse("integrations:accounts")).content.decode()
    assert 'data-platform="sandbox"' in page and "Sandbox (test channel)" in page
    assert "Test channel — nothing is posted anywhere" in page
    assert reverse("integrations:connect", args=["sandbox"]) in page
    # The real platforms have no credentials here: they still say so.
    assert "Not configured" in page


@pytest.mark.django_db
def test_one_click_connects_the_test_channel(owner, workspace):
    client = client_in(owner, workspace)
    response = client.post(_connect_url(workspace))
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('integrations:accounts')}?workspace={workspace.pk}"
    account = ConnectedAccount.objects.get(workspace=workspace, platform="sandbox")
    assert (account.status, account.connected_by, account.access_token) == ("active", owner, "")
    [event] = Event.objects.filter(name="integration.connected")
    assert event.properties == {"platform": "sandbox", "reconnected": False}
    page = client.get(response["Location"]).content.decode()
    assert f'id="account-{account.pk}"' in page and "The sandbox test channel is connected" in page
    # Connected: the page offers no second channel.
    assert page.count(reverse("integrations:connect", args=["sandbox"])) == 0


@pytest.mark.django_db
def test_connecting_goes_back_to_a_page_of_ours_only(owner, workspace):
    client = client_in(owner, workspace)
    back = client.post(_connect_url(workspace, next="/schedule/"))
    assert back["Location"] == "/schedule/"
    elsewhere = client.post(_connect_url(workspace, next="https://evil.example/"))
    assert elsewhere["Location"].startswith(reverse("integrations:accounts"))


@pytest.mark.django_db
def test_connecting_again_keeps_one_channel(owner, workspace):
    first = connect_sandbox(workspace=workspace, actor=owner)
    assert connect_sandbox(workspace=workspace, actor=owner).pk == first.pk
    account_disconnect(account=first, actor=owner)
    again = connect_sandbox(workspace=workspace, actor=owner)
    assert (again.pk, again.status) == (first.pk, "active")
    assert ConnectedAccount.objects.filter(platform="sandbox").count() == 1
    reconnected = [
        event.properties["reconnected"]
        for event in Event.objects.filter(name="integration.connected").order_by("occurred_at")
    ]
    assert reconnected == [False, True]


@pytest.mark.django_db
def test_a_viewer_cannot_connect_it_and_an_outsider_gets_404(viewer, outsider, workspace):
    assert client_in(viewer, workspace).post(_connect_url(workspace)).status_code == 403
    assert client_for(outsider).post(_connect_url(workspace)).status_code == 404
    with pytest.raises(PermissionDenied):
        connect_sandbox(workspace=workspace, actor=viewer)
    assert not ConnectedAccount.objects.filter(platform="sandbox").exists()


@pytest.mark.django_db
def test_the_publisher_records_one_post_per_reference(owner, workspace):
    account = connect_sandbox(workspace=workspace, actor=owner)
    progress, saved = recorded_progress()
    content = PostContent(title=TITLE, caption=CAPTION)
    first = publisher_for("sandbox").publish(
        account=account, token="", media=_media(), content=content, progress=progress
    )
    # A retry with the saved progress (the worker died before the outcome was saved).
    retry = Progress(dict(saved[-1]), saved.append)
    again = publisher_for("sandbox").publish(
        account=account, token="", media=_media(), content=content, progress=retry
    )
    [post] = SandboxPost.objects.all()
    assert first == again and first.remote_id == str(post.pk)
    assert first.url == f"{settings.SITE_URL}/sandbox/posts/{post.pk}/"
    assert (post.title, post.caption, post.video_key) == (
        TITLE,
        CAPTION,
        "workspaces/1/videos/launch.mp4",
    )
    assert (post.width, post.height, post.duration, post.size) == (1080, 1920, 12.5, 2048)
    assert saved[0] == {"reference": post.reference}


@pytest.mark.django_db
def test_fail_in_the_caption_is_a_retryable_failure(owner, workspace):
    account = connect_sandbox(workspace=workspace, actor=owner)
    publisher = publisher_for("sandbox")
    with pytest.raises(PlatformError) as failure:
        publisher.publish(
            account=account,
            token="",
            media=_media(),
            content=PostContent(title=TITLE, caption="Launch #FAIL today"),
            progress=recorded_progress()[0],
        )
    assert failure.value.retryable and "#fail" in failure.value.message
    assert [exchange.summary() for exchange in publisher.log] == [
        "POST sandbox:/posts → 503 (0 ms)"
    ]
    assert not SandboxPost.objects.exists()
    # "#failure" is just a word.
    publisher.publish(
        account=account,
        token="",
        media=_media(),
        content=PostContent(title=TITLE, caption="No #failure here"),
        progress=recorded_progress()[0],
    )
    assert SandboxPost.objects.count() == 1


@pytest.mark.django_db
def test_the_test_channel_does_not_use_up_the_plans_platforms(owner, workspace):
    from integrations.services import connect_sandbox
    from integrations.usage import connected_platforms

    connect_sandbox(workspace=workspace, actor=owner)
    assert connected_platforms(workspace) == 0
