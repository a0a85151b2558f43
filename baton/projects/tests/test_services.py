import datetime
import threading

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.http import Http404
from django.utils import translation

from baton.activity.models import Activity
from baton.projects import services
from baton.projects.models import Project, Task, TaskList

pytestmark = pytest.mark.django_db


def titles(task_list):
    return list(
        task_list.tasks.filter(archived_at__isnull=True)
        .order_by("position")
        .values_list("title", flat=True)
    )


def test_creating_a_project_makes_the_creator_admin_and_records_it(org, alice):
    with translation.override("en"):
        project = services.create_project(actor=alice, organization=org, name="需求管理", key="xq")
    assert project.key == "XQ"
    assert project.memberships.get().user == alice
    assert [tl.name for tl in project.lists.all()] == ["To do", "In progress", "Done"]
    assert project.lists.get(name="Done").is_done
    assert Activity.objects.filter(verb="project.created", target_id=project.pk).count() == 1


def test_a_project_key_must_be_letters_and_unique_in_the_organization(org, alice, project):
    with pytest.raises(ValidationError) as error:
        services.create_project(actor=alice, organization=org, name="Dup", key="sh")
    assert "key" in error.value.message_dict
    for bad in ["S", "TOOLONGKEYXX", "S1", "售后"]:
        with pytest.raises(ValidationError):
            services.create_project(actor=alice, organization=org, name="X", key=bad)
    assert Project.objects.filter(organization=org).count() == 1


def test_the_same_key_is_fine_in_another_organization(other_org, mallory, project):
    other = services.create_project(actor=mallory, organization=other_org, name="SH too", key="SH")
    assert other.key == "SH"


def test_guests_and_outsiders_cannot_create_projects(org, carol, mallory):
    with pytest.raises(PermissionDenied):
        services.create_project(actor=carol, organization=org, name="X", key="XX")
    with pytest.raises(Http404):
        services.create_project(actor=mallory, organization=org, name="X", key="XX")
    assert not Project.objects.filter(key="XX").exists()


def test_task_numbers_count_up_per_project_and_are_never_reused(project, alice, lists):
    first = services.create_task(actor=alice, project=project, task_list=lists[0], title="一")
    second = services.create_task(actor=alice, project=project, task_list=lists[0], title="二")
    services.delete_task(actor=alice, task=second)
    third = services.create_task(actor=alice, project=project, task_list=lists[0], title="三")
    assert (first.number, second.number, third.number) == (1, 2, 3)
    assert first.reference == "SH-1"


def test_titles_are_required_and_limited(project, alice, lists):
    for bad in ["", "   ", "x" * 201]:
        with pytest.raises(ValidationError) as error:
            services.create_task(actor=alice, project=project, task_list=lists[0], title=bad)
        assert "title" in error.value.message_dict
    assert Task.objects.count() == 0


def test_quick_add_appends_to_the_bottom_of_the_list(project, alice, lists):
    for title in ["a", "b", "c"]:
        services.create_task(actor=alice, project=project, task_list=lists[0], title=title)
    assert titles(lists[0]) == ["a", "b", "c"]


def test_a_viewer_cannot_write_and_nothing_changes(project, carol, alice, lists):
    task = services.create_task(actor=alice, project=project, task_list=lists[0], title="t")
    before = Activity.objects.count()
    with pytest.raises(PermissionDenied):
        services.create_task(actor=carol, project=project, task_list=lists[0], title="no")
    with pytest.raises(PermissionDenied):
        services.move_task(actor=carol, task=task, to_list=lists[1])
    with pytest.raises(PermissionDenied):
        services.update_task(actor=carol, task=task, title="changed")
    with pytest.raises(PermissionDenied):
        services.delete_task(actor=carol, task=task)
    task.refresh_from_db()
    assert (task.title, task.list_id) == ("t", lists[0].pk)
    assert Activity.objects.count() == before


def test_an_outsider_gets_404_from_every_service(project, mallory, alice, lists):
    task = services.create_task(actor=alice, project=project, task_list=lists[0], title="t")
    with pytest.raises(Http404):
        services.create_task(actor=mallory, project=project, task_list=lists[0], title="x")
    with pytest.raises(Http404):
        services.move_task(actor=mallory, task=task, to_list=lists[1])
    with pytest.raises(Http404):
        services.create_list(actor=mallory, project=project, name="x")
    assert Task.objects.count() == 1


