"""Tags in the browser: an admin gives a new after-sales project its seven tags from the settings,
renames, recolours, merges and deletes tags (each delete and merge asks first, saying how many
cards), and a colleague's open board shows the change; search finds a card by its tag and says
so. Screenshots of the Tags section and of search results, in Chinese and English, on a desktop
and on a 390 px phone."""

# Chinese text uses full-width Chinese punctuation on purpose.
# ruff: noqa: RUF001

import re

import pytest
from playwright.sync_api import expect

from baton.projects import services
from tests.e2e.board import board_url, card, csp_violations, is_post_to, watch
from tests.e2e.conftest import login, screenshot, wait_live

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

SEED = ["七天无理由退换货", "商品质量问题", "换货", "收到商品不符", "未发货", "未收到货", "退款"]


def settings_url(project) -> str:
    return board_url(project) + "settings"


def tag_row(page, name: str):
    exact = re.compile(f"^{re.escape(name)}$")
    return page.locator("#tags-section .tag-row").filter(
        has=page.locator(".tag-large", has_text=exact)
    )


def answer_dialogs(page, messages: list[str]) -> None:
    """Accept every confirm() and keep its message."""

    def accept(dialog):
        messages.append(dialog.message)
        dialog.accept()

    page.on("dialog", accept)


def test_an_admin_sets_up_and_tidies_tags_and_a_board_follows(new_page, project, lists, alice, bob):
    page = new_page(language="en-US")
    watch(page)
    login(page, alice.email)
    page.goto(settings_url(project))
    section = page.locator("#tags-section")
    expect(section.locator(".fields-empty")).to_be_visible()
    section.evaluate("element => element.scrollIntoView({block: 'start'})")
    screenshot(page, "tags-settings-empty-en")
    with page.expect_response(is_post_to("/tags/set")) as response:
        section.get_by_role("button", name="Add the common after-sales tags").click()
    assert response.value.status == 200
    expect(section.locator(".tag-row .tag")).to_have_count(len(SEED))
    assert sorted(section.locator(".tag-row .tag").all_inner_texts()) == sorted(SEED)
    expect(section.locator(".tag-set")).to_have_count(0)  # nothing left to add
    assert not project.tasks.exists()

    refund, missing = project.tags.get(name="退款"), project.tags.get(name="未发货")
    exchange = project.tags.get(name="换货")
    services.create_task(
        actor=bob, project=project, task_list=lists[0], title="耳机左耳无声", tags=[refund.pk]
    )
    services.create_task(
        actor=bob,
        project=project,
        task_list=lists[0],
        title="下单三天未发",
        tags=[missing.pk, exchange.pk],
    )
    board = new_page(language="en-US")
    login(board, bob.email)
    board.goto(board_url(project))
    wait_live(board, f"project:{project.pk}")
    expect(card(board, "耳机左耳无声").locator(".tag")).to_have_text(["退款"])

    # Rename and recolour 退款.
    page.reload()
    row = tag_row(page, "退款")
    row.get_by_role("button", name="Edit").click()
    form = row.locator("form.tag-form")
    form.locator("input[name=name]").fill("仅退款")
    form.locator(".color-choice.c-purple").click()
    with page.expect_response(is_post_to("/update")) as response:
        form.get_by_role("button", name="Save").click()
    assert response.value.status == 200
    expect(section.locator(".flash")).to_have_text("Tag 仅退款 saved.")
    expect(tag_row(page, "仅退款").locator(".tag")).to_have_class("tag tag-large c-purple")
    tag = card(board, "耳机左耳无声").locator(".tag")
    expect(tag).to_have_text(["仅退款"])  # bob's open board follows
    expect(tag).to_have_class("tag c-purple")

    # A taken name is refused next to the field, keeping what was typed.
    row = tag_row(page, "换货")
    row.get_by_role("button", name="Edit").click()
    row.locator("input[name=name]").fill("未收到货")
    with page.expect_response(is_post_to("/update")) as response:
        row.get_by_role("button", name="Save").click()
    assert response.value.status == 422
    editing = tag_row(page, "换货")
    expect(editing.locator(".field-error")).to_have_text(
        "This project already has a tag named 未收到货."
    )
    expect(editing.locator("input[name=name]")).to_have_value("未收到货")
    editing.get_by_role("button", name="Cancel").click()

    # Merge 未发货 into 未收到货, then delete 换货: each asks first, with its number of cards.
    asked: list[str] = []
    answer_dialogs(page, asked)
    row = tag_row(page, "未发货")
    row.get_by_role("button", name="Edit").click()
    row.locator("select[name=target]").select_option(label="未收到货")
    with page.expect_response(is_post_to("/merge")):
        row.get_by_role("button", name="Merge", exact=True).click()
    expect(section.locator(".flash")).to_have_text("Tag 未发货 merged into 未收到货.")
    with page.expect_response(is_post_to("/delete")):
        tag_row(page, "换货").get_by_role("button", name="Delete").click()
    expect(section.locator(".flash")).to_have_text("Tag 换货 deleted; it was on 1 card.")
    assert asked == [
        "Merge 未发货 into the chosen tag? Its 1 card gets that tag, and 未发货 is deleted.",
        "Delete the tag 换货? 1 card uses it and will lose it. This cannot be undone.",
    ]
    expect(card(board, "下单三天未发").locator(".tag")).to_have_text(["未收到货"])
    unexpected = [e for e in page.console_errors if "422" not in e]  # the refused rename
    assert unexpected == [] and csp_violations(page) == []


