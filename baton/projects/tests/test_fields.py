"""Custom fields: admins define them in the project's settings, members fill them in the task
panel (and the quick-add, for required ones), cards show the ones marked for cards."""

# ruff: noqa: RUF001

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.http import Http404
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from baton.activity.models import Activity
from baton.projects import queries, services
from baton.projects.cards import render_card
from baton.projects.models import CustomField, Task

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}
COLORS = [{"name": "高", "color": "red"}, {"name": "中", "color": "orange"}, {"name": "低"}]


@pytest.fixture(autouse=True)
def english_messages():
    """Messages are asserted in English, whatever the translations say."""
    with translation.override("en"):
        yield


@pytest.fixture
def client_for(english):
    """Clients whose browser asks for English (see conftest.english)."""
    return english


@pytest.fixture
def task(project, alice, lists):
    return services.create_task(actor=alice, project=project, task_list=lists[0], title="退款单")


def field(project, actor, name, kind, **extra):
    return services.create_custom_field(actor=actor, project=project, name=name, kind=kind, **extra)


@pytest.fixture
def order_no(project, alice):
    return field(project, alice, "订单号", "text", show_on_card=True)


@pytest.fixture
def importance(project, alice):
    return field(project, alice, "重要性", "number", show_on_card=True)


@pytest.fixture
def level(project, alice):
    return field(project, alice, "等级", "select", options=COLORS, show_on_card=True)


@pytest.fixture
def kinds(project, alice):
    return field(project, alice, "售后类型", "multi", options=[{"name": "换货"}, {"name": "退款"}])


def values(task) -> dict:
    task.refresh_from_db()
    return task.custom_values


def option_id(custom_field, name) -> str:
    custom_field.refresh_from_db()
    return next(o["id"] for o in custom_field.options if o["name"] == name)


def settings_url(project, action="settings", field_id=None) -> str:
    slug = project.organization.slug
    if field_id is None:
        return reverse(f"projects:{action}", args=[slug, project.key])
    return reverse(f"projects:{action}", args=[slug, project.key, field_id])


def task_url(task, action="") -> str:
    ref = f"{task.project.key}-{task.number}"
    return reverse("projects:task", args=[task.project.organization.slug, ref]) + action


# ---------------------------------------------------------------- definitions


def test_an_admin_adds_fields_of_every_type_in_order(project, alice):
    for kind in ("text", "number", "date", "checkbox", "url", "member"):
        field(project, alice, f"字段 {kind}", kind)
    select = field(project, alice, "等级", "select", options=COLORS)
    assert [f.kind for f in queries.custom_fields(project)] == [
        "text",
        "number",
        "date",
        "checkbox",
        "url",
        "member",
        "select",
    ]
    assert [(o["name"], o["color"]) for o in select.options] == [
        ("高", "red"),
        ("中", "orange"),
        ("低", "orange"),  # a new option without a colour takes the palette's next one
    ]
    assert len({o["id"] for o in select.options}) == 3
    assert Activity.objects.filter(verb="field.created").count() == 7


def test_field_names_are_unique_in_a_project_whatever_the_case(project, alice, org):
    field(project, alice, "Order", "text")
    with pytest.raises(ValidationError) as error:
        field(project, alice, " order ", "number")
    assert error.value.message_dict["name"] == ["This project already has a field named order."]
    other = services.create_project(actor=alice, organization=org, name="需求", key="XQ")
    field(other, alice, "Order", "text")  # another project may have its own
    assert CustomField.objects.count() == 2


def test_a_field_needs_a_name_a_known_type_and_options_for_selects(project, alice):
    with pytest.raises(ValidationError) as error:
        field(project, alice, "", "colour")
    assert set(error.value.message_dict) == {"name", "kind"}
    with pytest.raises(ValidationError) as error:
        field(project, alice, "等级", "select", options=[{"name": "  "}])
    assert error.value.message_dict["options"] == ["A select field needs at least one option."]
    with pytest.raises(ValidationError) as error:
        field(project, alice, "等级", "select", options=[{"name": "高"}, {"name": "高"}])
    assert error.value.message_dict["options"] == ["Two options are named 高."]
    with pytest.raises(ValidationError) as error:
        field(project, alice, "等级", "select", options=[{"name": "高", "color": "beige"}])
    assert error.value.message_dict["options"] == ["Unknown colour."]
    with pytest.raises(ValidationError):
        field(project, alice, "x" * 41, "text")
    assert not CustomField.objects.exists()


