"""One vote per user per request, up or down, changeable and removable; the score follows."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from analytics.events import EventName
from analytics.models import Event
from growth.feedback import services
from growth.feedback.models import FeatureRequest, Subscription, Vote
from tests.conftest import client_for

pytestmark = pytest.mark.django_db


def _score(feature_request) -> int:
    return FeatureRequest.objects.get(pk=feature_request.pk).vote_score


def test_three_up_one_down_scores_two(make_request, voters):
    feature_request = make_request()
    a, b, c, d = voters(4)
    for user in (a, b, c):
        services.feature_request_vote(feature_request=feature_request, user=user, value=1)
    services.feature_request_vote(feature_request=feature_request, user=d, value=-1)
    assert _score(feature_request) == 2
    assert Vote.objects.filter(request=feature_request).count() == 4


def test_voting_twice_keeps_one_vote(make_request, voters):
    feature_request = make_request()
    (user,) = voters(1)
    services.feature_request_vote(feature_request=feature_request, user=user, value=1)
    services.feature_request_vote(feature_request=feature_request, user=user, value=1)
    assert Vote.objects.filter(request=feature_request, user=user).count() == 1
    assert _score(feature_request) == 1


def test_changing_a_vote_moves_the_score_by_two(make_request, voters):
    feature_request = make_request()
    (user,) = voters(1)
    services.feature_request_vote(feature_request=feature_request, user=user, value=1)
    services.feature_request_vote(feature_request=feature_request, user=user, value=-1)
    assert _score(feature_request) == -1
    assert Vote.objects.get(request=feature_request, user=user).value == -1


def test_removing_a_vote_takes_it_out_of_the_score(make_request, voters):
    feature_request = make_request()
    a, b = voters(2)
    services.feature_request_vote(feature_request=feature_request, user=a, value=1)
    services.feature_request_vote(feature_request=feature_request, user=b, value=-1)
    assert services.feature_request_unvote(feature_request=feature_request, user=b) is True
    assert _score(feature_request) == 1
    assert services.feature_request_unvote(feature_request=feature_request, user=b) is False
    assert _score(feature_request) == 1


@pytest.mark.parametrize("value", [0, 2, -2, True, "1", "x", None])
def test_a_vote_is_one_or_minus_one(make_request, voters, value):
    feature_request = make_request()
    (user,) = voters(1)
    with pytest.raises(ValidationError):
        services.feature_request_vote(feature_request=feature_request, user=user, value=value)
    assert not Vote.objects.exists()
    assert _score(feature_request) == 0


def test_voting_records_events_and_subscribes_the_voter(make_request, voters):
    feature_request = make_request()
    (user,) = voters(1)
    services.feature_request_vote(feature_request=feature_request, user=user, value=1)
    services.feature_request_unvote(feature_request=feature_request, user=user)
    values = Event.objects.filter(name=EventName.FEATURE_REQUEST_VOTED).values_list(
        "properties__value", flat=True
    )
    assert sorted(values) == [0, 1]
    assert Subscription.objects.filter(request=feature_request, user=user, active=True).exists()


def test_voting_does_not_resubscribe_someone_who_unsubscribed(make_request, voters):
    feature_request = make_request()
    (user,) = voters(1)
    services.feature_request_subscribe(feature_request=feature_request, user=user, subscribed=False)
    services.feature_request_vote(feature_request=feature_request, user=user, value=1)
    assert not Subscription.objects.get(request=feature_request, user=user).active


def test_the_page_votes_up_then_takes_the_vote_back(make_request, outsider):
    feature_request = make_request()
    client = client_for(outsider)
    url = reverse("feedback:vote", args=[feature_request.pk])
    assert client.post(url, {"value": "1"}).status_code == 302
    assert _score(feature_request) == 1
    client.post(url, {"value": "0"})
    assert _score(feature_request) == 0
    response = client.post(url, {"value": "7"})
    assert response.status_code == 400  # the request's page again, with why
    assert _score(feature_request) == 0
    assert "Select a valid choice" in response.content.decode()


@pytest.mark.parametrize("body", ["", "a\x00b", "x" * 5001])
def test_a_bad_comment_shows_the_page_again_with_the_error(make_request, outsider, body):
    feature_request = make_request()
    url = reverse("feedback:comment", args=[feature_request.pk])
    response = client_for(outsider).post(url, {"body": body})
    assert response.status_code == 400
    assert response.context["comment_form"].errors["body"]
    assert not feature_request.comments.exists()


def test_staff_vote_on_behalf_of_a_customer_is_recorded_as_such(make_request, staff, viewer):
    feature_request = make_request()
    vote = services.feature_request_vote_on_behalf(
        feature_request=feature_request,
        actor=staff,
        email="VIEWER@example.com",
        value=1,
        source_note="Ticket #4512",
    )
    assert (vote.user, vote.on_behalf_of_staff, vote.source_note) == (viewer, staff, "Ticket #4512")
    assert _score(feature_request) == 1
    event = Event.objects.filter(name=EventName.FEATURE_REQUEST_VOTED).get()
    assert event.properties["on_behalf"] is True


def test_vote_on_behalf_needs_a_known_email_and_staff(make_request, staff, owner):
    from django.core.exceptions import PermissionDenied

    feature_request = make_request()
    with pytest.raises(ValidationError):
        services.feature_request_vote_on_behalf(
            feature_request=feature_request,
            actor=staff,
            email="nobody@example.com",
            value=1,
            source_note="call",
        )
    with pytest.raises(PermissionDenied):
        services.feature_request_vote_on_behalf(
            feature_request=feature_request,
            actor=owner,
            email=owner.email,
            value=1,
            source_note="call",
        )
    assert _score(feature_request) == 0


def test_htmx_vote_answers_the_buttons_with_the_new_score(make_request, outsider):
    feature_request = make_request()
    response = client_for(outsider).post(
        reverse("feedback:vote", args=[feature_request.pk]), {"value": "1"}, HTTP_HX_REQUEST="true"
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert f'id="vote-{feature_request.pk}"' in html
    assert "data-vote-score>1</strong>" in html
    assert 'aria-pressed="true"' in html
