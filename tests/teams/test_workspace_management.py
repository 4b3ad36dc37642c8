import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.urls import reverse

from analytics.models import Event
from teams.models import Membership, Team
from teams.services.memberships import (
    membership_add,
    membership_change_role,
    membership_remove,
    ownership_transfer,
)
from teams.services.workspaces import workspace_create, workspace_delete, workspace_rename
from tests.conftest import client_for
from tests.factories import UserFactory


def _membership(workspace, user) -> Membership:
    return Membership.objects.get(team=workspace, user=user)


def _role(workspace, user) -> str | None:
    return (
        Membership.objects.filter(team=workspace, user=user).values_list("role", flat=True).first()
    )


def _events(name: str) -> list[Event]:
    return list(Event.objects.filter(name=name))


# --- Services -----------------------------------------------------------------------------


@pytest.mark.django_db
def test_create_rename_delete(owner):
    team = workspace_create(owner=owner, name="Launch")
    assert _role(team, owner) == "owner"
    assert _events("team.workspace_created")

    workspace_rename(workspace=team, name="  Launch 2 ", actor=owner)
    team.refresh_from_db()
    assert team.name == "Launch 2"
    [renamed] = _events("team.workspace_renamed")
    assert renamed.properties == {"from": "Launch", "to": "Launch 2"}

    with pytest.raises(ValidationError):
        workspace_rename(workspace=team, name="   ", actor=owner)

    workspace_delete(workspace=team, actor=owner)
    assert not Team.objects.filter(pk=team.pk).exists()
    [deleted] = _events("team.workspace_deleted")
    assert deleted.properties["name"] == "Launch 2"


@pytest.mark.django_db
def test_only_the_owner_renames_or_deletes(cast, workspace):
    for name in ("admin", "editor", "viewer"):
        with pytest.raises(PermissionDenied):
            workspace_rename(workspace=workspace, name="X", actor=cast[name])
        with pytest.raises(PermissionDenied):
            workspace_delete(workspace=workspace, actor=cast[name])
    with pytest.raises(Http404):
        workspace_delete(workspace=workspace, actor=cast["outsider"])
    assert Team.objects.get(pk=workspace.pk).name == "Acme Studio"


@pytest.mark.django_db
def test_personal_workspace_cannot_be_deleted_or_left(outsider):
    personal = outsider.teams.get(is_personal=True)
    with pytest.raises(ValidationError):
        workspace_delete(workspace=personal, actor=outsider)
    with pytest.raises(ValidationError):
        membership_remove(membership=_membership(personal, outsider), actor=outsider)
    assert Team.objects.filter(pk=personal.pk).exists()


@pytest.mark.django_db
def test_transfer_ownership(cast, workspace, owner, editor, outsider):
    ownership_transfer(workspace=workspace, to_user=editor, actor=owner)
    assert _role(workspace, editor) == "owner"
    assert _role(workspace, owner) == "admin"
    assert _events("team.ownership_transferred")
    # The old owner, now an admin, can no longer transfer; nobody can hand it to an outsider.
    with pytest.raises(PermissionDenied):
        ownership_transfer(workspace=workspace, to_user=owner, actor=owner)
    with pytest.raises(ValidationError):
        ownership_transfer(workspace=workspace, to_user=outsider, actor=editor)
    assert _role(workspace, editor) == "owner"


@pytest.mark.django_db
def test_last_owner_cannot_leave_be_demoted_or_removed(cast, workspace, owner, admin_user):
    mine = _membership(workspace, owner)
    with pytest.raises(ValidationError):
        membership_remove(membership=mine, actor=owner)
    with pytest.raises(ValidationError):
        membership_change_role(membership=mine, role="admin", actor=owner)
    with pytest.raises(PermissionDenied):
        membership_remove(membership=mine, actor=admin_user)
    assert _role(workspace, owner) == "owner"
    # With a second owner, the first may step down.
    membership_change_role(membership=_membership(workspace, admin_user), role="owner", actor=owner)
    membership_change_role(membership=mine, role="editor", actor=owner)
    assert _role(workspace, owner) == "editor"
    assert _events("team.role_changed")


