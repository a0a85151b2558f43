"""The access lookups run SQL the ORM wrote once (core/prepared.py): they must find exactly what
the queryset they were built from finds, with the same related objects and annotations."""

import datetime

import pytest
from django.db.models import Model

from baton.core.prepared import PreparedQuery
from baton.projects import permissions, queries, services
from baton.projects.models import CustomField, Task, TaskList

pytestmark = pytest.mark.django_db


def fields(obj: Model) -> dict:
    return {f.attname: getattr(obj, f.attname) for f in obj._meta.concrete_fields}


def same_as_orm(prepared_row, orm_row, related: list[str]) -> None:
    assert fields(prepared_row) == fields(orm_row)
    for path in related:
        a, b = prepared_row, orm_row
        for name in path.split("__"):
            a, b = getattr(a, name), getattr(b, name)
        assert fields(a) == fields(b)
    for name in ("_membership_id", "_membership_role", "_membership_joined_at", "_member_role"):
        assert getattr(prepared_row, name) == getattr(orm_row, name)


def test_a_prepared_list_lookup_gives_what_the_queryset_gives(project, lists, bob, carol):
    for user in (bob, carol):
        orm = permissions._with_access(
            TaskList.objects.select_related("project__organization").filter(
                pk=lists[1].pk, project__organization__slug=project.organization.slug
            ),
            user.pk,
            "project",
        ).first()
        prepared = permissions._LIST_WITH_ACCESS.first(
            user_id=user.pk, slug=project.organization.slug, key="SH", list_id=lists[1].pk
        )
        same_as_orm(prepared, orm, ["project", "project__organization"])
        assert isinstance(prepared._membership_joined_at, datetime.datetime)


def test_a_prepared_task_lookup_gives_what_the_queryset_gives(alice, bob, project, lists):
    task = services.create_task(
        actor=alice, project=project, task_list=lists[0], title="退货", assignee=bob.pk
    )
    orm = permissions._with_access(
        Task.objects.select_related("project__organization", "list", "assignee").filter(pk=task.pk),
        bob.pk,
        "project",
    ).first()
    prepared = permissions._TASK_WITH_ACCESS.first(
        user_id=bob.pk, slug=project.organization.slug, key="SH", number=task.number
    )
    same_as_orm(prepared, orm, ["project", "project__organization", "list", "assignee"])
    assert prepared.created_at == task.created_at


def test_prepared_lookups_find_nothing_for_outsiders_and_absurd_values(project, lists, mallory):
    slug = project.organization.slug
    assert (
        permissions._LIST_WITH_ACCESS.first(
            user_id=mallory.pk, slug=slug, key="SH", list_id=lists[0].pk
        )
        is None
    )
    assert permissions._PROJECT_WITH_ACCESS.first(user_id=mallory.pk, slug=slug, key="SH") is None
    assert (
        permissions._TASK_WITH_ACCESS.first(user_id=mallory.pk, slug=slug, key="SH", number=10**30)
        is None
    )


def test_a_prepared_query_refuses_a_value_its_query_does_not_use():
    unused = PreparedQuery(lambda number: Task.objects.filter(number=1), number=int)
    with pytest.raises(ValueError, match="number"):
        unused.first(number=1)


def test_the_prepared_custom_fields_are_the_projects_fields_in_order(alice, project):
    services.create_custom_field(
        actor=alice, project=project, name="渠道", kind="select", options=[{"name": "淘宝"}]
    )
    services.create_custom_field(actor=alice, project=project, name="单号", kind="text")
    orm = list(CustomField.objects.filter(project=project).order_by("position", "id"))
    prepared = queries._CUSTOM_FIELDS.all(project_id=project.pk)
    assert [fields(f) for f in prepared] == [fields(f) for f in orm]
    assert prepared[0].options[0]["name"] == "淘宝"
    assert queries._CUSTOM_FIELDS.all(project_id=10**30) == []
