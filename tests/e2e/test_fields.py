"""Custom fields in the browser: an admin adds fields in the project's settings and drags them
into order, fills them in a card's panel (a number refuses "abc" with a message next to it) and
sees them on the board's card; required fields ask for a value in the quick-add. Screenshots of
the settings, the panel and the board, in Chinese and English."""

import pytest
from playwright.sync_api import expect

from baton.projects import queries, services
from baton.projects.models import CustomField, Task
from tests.e2e.board import (
    board_url,
    card,
    column,
    csp_violations,
    is_post_to,
    open_task,
    save_in_panel,
    wait_until_settled,
    watch,
)
from tests.e2e.conftest import login, screenshot
from tests.e2e.seed import seed_board

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def settings_url(project) -> str:
    return board_url(project) + "settings"


def field_names() -> list[str]:
    return list(CustomField.objects.order_by("position").values_list("name", flat=True))


def add_field(page, name: str, kind: str, *, on_card: bool = False, options=()) -> None:
    section = page.locator("#fields-section")
    form = section.locator(".field-new form")
    if not form.is_visible():
        section.locator(".field-new summary").click()
    form.locator("input[name=name]").fill(name)
    form.locator("select[name=kind]").select_option(kind)
    if on_card:
        form.locator("input[name=show_on_card]").check()
    for n, option in enumerate(options):
        if n:
            form.get_by_role("button", name="Add an option").click()
        form.locator(".option-row input[type=text]").nth(n).fill(option)
    with page.expect_response(is_post_to("/fields/new")) as response:
        form.get_by_role("button", name="Add field").click()
    assert response.value.status == 200, response.value.text()
    expect(page.locator("#fields-section .field-row .field-name").last).to_have_text(name)


def test_an_admin_adds_fields_fills_them_and_sees_them_on_the_card(new_page, project, lists, alice):
    services.create_task(actor=alice, project=project, task_list=lists[0], title="耳机左耳无声")
    page = new_page(language="en-US")
    watch(page)
    login(page, alice.email)

    page.goto(settings_url(project))
    expect(page.locator("#fields-section .fields-empty")).to_be_visible()
    add_field(page, "订单号", "text", on_card=True)
    add_field(page, "重要性", "number", on_card=True)
    add_field(page, "问题等级", "select", on_card=True, options=["严重", "一般"])
    rows = page.locator("#fields-section .field-row")
    expect(rows.locator(".field-name")).to_have_text(["订单号", "重要性", "问题等级"])
    expect(rows.nth(2).locator(".field-option-chips .tag")).to_have_text(["严重", "一般"])
    assert field_names() == ["订单号", "重要性", "问题等级"]

    # Drag 问题等级 to the top by its handle.
    wait_until_settled(page)
    last = rows.nth(2)
    handle = last.locator("[data-drag-handle]").bounding_box()
    first = rows.nth(0).bounding_box()
    with page.expect_response(is_post_to("/move")) as response:
        page.mouse.move(handle["x"] + handle["width"] / 2, handle["y"] + handle["height"] / 2)
        page.mouse.down()
        top, height = first["y"], first["height"]
        for y in (top + height * 1.5, top + height / 2, top + 3):
            page.mouse.move(first["x"] + 40, y, steps=8)
            page.wait_for_timeout(150)
        page.mouse.up()
    assert response.value.status == 204
    expect(rows.locator(".field-name")).to_have_text(["问题等级", "订单号", "重要性"])
    assert field_names() == ["问题等级", "订单号", "重要性"]

    # Open the card and fill the order number: Enter saves it.
    page.goto(board_url(project))
    panel = open_task(page, "耳机左耳无声")
    order_field = CustomField.objects.get(name="订单号")
    box = panel.locator(f"#field-{order_field.pk} input[name=value]")
    box.fill("2026112400123")
    save_in_panel(page, lambda: box.press("Enter"), "/fields")
    expect(page.locator(f"#field-{order_field.pk} input[name=value]")).to_have_value(
        "2026112400123"
    )
    the_card = card(page, "耳机左耳无声")
    expect(the_card.locator(".card-field")).to_have_text(["订单号 2026112400123"])

    # A number refuses "abc": the message is next to the field, with what was typed.
    importance = CustomField.objects.get(name="重要性")
    number = page.locator(f"#field-{importance.pk} input[name=value]")
    number.fill("abc")
    with page.expect_response(is_post_to("/fields")) as response:
        number.press("Enter")
    assert response.value.status == 422
    wait_until_settled(page)
    expect(page.locator(f"#field-{importance.pk} .field-error")).to_have_text(
        "重要性 must be a number."
    )
    expect(page.locator(f"#field-{importance.pk} input[name=value]")).to_have_value("abc")
    screenshot(page, "fields-number-refused-en")
    number = page.locator(f"#field-{importance.pk} input[name=value]")
    number.fill("5")
    save_in_panel(page, lambda: number.press("Enter"), "/fields")
    expect(page.locator(f"#field-{importance.pk} .field-error")).to_have_count(0)

    # A select is a row of coloured chips.
    level = CustomField.objects.get(name="问题等级")
    chip = page.locator(f"#field-{level.pk} label.chip-toggle", has_text="严重")
    save_in_panel(page, lambda: chip.click(), "/fields")
    expect(page.locator(f"#field-{level.pk} input:checked")).to_have_count(1)

    expect(the_card.locator(".card-field")).to_have_text(["订单号 2026112400123", "重要性 5"])
    expect(the_card.locator(".card-fields .tag")).to_have_text(["严重"])
    task = Task.objects.get(title="耳机左耳无声")
    assert task.custom_values == {
        str(order_field.pk): "2026112400123",
        str(importance.pk): 5,
        str(level.pk): level.options[0]["id"],
    }
    assert csp_violations(page) == []


