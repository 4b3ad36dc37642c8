"""A real status change e-mails each follower once, in their language and time zone; never
the member of staff who made it, nobody who unsubscribed, and nothing twice."""

import zoneinfo

import pytest
from django.core import mail
from django.utils import formats, timezone, translation

from accounts.models import Profile
from growth.feedback import services, tasks
from growth.feedback.models import Status, StatusEmail

pytestmark = pytest.mark.django_db


@pytest.fixture
def followed(make_request, voters, staff, owner):
    """A request by the owner; voters: anna (German, Berlin), ben (unsubscribed), carl
    (commented); staff voted too (and so follows it)."""
    feature_request = make_request("Dark mode")
    anna, ben, carl = voters(3)
    Profile.objects.filter(user=anna).update(language="de", time_zone="Europe/Berlin")
    Profile.objects.filter(user__in=[owner, ben, carl, staff]).update(language="en")
    for user in (anna, ben, staff):
        services.feature_request_vote(feature_request=feature_request, user=user, value=1)
    services.feature_request_comment(feature_request=feature_request, author=carl, body="+1")
    services.feature_request_subscribe(feature_request=feature_request, user=ben, subscribed=False)
    return feature_request, {"anna": anna, "ben": ben, "carl": carl}


def _set(feature_request, staff, status, note, capture):
    with capture(execute=True):
        return services.feature_request_set_status(
            feature_request=feature_request, actor=staff, status=status, note=note
        )


def test_each_follower_but_the_actor_and_the_unsubscribed_gets_one(
    followed, staff, owner, django_capture_on_commit_callbacks
):
    feature_request, people = followed
    _set(feature_request, staff, Status.PLANNED, "Next quarter", django_capture_on_commit_callbacks)
    recipients = sorted(address for message in mail.outbox for address in message.to)
    assert recipients == sorted([owner.email, people["anna"].email, people["carl"].email])
    english = next(m for m in mail.outbox if m.to == [owner.email])
    assert english.subject == "“Dark mode” is now Planned"
    assert "Next quarter" in english.body
    assert "/feedback/unsubscribe/" in english.body
    assert english.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"


def test_german_follower_reads_it_in_german_and_in_her_time_zone(
    followed, staff, django_capture_on_commit_callbacks
):
    feature_request, people = followed
    _set(feature_request, staff, Status.PLANNED, "", django_capture_on_commit_callbacks)
    mail.outbox.clear()
    change = _set(feature_request, staff, Status.OPEN, "", django_capture_on_commit_callbacks)
    german = next(m for m in mail.outbox if m.to == [people["anna"].email])
    english = next(m for m in mail.outbox if m.to == [people["carl"].email])
    assert "Offen" in german.subject  # the status, in German
    assert "Offen" not in english.subject and "Open" in english.subject
    berlin = timezone.localtime(change.created_at, zoneinfo.ZoneInfo("Europe/Berlin"))
    with translation.override("de"):
        when = formats.date_format(berlin, "DATETIME_FORMAT")
    assert when in german.body


def test_the_same_status_again_sends_nothing(followed, staff, django_capture_on_commit_callbacks):
    feature_request, _people = followed
    _set(feature_request, staff, Status.PLANNED, "", django_capture_on_commit_callbacks)
    sent = len(mail.outbox)
    change = _set(
        feature_request,
        staff,
        Status.PLANNED,
        "Now with a note",
        django_capture_on_commit_callbacks,
    )
    assert change is None
    assert len(mail.outbox) == sent
    feature_request.refresh_from_db()
    assert feature_request.status_note == "Now with a note"


def test_running_the_task_twice_sends_nothing_twice(
    followed, staff, django_capture_on_commit_callbacks
):
    feature_request, _people = followed
    change = _set(
        feature_request, staff, Status.SHIPPED, "Live", django_capture_on_commit_callbacks
    )
    sent = len(mail.outbox)
    assert sent == 3
    assert tasks.send_status_emails(change.pk) == 0
    assert tasks.send_unsent_status_emails() == 0
    assert len(mail.outbox) == sent
    assert StatusEmail.objects.filter(change=change).count() == 3
    assert not StatusEmail.objects.filter(change=change, emailed_at__isnull=True).exists()


def test_unsubscribing_before_the_send_is_honoured(followed, staff, owner):
    feature_request, people = followed
    change = services.feature_request_set_status(  # the task is not run: no commit here
        feature_request=feature_request, actor=staff, status=Status.DECLINED, note=""
    )
    rows = list(StatusEmail.objects.filter(change=change).values_list("pk", flat=True))
    assert len(rows) == 3  # written with the change: owner, anna, carl
    services.feature_request_subscribe(
        feature_request=feature_request, user=people["carl"], subscribed=False
    )
    for pk in rows:
        tasks.send_status_email(pk)
    recipients = sorted(address for message in mail.outbox for address in message.to)
    assert recipients == sorted([owner.email, people["anna"].email])


def test_unsubscribe_page_stops_the_emails(followed, staff, django_capture_on_commit_callbacks):
    from django.urls import reverse

    from tests.conftest import client_for

    feature_request, people = followed
    url = reverse("feedback:subscription", args=[feature_request.pk])
    client = client_for(people["anna"])
    assert client.get(url).status_code == 200
    assert client.post(url, {"subscribed": "0"}).status_code == 302
    _set(feature_request, staff, Status.IN_PROGRESS, "", django_capture_on_commit_callbacks)
    assert people["anna"].email not in [a for m in mail.outbox for a in m.to]


def test_someone_who_follows_after_the_change_is_not_told_about_it(
    followed, staff, voters, django_capture_on_commit_callbacks
):
    feature_request, _people = followed
    change = services.feature_request_set_status(  # committed later: the task has not run
        feature_request=feature_request, actor=staff, status=Status.PLANNED, note=""
    )
    (late,) = voters(1, prefix="late")
    services.feature_request_vote(feature_request=feature_request, user=late, value=1)
    tasks.send_status_emails(change.pk)
    assert late.email not in [a for m in mail.outbox for a in m.to]
    assert len(mail.outbox) == 3


def test_the_sweep_sends_what_a_lost_task_did_not(followed, staff):
    import datetime as dt

    feature_request, _people = followed
    change = services.feature_request_set_status(  # its task is never run (lost)
        feature_request=feature_request, actor=staff, status=Status.PLANNED, note=""
    )
    StatusEmail.objects.filter(change=change).update(
        created_at=timezone.now() - dt.timedelta(minutes=11)
    )
    assert tasks.send_unsent_status_emails() == 3
    assert len(mail.outbox) == 3
    assert tasks.send_unsent_status_emails() == 0
