"""Scrolling a long list in the browser: pages grow as they load, every card arrives once and in
order, and the board still takes drags and quick-adds below the loaded pages."""

from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import expect

from baton.projects import services
from baton.projects.models import Task
from tests.e2e.board import board_url, card_titles, column, quick_add
from tests.e2e.conftest import login, screenshot

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_scrolling_a_long_list_loads_every_card_in_growing_pages(
    new_page, project, lists, alice, settings
):
    settings.BATON_BOARD_PAGE_SIZE = 5
    settings.BATON_BOARD_MAX_PAGE_SIZE = 20
    for n in range(1, 61):
        services.create_task(
            actor=alice, project=project, task_list=lists[0], title=f"售后单 {n:02}"
        )
    page = new_page()
    pages = []
    page.on("response", lambda r: pages.append(r.url) if "/cards?" in r.url else None)
    login(page, alice.email)
    page.goto(board_url(project))
    target = column(page, "客户反馈")
    expect(target.locator(".list-count")).to_have_text("60")

    # Scroll the list's load-more box into view until the last page came (each box loads the next
    # page once visible, and the page brings the next box).
    page.wait_for_function(
        """() => {
          const more = document.querySelector('section.list[aria-label="客户反馈"] .load-more');
          if (more) more.scrollIntoView();
          return !more;
        }"""
    )
    expect(target.locator("a.card")).to_have_count(60)
    assert card_titles(target) == [f"售后单 {n:02}" for n in range(1, 61)]
    # 5 on the board, then pages of 5, 10, 20 and the last 20: four requests rather than eleven.
    assert [parse_qs(urlsplit(url).query)["shown"] for url in pages] == [
        ["5"],
        ["10"],
        ["20"],
        ["40"],
    ]

    screenshot(page, "board-scrolled-zh-1280")

    # The board still works below the loaded pages: a card added at the bottom comes last.
    quick_add(page, "客户反馈", "新的售后单")
    assert card_titles(target)[-1] == "新的售后单"
    assert Task.objects.filter(list=lists[0]).count() == 61


def test_a_long_list_scrolls_to_its_end_on_a_phone_in_english(
    new_page, project, lists, alice, settings
):
    settings.BATON_BOARD_PAGE_SIZE = 5
    settings.BATON_BOARD_MAX_PAGE_SIZE = 20
    for n in range(1, 31):
        services.create_task(
            actor=alice, project=project, task_list=lists[0], title=f"Ticket {n:02}"
        )
    page = new_page(language="en", width=390, height=844)
    login(page, alice.email)
    page.goto(board_url(project))
    target = column(page, "客户反馈")
    page.wait_for_function(
        """() => {
          const more = document.querySelector('section.list[aria-label="客户反馈"] .load-more');
          if (more) more.scrollIntoView();
          return !more;
        }"""
    )
    expect(target.locator("a.card")).to_have_count(30)
    assert card_titles(target)[-1] == "Ticket 30"
    screenshot(page, "board-scrolled-en-390")
