"""Quick-add refuses empty and too long titles with a message next to the box, keeps what was
typed, and adds nothing; the same for a blank list name."""

import pytest
from playwright.sync_api import expect

from tests.e2e.board import board_url, column, is_post_to, quick_add, watch
from tests.e2e.conftest import login

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def submit_quick_add(page, box, *, status: int) -> None:
    expect(box).to_be_focused()  # the box is open and Alpine has handed it the focus
    with page.expect_response(is_post_to("/tasks/new")) as response:
        box.press("Enter")
    assert response.value.status == status


def test_quick_add_with_an_empty_or_201_character_title_shows_an_error_and_adds_nothing(
    new_page, project, lists, alice
):
    from baton.projects.models import Task, TaskList

    page = new_page()
    watch(page)
    login(page, alice.email)
    page.goto(board_url(project))
    feedback = column(page, "客户反馈")
    feedback.locator(".add-card-button").click()
    box = feedback.locator("textarea[name=title]")
    error = page.locator(f"#quick-add-error-{lists[0].pk}")

    # Enter in the empty box: the server's "required" message, in the list's error slot.
    submit_quick_add(page, box, status=422)
    expect(error).not_to_be_empty()
    expect(box).to_be_visible()

    # 201 characters (the box's maxlength stops typing at 200; a script or an old browser may not).
    long_title = "退" * 201
    box.evaluate("(element, value) => { element.value = value; }", long_title)
    submit_quick_add(page, box, status=422)
    expect(error).to_contain_text("200")
    expect(error).to_contain_text("201")
    expect(box).to_have_value(long_title)  # what was typed is kept
    expect(feedback.locator("a.card")).to_have_count(0)
    expect(feedback.locator(".list-count")).to_have_text("0")
    assert Task.objects.filter(project=project).count() == 0

    # Fixing the title adds the card and clears the message.
    quick_add(page, "客户反馈", "退" * 200)
    expect(error).to_be_empty()
    assert Task.objects.filter(project=project).count() == 1

    # A blank list name: the message shows in the Add a list form, which stays open, once.
    page.locator("#add-list .add-list-button").click()
    page.locator("#add-list input[name=name]").fill("   ")
    with page.expect_response(is_post_to("/lists/new")) as response:
        page.locator("#add-list input[name=name]").press("Enter")
    assert response.value.status == 422
    expect(page.locator("#add-list .field-error")).not_to_be_empty()
    expect(page.locator("#add-list")).to_have_count(1)
    expect(page.locator("#add-list input[name=name]")).to_be_visible()
    expect(page.locator("section.list")).to_have_count(len(lists))
    assert TaskList.objects.filter(project=project).count() == len(lists)
    # Chrome logs every 4xx response; those three 422 are the point of this test.
    assert [e for e in page.console_errors if "status of 422" not in e] == []