def test_search_finds_a_card_by_its_tag_and_says_why(new_page, project, lists, alice, bob):
    refund = services.create_tag(actor=alice, project=project, name="退款", color="red")
    services.create_task(
        actor=bob, project=project, task_list=lists[0], title="耳机左耳无声", tags=[refund.pk]
    )
    page = new_page()
    login(page, bob.email)
    page.goto(board_url(project))
    page.locator("[data-search-input]").type("退款")
    result = page.locator("#search-dropdown .search-result")
    expect(result).to_have_count(1)
    expect(result.locator(".search-reason")).to_have_text("标签：退款")
    expect(result.locator(".search-reason mark")).to_have_text("退款")


@pytest.fixture
def tagged_project(project, lists, alice, bob):
    """An after-sales board with the seven tags on a few tickets and a select field 售后类型."""
    services.add_tag_set(actor=alice, project=project)
    services.create_tag(actor=alice, project=project, name="VIP客户", color="pink")
    tags = {tag.name: tag for tag in project.tags.all()}
    kind = services.create_custom_field(
        actor=alice,
        project=project,
        name="售后类型",
        kind="select",
        options=[{"name": "仅退款"}, {"name": "退货退款"}, {"name": "换新"}],
    )
    option = {o["name"]: o["id"] for o in kind.options}
    tickets = [
        ("订单 2026111100238 · 张女士 · 蓝牙耳机左耳无声", ["商品质量问题", "换货"], "换新"),
        ("订单 2026111200117 · 王先生 · 羽绒服尺码偏小", ["七天无理由退换货"], "退货退款"),
        ("订单 2026111300542 · 李女士 · 下单三天未发货", ["未发货", "VIP客户"], "仅退款"),
        ("订单 2026111400093 · 赵先生 · 保温杯漏水", ["退款", "商品质量问题"], "退货退款"),
        ("订单 2026111500361 · 陈女士 · 收到的颜色不对", ["收到商品不符", "退款"], "仅退款"),
    ]
    for title, names, choice in tickets:
        services.create_task(
            actor=bob,
            project=project,
            task_list=lists[0],
            title=title,
            tags=[tags[name].pk for name in names],
            custom_values={kind.pk: option[choice]},
        )
    return project


@pytest.mark.parametrize("language, short", [("zh-CN", "zh"), ("en-US", "en")])
@pytest.mark.parametrize("width, height, device", [(1280, 900, "desktop"), (390, 844, "phone")])
def test_tags_and_tag_search_are_captured(
    new_page, tagged_project, alice, language, short, width, height, device
):
    project = tagged_project
    page = new_page(language=language, width=width, height=height)
    login(page, alice.email)
    page.goto(settings_url(project))
    section = page.locator("#tags-section")
    expect(section.locator(".tag-row")).to_have_count(8)
    section.evaluate("element => element.scrollIntoView({block: 'start'})")
    page.evaluate("document.fonts.ready")
    screenshot(page, f"tags-settings-{short}-{device}")
    row = tag_row(page, "退款")
    row.locator(".field-actions button").first.click()
    expect(row.locator("form.tag-merge")).to_be_visible()
    row.evaluate("element => element.scrollIntoView({block: 'start'})")
    screenshot(page, f"tags-settings-edit-{short}-{device}")
    services.delete_tag(actor=alice, tag=project.tags.get(name="未收到货"))
    page.reload()
    page.locator(".tag-set").evaluate("element => element.scrollIntoView({block: 'center'})")
    screenshot(page, f"tags-settings-set-{short}-{device}")

    page.goto(f"/o/{project.organization.slug}/search?q=退款")
    expect(page.locator(".search-page .search-result")).to_have_count(4)
    expect(page.locator(".search-reason").first).to_be_visible()
    page.evaluate("document.fonts.ready")
    screenshot(page, f"tags-search-{short}-{device}")
    assert page.console_errors == []


@pytest.mark.parametrize("language, short", [("zh-CN", "zh"), ("en-US", "en")])
@pytest.mark.parametrize("width, height, device", [(1280, 900, "desktop"), (390, 844, "phone")])
def test_a_new_after_sales_project_starts_with_its_tags(
    new_page, org, bob, language, short, width, height, device
):
    page = new_page(language=language, width=width, height=height)
    login(page, bob.email)
    page.goto(f"/o/{org.slug}/projects/new")
    page.fill("input[name=name]", "售后二组")
    page.fill("input[name=key]", "SE")
    page.locator("input[name=after_sales_tags]").check()
    page.locator(".project-tag-set").scroll_into_view_if_needed()
    page.evaluate("document.fonts.ready")
    screenshot(page, f"tags-new-project-{short}-{device}")
    page.locator("form.card-box button[type=submit]").click()
    page.wait_for_url("**/p/SE/")
    project = org.projects.get(key="SE")
    assert sorted(project.tags.values_list("name", flat=True)) == sorted(SEED)
    page.goto(settings_url(project))
    expect(page.locator("#tags-section .tag-row")).to_have_count(len(SEED))
    assert page.console_errors == []
