"""The seed's board: the top five requests shipped with their votes and notes, a few open,
planned and in-progress ones; running it twice adds nothing."""

import pytest

from growth.feedback.demo import demo_feedback
from growth.feedback.models import FeatureRequest, Status, Vote

pytestmark = pytest.mark.django_db


def test_demo_board_once(staff, owner):
    assert demo_feedback(staff=staff, author=owner)
    shipped = list(
        FeatureRequest.objects.filter(status=Status.SHIPPED)
        .order_by("-vote_score")
        .values_list("title", "vote_score")
    )
    assert shipped == [
        ("Templates library", 45),
        ("Batch export", 32),
        ("Custom branding", 28),
        ("Scheduling", 25),
        ("Collaboration comments", 22),
    ]
    for request in FeatureRequest.objects.all():
        votes = Vote.objects.filter(request=request)
        assert sum(votes.values_list("value", flat=True)) == request.vote_score
        assert votes.values("user").distinct().count() == votes.count()
    assert FeatureRequest.objects.filter(status=Status.SHIPPED, status_note="").count() == 0
    assert {Status.OPEN, Status.PLANNED, Status.IN_PROGRESS} <= set(
        FeatureRequest.objects.values_list("status", flat=True)
    )
    counts = (FeatureRequest.objects.count(), Vote.objects.count())
    assert demo_feedback(staff=staff, author=owner) == []
    assert (FeatureRequest.objects.count(), Vote.objects.count()) == counts
