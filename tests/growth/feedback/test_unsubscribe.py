"""The status e-mail's unsubscribe link works without signing in, stops that person's e-mails
about that request only, answers a mail client's one-click POST, and cannot be forged."""

import re

import pytest
from django.core import mail
from django.test import Client

from growth.feedback import services
from growth.feedback.models import Status, Subscription
from growth.feedback.unsubscribe import unsubscribe_token

pytestmark = pytest.mark.django_db


def _status(feature_request, staff, status, capture) -> None:
    with capture(execute=True):
        services.feature_request_set_status(
            feature_request=feature_request, actor=staff, status=status, note=""
        )


def test_the_link_in_the_e_mail_stops_the_e_mails_without_a_sign_in(
    make_request, voters, staff, django_capture_on_commit_callbacks
):
    feature_request = make_request("Dark mode")
    [anna] = voters(1)
    services.feature_request_vote(feature_request=feature_request, user=anna, value=1)
    _status(feature_request, staff, Status.PLANNED, django_capture_on_commit_callbacks)
    [message] = [m for m in mail.outbox if m.to == [anna.email]]
    link = re.search(r"http\S+/feedback/unsubscribe/\S+/", message.body).group(0)
    assert message.extra_headers["List-Unsubscribe"] == f"<{link}>"
    path = link.split("://", 1)[1].split("/", 1)[1]

    browser = Client(enforce_csrf_checks=True)  # a mail client's POST has no CSRF token
    page = browser.get(f"/{path}")
    assert page.status_code == 200
    assert Subscription.objects.get(request=feature_request, user=anna).active
    done = browser.post(f"/{path}", {"List-Unsubscribe": "One-Click"})
    assert done.status_code == 200
    assert not Subscription.objects.get(request=feature_request, user=anna).active

    mail.outbox.clear()
    _status(feature_request, staff, Status.IN_PROGRESS, django_capture_on_commit_callbacks)
    assert [m for m in mail.outbox if m.to == [anna.email]] == []


@pytest.mark.parametrize("tamper", ["bad", "x\x00y", "A" * 3000])
def test_a_link_that_is_not_ours_is_not_found(make_request, voters, tamper):
    feature_request = make_request("Dark mode")
    [anna] = voters(1)
    services.feature_request_vote(feature_request=feature_request, user=anna, value=1)
    token = unsubscribe_token(user=anna, feature_request=feature_request)
    forged = token.rsplit(":", 1)[0] + ":" + tamper  # the same person, not our signature
    for path in (f"/feedback/unsubscribe/{forged}/", f"/feedback/unsubscribe/{tamper}/"):
        response = Client().post(path)
        assert response.status_code in (400, 404)
    assert Subscription.objects.get(request=feature_request, user=anna).active
