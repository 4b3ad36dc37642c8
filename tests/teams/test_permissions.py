import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.http import Http404
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from teams.models import Team
from teams.permissions import ROLE_ACTIONS, ensure_can, get_for_user, role_allows, scope_for_user
from tests.conftest import client_for

EXPECTED = {
    # action: roles allowed
    "view": {"owner", "admin", "editor", "viewer"},
    "comment": {"owner", "admin", "editor", "viewer"},
    "edit": {"owner", "admin", "editor"},
    "schedule": {"owner", "admin", "editor"},
    "manage_members": {"owner", "admin"},
    "invite": {"owner", "admin"},
    "billing": {"owner"},
    "delete_workspace": {"owner"},
}


@pytest.mark.django_db
@pytest.mark.parametrize("action", sorted(EXPECTED))
def test_matrix(cast, workspace, action):
    for name, user in cast.items():
        if name == "outsider":
            with pytest.raises(Http404):
                ensure_can(user, workspace, action)
        elif name in EXPECTED[action]:
            assert ensure_can(user, workspace, action) == name
        else:
            with pytest.raises(PermissionDenied):
                ensure_can(user, workspace, action)


def test_each_role_includes_the_one_below():
    assert ROLE_ACTIONS["viewer"] < ROLE_ACTIONS["editor"] < ROLE_ACTIONS["admin"]
    assert ROLE_ACTIONS["admin"] < ROLE_ACTIONS["owner"]


def test_unknown_action_is_a_programming_error():
    with pytest.raises(ValueError):
        role_allows("owner", "fly")


@pytest.mark.django_db
def test_get_for_user_returns_object_for_members(viewer, workspace):
    assert get_for_user(viewer, Team, workspace.pk, "view") == workspace


@pytest.mark.django_db
def test_get_for_user_reads_the_object_and_the_role_in_one_query(cast, workspace):
    from tests.factories import VideoFactory
    from videos.models import Video

    video = VideoFactory(workspace=workspace)
    for name, user in cast.items():
        if name == "outsider":
            continue
        with CaptureQueriesContext(connection) as queries:
            found = get_for_user(user, Video, video.pk, "view")
        assert (found, found.user_role, len(queries)) == (video, name, 1)


@pytest.mark.django_db
def test_get_for_user_outsider_gets_404_even_for_existing_object(outsider, workspace):
    with pytest.raises(Http404):
        get_for_user(outsider, Team, workspace.pk, "view")


@pytest.mark.django_db
def test_get_for_user_viewer_editing_gets_403(viewer, workspace):
    with pytest.raises(PermissionDenied):
        get_for_user(viewer, Team, workspace.pk, "edit")


@pytest.mark.django_db
@pytest.mark.parametrize("bad_pk", [None, "abc", "1; DROP TABLE", 10**12, -1])
def test_get_for_user_bad_ids_are_404(owner, workspace, bad_pk):
    with pytest.raises(Http404):
        get_for_user(owner, Team, bad_pk, "view")


@pytest.mark.django_db
def test_anonymous_user_gets_404(workspace):
    from django.contrib.auth.models import AnonymousUser

    with pytest.raises(Http404):
        get_for_user(AnonymousUser(), Team, workspace.pk, "view")


@pytest.mark.django_db
def test_scope_for_user_lists_only_own_workspaces(cast, workspace):
    outsider_teams = set(scope_for_user(cast["outsider"], Team.objects.all()))
    assert workspace not in outsider_teams
    assert outsider_teams == {cast["outsider"].teams.get(is_personal=True)}
    assert workspace in set(scope_for_user(cast["viewer"], Team.objects.all()))


@pytest.mark.django_db
def test_scope_for_user_returns_each_row_once_without_distinct(cast, workspace):
    from videos.models import VideoVersion

    viewer = cast["viewer"]
    personal = viewer.teams.get(is_personal=True)
    with CaptureQueriesContext(connection) as queries:
        scoped = list(scope_for_user(viewer, Team.objects.order_by("pk")))
        assert list(scope_for_user(viewer, VideoVersion.objects.all())) == []  # via the video
    assert len(scoped) == 2 and set(scoped) == {workspace, personal}
    # A DISTINCT over every column made the API's video list sort a whole workspace per page.
    assert not any("DISTINCT" in query["sql"] for query in queries)


@pytest.mark.django_db
def test_switching_to_a_foreign_workspace_is_404(outsider, workspace):
    response = client_for(outsider).post(reverse("teams:switch"), {"workspace": workspace.pk})
    assert response.status_code == 404


@pytest.mark.django_db
def test_switching_workspace_changes_the_current_one(viewer, workspace):
    client = client_for(viewer)
    response = client.post(reverse("teams:switch"), {"workspace": workspace.pk, "next": "/team/"})
    assert response["Location"] == "/team/"
    page = client.get(reverse("teams:team"))
    assert page.context["workspace"] == workspace
    assert "Olivia Owner" in page.content.decode()


@pytest.mark.django_db
def test_personal_objects_are_scoped_to_their_owner(owner, outsider):
    from accounts.models import ApiToken
    from accounts.services import api_token_create

    token, _key = api_token_create(user=owner, name="Mine")
    assert get_for_user(owner, ApiToken, token.pk, "edit") == token
    with pytest.raises(Http404):
        get_for_user(outsider, ApiToken, token.pk, "view")