def test_required_fields_are_asked_for_in_the_quick_add(new_page, project, lists, alice, bob):
    order_no = services.create_custom_field(
        actor=alice, project=project, name="订单号", kind="text", required=True, show_on_card=True
    )
    page = new_page(language="en-US")
    watch(page)
    login(page, bob.email)
    page.goto(board_url(project))
    feedback = column(page, "客户反馈")
    feedback.locator(".add-card-button").click()
    title = feedback.locator("textarea[name=title]")
    order = feedback.locator(f"input[name=cf_{order_no.pk}]")
    expect(order).to_be_visible()

    title.fill("买家要求七天无理由退货")
    with page.expect_response(is_post_to("/tasks/new")) as response:
        title.press("Enter")
    assert response.value.status == 422
    expect(page.locator(f"#quick-add-error-{lists[0].pk}")).to_have_text("订单号 is required.")
    expect(title).to_have_value("买家要求七天无理由退货")
    assert not Task.objects.exists()

    order.fill("2026112400123")
    with page.expect_response(is_post_to("/tasks/new")) as response:
        order.press("Enter")
    assert response.value.status == 200
    new_card = card(page, "买家要求七天无理由退货")
    expect(new_card.locator(".card-field")).to_have_text(["订单号 2026112400123"])
    expect(title).to_have_value("")
    expect(order).to_have_value("")
    expect(page.locator(f"#quick-add-error-{lists[0].pk}")).to_be_empty()
    expect(feedback.locator(".list-count")).to_have_text("1")
    assert csp_violations(page) == []


# ---------------------------------------------------------------- screenshots


FIELDS = [
    # name, kind, on card, required, options
    ("订单号", "text", True, True, None),
    ("旺旺名", "text", True, False, None),
    ("问题等级", "select", True, False, [("严重", "red"), ("一般", "orange"), ("咨询", "gray")]),
    ("退款金额", "number", True, False, None),
    ("客户真名", "text", False, False, None),
    ("签收日期", "date", False, False, None),
    ("跟进客服", "member", False, False, None),
    ("售后原因", "multi", False, False, [("尺码", "blue"), ("质量", "purple"), ("物流", "teal")]),
    ("已回访", "checkbox", False, False, None),
    ("商品链接", "url", False, False, None),
]


@pytest.fixture
def board_with_fields(project, lists, alice, bob, carol):
    alice.language = ""  # follow the browser's Accept-Language
    alice.save(update_fields=["language"])
    tasks = seed_board(project=project, lists=lists, alice=alice, bob=bob, carol=carol)
    fields = {}
    for name, kind, on_card, required, options in FIELDS:
        fields[name] = services.create_custom_field(
            actor=alice,
            project=project,
            name=name,
            kind=kind,
            show_on_card=on_card,
            required=required,
            options=[{"name": n, "color": c} for n, c in options or []],
        )
    wangwang = ["lina0521", "敏敏小可爱", "sunhao1990", "zj_shopping", "hejing_88", "小芳爱购物"]
    for n, task in enumerate(tasks[:-1]):  # the last card was moved here without its fields
        values = {
            fields["订单号"].pk: f"20261124{n:08}",
            fields["旺旺名"].pk: wangwang[n % len(wangwang)],
        }
        if n % 3 == 0:
            level = fields["问题等级"].options[n % 2]["id"]
            values[fields["问题等级"].pk] = level
        if n % 4 == 1:
            values[fields["退款金额"].pk] = ["129", "59.9", "399"][n % 3]
        services.set_custom_values(actor=alice, task=task, values=values)
    headphones = tasks[0]
    services.set_custom_values(
        actor=bob,
        task=headphones,
        values={
            fields["客户真名"].pk: "张敏",
            fields["签收日期"].pk: "2026-11-19",
            fields["跟进客服"].pk: bob.pk,
            fields["售后原因"].pk: [fields["售后原因"].options[1]["id"]],
            fields["退款金额"].pk: "129",
            fields["已回访"].pk: True,
            fields["商品链接"].pk: "https://item.taobao.com/item.htm?id=672839401",
        },
    )
    queries.forget_custom_fields(project)
    return tasks


