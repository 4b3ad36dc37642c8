"""Merging a duplicate: votes move without double counting, comments show on the target,
voters follow the target, and the duplicate points (and redirects) there."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from growth.feedback import services
from growth.feedback.models import FeatureRequest, Status, Subscription, Vote
from tests.conftest import client_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def pair(make_request, voters, staff):
    """Target: a, b up; c down (score 1). Duplicate: b up, c up, d up, e down (score 2).
    b and c voted on both; their target votes stay. Moving: d (+1) and e (−1).
    Hand count: target 1 + 1 − 1 = 1, from 5 distinct voters (a, b, c, d, e)."""
    target = make_request("Export to Google Drive")
    duplicate = make_request("Save exports to Drive")
    a, b, c, d, e = voters(5)
    for user, value in [(a, 1), (b, 1), (c, -1)]:
        services.feature_request_vote(feature_request=target, user=user, value=value)
    for user, value in [(b, 1), (c, 1), (d, 1), (e, -1)]:
        services.feature_request_vote(feature_request=duplicate, user=user, value=value)
    return target, duplicate, (a, b, c, d, e)


def test_votes_move_once_per_user(pair, staff):
    target, duplicate, (a, b, c, d, e) = pair
    services.feature_request_merge(duplicate=duplicate, target=target, actor=staff)
    target.refresh_from_db()
    assert target.vote_score == 1
    votes = dict(Vote.objects.filter(request=target).values_list("user_id", "value"))
    assert votes == {a.pk: 1, b.pk: 1, c.pk: -1, d.pk: 1, e.pk: -1}
    assert not Vote.objects.filter(request=duplicate).exists()
    assert sum(votes.values()) == target.vote_score


def test_the_duplicate_points_at_the_target(pair, staff):
    target, duplicate, _users = pair
    services.feature_request_merge(duplicate=duplicate, target=target, actor=staff)
    duplicate.refresh_from_db()
    assert (duplicate.status, duplicate.merged_into_id, duplicate.vote_score) == (
        Status.MERGED,
        target.pk,
        0,
    )


def test_voters_of_the_duplicate_follow_the_target(pair, staff):
    target, duplicate, (_a, _b, _c, d, e) = pair
    services.feature_request_merge(duplicate=duplicate, target=target, actor=staff)
    followers = set(
        Subscription.objects.filter(request=target, active=True).values_list("user_id", flat=True)
    )
    assert {d.pk, e.pk} <= followers


def test_comments_show_on_the_target_labelled(pair, staff, outsider):
    target, duplicate, (a, *_rest) = pair
    services.feature_request_comment(feature_request=duplicate, author=a, body="Drive please")
    services.feature_request_comment(feature_request=target, author=a, body="Also Dropbox")
    services.feature_request_merge(duplicate=duplicate, target=target, actor=staff)
    target.refresh_from_db()
    assert target.comment_count == 2
    page = client_for(outsider).get(reverse("feedback:detail", args=[target.pk])).content.decode()
    assert "Drive please" in page and "Also Dropbox" in page
    assert "From the merged request “Save exports to Drive”" in page


def test_the_duplicate_redirects_to_the_target(pair, staff, outsider):
    target, duplicate, _users = pair
    services.feature_request_merge(duplicate=duplicate, target=target, actor=staff)
    response = client_for(outsider).get(reverse("feedback:detail", args=[duplicate.pk]))
    assert response.status_code == 302
    assert response["Location"] == reverse("feedback:detail", args=[target.pk])


def test_merging_again_into_a_third_keeps_the_count(pair, staff, make_request, voters):
    target, duplicate, users = pair
    services.feature_request_merge(duplicate=duplicate, target=target, actor=staff)
    third = make_request("Cloud storage exports")
    (f,) = voters(1, prefix="third")
    services.feature_request_vote(feature_request=third, user=f, value=1)
    services.feature_request_vote(feature_request=third, user=users[0], value=1)  # a: both
    services.feature_request_merge(duplicate=target, target=third, actor=staff)
    third.refresh_from_db()
    # third: f +1, a +1; from target: b +1, c −1, d +1, e −1 (a's stays on third) → 2
    assert third.vote_score == 2
    assert FeatureRequest.objects.get(pk=duplicate.pk).merged_into_id == third.pk


def test_merge_refuses_itself_a_merged_one_and_non_staff(pair, staff, owner):
    target, duplicate, _users = pair
    with pytest.raises(ValidationError):
        services.feature_request_merge(duplicate=target, target=target, actor=staff)
    with pytest.raises(PermissionDenied):
        services.feature_request_merge(duplicate=duplicate, target=target, actor=owner)
    services.feature_request_merge(duplicate=duplicate, target=target, actor=staff)
    with pytest.raises(ValidationError):
        services.feature_request_merge(duplicate=duplicate, target=target, actor=staff)
    with pytest.raises(ValidationError):
        services.feature_request_vote(feature_request=duplicate, user=owner, value=1)