def test_moving_between_neighbours_puts_the_card_between_them(project, bob, lists):
    a, b, c = (
        services.create_task(actor=bob, project=project, task_list=lists[0], title=t) for t in "abc"
    )
    services.move_task(actor=bob, task=c, to_list=lists[0], after_id=a.pk, before_id=b.pk)
    assert titles(lists[0]) == ["a", "c", "b"]
    services.move_task(actor=bob, task=a, to_list=lists[1])
    assert titles(lists[0]) == ["c", "b"]
    assert titles(lists[1]) == ["a"]
    services.move_task(actor=bob, task=b, to_list=lists[1], before_id=a.pk)
    assert titles(lists[1]) == ["b", "a"]


def test_moves_keep_working_when_the_gaps_run_out(project, bob, lists):
    a = services.create_task(actor=bob, project=project, task_list=lists[0], title="a")
    b = services.create_task(actor=bob, project=project, task_list=lists[0], title="b")
    movers = [
        services.create_task(actor=bob, project=project, task_list=lists[1], title=f"m{i}")
        for i in range(60)
    ]
    # Always dropping right after "a" halves the same gap until it is renumbered.
    for mover in movers:
        services.move_task(
            actor=bob,
            task=mover,
            to_list=lists[0],
            after_id=a.pk,
            before_id=Task.objects.filter(list=lists[0])
            .exclude(pk=a.pk)
            .order_by("position")
            .first()
            .pk,
        )
    order = titles(lists[0])
    assert order[0] == "a" and order[-1] == "b"
    assert order[1:-1] == [f"m{i}" for i in reversed(range(60))]
    assert b.pk


def test_moving_into_a_done_list_completes_and_moving_out_reopens(project, bob, lists):
    done = lists[2]
    services.update_list(actor=bob, task_list=done, is_done=True)
    task = services.create_task(actor=bob, project=project, task_list=lists[0], title="t")
    services.move_task(actor=bob, task=task, to_list=done)
    task.refresh_from_db()
    assert task.completed_at is not None
    services.move_task(actor=bob, task=task, to_list=lists[1])
    task.refresh_from_db()
    assert task.completed_at is None


def test_a_card_cannot_move_into_another_projects_list(project, org, alice, lists):
    other = services.create_project(actor=alice, organization=org, name="Other", key="OT")
    task = services.create_task(actor=alice, project=project, task_list=lists[0], title="t")
    with pytest.raises(ValidationError):
        services.move_task(actor=alice, task=task, to_list=other.lists.first().pk)
    with pytest.raises(ValidationError):
        services.move_task(actor=alice, task=task, to_list=999999)
    with pytest.raises(ValidationError):
        services.move_task(
            actor=alice,
            task=task,
            to_list=lists[1],
            after_id=services.create_task(
                actor=alice, project=other, task_list=other.lists.first(), title="o"
            ).pk,
        )
    task.refresh_from_db()
    assert task.list_id == lists[0].pk


def test_updating_records_one_activity_row_with_every_change(project, alice, bob, lists):
    tag = services.create_tag(actor=alice, project=project, name="退款", color="red")
    task = services.create_task(actor=alice, project=project, task_list=lists[0], title="t")
    services.update_task(
        actor=alice,
        task=task,
        assignee=bob.pk,
        due_date="2026-11-11",
        priority=3,
        tags=[tag.pk],
        participants=[alice.pk, bob.pk],
    )
    entry = Activity.objects.filter(verb="task.updated", target_id=task.pk).get()
    fields = {c["field"]: c for c in entry.data["changes"]}
    assert fields["assignee"] == {"field": "assignee", "old": None, "new": "Bob"}
    assert fields["due_date"]["new"] == "2026-11-11"
    assert fields["tags"]["new"] == ["退款"]
    assert fields["participants"]["new"] == ["Alice", "Bob"]
    task.refresh_from_db()
    assert task.due_date == datetime.date(2026, 11, 11)
    assert task.version == 2


def test_bad_field_values_are_refused_with_the_field_named(project, alice, mallory, lists):
    task = services.create_task(actor=alice, project=project, task_list=lists[0], title="t")
    cases = {"due_date": "11/11/2026", "priority": "9", "assignee": mallory.pk, "tags": [12345]}
    for field, value in cases.items():
        with pytest.raises(ValidationError) as error:
            services.update_task(actor=alice, task=task, **{field: value})
        assert field in error.value.message_dict
    with pytest.raises(ValidationError):
        services.update_task(actor=alice, task=task, start_date="2026-11-12", due_date="2026-11-11")
    task.refresh_from_db()
    assert task.version == 1


def test_a_stale_text_edit_is_a_conflict_and_keeps_the_current_text(project, alice, bob, lists):
    task = services.create_task(actor=alice, project=project, task_list=lists[0], title="t")
    services.update_task(actor=alice, task=task, version=1, description="alice's words")
    stale = Task.objects.get(pk=task.pk)
    stale.version = 1
    with pytest.raises(services.ConflictError) as conflict:
        services.update_task(actor=bob, task=stale, version=1, description="bob's words")
    assert conflict.value.current.description == "alice's words"
    task.refresh_from_db()
    assert task.description == "alice's words"