@pytest.mark.django_db
def test_admin_manages_members_but_not_owners(cast, workspace, owner, admin_user, editor, viewer):
    with pytest.raises(PermissionDenied):
        membership_change_role(
            membership=_membership(workspace, owner), role="viewer", actor=admin_user
        )
    with pytest.raises(PermissionDenied):
        membership_change_role(
            membership=_membership(workspace, editor), role="owner", actor=admin_user
        )
    membership_change_role(
        membership=_membership(workspace, editor), role="viewer", actor=admin_user
    )
    assert _role(workspace, editor) == "viewer"
    membership_remove(membership=_membership(workspace, viewer), actor=admin_user)
    assert _role(workspace, viewer) is None
    [removed] = _events("team.member_removed")
    assert removed.properties == {"user_id": viewer.pk, "role": "viewer", "left": False}


@pytest.mark.django_db
def test_members_may_leave_a_team_workspace(cast, workspace, viewer, editor):
    with pytest.raises(PermissionDenied):
        membership_remove(membership=_membership(workspace, editor), actor=viewer)
    membership_remove(membership=_membership(workspace, viewer), actor=viewer)
    assert _role(workspace, viewer) is None
    assert _events("team.member_removed")[0].properties["left"] is True


@pytest.mark.django_db
def test_seat_limit_on_free_refuses_a_fourth_member(workspace, owner, admin_user, editor):
    newcomer = UserFactory(email="fourth@example.com")
    with pytest.raises(ValidationError) as raised:
        membership_add(workspace=workspace, user=newcomer, role="viewer", actor=owner)
    message = " ".join(raised.value.messages)
    assert "3" in message and "/billing/pricing/" in message
    assert raised.value.upgrade_url == "/billing/pricing/"
    assert Membership.objects.filter(team=workspace).count() == 3
    assert not _events("team.member_joined")


@pytest.mark.django_db
def test_seat_limit_is_pluggable(settings, workspace, owner, admin_user, editor):
    settings.TEAM_SEAT_LIMIT = "tests.teams.test_workspace_management.five_seats"
    membership_add(workspace=workspace, user=UserFactory(), role="viewer", actor=owner)
    assert Membership.objects.filter(team=workspace).count() == 4


def five_seats(workspace) -> int:
    return 5


# --- Pages --------------------------------------------------------------------------------


def _switch(client, workspace):
    client.post(reverse("teams:switch"), {"workspace": workspace.pk})


@pytest.mark.django_db
def test_team_page_shows_the_owner_every_control(cast, workspace, owner):
    client = client_for(owner)
    _switch(client, workspace)
    html = client.get(reverse("teams:team")).content.decode()
    for url in (
        reverse("teams:rename", args=[workspace.pk]),
        reverse("teams:transfer", args=[workspace.pk]),
        reverse("teams:delete", args=[workspace.pk]),
        reverse("teams:member_role", args=[workspace.pk, cast["editor"].pk]),
        reverse("teams:member_remove", args=[workspace.pk, cast["editor"].pk]),
        reverse("teams:new"),
    ):
        assert url in html
    assert "data-confirm" in html
    # The owner's own row has no controls.
    assert reverse("teams:member_role", args=[workspace.pk, owner.pk]) not in html


@pytest.mark.django_db
def test_team_page_shows_a_viewer_only_the_leave_button(cast, workspace, viewer):
    client = client_for(viewer)
    _switch(client, workspace)
    html = client.get(reverse("teams:team")).content.decode()
    assert reverse("teams:member_remove", args=[workspace.pk, viewer.pk]) in html
    assert reverse("teams:member_role", args=[workspace.pk, cast["editor"].pk]) not in html
    assert reverse("teams:delete", args=[workspace.pk]) not in html
    assert reverse("teams:rename", args=[workspace.pk]) not in html