def test_only_project_admins_manage_fields(project, alice, bob, carol, mallory, order_no):
    with pytest.raises(PermissionDenied):
        field(project, bob, "客户真名", "text")
    with pytest.raises(PermissionDenied):
        field(project, carol, "客户真名", "text")
    with pytest.raises(Http404):
        field(project, mallory, "客户真名", "text")
    for actor in (bob, carol):
        with pytest.raises(PermissionDenied):
            services.update_custom_field(actor=actor, field=order_no, name="单号")
        with pytest.raises(PermissionDenied):
            services.move_custom_field(actor=actor, field=order_no)
        with pytest.raises(PermissionDenied):
            services.delete_custom_field(actor=actor, field=order_no)
    order_no.refresh_from_db()
    assert order_no.name == "订单号" and CustomField.objects.count() == 1


def test_a_field_is_renamed_made_required_and_shown_on_cards_with_one_activity_row(
    project, alice, order_no
):
    services.update_custom_field(
        actor=alice, field=order_no, name="订单编号", required=True, show_on_card=False
    )
    order_no.refresh_from_db()
    assert (order_no.name, order_no.required, order_no.show_on_card) == ("订单编号", True, False)
    activity = Activity.objects.get(verb="field.updated")
    assert [c["field"] for c in activity.data["changes"]] == ["name", "required", "show_on_card"]
    services.update_custom_field(actor=alice, field=order_no, name="订单编号")  # no change
    assert Activity.objects.filter(verb="field.updated").count() == 1


def test_the_type_of_a_field_cannot_change(project, alice, importance):
    with pytest.raises(ValidationError) as error:
        services.update_custom_field(actor=alice, field=importance, kind="text")
    assert "cannot change" in error.value.message_dict["kind"][0]
    importance.refresh_from_db()
    assert importance.kind == "number"


def test_fields_are_reordered_after_or_before_a_neighbour(project, alice, order_no, importance):
    third = field(project, alice, "旺旺名", "text")

    def names():
        queries.forget_custom_fields(project)
        return [f.name for f in queries.custom_fields(project)]

    services.move_custom_field(actor=alice, field=third)
    assert names() == ["旺旺名", "订单号", "重要性"]
    services.move_custom_field(actor=alice, field=third, after_id=importance.pk)
    assert names() == ["订单号", "重要性", "旺旺名"]
    services.move_custom_field(actor=alice, field=order_no, before_id=third.pk)
    assert names() == ["重要性", "订单号", "旺旺名"]
    with pytest.raises(ValidationError):
        services.move_custom_field(actor=alice, field=order_no, after_id=order_no.pk + 100)
    assert Activity.objects.filter(verb="field.moved").count() == 3


def test_deleting_a_field_removes_its_value_from_every_card(
    project, alice, lists, order_no, importance
):
    cards = [
        services.create_task(
            actor=alice,
            project=project,
            task_list=lists[0],
            title=f"单 {n}",
            custom_values={order_no.pk: f"202611240012{n}", importance.pk: n},
        )
        for n in range(3)
    ]
    services.set_custom_values(actor=alice, task=cards[2], values={order_no.pk: ""})
    assert services.delete_custom_field(actor=alice, field=order_no) == 2
    assert not CustomField.objects.filter(pk=order_no.pk).exists()
    assert [values(card) for card in cards] == [
        {str(importance.pk): 0},
        {str(importance.pk): 1},
        {str(importance.pk): 2},
    ]
    activity = Activity.objects.get(verb="field.deleted")
    assert activity.data == {"name": "订单号", "kind": "text", "cards": 2}
    # The order numbers are no longer found by search.
    assert queries.search_tasks(alice, project.organization, "2026112400120") == []


def test_removing_an_option_removes_it_from_cards_and_multi_selects_keep_the_rest(
    project, alice, lists, level, kinds
):
    high, swap, refund = option_id(level, "高"), option_id(kinds, "换货"), option_id(kinds, "退款")
    one = services.create_task(
        actor=alice,
        project=project,
        task_list=lists[0],
        title="一",
        custom_values={level.pk: high, kinds.pk: [swap, refund]},
    )
    two = services.create_task(
        actor=alice, project=project, task_list=lists[0], title="二", custom_values={kinds.pk: swap}
    )
    services.update_custom_field(
        actor=alice,
        field=level,
        options=[{"id": o["id"], "name": o["name"], "color": o["color"]} for o in level.options][
            1:
        ],
    )
    services.update_custom_field(
        actor=alice,
        field=kinds,
        options=[{"id": refund, "name": "退款（仅退款）", "color": "green"}, {"name": "补发"}],
    )
    assert values(one) == {str(kinds.pk): [refund]}
    assert values(two) == {}
    kinds.refresh_from_db()
    assert [(o["id"] == refund, o["name"], o["color"]) for o in kinds.options] == [
        (True, "退款（仅退款）", "green"),
        (False, "补发", "green"),  # the palette colour of its place
    ]
    activity = Activity.objects.filter(verb="field.updated").last()
    assert activity.data["cards"] == 2
    assert activity.data["changes"] == [
        {"field": "options", "old": ["换货", "退款"], "new": ["退款（仅退款）", "补发"]}
    ]


