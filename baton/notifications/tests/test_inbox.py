"""The inbox page (/notifications/), marking read, opening a target, the bell's count."""

import datetime as dt

import pytest
from django.utils import timezone

from baton.notifications.models import Kind, Notification
from baton.realtime.models import LiveEvent


def _notify(user, org, actor=None, *, kind=Kind.TASK, verb="comment.added", days_ago=0, n=1,
            url="/o/x/SH-1", read=False):  # fmt: skip
    rows = Notification.objects.bulk_create(
        [
            Notification(
                recipient=user,
                organization=org,
                actor=actor,
                kind=kind,
                verb=verb,
                data={"reference": "SH-1", "excerpt": "客户又来电话了"},
                target_type="task",
                target_id=1,
                target_title="SH-1 退款 订单 1001",
                target_url=url,
                read_at=timezone.now() if read else None,
            )
            for _ in range(n)
        ]
    )
    if days_ago:
        Notification.objects.filter(pk__in=[r.pk for r in rows]).update(
            created_at=timezone.now() - dt.timedelta(days=days_ago)
        )
    return rows


@pytest.fixture
def inbox(org, alice, bob):
    """Bob's inbox: a comment today (unread), a mention yesterday, an assignment a week ago
    (read)."""
    _notify(bob, org, alice)
    _notify(bob, org, alice, kind=Kind.MENTION, days_ago=1)
    _notify(bob, org, alice, kind=Kind.ASSIGNMENT, verb="task.updated", days_ago=8, read=True)
    return bob


