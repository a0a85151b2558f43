"""Subtasks: a card's checklist of real tasks one level down."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from baton.activity.models import Activity
from baton.projects import queries, services
from baton.projects.models import Task

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def card(project, alice, lists):
    return services.create_task(actor=alice, project=project, task_list=lists[0], title="双11预案")


def add(card, actor, *titles, **fields):
    return [services.create_subtask(actor=actor, parent=card, title=t, **fields) for t in titles]


def checklist(card):
    return [t.title for t in queries.subtasks_of(card)]


def progress(card):
    card.refresh_from_db()
    return card.subtasks_done, card.subtasks_total


def url(task, action=""):
    ref = f"{task.project.key}-{task.number}"
    return reverse("projects:task", args=[task.project.organization.slug, ref]) + action


# ---------------------------------------------------------------- services


def test_subtasks_are_numbered_tasks_in_order_with_their_own_owner_and_due_date(card, bob):
    due = datetime.date(2026, 11, 11)
    first, second = add(card, bob, "选品", "定价", assignee=bob.pk, due_date="2026-11-11")
    assert (first.number, second.number) == (card.number + 1, card.number + 2)
    assert first.parent == card and first.list_id == card.list_id
    assert first.assignee == bob and first.due_date == due
    assert checklist(card) == ["选品", "定价"]
    assert progress(card) == (0, 2)
    entry = Activity.objects.get(verb="task.subtask_added", target_id=card.pk, data__title="选品")
    assert entry.data["reference"] == first.reference


def test_checking_off_archiving_and_deleting_keep_the_progress_true(card, bob):
    first, second, third = add(card, bob, "一", "二", "三")
    services.set_task_done(actor=bob, task=first, done=True)
    assert progress(card) == (1, 3)
    services.set_task_archived(actor=bob, task=second, archived=True)
    assert progress(card) == (1, 2) and checklist(card) == ["一", "三"]
    services.delete_task(actor=bob, task=third)
    assert progress(card) == (1, 1)
    services.set_task_done(actor=bob, task=first, done=False)
    assert progress(card) == (0, 1)


def test_subtasks_do_not_take_card_positions_or_appear_on_the_board(project, card, bob, lists):
    add(card, bob, "子任务")
    later = services.create_task(actor=bob, project=project, task_list=lists[0], title="新卡片")
    assert later.position > card.position
    board = queries.board(project)
    assert [c["title"] for c in board[0].cards] == ["双11预案", "新卡片"]
    assert board[0].card_count == 2
    assert board[0].cards[0]["subtasks_total"] == 1


def test_reordering_a_subtask_between_its_neighbours(card, bob):
    first, second, third = add(card, bob, "一", "二", "三")
    services.move_subtask(actor=bob, subtask=third, after_id=first.pk)
    assert checklist(card) == ["一", "三", "二"]
    services.move_subtask(actor=bob, subtask=first, before_id=None, after_id=second.pk)
    assert checklist(card) == ["三", "二", "一"]
    with pytest.raises(ValidationError):
        services.move_subtask(actor=bob, subtask=card, after_id=first.pk)


def test_a_promoted_subtask_becomes_a_card_at_the_bottom_of_the_list(
    project, card, bob, lists, alice
):
    other = services.create_task(actor=alice, project=project, task_list=lists[0], title="别的")
    (sub,) = add(card, bob, "单独跟进")
    services.promote_subtask(actor=bob, subtask=sub)
    sub.refresh_from_db()
    assert sub.parent is None and sub.list_id == card.list_id
    assert sub.position > other.position
    assert progress(card) == (0, 0)
    assert [c["title"] for c in queries.board(project)[0].cards] == ["双11预案", "别的", "单独跟进"]
    assert Activity.objects.filter(verb="task.promoted", target_id=sub.pk).exists()
    with pytest.raises(ValidationError):
        services.promote_subtask(actor=bob, subtask=sub)


def test_bad_input_and_roles(card, bob, carol):
    with pytest.raises(ValidationError):
        add(card, bob, "")
    with pytest.raises(ValidationError):
        add(card, bob, "x" * 201)
    with pytest.raises(ValidationError):
        add(card, bob, "日期", due_date="2026-13-40")
    (sub,) = add(card, bob, "一")
    with pytest.raises(ValidationError):  # one level down only
        add(sub, bob, "孙任务")
    with pytest.raises(ValidationError):  # a subtask is not dragged between lists
        services.move_task(actor=bob, task=sub, to_list=card.list)
    with pytest.raises(PermissionDenied):  # carol views the project
        add(card, carol, "不行")
    assert progress(card) == (0, 1)


def test_deleting_a_card_deletes_its_subtasks(card, bob):
    add(card, bob, "一", "二")
    services.delete_task(actor=bob, task=card)
    assert not Task.objects.filter(title__in=["一", "二"]).exists()


# ---------------------------------------------------------------- views


def test_adding_and_checking_off_from_the_panel(client_for, card, bob):
    client = client_for(bob)
    response = client.post(url(card, "/subtasks/new"), {"title": "选品"}, **HTMX)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="task-panel"' in html and "选品" in html and "autofocus" in html
    assert "☑ 0/1" in html  # the board's card, refreshed out of band
    (sub,) = card.subtasks.all()
    response = client.post(url(sub, "/done"), {"done": "1", "panel": "parent"}, **HTMX)
    html = response.content.decode()
    assert response.status_code == 200 and f"{card.project.key}-{card.number}" in html
    assert "☑ 1/1" in html and 'class="subtask is-done"' in html


def test_a_subtask_row_edit_answers_with_the_parent_panel(client_for, card, bob):
    (sub,) = add(card, bob, "选品")
    client = client_for(bob)
    data = {"_fields": "assignee,due_date", "assignee": bob.pk, "due_date": "2026-11-11"}
    response = client.post(url(sub, "/update"), {**data, "panel": "parent"}, **HTMX)
    assert response.status_code == 200 and "选品" in response.content.decode()
    sub.refresh_from_db()
    assert sub.assignee == bob and sub.due_date == datetime.date(2026, 11, 11)
    bad = {"_fields": "due_date", "due_date": "soon", "panel": "parent"}
    response = client.post(url(sub, "/update"), bad, **HTMX)
    assert response.status_code == 422 and 'id="subtasks"' in response.content.decode()
    response = client.post(url(sub, "/delete"), {"panel": "parent"}, **HTMX)
    assert response.status_code == 200 and 'id="subtasks"' in response.content.decode()
    assert progress(card) == (0, 0)


def test_an_empty_subtask_is_refused_and_the_box_keeps_the_text(client_for, card, bob):
    client = client_for(bob)
    response = client.post(url(card, "/subtasks/new"), {"title": "  "}, **HTMX)
    assert response.status_code == 422
    response = client.post(url(card, "/subtasks/new"), {"title": "x" * 201}, **HTMX)
    assert response.status_code == 422 and "x" * 201 in response.content.decode()
    assert not card.subtasks.exists()


def test_reorder_and_promote_over_http(client_for, card, bob):
    first, second = add(card, bob, "一", "二")
    client = client_for(bob)
    response = client.post(url(second, "/reorder"), {"after": "", "before": first.pk}, **HTMX)
    assert response.status_code == 204 and checklist(card) == ["二", "一"]
    assert client.post(url(second, "/reorder"), {"after": "x"}, **HTMX).status_code == 400
    response = client.post(url(first, "/promote"), **HTMX)
    html = response.content.decode()
    assert response.status_code == 200 and f'hx-swap-oob="beforeend:#cards-{card.list_id}"' in html
    assert 'id="list-count-' in html
    assert client.post(url(first, "/promote"), **HTMX).status_code == 400


def test_outsiders_get_404_and_viewers_403_on_every_checklist_write(
    client_for, card, bob, carol, mallory
):
    (sub,) = add(card, bob, "一")
    writes = [
        (url(card, "/subtasks/new"), {"title": "x"}),
        (url(sub, "/reorder"), {"after": ""}),
        (url(sub, "/promote"), {}),
        (url(sub, "/done"), {"done": "1", "panel": "parent"}),
    ]
    for path, data in writes:
        assert client_for(mallory).post(path, data, **HTMX).status_code == 404
        assert client_for(carol).post(path, data, **HTMX).status_code == 403
    sub.refresh_from_db()
    assert sub.parent_id == card.pk and not sub.completed_at
    assert card.subtasks.count() == 1


def test_a_viewer_sees_the_checklist_read_only(client_for, card, bob, carol):
    add(card, bob, "选品")
    html = client_for(carol).get(url(card), **HTMX).content.decode()
    assert "选品" in html and "/subtasks/new" not in html and 'data-readonly="true"' in html


def test_a_subtask_panel_links_back_to_its_card(client_for, card, bob):
    (sub,) = add(card, bob, "选品")
    html = client_for(bob).get(url(sub), **HTMX).content.decode()
    assert f"{card.project.key}-{card.number}" in html and 'id="subtasks"' not in html
