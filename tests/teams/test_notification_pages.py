"""The notification pages and the bell: the list, its filter, opening and marking read, and a
fixed number of queries."""

import pytest
from django.urls import reverse
from django.utils import timezone
from pytest_django.asserts import assertContains, assertNotContains

from teams.models import Notification, NotificationKind
from teams.selectors import unread_count
from tests.conftest import client_for
from tests.teams.conftest import FIRST, SECOND, bell, bell_count

pytestmark = pytest.mark.usefixtures("english")


@pytest.mark.django_db
def test_the_list_page_filter_and_bell(two_mentions, editor, owner):
    read, unread = two_mentions
    client = client_for(editor)
    page = client.get(reverse("teams:notifications"))
    assertContains(page, FIRST)
    assertContains(page, SECOND)
    html = page.content.decode()
    assert html.index(SECOND) < html.index(FIRST)  # newest first
    assertContains(page, f'<li class="notification is-unread" id="notification-{unread.pk}">')
    assertContains(page, f'<li class="notification" id="notification-{read.pk}">')
    assertContains(page, reverse("teams:notification_open", args=[unread.pk]))
    assert bell_count(page) == 1
    assert 'href="/team/notifications/"' in bell(html)

    only_unread = client.get(reverse("teams:notifications"), {"show": "unread"})
    assertContains(only_unread, SECOND)
    assertNotContains(only_unread, FIRST)
    # The owner has no notifications: an empty list and no count on the bell.
    owners = client_for(owner).get(reverse("teams:notifications"))
    assertNotContains(owners, "mentioned you")
    assert bell_count(owners) is None


@pytest.mark.django_db
def test_the_bell_caps_at_99(owner, editor):
    Notification.objects.bulk_create(
        Notification(recipient=editor, kind="mention", key=f"k{n}", actor=owner) for n in range(100)
    )
    assert "99+</span>" in bell(
        client_for(editor).get(reverse("teams:notification_preferences")).content.decode()
    )


@pytest.mark.django_db
def test_opening_a_notification_marks_it_read_and_goes_to_the_comment(two_mentions, editor):
    _read, unread = two_mentions
    client = client_for(editor)
    response = client.get(reverse("teams:notification_open", args=[unread.pk]))
    assert response.status_code == 302
    assert response.url == unread.url and response.url.endswith(f"#comment-{unread.comment_id}")
    unread.refresh_from_db()
    assert unread.read_at is not None
    assert bell_count(client.get(reverse("teams:notifications"))) is None


@pytest.mark.django_db
def test_mark_one_and_all_read(two_mentions, version, owner, editor, say):
    _read, unread = two_mentions
    client = client_for(editor)
    assert client.get(reverse("teams:notification_read", args=[unread.pk])).status_code == 405
    response = client.post(reverse("teams:notification_read", args=[unread.pk]))
    assert response.status_code == 302 and response.url == reverse("teams:notifications")
    unread.refresh_from_db()
    assert unread.read_at is not None

    say(owner, "@Edith Editor third", time_ms=3000)
    say(owner, "@Edith Editor fourth", time_ms=4000)
    assert unread_count(user=editor) == 2
    response = client.post(reverse("teams:notifications_read_all"), follow=True)
    assertContains(response, "All notifications are marked as read.")
    assert unread_count(user=editor) == 0


@pytest.mark.django_db
def test_someone_elses_notification_is_not_found(two_mentions, owner, editor):
    _read, unread = two_mentions
    client = client_for(owner)
    assert client.get(reverse("teams:notification_open", args=[unread.pk])).status_code == 404
    assert client.post(reverse("teams:notification_read", args=[unread.pk])).status_code == 404
    client.post(reverse("teams:notifications_read_all"))
    unread.refresh_from_db()
    assert unread.read_at is None


@pytest.mark.django_db
@pytest.mark.parametrize("size", [3, 30])
def test_the_list_page_query_count_is_fixed(
    workspace, owner, editor, viewer, admin_user, size, django_assert_max_num_queries
):
    actors = [owner, viewer, admin_user]
    kinds = list(NotificationKind.values)
    Notification.objects.bulk_create(
        Notification(
            recipient=editor,
            kind=kinds[n % len(kinds)],
            key=f"test:{n}",
            workspace=workspace if n % 2 else None,
            actor=actors[n % len(actors)],
            params={
                "video": f"Video {n}",
                "number": 1,
                "at": "0:01",
                "excerpt": "note",
                "workspace": "Acme Studio",
                "role": "viewer",
                "decision": "approved",
            },
            url="/",
            read_at=timezone.now() if n % 3 == 0 else None,
        )
        for n in range(size)
    )
    client = client_for(editor)
    # session, user, profile (language); memberships (header); the page's count and rows
    # (actors and workspaces joined); the bell's unread count. Measured: 7 for 3 and for 30.
    with django_assert_max_num_queries(7):
        response = client.get(reverse("teams:notifications"))
    assert response.content.decode().count('<li class="notification') == size


@pytest.mark.django_db
def test_the_bell_counts_with_the_header_memberships_in_one_query(
    two_mentions, editor, django_assert_num_queries
):
    # Session, user with profile, the page's preferences, and the header's memberships with
    # the bell's count in the same query (it was a query of its own).
    client = client_for(editor)
    client.get(reverse("teams:notification_preferences"))  # warm: the session is saved
    with django_assert_num_queries(4) as counted:
        page = client.get(reverse("teams:notification_preferences"))
    assert bell_count(page) == 1
    assert not any(
        q["sql"].startswith('SELECT COUNT(*) AS "__count" FROM "teams_notification"')
        for q in counted.captured_queries
    )
    Notification.objects.filter(recipient=editor).update(read_at=timezone.now())
    assert bell_count(client.get(reverse("teams:notification_preferences"))) is None