# ---------------------------------------------------------------- values


def test_every_type_takes_its_values_in_the_stored_shape(project, alice, bob, task, level, kinds):
    fields = {
        kind: field(project, alice, kind, kind)
        for kind in ("text", "number", "date", "member", "checkbox", "url")
    }
    high, swap, refund = option_id(level, "高"), option_id(kinds, "换货"), option_id(kinds, "退款")
    services.set_custom_values(
        actor=bob,
        task=task,
        values={
            fields["text"].pk: "  2026112400123 ",
            fields["number"].pk: "5.0",
            fields["date"].pk: "2026-11-24",
            fields["member"].pk: str(bob.pk),
            fields["checkbox"].pk: "1",
            fields["url"].pk: "https://item.taobao.com/item.htm?id=1",
            level.pk: high,
            kinds.pk: [refund, swap, refund],
        },
    )
    assert values(task) == {
        str(fields["text"].pk): "2026112400123",
        str(fields["number"].pk): 5,
        str(fields["date"].pk): "2026-11-24",
        str(fields["member"].pk): bob.pk,
        str(fields["checkbox"].pk): True,
        str(fields["url"].pk): "https://item.taobao.com/item.htm?id=1",
        str(level.pk): high,
        str(kinds.pk): [swap, refund],  # the options' order, once each
    }
    assert task.version == 2


@pytest.mark.parametrize(
    "raw, stored",
    [("5", 5), ("3.50", 3.5), ("-0.25", -0.25), ("1,000", 1000), ("１２", 12), (7, 7), (2.0, 2)],
)
def test_numbers_are_json_numbers_integers_when_whole(
    project, alice, task, importance, raw, stored
):
    services.set_custom_values(actor=alice, task=task, values={importance.pk: raw})
    value = values(task)[str(importance.pk)]
    assert value == stored and type(value) is type(stored)


@pytest.mark.parametrize(
    "kind, raw, message",
    [
        ("number", "abc", "重要性 must be a number."),
        ("number", "NaN", "重要性 must be a number."),
        ("number", "1e20", "重要性 is too large a number."),
        ("number", True, "重要性 must be a number."),
        ("date", "2026-02-30", "重要性 must be a date like 2026-11-11."),
        ("date", "next friday", "重要性 must be a date like 2026-11-11."),
        ("url", "taobao.com", "重要性 must be a web address starting with http:// or https://."),
        (
            "url",
            "javascript:alert(1)",
            "重要性 must be a web address starting with http:// or https://.",
        ),
        (
            "url",
            "ftp://example.com/x",
            "重要性 must be a web address starting with http:// or https://.",
        ),
        ("text", "长" * 2001, "重要性 has at most 2000 characters (this has 2001)."),
        ("checkbox", "maybe", "重要性 is either checked or not."),
        ("member", "abc", "重要性 must be someone in this project."),
    ],
)
def test_bad_values_are_refused_with_a_message_naming_the_field(
    project, alice, task, kind, raw, message
):
    custom = field(project, alice, "重要性", kind)
    with pytest.raises(ValidationError) as error:
        services.set_custom_values(actor=alice, task=task, values={custom.pk: raw})
    assert error.value.message_dict == {f"cf_{custom.pk}": [message]}
    assert values(task) == {}


def test_selects_take_only_their_own_options_and_members_only_project_people(
    project, alice, task, level, kinds, mallory, org
):
    who = field(project, alice, "跟进人", "member")
    other = field(project, alice, "别的", "select", options=[{"name": "x"}])
    attempts = {
        level.pk: option_id(other, "x"),
        kinds.pk: [option_id(kinds, "换货"), "nope"],
        who.pk: mallory.pk,
    }
    with pytest.raises(ValidationError) as error:
        services.set_custom_values(actor=alice, task=task, values=attempts)
    assert error.value.message_dict == {
        f"cf_{level.pk}": ["Choose one of the options of 等级."],
        f"cf_{kinds.pk}": ["Choose among the options of 售后类型."],
        f"cf_{who.pk}": ["跟进人 must be someone in this project."],
    }
    with pytest.raises(ValidationError) as error:
        services.set_custom_values(actor=alice, task=task, values={other.pk + 100: "x"})
    assert error.value.message_dict == {"custom_values": ["Unknown field."]}
    assert values(task) == {}


def test_empty_values_clear_a_field_and_an_unchecked_box_is_no_value(
    project, alice, task, order_no, kinds
):
    box = field(project, alice, "已回访", "checkbox")
    swap = option_id(kinds, "换货")
    services.set_custom_values(
        actor=alice, task=task, values={order_no.pk: "1", box.pk: True, kinds.pk: [swap]}
    )
    services.set_custom_values(
        actor=alice, task=task, values={order_no.pk: "  ", box.pk: "", kinds.pk: []}
    )
    assert values(task) == {}
    assert Activity.objects.filter(verb="task.updated").count() == 2


