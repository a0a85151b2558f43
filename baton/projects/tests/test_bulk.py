"""Acting on several selected cards at once."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from baton.activity.models import Activity
from baton.projects import services
from baton.projects.models import Task

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def cards(project, lists, bob):
    return [
        services.create_task(actor=bob, project=project, task_list=lists[0], title=f"售后单 {i}")
        for i in range(5)
    ]


def bulk(actor, project, cards, action, value=None):
    ids = [c.pk for c in cards]
    return services.bulk_update_tasks(
        actor=actor, project=project, task_ids=ids, action=action, value=value
    )


def test_move_keeps_the_selection_in_order_at_the_bottom_of_the_list(cards, project, lists, bob):
    services.create_task(actor=bob, project=project, task_list=lists[1], title="已在处理中")
    assert bulk(bob, project, [cards[3], cards[0], cards[2]], "move", lists[1].pk) == 3
    titles = list(
        Task.objects.filter(list=lists[1]).order_by("position").values_list("title", flat=True)
    )
    assert titles == ["已在处理中", "售后单 0", "售后单 2", "售后单 3"]
    assert Activity.objects.filter(verb="task.moved").count() == 3  # one row per card


def test_assign_tag_due_done_archive(cards, project, lists, alice, bob):
    tag = services.create_tag(actor=alice, project=project, name="退款")
    bulk(bob, project, cards[:2], "assign", str(alice.pk))
    bulk(bob, project, cards[:3], "tag", tag.pk)
    bulk(bob, project, cards[:3], "tag", tag.pk)  # twice: no harm, no new rows
    bulk(bob, project, cards[:2], "due", "2026-12-12")
    bulk(bob, project, cards[4:], "done")
    bulk(bob, project, cards[3:4], "archive")
    fresh = {t.title: t for t in Task.objects.prefetch_related("tags")}
    assert fresh["售后单 0"].assignee == alice and fresh["售后单 2"].assignee is None
    assert [t.name for t in fresh["售后单 2"].tags.all()] == ["退款"]
    assert fresh["售后单 1"].due_date == datetime.date(2026, 12, 12)
    assert fresh["售后单 4"].is_done and fresh["售后单 3"].archived_at
    bulk(bob, project, cards[:2], "assign", "")
    bulk(bob, project, cards[:2], "due", "")
    assert Task.objects.filter(assignee__isnull=False).count() == 0
    assert Task.objects.filter(due_date__isnull=False).count() == 0


def test_everything_or_nothing(cards, project, lists, bob, carol):
    services.update_task(actor=bob, task=cards[1], start_date="2026-12-20")
    with pytest.raises(ValidationError):  # due before start on the second card
        bulk(bob, project, cards[:3], "due", "2026-12-10")
    assert Task.objects.filter(due_date__isnull=False).count() == 0
    for action, value in [("move", 999999), ("assign", 999999), ("tag", "x"), ("fly", None)]:
        with pytest.raises(ValidationError):
            bulk(bob, project, cards, action, value)
    with pytest.raises(ValidationError):
        bulk(bob, project, [], "done")
    with pytest.raises(PermissionDenied):
        bulk(carol, project, cards, "done")
    assert not Task.objects.filter(completed_at__isnull=False).exists()


def test_cards_of_another_project_cannot_be_slipped_in(cards, project, org, alice, bob):
    other = services.create_project(actor=alice, organization=org, name="财务", key="CW")
    theirs = services.create_task(
        actor=alice, project=other, task_list=other.lists.first(), title="对账"
    )
    with pytest.raises(ValidationError):
        bulk(bob, project, [cards[0], theirs], "archive")
    assert not Task.objects.filter(archived_at__isnull=False).exists()


def url(project):
    return reverse("projects:bulk", args=[project.organization.slug, project.key])


def test_the_view_applies_and_reloads(cards, project, lists, client_for, bob):
    client = client_for(bob)
    ids = [cards[0].pk, cards[1].pk, cards[2].pk]
    response = client.post(
        url(project), {"tasks": ids, "action": "move", "value": lists[2].pk}, **HTMX
    )
    assert response.status_code == 200 and response["HX-Refresh"] == "true"
    assert Task.objects.filter(list=lists[2]).count() == 3
    menus = client.get(url(project), **HTMX).content.decode()
    assert "处理中" in menus and "Bob" in menus


def test_the_view_shows_errors(cards, project, client_for, bob):
    response = client_for(bob).post(url(project), {"tasks": ["x"], "action": "done"}, **HTMX)
    assert response.status_code == 422 and 'id="bulk-errors"' in response.content.decode()
    response = client_for(bob).post(url(project), {"action": "done"}, **HTMX)
    assert response.status_code == 422


def test_outsiders_get_404_and_viewers_403(cards, project, client_for, mallory, carol):
    data = {"tasks": [cards[0].pk], "action": "archive"}
    assert client_for(mallory).post(url(project), data).status_code == 404
    assert client_for(mallory).get(url(project)).status_code == 404
    assert client_for(carol).post(url(project), data).status_code == 403
    assert not Task.objects.filter(archived_at__isnull=False).exists()
