"""Screenshots of a realistic board in Chinese and English, on a laptop and on a phone.

They land in build/screenshots/ for people to look at; the test also checks what a screenshot
would show as broken: a page wider than the screen, card text spilling out of its card."""

import pytest
from playwright.sync_api import expect

from tests.e2e.board import board_url, card, open_task
from tests.e2e.conftest import login, screenshot
from tests.e2e.seed import seed_board

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

OVERFLOWING = """() => {
  const page = document.documentElement.scrollWidth > window.innerWidth ? ["page"] : [];
  const cards = [...document.querySelectorAll("a.card")]
    .filter((c) => c.scrollWidth > c.clientWidth + 1)
    .map((c) => c.id);
  return [...page, ...cards];
}"""


@pytest.fixture
def busy_board(project, lists, alice, bob, carol):
    alice.language = ""  # follow the browser's Accept-Language
    alice.save(update_fields=["language"])
    return seed_board(project=project, lists=lists, alice=alice, bob=bob, carol=carol)


@pytest.mark.parametrize("width, height", [(1280, 800), (390, 844)])
def test_the_board_is_captured_in_chinese_and_english(new_page, project, busy_board, width, height):
    for language, short in (("zh-CN", "zh"), ("en-US", "en")):
        page = new_page(language=language, width=width, height=height)
        login(page, "alice@example.com")
        page.goto(board_url(project))
        expect(page.locator("html")).to_have_attribute("lang", "zh-hans" if short == "zh" else "en")
        expect(page.locator("a.card")).to_have_count(len(busy_board))
        page.evaluate("document.fonts.ready")
        screenshot(page, f"board-{short}-{width}")
        assert page.evaluate(OVERFLOWING) == []
        assert page.console_errors == []


@pytest.mark.parametrize("language, short", [("zh-CN", "zh"), ("en-US", "en")])
def test_the_task_panel_is_captured(new_page, project, busy_board, language, short):
    page = new_page(language=language)
    login(page, "alice@example.com")
    page.goto(board_url(project))
    expect(card(page, busy_board[0].title).locator(".card-checklist")).to_have_text("☑ 1/3")
    panel = open_task(page, busy_board[0].title)
    expect(panel.locator(".description-view li")).to_have_count(5)
    expect(panel.locator("#subtasks .subtask")).to_have_count(3)
    expect(panel.locator(".comment .mention")).to_have_text("@Alice")
    screenshot(page, f"task-panel-{short}-1280")
    panel.locator(".comment").scroll_into_view_if_needed()
    screenshot(page, f"task-panel-{short}-1280-comments")
    assert page.console_errors == []
