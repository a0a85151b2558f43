"""Copying a card and moving it to another project."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from baton.activity.models import Activity
from baton.projects import queries, services
from baton.projects.models import CustomField, ProjectRole, Task

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def card(project, lists, bob, alice):
    tag = services.create_tag(actor=alice, project=project, name="退款", color="red")
    task = services.create_task(
        actor=bob,
        project=project,
        task_list=lists[0],
        title="张伟申请退款",
        description="订单 2026112400123",
        assignee=bob.pk,
        priority=3,
        tags=[tag.pk],
    )
    services.create_subtask(actor=bob, parent=task, title="核对流水")
    done = services.create_subtask(actor=bob, parent=task, title="联系客户")
    services.set_task_done(actor=bob, task=done, done=True)
    services.add_comment(actor=bob, task=task, body="已联系")
    return Task.objects.get(pk=task.pk)


@pytest.fixture
def ops(org, alice, bob):
    """运营 (YY): bob is a member; it has its own lists and no tags."""
    other = services.create_project(
        actor=alice, organization=org, name="日常运营", key="YY", lists=["待办", "已完成"]
    )
    services.add_project_member(actor=alice, project=other, user=bob, role=ProjectRole.MEMBER)
    return other


def test_a_copy_is_a_new_card_with_the_text_tags_owner_and_checklist(card, lists, bob):
    copy = services.copy_task(actor=bob, task=card, to_list=lists[1], title="张伟申请退款 (2)")
    assert copy.pk != card.pk and copy.number == 4  # after the card and its 2 subtasks
    assert (copy.title, copy.description, copy.priority) == (
        "张伟申请退款 (2)",
        card.description,
        3,
    )
    assert copy.assignee == bob and [t.name for t in copy.tags.all()] == ["退款"]
    subtasks = list(copy.subtasks.order_by("position"))
    assert [s.title for s in subtasks] == ["核对流水", "联系客户"]
    assert [s.is_done for s in subtasks] == [False, True]
    assert (copy.subtasks_total, copy.subtasks_done) == (2, 1)
    assert copy.comments.count() == 0 and card.comments.count() == 1
    assert Activity.objects.filter(verb="task.copied", target_id=copy.pk).count() == 1
    assert [r["task"].pk for r in queries.search_tasks(bob, card.project.organization, "流水")]


def test_a_copy_into_another_project_maps_tags_and_drops_what_it_cannot_hold(card, ops, bob, carol):
    services.update_task(actor=bob, task=card, participants=[carol.pk])  # a viewer in SH only
    copy = services.copy_task(actor=bob, task=card, to_list=ops.lists.first(), with_subtasks=False)
    assert copy.project == ops and copy.reference == "YY-1"
    assert [t.project_id for t in copy.tags.all()] == [ops.pk]  # 退款 created in 日常运营
    assert list(copy.participants.all()) == []  # carol cannot see 日常运营
    assert copy.subtasks.count() == 0


def test_moving_to_another_project_renumbers_and_keeps_comments_and_history(card, ops, bob):
    old_number, card_project, first_list = card.number, card.project, card.list
    subtask_ids = list(card.subtasks.values_list("pk", flat=True))
    moved = services.move_task_to_project(actor=bob, task=card, to_list=ops.lists.first())
    moved.refresh_from_db()
    assert moved.pk == card.pk and moved.project == ops and moved.reference == "YY-1"
    subtasks = Task.objects.filter(pk__in=subtask_ids).order_by("number")
    assert [s.reference for s in subtasks] == ["YY-2", "YY-3"]
    assert {s.list_id for s in subtasks} == {ops.lists.first().pk}
    assert moved.comments.count() == 1
    history = [a.verb for a in queries.task_history(moved)]
    assert "task.created" in history and history[0] == "task.moved_project"
    entry = Activity.objects.get(verb="task.moved_project")
    assert entry.project_id == ops.pk and entry.data["reference"] == f"SH-{old_number}"
    assert [t.project_id for t in moved.tags.all()] == [ops.pk]
    org = ops.organization
    assert [r["task"].reference for r in queries.search_tasks(bob, org, "张伟")] == ["YY-1"]
    assert [r["task"].reference for r in queries.search_tasks(bob, org, "已联系")] == ["YY-1"]
    # SH's counter never goes back: its next card does not take a number the moved ones had
    sh = services.create_task(actor=bob, project=card_project, task_list=first_list, title="x")
    assert sh.reference == "SH-4"


def test_custom_values_follow_fields_of_the_same_name_and_type(card, ops, alice, bob):
    ours = CustomField.objects.create(project=card.project, name="订单号", kind="text")
    CustomField.objects.create(project=card.project, name="旺旺名", kind="text")
    theirs = CustomField.objects.create(project=ops, name="订单号", kind="text")
    Task.objects.filter(pk=card.pk).update(custom_values={str(ours.pk): "2026112400123"})
    card.refresh_from_db()
    services.move_task_to_project(actor=bob, task=card, to_list=ops.lists.first())
    card.refresh_from_db()
    assert card.custom_values == {str(theirs.pk): "2026112400123"}


def test_values_without_a_field_there_or_people_who_cannot_see_it_stay_behind(
    card, ops, bob, carol
):
    order = CustomField.objects.create(project=card.project, name="订单号", kind="text")
    handler = CustomField.objects.create(project=card.project, name="处理人", kind="member")
    CustomField.objects.create(project=ops, name="处理人", kind="member")
    values = {str(order.pk): "2026112400123", str(handler.pk): carol.pk}  # carol: SH only
    Task.objects.filter(pk=card.pk).update(custom_values=values)
    card.refresh_from_db()
    copy = services.copy_task(actor=bob, task=card, to_list=ops.lists.first())
    assert copy.custom_values == {}
    same = services.copy_task(actor=bob, task=card, to_list=card.list)
    assert same.custom_values == values


def test_what_cannot_be_copied_or_moved(card, ops, project, lists, bob, carol, alice, other_org):
    subtask = card.subtasks.first()
    with pytest.raises(ValidationError):
        services.copy_task(actor=bob, task=subtask, to_list=lists[0])
    with pytest.raises(ValidationError):
        services.move_task_to_project(actor=bob, task=subtask, to_list=ops.lists.first())
    with pytest.raises(ValidationError):
        services.move_task_to_project(actor=bob, task=card, to_list=lists[1])  # same project
    with pytest.raises(PermissionDenied):
        services.copy_task(actor=carol, task=card, to_list=lists[0])  # a viewer
    mine = services.create_project(
        actor=alice, organization=ops.organization, name="财务", key="CW"
    )
    with pytest.raises(Exception) as denied:  # bob is not in 财务: 404
        services.move_task_to_project(actor=bob, task=card, to_list=mine.lists.first())
    assert denied.type.__name__ == "Http404"
    assert Task.objects.get(pk=card.pk).project == project


def url(task, action):
    return reverse("projects:" + action, args=[task.project.organization.slug, task.reference])


def test_the_forms_offer_lists_where_the_user_may_add_cards(card, ops, client_for, bob, alice):
    services.create_project(actor=alice, organization=ops.organization, name="财务", key="CW")
    html = client_for(bob).get(url(card, "task_copy"), **HTMX).content.decode()
    assert "售后处理" in html and "日常运营" in html and "财务" not in html
    html = client_for(bob).get(url(card, "task_transfer"), **HTMX).content.decode()
    assert 'label="售后处理"' not in html and "日常运营" in html


def test_copy_and_move_through_the_views(card, ops, client_for, bob, lists):
    client = client_for(bob)
    response = client.post(
        url(card, "task_copy"), {"list": lists[2].pk, "title": "副本", "subtasks": "1"}, **HTMX
    )
    assert response.status_code == 200
    copy = Task.objects.get(title="副本")
    assert response["HX-Redirect"] == reverse(
        "projects:task", args=[ops.organization.slug, copy.reference]
    )
    response = client.post(url(card, "task_transfer"), {"list": ops.lists.first().pk}, **HTMX)
    assert response.status_code == 200 and response["HX-Redirect"].endswith("/YY-1")


def test_bad_input_keeps_what_was_typed(card, ops, client_for, bob, alice, other_org):
    client = client_for(bob)
    response = client.post(url(card, "task_copy"), {"list": "999999", "title": "我的副本"}, **HTMX)
    assert response.status_code == 422
    assert "我的副本" in response.content.decode()
    response = client.post(url(card, "task_copy"), {"list": card.list_id, "title": " "}, **HTMX)
    assert response.status_code == 422
    foreign = services.create_project(
        actor=other_org.memberships.get().user, organization=other_org, name="M", key="MM"
    )
    response = client.post(url(card, "task_transfer"), {"list": foreign.lists.first().pk}, **HTMX)
    assert response.status_code == 422
    assert Task.objects.filter(project=card.project).count() == 3


def test_outsiders_get_404_and_viewers_403(card, ops, client_for, mallory, carol, lists):
    for action in ("task_copy", "task_transfer"):
        assert client_for(mallory).get(url(card, action)).status_code == 404
        assert client_for(mallory).post(url(card, action), {"list": lists[1].pk}).status_code == 404
        assert client_for(carol).post(url(card, action), {"list": lists[1].pk}).status_code == 403
    assert Task.objects.count() == 3
