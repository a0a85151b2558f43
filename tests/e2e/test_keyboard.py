"""Keyboard shortcuts on a board: arrows move a visible focus ring between cards, Enter opens the
focused card and Esc closes it, "c" opens the focused list's quick-add, "/" focuses the search
box, "?" shows the shortcuts (closed by Esc or a click outside). Keys typed into a field, or with
Ctrl, are left alone."""

import pytest
from playwright.sync_api import expect

from tests.e2e.board import board_url, card, column, csp_violations, is_post_to, watch
from tests.e2e.conftest import login, screenshot
from tests.e2e.seed import seed_board

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

FOCUSED = """() => {
  const el = document.activeElement;
  if (!el || !el.matches("a.card")) return null;
  return {
    title: el.querySelector(".card-title").textContent,
    ring: el.matches(":focus-visible") && getComputedStyle(el).outlineStyle === "solid",
  };
}"""


@pytest.fixture
def board(project, lists, alice, bob, carol):
    """客户反馈 5 cards, 处理中 3, 已处理 2, 反馈驳回 1 (seed.py)."""
    for person in (alice, bob, carol):
        person.language = ""
        person.save(update_fields=["language"])
    tasks = seed_board(project=project, lists=lists, alice=alice, bob=bob, carol=carol)
    titles = {}
    for t in tasks:
        titles.setdefault(t.list.name, []).append(t.title)
    return titles


def open_board(new_page, project, user, language="en-US"):
    page = new_page(language=language)
    watch(page)
    login(page, user.email)
    page.goto(board_url(project))
    expect(page.locator("a.card").first).to_be_visible()
    return page


def focused(page):
    return page.evaluate(FOCUSED)


def test_arrows_move_a_focus_ring_between_cards_and_lists(new_page, project, bob, board):
    page = open_board(new_page, project, bob)
    feedback, doing, done, rejected = (
        board[n] for n in ["客户反馈", "处理中", "已处理", "反馈驳回"]
    )

    page.keyboard.press("ArrowDown")  # nothing focused yet: the first card
    assert focused(page) == {"title": feedback[0], "ring": True}
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    assert focused(page)["title"] == feedback[3]
    page.keyboard.press("ArrowRight")  # 处理中 has 3 cards: its last one
    assert focused(page) == {"title": doing[2], "ring": True}
    page.keyboard.press("ArrowUp")
    assert focused(page)["title"] == doing[1]
    page.keyboard.press("ArrowRight")  # the same height in 已处理
    assert focused(page)["title"] == done[1]
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowRight")  # no list further right: stays
    assert focused(page)["title"] == rejected[0]
    page.keyboard.press("ArrowDown")  # no card below: stays
    assert focused(page)["title"] == rejected[0]
    page.keyboard.press("ArrowLeft")
    page.keyboard.press("ArrowLeft")
    page.keyboard.press("ArrowLeft")
    assert focused(page)["title"] == feedback[0]
    page.keyboard.press("ArrowUp")  # no card above: stays
    assert focused(page)["title"] == feedback[0]
    page.keyboard.press("ArrowDown")
    screenshot(page, "keyboard-focus-en-1280")
    assert csp_violations(page) == [] and page.console_errors == []


def test_enter_opens_the_focused_card_and_esc_closes_it(new_page, project, bob, board):
    page = open_board(new_page, project, bob)
    doing = board["处理中"]
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowDown")
    assert focused(page)["title"] == doing[1]
    page.keyboard.press("Enter")
    panel = page.locator("#panel-body .task-detail")
    expect(panel.locator("#task-title")).to_have_text(doing[1])
    page.keyboard.press("ArrowDown")  # the panel is open: the board's cards stay put
    page.keyboard.press("Escape")
    expect(panel).to_have_count(0)
    expect(page.locator(".panel")).to_be_hidden()
    page.wait_for_function("document.activeElement.matches('a.card')")
    assert focused(page)["title"] == doing[1]  # the focus is back on the card
    page.keyboard.press("ArrowDown")
    assert focused(page)["title"] == doing[2]
    assert csp_violations(page) == [] and page.console_errors == []