def test_lists_can_be_added_renamed_reordered_and_archived(project, bob, lists):
    new = services.create_list(actor=bob, project=project, name="搁置")
    services.update_list(actor=bob, task_list=new, name="暂停", wip_limit=5)
    services.move_list(actor=bob, task_list=new, after_id=None)
    names = list(
        TaskList.objects.filter(project=project).order_by("position").values_list("name", flat=True)
    )
    assert names[0] == "暂停"
    services.set_list_archived(actor=bob, task_list=new, archived=True)
    assert TaskList.objects.get(pk=new.pk).archived_at is not None
    with pytest.raises(ValidationError):
        services.update_list(actor=bob, task_list=new, name="")
    with pytest.raises(ValidationError):
        services.update_list(actor=bob, task_list=new, wip_limit=0)
    with pytest.raises(ValidationError):
        services.move_list(actor=bob, task_list=lists[0], after_id=987654)


def test_archiving_and_restoring_a_project(project, alice, bob):
    with pytest.raises(PermissionDenied):
        services.set_project_archived(actor=bob, project=project, archived=True)
    services.set_project_archived(actor=alice, project=project, archived=True)
    project.refresh_from_db()
    assert project.archived_at is not None
    services.set_project_archived(actor=alice, project=project, archived=False)
    project.refresh_from_db()
    assert project.archived_at is None


def test_the_last_project_admin_stays(project, alice):
    member = project.memberships.get(user=alice)
    with pytest.raises(ValidationError):
        services.change_project_member_role(actor=alice, member=member, role="member")
    with pytest.raises(ValidationError):
        services.remove_project_member(actor=alice, member=member)


def test_only_organization_members_can_join_a_project(project, alice, mallory):
    with pytest.raises(ValidationError):
        services.add_project_member(actor=alice, project=project, user=mallory)


@pytest.mark.django_db(transaction=True)
def test_concurrent_creators_get_distinct_numbers(project, alice, lists):
    errors, numbers = [], []
    lock = threading.Lock()

    def create(index: int) -> None:
        try:
            for i in range(5):
                task = services.create_task(
                    actor=alice,
                    project=Project.objects.get(pk=project.pk),
                    task_list=lists[0],
                    title=f"{index}-{i}",
                )
                with lock:
                    numbers.append(task.number)
        except Exception as error:
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=create, args=(n,)) for n in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert sorted(numbers) == list(range(1, 31))
    project.refresh_from_db()
    assert project.task_counter == 30


def test_a_drop_below_the_last_shown_card_of_a_long_list_lands_right_there(project, bob, lists):
    cards = [
        services.create_task(actor=bob, project=project, task_list=lists[0], title=f"c{i:02}")
        for i in range(40)
    ]
    mover = services.create_task(actor=bob, project=project, task_list=lists[1], title="mover")
    # The board showed only c00…c29, so the browser knows the card above and nothing below.
    services.move_task(actor=bob, task=mover, to_list=lists[0], after_id=cards[29].pk)
    order = titles(lists[0])
    assert order[29:32] == ["c29", "mover", "c30"]


def test_a_drop_with_only_the_card_below_goes_right_above_it(project, bob, lists):
    cards = [
        services.create_task(actor=bob, project=project, task_list=lists[0], title=f"c{i}")
        for i in range(5)
    ]
    mover = services.create_task(actor=bob, project=project, task_list=lists[1], title="mover")
    services.move_task(actor=bob, task=mover, to_list=lists[0], before_id=cards[3].pk)
    assert titles(lists[0]) == ["c0", "c1", "c2", "mover", "c3", "c4"]


def test_cards_with_equal_positions_are_renumbered_before_a_drop_between_them(project, bob, lists):
    cards = [
        services.create_task(actor=bob, project=project, task_list=lists[0], title=f"c{i}")
        for i in range(4)
    ]
    Task.objects.filter(pk__in=[c.pk for c in cards]).update(position=5.0)  # e.g. an old import
    mover = services.create_task(actor=bob, project=project, task_list=lists[1], title="mover")
    services.move_task(actor=bob, task=mover, to_list=lists[0], after_id=cards[1].pk)
    assert titles(lists[0]) == ["c0", "c1", "mover", "c2", "c3"]
    services.move_task(actor=bob, task=cards[3], to_list=lists[0], before_id=cards[1].pk)
    assert titles(lists[0]) == ["c0", "c3", "c1", "mover", "c2"]