def test_a_required_field_cannot_be_cleared(project, alice, task, order_no):
    services.set_custom_values(actor=alice, task=task, values={order_no.pk: "2026112400123"})
    services.update_custom_field(actor=alice, field=order_no, required=True)
    with pytest.raises(ValidationError) as error:
        services.set_custom_values(actor=alice, task=task, values={order_no.pk: ""})
    assert error.value.message_dict == {f"cf_{order_no.pk}": ["订单号 is required."]}
    assert values(task) == {str(order_no.pk): "2026112400123"}


def test_viewers_and_outsiders_cannot_write_values(project, carol, mallory, task, order_no):
    with pytest.raises(PermissionDenied):
        services.set_custom_values(actor=carol, task=task, values={order_no.pk: "1"})
    with pytest.raises(Http404):
        services.set_custom_values(actor=mallory, task=task, values={order_no.pk: "1"})
    assert values(task) == {}


def test_a_value_change_is_one_activity_row_that_reads_in_the_timeline(
    client_for, project, alice, bob, task, order_no, level
):
    services.set_custom_values(
        actor=bob,
        task=task,
        values={order_no.pk: "2026112400123", level.pk: option_id(level, "高")},
    )
    services.set_custom_values(actor=bob, task=task, values={order_no.pk: "2026112400124"})
    rows = Activity.objects.filter(verb="task.updated", target_id=task.pk).order_by("id")
    assert [row.data["changes"] for row in rows] == [
        [
            {
                "field": f"custom:{order_no.pk}",
                "custom": "订单号",
                "old": None,
                "new": "2026112400123",
            },
            {"field": f"custom:{level.pk}", "custom": "等级", "old": None, "new": "高"},
        ],
        [
            {
                "field": f"custom:{order_no.pk}",
                "custom": "订单号",
                "old": "2026112400123",
                "new": "2026112400124",
            }
        ],
    ]
    client = client_for(alice)
    html = client.get(task_url(task), **HTMX).content.decode()
    assert "changed 订单号: — → <b>2026112400123</b>" in html
    assert "changed 订单号: <del>2026112400123</del> → <b>2026112400124</b>" in html


def test_custom_text_values_are_searchable(project, alice, task, order_no, importance):
    services.set_custom_values(
        actor=alice, task=task, values={order_no.pk: "2026112400123", importance.pk: 80}
    )
    found = queries.search_tasks(alice, project.organization, "2026112400123")
    assert [hit["task"].pk for hit in found] == [task.pk]


def test_display_value_reads_every_type_as_text(project, alice, bob, level, kinds):
    who = field(project, alice, "跟进人", "member")
    number = field(project, alice, "初始估值", "number")
    box = field(project, alice, "已回访", "checkbox")
    high, swap, refund = option_id(level, "高"), option_id(kinds, "换货"), option_id(kinds, "退款")
    level.refresh_from_db()
    kinds.refresh_from_db()
    assert queries.display_value(level, high) == "高"
    assert queries.display_value(kinds, [refund, swap]) == "换货, 退款"
    with translation.override("zh-hans"):
        assert queries.display_value(kinds, [refund, swap]) == "换货、退款"
    assert queries.display_value(kinds, ["gone"]) == ""
    assert queries.display_value(who, bob.pk, {bob.pk: bob}) == "Bob"
    assert queries.display_value(who, bob.pk) == ""
    assert [queries.display_value(number, n) for n in (5, 2.5, 0.1, -3.0)] == [
        "5",
        "2.5",
        "0.1",
        "-3",
    ]
    assert queries.display_value(box, True) == "✓"
    assert queries.display_value(box, None) == ""


# ---------------------------------------------------------------- required fields at creation


def test_a_card_is_created_with_its_required_fields_and_refused_without(
    project, alice, lists, order_no, importance
):
    services.update_custom_field(actor=alice, field=order_no, required=True)
    with pytest.raises(ValidationError) as error:
        services.create_task(
            actor=alice,
            project=project,
            task_list=lists[0],
            title="",
            custom_values={importance.pk: "abc"},
        )
    assert error.value.message_dict == {
        "title": ["This field is required."],
        f"cf_{importance.pk}": ["重要性 must be a number."],
        f"cf_{order_no.pk}": ["订单号 is required."],
    }
    assert not Task.objects.exists()
    task = services.create_task(
        actor=alice,
        project=project,
        task_list=lists[0],
        title="退款",
        custom_values={order_no.pk: "2026112400123"},
    )
    assert values(task) == {str(order_no.pk): "2026112400123"}


def test_subtasks_are_exempt_from_required_fields(project, alice, task, order_no):
    services.update_custom_field(actor=alice, field=order_no, required=True)
    subtask = services.create_subtask(actor=alice, parent=task, title="联系买家")
    assert subtask.custom_values == {}


