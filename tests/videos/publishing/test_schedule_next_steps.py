"""An empty schedule says what to do next: connect a channel (the sandbox test channel needs no
credentials), then schedule a ready video; once something is scheduled it steps aside."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.conftest import client_in

from .conftest import sandbox_schedule

pytestmark = pytest.mark.usefixtures("english")

CONNECT = reverse("integrations:connect", args=["sandbox"])
READY_VIDEOS = f"{reverse('videos:list')}?status=ready"


def _page(client, **params) -> str:
    response = client.get(reverse("videos:schedule"), params)
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("view", ["month", "week", "list"])
def test_a_fresh_workspace_is_told_to_connect_the_test_channel(owner, workspace, view):
    page = _page(client_in(owner, workspace), view=view)
    assert 'id="next-steps"' in page and "Nothing is scheduled yet" in page
    assert f'action="{CONNECT}?workspace={workspace.pk}' in page
    assert READY_VIDEOS in page


@pytest.mark.django_db
def test_the_connect_button_comes_back_to_the_calendar(owner, workspace):
    client = client_in(owner, workspace)
    url = f"{CONNECT}?workspace={workspace.pk}&next=/schedule/%3Fview%3Dweek"
    response = client.post(url)
    assert response.status_code == 302 and response["Location"] == "/schedule/?view=week"
    page = _page(client, view="week")
    assert "The sandbox test channel is connected" in page


@pytest.mark.django_db
def test_with_a_channel_it_says_to_schedule_a_ready_video(owner, workspace, sandbox):
    page = _page(client_in(owner, workspace))
    assert 'id="next-steps"' in page and READY_VIDEOS in page
    assert CONNECT not in page


@pytest.mark.django_db
def test_a_viewer_is_not_offered_what_they_cannot_do(viewer, workspace):
    page = _page(client_in(viewer, workspace))
    assert 'id="next-steps"' in page and CONNECT not in page
    assert "Editors of this workspace schedule videos" in page


@pytest.mark.django_db
def test_once_something_is_scheduled_the_guidance_steps_aside(ready, owner, workspace, sandbox):
    sandbox_schedule(ready, owner, sandbox)
    client = client_in(owner, workspace)
    for view in ("month", "week", "list"):
        assert 'id="next-steps"' not in _page(client, view=view), view
    # A filter that matches nothing says so, rather than "nothing is scheduled".
    filtered = _page(client, view="list", status="failed")
    assert "No schedule matches these filters." in filtered and 'id="next-steps"' not in filtered
    # A month without posts, in a workspace that has some: no guidance either.
    assert 'id="next-steps"' not in _page(client, view="month", month="2020-01")