def test_c_opens_the_quick_add_of_the_focused_list(new_page, project, bob, board):
    page = open_board(new_page, project, bob)
    page.keyboard.press("c")  # nothing focused: the first list
    first_box = column(page, "客户反馈").locator("textarea[name=title]")
    expect(first_box).to_be_visible()
    expect(first_box).to_be_focused()
    expect(first_box).to_have_value("")  # the "c" was not typed into it
    first_box.press("Escape")
    expect(first_box).to_be_hidden()

    card(page, board["处理中"][0]).focus()
    page.keyboard.press("c")
    box = column(page, "处理中").locator("textarea[name=title]")
    expect(box).to_be_focused()
    box.type("顾客要求改地址 c/?")  # typed in a field: no shortcut fires
    expect(box).to_have_value("顾客要求改地址 c/?")
    with page.expect_response(is_post_to("/tasks/new")) as response:
        box.press("Enter")
    assert response.value.status == 200
    expect(column(page, "处理中").locator("a.card")).to_have_count(4)
    expect(page.locator("#shortcuts")).not_to_have_attribute("open", "")
    assert csp_violations(page) == [] and page.console_errors == []


def test_slash_focuses_the_search_box(new_page, project, bob, board):
    page = open_board(new_page, project, bob)
    box = page.locator("[data-search-input]")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("/")
    expect(box).to_be_focused()
    expect(box).to_have_value("")  # the "/" itself was not typed
    page.keyboard.type("退款")
    expect(box).to_have_value("退款")


def test_ctrl_and_alt_keys_are_left_to_the_browser(new_page, project, bob, board):
    page = open_board(new_page, project, bob)
    page.keyboard.press("Control+c")
    page.keyboard.press("Alt+c")
    expect(page.locator("textarea[name=title]:visible")).to_have_count(0)
    page.keyboard.press("Control+/")
    expect(page.locator("[data-search-input]")).not_to_be_focused()


@pytest.mark.parametrize("language, short", [("zh-CN", "zh"), ("en-US", "en")])
def test_question_mark_shows_the_shortcuts(new_page, project, bob, board, language, short):
    page = open_board(new_page, project, bob, language)
    dialog = page.locator("#shortcuts")
    page.keyboard.press("?")
    expect(dialog).to_be_visible()
    expect(dialog.locator("kbd.key")).to_have_count(11)
    if short == "en":
        expect(dialog).to_contain_text("New card in the focused list")
    page.evaluate("document.fonts.ready")
    screenshot(page, f"shortcuts-{short}-1280")
    page.keyboard.press("c")  # the dialog is modal: no shortcut behind it
    expect(page.locator("textarea[name=title]:visible")).to_have_count(0)
    page.keyboard.press("Escape")
    expect(dialog).to_be_hidden()

    page.keyboard.press("Shift+Slash")  # "?" as typed on a US keyboard
    expect(dialog).to_be_visible()
    page.mouse.click(40, 760)  # outside the dialog
    expect(dialog).to_be_hidden()

    # Also from the user menu, for those who do not know the key.
    page.locator(".nav-user-button").click()
    page.locator("[data-shortcuts-open]").click()
    expect(dialog).to_be_visible()
    dialog.get_by_role("button").click()
    expect(dialog).to_be_hidden()
    assert csp_violations(page) == [] and page.console_errors == []


def test_a_viewer_gets_no_quick_add_but_can_move_and_open(new_page, project, carol, board):
    page = open_board(new_page, project, carol)
    page.keyboard.press("c")
    expect(page.locator("textarea[name=title]")).to_have_count(0)
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    expect(page.locator("#panel-body #task-title")).to_have_text(board["客户反馈"][0])


def test_arrows_and_enter_on_my_tasks(new_page, project, org, bob, board):
    page = new_page(language="en-US")
    login(page, bob.email)
    page.goto(f"/o/{org.slug}/my-tasks")
    rows = page.locator("[data-kbd-row]")
    expect(rows.first).to_be_visible()
    page.keyboard.press("ArrowDown")
    expect(rows.nth(0)).to_be_focused()
    page.keyboard.press("ArrowDown")
    expect(rows.nth(1)).to_be_focused()
    page.keyboard.press("ArrowUp")
    expect(rows.nth(0)).to_be_focused()
    title = rows.nth(0).locator(".my-task-title").inner_text()
    page.keyboard.press("Enter")
    page.wait_for_url("**/SH-*")
    expect(page.locator("#task-title")).to_have_text(title)