def test_a_card_without_a_required_value_is_marked_incomplete(
    project, alice, task, order_no, importance
):
    services.update_custom_field(actor=alice, field=order_no, required=True)
    project = type(project).objects.get(pk=project.pk)  # a fresh request's project
    card = queries.card_for(task, project)
    assert card["missing"] == ["订单号"]
    html = render_card(card, task_prefix="/o/x/SH-")
    assert 'class="card-incomplete" title="Required fields are empty: 订单号"' in html
    services.set_custom_values(actor=alice, task=task, values={order_no.pk: "1"})
    assert queries.card_for(task, project)["missing"] == []


# ---------------------------------------------------------------- cards


def test_cards_show_the_fields_marked_for_cards(project, alice, bob, task, order_no, level):
    hidden = field(project, alice, "客户真名", "text")
    who = field(project, alice, "跟进人", "member", show_on_card=True)
    box = field(project, alice, "已回访", "checkbox", show_on_card=True)
    services.set_custom_values(
        actor=alice,
        task=task,
        values={
            order_no.pk: "2026112400123",
            hidden.pk: "张伟",
            level.pk: option_id(level, "高"),
            who.pk: bob.pk,
            box.pk: True,
        },
    )
    project = type(project).objects.get(pk=project.pk)
    [card] = [c for lst in queries.board(project) for c in lst.cards]
    html = render_card(card, task_prefix="/o/x/SH-")
    assert '<span class="card-field-name">订单号</span> ' in html
    assert '<span class="card-field-value">2026112400123</span>' in html
    assert '<span class="tag c-red" title="等级">高</span>' in html
    assert '<span class="card-field-value">Bob</span>' in html
    assert "✓ 已回访" in html
    assert "张伟" not in html


def test_the_board_reads_field_definitions_once_whatever_the_number_of_cards(
    client_for, project, alice, bob, lists, order_no, importance, level
):
    who = field(project, alice, "跟进人", "member", show_on_card=True)
    services.update_custom_field(actor=alice, field=order_no, required=True)
    client = client_for(alice)
    url = settings_url(project, "board")

    def add_cards(count):
        for n in range(count):
            services.create_task(
                actor=alice,
                project=project,
                task_list=lists[n % 4],
                title=f"单 {n}",
                custom_values={
                    order_no.pk: f"20261124{n:05}",
                    importance.pk: n,
                    level.pk: option_id(level, "中"),
                    who.pk: bob.pk if n % 2 else alice.pk,
                },
            )

    add_cards(4)
    client.get(url)
    with CaptureQueriesContext(connection) as small:
        response = client.get(url)
    assert response.status_code == 200
    add_cards(40)
    with CaptureQueriesContext(connection) as large:
        response = client.get(url)
    html = response.content.decode()
    assert html.count('<span class="card-field-name">订单号</span>') == 44
    assert len(large) == len(small)


# ---------------------------------------------------------------- views: settings


def test_the_settings_page_lists_fields_with_their_counts(
    client_for, project, alice, bob, task, order_no, level
):
    services.set_custom_values(actor=alice, task=task, values={order_no.pk: "1"})
    client = client_for(alice)
    html = client.get(settings_url(project)).content.decode()
    assert 'id="fields-section"' in html and "订单号" in html and "等级" in html
    assert "1 card has a value" in html and "0 cards have a value" in html
    assert "Delete the field 订单号? 1 card has a value for it" in html
    assert "Add a field" in html
    member = client_for(bob)
    html = member.get(settings_url(project)).content.decode()
    assert "订单号" in html and "Add a field" not in html
    assert "Only project admins can change fields." in html