@pytest.mark.django_db
def test_new_workspace_page_and_header_link(owner):
    client = client_for(owner)
    page = client.get(reverse("teams:new"))
    assert page.status_code == 200
    assert reverse("teams:new") in client.get(reverse("teams:team")).content.decode()
    response = client.post(reverse("teams:new"), {"name": "Launch"})
    assert response.status_code == 302
    team = Team.objects.get(name="Launch")
    assert client.get(reverse("teams:team")).context["workspace"] == team
    assert client.post(reverse("teams:new"), {"name": " "}).status_code == 200


@pytest.mark.django_db
def test_delete_page_needs_the_typed_name(workspace, owner):
    client = client_for(owner)
    url = reverse("teams:delete", args=[workspace.pk])
    client.post(url, {"confirm_name": "acme"})
    assert Team.objects.filter(pk=workspace.pk).exists()
    client.post(url, {"confirm_name": "Acme Studio"})
    assert not Team.objects.filter(pk=workspace.pk).exists()


@pytest.mark.django_db
def test_personal_workspace_delete_page_refuses(owner):
    personal = owner.teams.get(is_personal=True)
    client = client_for(owner)
    client.post(reverse("teams:delete", args=[personal.pk]), {"confirm_name": personal.name})
    assert Team.objects.filter(pk=personal.pk).exists()


@pytest.mark.django_db
def test_page_rename_transfer_role_and_remove(cast, workspace, owner, editor, viewer):
    client = client_for(owner)
    client.post(reverse("teams:rename", args=[workspace.pk]), {"name": "Acme 2"})
    assert Team.objects.get(pk=workspace.pk).name == "Acme 2"
    client.post(reverse("teams:member_role", args=[workspace.pk, editor.pk]), {"role": "admin"})
    assert _role(workspace, editor) == "admin"
    client.post(reverse("teams:member_remove", args=[workspace.pk, viewer.pk]))
    assert _role(workspace, viewer) is None
    client.post(reverse("teams:transfer", args=[workspace.pk]), {"user": editor.pk})
    assert (_role(workspace, editor), _role(workspace, owner)) == ("owner", "admin")


@pytest.mark.django_db
def test_last_owner_leaving_on_the_page_is_refused(workspace, owner):
    response = client_for(owner).post(
        reverse("teams:member_remove", args=[workspace.pk, owner.pk]), follow=True
    )
    assert _role(workspace, owner) == "owner"
    assert "needs an owner" in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["editor", "viewer"])
def test_member_management_pages_are_403_for_editors_and_viewers(cast, workspace, who):
    client = client_for(cast[who])
    target = cast["admin"].pk
    urls = [
        (reverse("teams:member_role", args=[workspace.pk, target]), {"role": "viewer"}),
        (reverse("teams:member_remove", args=[workspace.pk, target]), {}),
        (reverse("teams:rename", args=[workspace.pk]), {"name": "X"}),
        (reverse("teams:transfer", args=[workspace.pk]), {"user": target}),
        (reverse("teams:delete", args=[workspace.pk]), {"confirm_name": "Acme Studio"}),
    ]
    for url, data in urls:
        assert client.post(url, data).status_code == 403, url
    assert _role(workspace, cast["admin"]) == "admin"


@pytest.mark.django_db
def test_member_management_pages_are_404_for_outsiders(cast, workspace):
    client = client_for(cast["outsider"])
    target = cast["editor"].pk
    for url in (
        reverse("teams:member_role", args=[workspace.pk, target]),
        reverse("teams:member_remove", args=[workspace.pk, target]),
        reverse("teams:rename", args=[workspace.pk]),
        reverse("teams:transfer", args=[workspace.pk]),
        reverse("teams:delete", args=[workspace.pk]),
    ):
        assert client.post(url, {"role": "viewer", "name": "X"}).status_code == 404, url