def test_the_inbox_groups_by_day_and_says_who_did_what(inbox, english):
    response = english(inbox).get("/notifications/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Today" in html and "Yesterday" in html
    assert html.count('class="inbox-row') == 3
    assert html.count("is-unread") == 2
    assert "commented on the card" in html
    assert "mentioned you in a comment" in html
    assert "assigned the card to you" in html
    assert "SH-1" in html and "退款 订单 1001" in html
    assert "Alice" in html
    assert 'data-unread="2"' in html  # the bell


def test_the_inbox_in_chinese(inbox, client_for):
    client = client_for(inbox)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "zh-hans"
    response = client.get("/notifications/")
    assert response.status_code == 200


@pytest.mark.parametrize(
    ("name", "count"), [("all", 3), ("unread", 2), ("mentions", 1), ("assigned", 1), ("bad", 3)]
)
def test_filters(name, count, inbox, english):
    html = english(inbox).get(f"/notifications/?filter={name}").content.decode()
    assert html.count('class="inbox-row') == count


def test_empty_states(bob, english):
    client = english(bob)
    assert "No notifications yet." in client.get("/notifications/").content.decode()
    assert "all caught up" in client.get("/notifications/?filter=unread").content.decode()


def test_only_my_own_notifications(inbox, alice, english):
    html = english(alice).get("/notifications/").content.decode()
    assert 'class="inbox-row' not in html


def test_pages_of_fifty(org, alice, bob, english):
    _notify(bob, org, alice, n=120)
    client = english(bob)
    assert client.get("/notifications/").content.decode().count('class="inbox-row') == 50
    last = client.get("/notifications/?page=3").content.decode()
    assert last.count('class="inbox-row') == 20
    assert client.get("/notifications/?page=zzz").status_code == 200


def test_the_inbox_reads_a_fixed_number_of_queries(
    org, alice, bob, carol, english, django_assert_num_queries
):
    client = english(bob)
    _notify(bob, org, alice, n=3)
    client.get("/notifications/")

    def count() -> int:
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as ctx:
            assert client.get("/notifications/").status_code == 200
        return len(ctx.captured_queries)

    few = count()
    _notify(bob, org, carol, n=40, kind=Kind.MENTION)
    _notify(bob, org, None, n=5, verb="reminder.due", kind=Kind.REMINDER)
    assert count() == few
    # session, user, memberships (sidebar), projects (sidebar), page count, page rows, bell count
    with django_assert_num_queries(few):
        client.get("/notifications/?filter=unread")


def test_mark_one_read_with_htmx(inbox, english):
    client = english(inbox)
    n = Notification.objects.filter(recipient=inbox, read_at__isnull=True).first()
    LiveEvent.objects.all().delete()
    response = client.post(f"/notifications/{n.pk}/read", HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    html = response.content.decode()
    assert f'id="notification-{n.pk}"' in html and "is-unread" not in html
    n.refresh_from_db()
    assert n.read_at is not None
    # The other tabs hear the new count.
    assert [e.payload for e in LiveEvent.objects.filter(channel=f"user:{inbox.pk}")] == [
        {"type": "notification.read", "unread": 1}
    ]


def test_mark_read_without_javascript_goes_back(inbox, english):
    n = Notification.objects.filter(recipient=inbox).first()
    response = english(inbox).post(
        f"/notifications/{n.pk}/read", {"next": "/notifications/?filter=unread"}
    )
    assert response.status_code == 302
    assert response["Location"] == "/notifications/?filter=unread"
    response = english(inbox).post(f"/notifications/{n.pk}/read", {"next": "https://evil.test/"})
    assert response["Location"] == "/notifications/"


def test_mark_all_read(inbox, english):
    client = english(inbox)
    LiveEvent.objects.all().delete()
    response = client.post("/notifications/read-all", HTTP_HX_REQUEST="true")
    assert response.status_code == 200 and response["HX-Refresh"] == "true"
    assert not Notification.objects.filter(recipient=inbox, read_at__isnull=True).exists()
    assert LiveEvent.objects.get(channel=f"user:{inbox.pk}").payload == {
        "type": "notification.read",
        "unread": 0,
    }
    assert 'data-unread="0"' in client.get("/notifications/").content.decode()


def test_someone_elses_notification_is_a_404(inbox, alice, mallory, english):
    n = Notification.objects.filter(recipient=inbox).first()
    for user in (alice, mallory):
        client = english(user)
        assert client.post(f"/notifications/{n.pk}/read").status_code == 404
        assert client.get(f"/notifications/{n.pk}/open").status_code == 404
    n.refresh_from_db()
    assert n.read_at is None


@pytest.mark.parametrize("bad", ["abc", "99999999", "-1", "1.5"])
def test_bad_ids(bad, inbox, english):
    client = english(inbox)
    assert client.post(f"/notifications/{bad}/read").status_code == 404
    assert client.get(f"/notifications/{bad}/open").status_code == 404


def test_mark_read_needs_post_and_a_session(inbox, client_for):
    n = Notification.objects.filter(recipient=inbox).first()
    assert client_for(inbox).get(f"/notifications/{n.pk}/read").status_code == 405
    response = client_for(None).post(f"/notifications/{n.pk}/read")
    assert response.status_code == 302 and "/accounts/login" in response["Location"]
    assert client_for(None).get("/notifications/").status_code == 302


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("/o/alice-shop/SH-1", "/o/alice-shop/SH-1"),
        ("https://evil.test/phish", "/notifications/"),
        ("//evil.test/phish", "/notifications/"),
        ("/\\evil.test", "/notifications/"),
        ("javascript:alert(1)", "/notifications/"),
    ],
)
def test_open_marks_read_and_goes_to_a_local_target_only(url, expected, org, alice, bob, english):
    (n,) = _notify(bob, org, alice, url=url)
    response = english(bob).get(f"/notifications/{n.pk}/open")
    assert response.status_code == 302 and response["Location"] == expected
    n.refresh_from_db()
    assert n.read_at is not None


def test_the_bell_shows_the_count_and_caps_it(org, alice, bob, english, project):
    client = english(bob)
    html = client.get(f"/o/{org.slug}/").content.decode()
    assert 'data-unread="0"' in html and 'class="bell-count"' in html
    _notify(bob, org, alice, n=3)
    html = client.get(f"/o/{org.slug}/").content.decode()
    assert 'data-unread="3"' in html and ">3</span>" in html
    _notify(bob, org, alice, n=100)
    assert ">99+</span>" in client.get(f"/o/{org.slug}/").content.decode()