def test_an_admin_adds_a_select_field_through_htmx(client_for, project, alice):
    response = client_for(alice).post(
        settings_url(project, "field_create"),
        {
            "name": "等级",
            "kind": "select",
            "show_on_card": "1",
            "option-0-id": "",
            "option-0-name": "高",
            "option-0-color": "red",
            "option-1-id": "",
            "option-1-name": "",  # the empty row at the end of the form
            "option-1-color": "blue",
            "option-3-id": "",
            "option-3-name": "低",  # a row added in the page
            "option-3-color": "green",
        },
        **HTMX,
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert html.startswith('\n<section class="card-box fields-settings" id="fields-section">')
    assert "Field 等级 added." in html
    created = CustomField.objects.get()
    assert (created.kind, created.show_on_card, created.required) == ("select", True, False)
    assert [(o["name"], o["color"]) for o in created.options] == [("高", "red"), ("低", "green")]


def test_a_refused_field_keeps_what_was_typed(client_for, project, alice, order_no):
    response = client_for(alice).post(
        settings_url(project, "field_create"),
        {
            "name": "订单号",
            "kind": "multi",
            "required": "1",
            "option-0-name": "换货",
            "option-0-color": "purple",
        },
        **HTMX,
    )
    assert response.status_code == 422
    html = response.content.decode()
    assert "This project already has a field named 订单号." in html
    assert 'value="订单号"' in html and 'value="换货"' in html
    assert '<option value="multi" selected>' in html
    assert 'value="purple" checked' in html
    assert '<details class="field-new" open>' in html
    assert CustomField.objects.count() == 1


def test_an_admin_edits_a_field_and_its_options(client_for, project, alice, task, level):
    high, middle = option_id(level, "高"), option_id(level, "中")
    services.set_custom_values(actor=alice, task=task, values={level.pk: high})
    level.refresh_from_db()
    low = level.options[2]
    response = client_for(alice).post(
        settings_url(project, "field_update", level.pk),
        {
            "name": "紧急程度",
            "required": "1",
            "option-0-id": high,
            "option-0-name": "高",
            "option-0-color": "red",
            "option-0-remove": "1",
            "option-1-id": middle,
            "option-1-name": "一般",
            "option-1-color": "blue",
            "option-2-id": low["id"],
            "option-2-name": "低",
            "option-2-color": "gray",
            "option-3-id": "",
            "option-3-name": "最高",
            "option-3-color": "pink",
        },
        **HTMX,
    )
    assert response.status_code == 200
    level.refresh_from_db()
    assert level.name == "紧急程度" and level.required and not level.show_on_card
    assert [(o["name"], o["color"]) for o in level.options] == [
        ("一般", "blue"),
        ("低", "gray"),
        ("最高", "pink"),
    ]
    assert level.options[0]["id"] == middle
    assert values(task) == {}


def test_a_refused_edit_reopens_the_form_with_the_typed_values(client_for, project, alice, level):
    middle = option_id(level, "中")
    response = client_for(alice).post(
        settings_url(project, "field_update", level.pk),
        {"name": "", "option-0-id": middle, "option-0-name": "一般", "option-0-color": "teal"},
        **HTMX,
    )
    assert response.status_code == 422
    html = response.content.decode()
    assert 'class="field-row is-editing"' in html and 'x-init="edit"' in html
    assert "This field is required." in html and 'value="一般"' in html
    level.refresh_from_db()
    assert level.name == "等级" and len(level.options) == 3


def test_changing_the_type_over_http_is_refused_with_a_message(client_for, project, alice, level):
    response = client_for(alice).post(
        settings_url(project, "field_update", level.pk), {"name": "等级", "kind": "text"}, **HTMX
    )
    assert response.status_code == 422
    assert "The type of a field cannot change" in response.content.decode()
    level.refresh_from_db()
    assert level.kind == "select"


def test_an_admin_reorders_and_deletes_fields_over_http(
    client_for, project, alice, task, order_no, importance
):
    client = client_for(alice)
    response = client.post(
        settings_url(project, "field_move", importance.pk), {"before": order_no.pk}, **HTMX
    )
    assert response.status_code == 204
    assert list(CustomField.objects.values_list("name", flat=True)) == ["重要性", "订单号"]
    response = client.post(
        settings_url(project, "field_move", importance.pk), {"after": "nope"}, **HTMX
    )
    assert response.status_code == 400
    services.set_custom_values(actor=alice, task=task, values={order_no.pk: "1"})
    response = client.post(settings_url(project, "field_delete", order_no.pk), **HTMX)
    assert response.status_code == 200
    assert "Field 订单号 deleted; its value was removed from 1 cards." in response.content.decode()
    assert values(task) == {}


def test_without_htmx_the_settings_forms_redirect_to_the_settings(client_for, project, alice):
    response = client_for(alice).post(
        settings_url(project, "field_create"), {"name": "旺旺名", "kind": "text"}
    )
    assert response.status_code == 302 and response["Location"] == settings_url(project)
    response = client_for(alice).post(
        settings_url(project, "field_create"), {"name": "旺旺名", "kind": "text"}
    )
    assert response.status_code == 302
    assert CustomField.objects.count() == 1


# ---------------------------------------------------------------- views: the task panel


def test_the_panel_edits_a_value_and_refreshes_the_card(client_for, project, bob, task, order_no):
    response = client_for(bob).post(
        task_url(task, "/fields"), {"field": order_no.pk, "value": "2026112400123"}, **HTMX
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert 'name="value" value="2026112400123"' in html
    assert f'id="task-{task.pk}"' in html and 'hx-swap-oob="true"' in html
    assert '<span class="card-field-value">2026112400123</span>' in html
    assert values(task) == {str(order_no.pk): "2026112400123"}


def test_a_refused_value_comes_back_typed_with_its_message(
    client_for, project, bob, task, importance
):
    services.set_custom_values(actor=bob, task=task, values={importance.pk: 5})
    client = client_for(bob)
    response = client.post(
        task_url(task, "/fields"), {"field": importance.pk, "value": "abc"}, **HTMX
    )
    assert response.status_code == 422
    html = response.content.decode()
    assert "重要性 must be a number." in html
    assert 'name="value" value="abc"' in html
    assert values(task) == {str(importance.pk): 5}


def test_the_panel_sets_multi_selects_checkboxes_and_members(
    client_for, project, alice, bob, task, kinds
):
    box = field(project, alice, "已回访", "checkbox")
    who = field(project, alice, "跟进人", "member")
    swap, refund = option_id(kinds, "换货"), option_id(kinds, "退款")
    client = client_for(bob)
    url = task_url(task, "/fields")
    assert client.post(url, {"field": kinds.pk, "value": [swap, refund]}, **HTMX).status_code == 200
    assert client.post(url, {"field": box.pk, "value": "1"}, **HTMX).status_code == 200
    assert client.post(url, {"field": who.pk, "value": bob.pk}, **HTMX).status_code == 200
    assert values(task) == {str(kinds.pk): [swap, refund], str(box.pk): True, str(who.pk): bob.pk}
    assert client.post(url, {"field": kinds.pk}, **HTMX).status_code == 200  # all unticked
    assert client.post(url, {"field": box.pk}, **HTMX).status_code == 200
    assert values(task) == {str(who.pk): bob.pk}


def test_an_unknown_field_in_the_panel_is_a_clear_422(client_for, project, bob, task):
    client = client_for(bob)
    for value in ("999", "abc", ""):
        response = client.post(task_url(task, "/fields"), {"field": value, "value": "x"}, **HTMX)
        assert response.status_code == 422
        assert "This field no longer exists" in response.content.decode()


def test_viewers_see_values_without_editors(
    client_for, project, alice, carol, bob, task, order_no, level
):
    who = field(project, alice, "跟进人", "member")
    link = field(project, alice, "商品链接", "url")
    services.set_custom_values(
        actor=alice,
        task=task,
        values={
            order_no.pk: "2026112400123",
            level.pk: option_id(level, "高"),
            who.pk: bob.pk,
            link.pk: "https://item.taobao.com/item.htm?id=1",
        },
    )
    html = client_for(carol).get(task_url(task), **HTMX).content.decode()
    section = html.split('id="field-', 1)[1].split("</section>", 1)[0]
    assert "/fields" not in section and 'name="value"' not in section
    assert "2026112400123" in html and '<span class="tag c-red">高</span>' in html
    assert "Bob" in html
    assert 'href="https://item.taobao.com/item.htm?id=1" target="_blank" rel="noopener' in html


def test_the_panel_query_count_does_not_grow_with_fields(client_for, project, alice, bob, task):
    client = client_for(alice)
    field(project, alice, "跟进人", "member")
    client.get(task_url(task), **HTMX)
    with CaptureQueriesContext(connection) as small:
        client.get(task_url(task), **HTMX)
    for n in range(6):
        custom = field(
            project,
            alice,
            f"字段{n}",
            ["text", "select", "member"][n % 3],
            options=[{"name": "a"}] if n % 3 == 1 else None,
        )
        value = {0: "x", 1: custom.options[0]["id"] if custom.options else None, 2: bob.pk}[n % 3]
        services.set_custom_values(actor=alice, task=task, values={custom.pk: value})
    with CaptureQueriesContext(connection) as large:
        client.get(task_url(task), **HTMX)
    assert len(large) <= len(small) + 1  # the people of member fields, when they hold someone


# ---------------------------------------------------------------- views: quick-add


def test_the_quick_add_asks_for_required_fields(client_for, project, alice, bob, lists, order_no):
    html = client_for(bob).get(settings_url(project, "board")).content.decode()
    assert "quick-add-fields" not in html
    services.update_custom_field(actor=alice, field=order_no, required=True)
    html = client_for(bob).get(settings_url(project, "board")).content.decode()
    assert html.count(f'name="cf_{order_no.pk}"') == len(lists)


def test_quick_add_without_a_required_value_is_422_and_creates_nothing(
    client_for, project, alice, bob, lists, order_no, level
):
    services.update_custom_field(actor=alice, field=order_no, required=True)
    services.update_custom_field(actor=alice, field=level, required=True)
    url = reverse("projects:task_create", args=[project.organization.slug, "SH", lists[0].pk])
    client = client_for(bob)
    response = client.post(url, {"title": "买家要求退款", f"cf_{order_no.pk}": " "}, **HTMX)
    assert response.status_code == 422
    assert response["HX-Retarget"] == f"#quick-add-error-{lists[0].pk}"
    assert response.content.decode() == "订单号 is required. 等级 is required."
    assert not Task.objects.exists()
    response = client.post(
        url,
        {
            "title": "买家要求退款",
            f"cf_{order_no.pk}": "2026112400123",
            f"cf_{level.pk}": option_id(level, "低"),
        },
        **HTMX,
    )
    assert response.status_code == 200
    assert '<span class="card-field-value">2026112400123</span>' in response.content.decode()
    assert values(Task.objects.get())[str(order_no.pk)] == "2026112400123"


def test_quick_add_query_count_rises_by_one_read_of_the_fields(
    client_for, project, bob, lists, django_assert_num_queries
):
    url = reverse("projects:task_create", args=[project.organization.slug, "SH", lists[0].pk])
    client = client_for(bob)
    # As in test_views (10), plus the project's fields, read once for the check and the card (a
    # card created without an owner enqueues no notifications job).
    with django_assert_num_queries(11):
        assert client.post(url, {"title": "新的售后单"}, **HTMX).status_code == 200


def test_a_quick_add_with_field_values_reads_the_fields_once(
    client_for, project, bob, lists, order_no, level, django_assert_num_queries
):
    """The values are checked, indexed (the text field's words, the option as a label) and shown
    on the card from one read of the project's fields."""
    url = reverse("projects:task_create", args=[project.organization.slug, "SH", lists[0].pk])
    form = {"title": "新的售后单", f"cf_{order_no.pk}": "2026112400123"}
    form[f"cf_{level.pk}"] = option_id(level, "低")
    client = client_for(bob)
    with django_assert_num_queries(11):
        assert client.post(url, form, **HTMX).status_code == 200
    task = Task.objects.get(title="新的售后单")
    from baton.search.models import Entry

    entry = Entry.objects.get(kind="task", object_id=task.pk)
    assert "2026112400123" in entry.body and "低" in str(entry.labels)


# ---------------------------------------------------------------- access to every new URL


def write_requests(project, task, custom) -> list[tuple[str, dict]]:
    return [
        (settings_url(project, "field_create"), {"name": "新字段", "kind": "text"}),
        (settings_url(project, "field_update", custom.pk), {"name": "改名"}),
        (settings_url(project, "field_move", custom.pk), {}),
        (settings_url(project, "field_delete", custom.pk), {}),
        (task_url(task, "/fields"), {"field": custom.pk, "value": "2026"}),
    ]


def snapshot(task):
    return (
        list(CustomField.objects.values_list("pk", "name", "position", "options")),
        values(task),
        Activity.objects.count(),
    )


def test_outsiders_get_404_on_every_field_url(client_for, project, mallory, task, order_no):
    before = snapshot(task)
    client = client_for(mallory)
    for url, data in write_requests(project, task, order_no):
        assert client.post(url, data, **HTMX).status_code == 404, url
    assert snapshot(task) == before


def test_viewers_get_403_on_every_write_and_nothing_changes(
    client_for, project, carol, task, order_no
):
    before = snapshot(task)
    client = client_for(carol)
    for url, data in write_requests(project, task, order_no):
        assert client.post(url, data, **HTMX).status_code == 403, url
    assert snapshot(task) == before


def test_members_fill_values_but_cannot_manage_fields(client_for, project, bob, task, order_no):
    client = client_for(bob)
    *definitions, value = write_requests(project, task, order_no)
    before = snapshot(task)
    for url, data in definitions:
        assert client.post(url, data, **HTMX).status_code == 403, url
    assert snapshot(task) == before
    url, data = value
    assert client.post(url, data, **HTMX).status_code == 200
    assert values(task) == {str(order_no.pk): "2026"}


def test_a_field_of_another_project_is_404(client_for, org, project, alice, order_no):
    other = services.create_project(actor=alice, organization=org, name="需求", key="XQ")
    url = reverse("projects:field_update", args=[org.slug, "XQ", order_no.pk])
    assert client_for(alice).post(url, {"name": "x"}, **HTMX).status_code == 404
    assert other.custom_fields.count() == 0


def test_get_is_not_allowed_on_field_writes(client_for, project, alice, order_no):
    assert client_for(alice).get(settings_url(project, "field_create")).status_code == 405


def test_dates_are_stored_as_iso_strings(project, alice, task):
    when = field(project, alice, "签收日期", "date")
    services.set_custom_values(
        actor=alice, task=task, values={when.pk: datetime.date(2026, 11, 24)}
    )
    assert values(task) == {str(when.pk): "2026-11-24"}


def test_a_number_zero_shows_on_the_card_and_in_the_list(
    client_for, project, alice, task, importance
):
    services.set_custom_values(actor=alice, task=task, values={importance.pk: 0})
    client = client_for(alice)
    base = f"/o/{project.organization.slug}/p/{project.key}/"
    board = client.get(base).content.decode()
    assert '<span class="card-field-value">0</span>' in board
    listing = client.get(base + "list").content.decode()
    assert '<td class="cell-field cell-kind-number">0</td>' in listing