# --- API ----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_api_lists_workspaces_with_role(cast, workspace, editor):
    response = client_for(editor).get(reverse("api:workspaces"))
    assert response.status_code == 200
    rows = {row["name"]: row for row in response.json()["results"]}
    assert rows["Acme Studio"] == {
        "id": workspace.pk,
        "name": "Acme Studio",
        "is_personal": False,
        "role": "editor",
    }
    assert len(rows) == 2  # and the personal one


@pytest.mark.django_db
def test_api_creates_a_workspace(owner):
    client = client_for(owner)
    response = client.post(
        reverse("api:workspaces"), {"name": "Launch"}, content_type="application/json"
    )
    assert response.status_code == 201
    body = response.json()
    assert body["name"] == "Launch" and body["role"] == "owner" and body["is_personal"] is False
    bad = client.post(reverse("api:workspaces"), {"name": ""}, content_type="application/json")
    assert bad.status_code == 400
    assert "name" in bad.json()["error"]["fields"]


@pytest.mark.django_db
def test_api_lists_members(cast, workspace, viewer):
    response = client_for(viewer).get(reverse("api:workspace-members", args=[workspace.pk]))
    assert response.status_code == 200
    results = response.json()["results"]
    assert [row["role"] for row in results] == ["owner", "admin", "editor", "viewer"]
    assert set(results[0]) == {"user_id", "email", "name", "role", "joined_at"}


@pytest.mark.django_db
def test_api_changes_a_role_and_removes_a_member(cast, workspace, admin_user, editor, viewer):
    client = client_for(admin_user)
    url = reverse("api:workspace-member", args=[workspace.pk, editor.pk])
    response = client.patch(url, {"role": "viewer"}, content_type="application/json")
    assert response.status_code == 200
    assert response.json()["role"] == "viewer"
    bad = client.patch(url, {"role": "king"}, content_type="application/json")
    assert bad.status_code == 400
    assert "role" in bad.json()["error"]["fields"]
    assert client.delete(url).status_code == 204
    assert _role(workspace, editor) is None


@pytest.mark.django_db
def test_api_admin_cannot_touch_owner_and_last_owner_error_format(
    cast, workspace, owner, admin_user
):
    url = reverse("api:workspace-member", args=[workspace.pk, owner.pk])
    response = client_for(admin_user).patch(
        url, {"role": "viewer"}, content_type="application/json"
    )
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "permission_denied"
    assert client_for(admin_user).delete(url).status_code == 403
    last = client_for(owner).patch(url, {"role": "admin"}, content_type="application/json")
    assert last.status_code == 400
    assert last.json()["error"]["code"] == "last_owner"
    assert "owner" in last.json()["error"]["message"]
    assert client_for(owner).delete(url).status_code == 400
    assert _role(workspace, owner) == "owner"


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["editor", "viewer"])
def test_api_member_management_is_403_for_editors_and_viewers(cast, workspace, who):
    client = client_for(cast[who])
    url = reverse("api:workspace-member", args=[workspace.pk, cast["admin"].pk])
    assert client.patch(url, {"role": "viewer"}, content_type="application/json").status_code == 403
    assert client.delete(url).status_code == 403
    assert _role(workspace, cast["admin"]) == "admin"


@pytest.mark.django_db
def test_api_outsider_gets_404(cast, workspace):
    client = client_for(cast["outsider"])
    assert client.get(reverse("api:workspace-members", args=[workspace.pk])).status_code == 404
    url = reverse("api:workspace-member", args=[workspace.pk, cast["editor"].pk])
    response = client.patch(url, {"role": "viewer"}, content_type="application/json")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"
    assert client.delete(url).status_code == 404


@pytest.mark.django_db
def test_api_unknown_member_is_404(workspace, owner):
    url = reverse("api:workspace-member", args=[workspace.pk, 10**9])
    assert client_for(owner).delete(url).status_code == 404
