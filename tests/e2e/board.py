"""Helpers for driving the board and the task panel (not tests themselves)."""

import re

from playwright.sync_api import Locator, Page, expect


def board_url(project) -> str:
    return f"/o/{project.organization.slug}/p/{project.key}/"


def column(page: Page, name: str) -> Locator:
    """A list of the board, by its name."""
    return page.locator(f'section.list[aria-label="{name}"]')


def card(page: Page, title: str) -> Locator:
    return page.locator("a.card", has=page.locator(".card-title", has_text=title))


def card_titles(scope: Locator) -> list[str]:
    return scope.locator("a.card .card-title").all_inner_texts()


def is_post_to(path_end: str):
    """A predicate for page.expect_response: a POST whose URL ends with path_end."""
    return lambda r: r.request.method == "POST" and r.url.endswith(path_end)


def add_list(page: Page, name: str) -> Locator:
    box = page.locator("#add-list input[name=name]")
    if not box.is_visible():
        page.locator("#add-list .add-list-button").click()
    box.fill(name)
    with page.expect_response(is_post_to("/lists/new")) as response:
        box.press("Enter")
    assert response.value.status == 200
    expect(column(page, name)).to_be_visible()
    return column(page, name)


def quick_add(page: Page, list_name: str, *titles: str) -> None:
    """Type titles into a list's quick-add box, Enter after each; the box stays open."""
    target = column(page, list_name)
    before = target.locator("a.card").count()
    box = target.locator("textarea[name=title]")
    if not box.is_visible():
        target.locator(".add-card-button").click()
    for n, title in enumerate(titles, start=before + 1):
        box.fill(title)
        with page.expect_response(is_post_to("/tasks/new")) as response:
            box.press("Enter")
        assert response.value.status == 200
        expect(target.locator("a.card")).to_have_count(n)
        expect(box).to_be_visible()
        expect(box).to_be_focused()
        expect(box).to_have_value("")
    expect(target.locator(".list-count")).to_have_text(str(before + len(titles)))


SETTLED = """() => !document.querySelector(".htmx-request, .htmx-swapping, .htmx-settling")
    && ![...document.querySelectorAll("[data-task-id], [data-list-id]")].some((e) => e.animated)"""


def wait_until_settled(page: Page) -> None:
    """Until no card or list is being animated (SortableJS) and no htmx request is under way."""
    page.wait_for_function(SETTLED)


def drag_card(page: Page, source: Locator, target: Locator, *, above: bool = False) -> None:
    """Drag a card with the mouse onto another card (`above`: its upper edge) or a list's cards
    area, and wait for the move request to be answered."""
    wait_until_settled(page)
    source.hover(trial=True)  # waits until it has stopped moving (SortableJS animates)
    target.hover(trial=True)
    start, end = source.bounding_box(), target.bounding_box()
    x, y = start["x"] + start["width"] / 2, start["y"] + start["height"] / 2
    to_x = end["x"] + end["width"] / 2
    to_y = end["y"] + (4 if above else end["height"] / 2)
    with page.expect_response(re.compile(r"/[A-Z]+-\d+/move$")) as response:
        page.mouse.move(x, y)
        page.mouse.down()
        page.mouse.move(x + 5, y + 5, steps=2)
        page.mouse.move(to_x, to_y, steps=8)
        page.mouse.up()
    assert response.value.status == 200, response.value.text()
    wait_until_settled(page)


def open_task(page: Page, title: str) -> Locator:
    card(page, title).click()
    panel = page.locator("#panel-body .task-detail")
    expect(panel).to_be_visible()
    expect(panel.locator("#task-title")).to_have_text(title)
    return panel


def save_in_panel(page: Page, action, path_end: str = "/update") -> None:
    """Run `action` (a change in the task panel), wait for the save it triggers and for the new
    panel to be swapped in: the next change must reach the new panel, not the old one."""
    with page.expect_response(is_post_to(path_end)) as response:
        action()
    assert response.value.status == 200, response.value.text()
    wait_until_settled(page)


WATCH = """
window.__htmxRequests = [];
window.__cspViolations = [];
document.addEventListener("htmx:beforeRequest", (e) =>
  window.__htmxRequests.push(e.detail.pathInfo.requestPath));
document.addEventListener("securitypolicyviolation", (e) =>
  window.__cspViolations.push(`${e.violatedDirective} ${e.sourceFile}:${e.lineNumber}`));
"""


def watch(page: Page) -> None:
    """Record, in the page, every htmx request and CSP violation (read them with htmx_requests(),
    csp_violations()); call before the first goto."""
    page.add_init_script(WATCH)


def htmx_requests(page: Page) -> list[str]:
    return page.evaluate("window.__htmxRequests")


def csp_violations(page: Page) -> list[str]:
    return page.evaluate("window.__cspViolations")