@pytest.mark.parametrize("language, short", [("zh-CN", "zh"), ("en-US", "en")])
def test_fields_are_captured_in_settings_panel_and_board(
    new_page, project, board_with_fields, language, short
):
    page = new_page(language=language, width=1280, height=900)
    login(page, "alice@example.com")

    page.goto(settings_url(project))
    section = page.locator("#fields-section")
    expect(section.locator(".field-row")).to_have_count(len(FIELDS))
    section.evaluate("element => element.scrollIntoView({block: 'start'})")
    page.evaluate("document.fonts.ready")
    screenshot(page, f"fields-settings-{short}")
    section.locator(".field-row").nth(2).get_by_role("button").first.click()  # edit 问题等级
    expect(section.locator(".field-row").nth(2).locator(".option-row")).to_have_count(4)
    section.locator(".field-row").nth(2).evaluate("e => e.scrollIntoView({block: 'start'})")
    screenshot(page, f"fields-settings-edit-{short}")
    section.locator(".field-new summary").click()
    form = section.locator(".field-new form")
    form.locator("select[name=kind]").select_option("multi")
    expect(form.locator(".field-options")).to_be_visible()
    form.evaluate("e => e.scrollIntoView({block: 'end'})")
    screenshot(page, f"fields-settings-add-{short}")

    page.goto(board_url(project))
    first = board_with_fields[0]
    expect(card(page, first.title).locator(".card-field")).to_have_count(3)
    expect(card(page, board_with_fields[-1].title).locator(".card-incomplete")).to_be_visible()
    page.evaluate("document.fonts.ready")
    screenshot(page, f"fields-board-{short}")
    column(page, "客户反馈").locator(".add-card-button").click()
    expect(column(page, "客户反馈").locator(".quick-add-fields input")).to_have_count(1)
    column(page, "客户反馈").locator(".quick-add").scroll_into_view_if_needed()
    screenshot(page, f"fields-quick-add-{short}")
    page.keyboard.press("Escape")

    panel = open_task(page, first.title)
    expect(panel.locator(".field-value")).to_have_count(len(FIELDS))
    panel.locator(".field-value").first.scroll_into_view_if_needed()
    page.evaluate("document.fonts.ready")
    screenshot(page, f"fields-panel-{short}")
    assert page.console_errors == []


def test_deleting_a_field_asks_first_saying_how_many_cards_hold_a_value(
    new_page, project, lists, alice
):
    order_no = services.create_custom_field(
        actor=alice, project=project, name="订单号", kind="text", show_on_card=True
    )
    for n in range(2):
        services.create_task(
            actor=alice,
            project=project,
            task_list=lists[0],
            title=f"退款 {n}",
            custom_values={order_no.pk: f"202611240012{n}"},
        )
    page = new_page(language="en-US")
    login(page, alice.email)
    page.goto(settings_url(project))
    row = page.locator("#fields-section .field-row", has_text="订单号")
    messages = []

    def answer(accept):
        def handle(dialog):
            messages.append(dialog.message)
            dialog.accept() if accept else dialog.dismiss()

        return handle

    page.once("dialog", answer(False))
    row.get_by_role("button", name="Delete").click()
    page.wait_for_timeout(300)
    assert messages == [
        "Delete the field 订单号? 2 cards have a value for it; their values will be removed. "
        "This cannot be undone."
    ]
    assert CustomField.objects.filter(pk=order_no.pk).exists()

    page.once("dialog", answer(True))
    with page.expect_response(is_post_to("/delete")) as response:
        row.get_by_role("button", name="Delete").click()
    assert response.value.status == 200
    expect(page.locator("#fields-section .fields-notice")).to_have_text(
        "Field 订单号 deleted; its value was removed from 2 cards."
    )
    expect(page.locator("#fields-section .fields-empty")).to_be_visible()
    assert not CustomField.objects.exists()
    assert [task.custom_values for task in Task.objects.all()] == [{}, {}]
