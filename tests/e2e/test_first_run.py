"""The whole first-run story, in a real browser: sign up, build a board, drag cards, fill in a task,
and a teammate in another browser sees the result."""

# Chinese text uses full-width Chinese punctuation on purpose.
# ruff: noqa: RUF001

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.board import (
    add_list,
    board_url,
    card,
    card_titles,
    column,
    drag_card,
    open_task,
    quick_add,
    save_in_panel,
)
from tests.e2e.conftest import PASSWORD, login, screenshot

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

HEADPHONES = "耳机左耳没声音，买家要求换货"
SIZE = "退货申请：羽绒服尺码偏小"
PARCEL = "物流投诉：快递三天没有更新"


def test_a_new_shop_signs_up_builds_a_board_and_a_teammate_sees_a_dragged_card(new_page, bob):
    from baton.orgs.models import Organization
    from baton.orgs.services import accept_invitation, invite
    from baton.projects.models import Project, Task
    from baton.projects.services import add_project_member

    page = new_page()

    # Sign up: name, e-mail, password and the shop's name; we land on the organization's page.
    page.goto("/accounts/signup")
    page.fill("input[name=name]", "王小明")
    page.fill("input[name=email]", "xiaoming@example.com")
    page.fill("input[name=password]", PASSWORD)
    page.fill("input[name=organization_name]", "小明数码旗舰店")
    page.locator("form button[type=submit]").click()
    org = Organization.objects.get(name="小明数码旗舰店")
    expect(page).to_have_url(re.compile(rf"/o/{org.slug}/$"))
    founder = org.memberships.get().user

    # A project through the New project form: its board opens.
    page.locator("main a[href$='/projects/new']").first.click()
    page.fill("input[name=name]", "售后处理")
    page.fill("input[name=key]", "SH")
    page.locator("form.card-box button[type=submit]").click()
    expect(page).to_have_url(re.compile(rf"/o/{org.slug}/p/SH/$"))
    project = Project.objects.get(organization=org, key="SH")

    # Bob joins the shop (invitation) and the project.
    invitation = invite(actor=founder, organization=org, email=bob.email)
    accept_invitation(actor=bob, invitation=invitation)
    add_project_member(actor=founder, project=project, user=bob)

    # Two lists with Add a list; the box stays open for the next one.
    add_list(page, "客户反馈")
    add_list(page, "处理中")
    expect(page.locator("#add-list input[name=name]")).to_be_focused()

    # Three cards with the quick-add, Enter between them.
    quick_add(page, "客户反馈", HEADPHONES, SIZE, PARCEL)
    feedback, doing = column(page, "客户反馈"), column(page, "处理中")
    assert card_titles(feedback) == [HEADPHONES, SIZE, PARCEL]

    # Drag the first card to 处理中, then PARCEL above SIZE within 客户反馈.
    drag_card(page, card(page, HEADPHONES), doing.locator(".list-cards"))
    expect(doing.locator("a.card")).to_have_count(1)
    expect(doing.locator(".list-count")).to_have_text("1")
    expect(feedback.locator(".list-count")).to_have_text("2")
    drag_card(page, card(page, PARCEL), card(page, SIZE), above=True)
    assert card_titles(feedback) == [PARCEL, SIZE]
    expect(page).to_have_url(re.compile(r"/p/SH/$"))  # a move does not change the address

    page.reload()
    feedback, doing = column(page, "客户反馈"), column(page, "处理中")
    assert card_titles(feedback) == [PARCEL, SIZE]
    assert card_titles(doing) == [HEADPHONES]
    ordered = Task.objects.filter(project=project, list__name="客户反馈").order_by("position")
    assert [t.title for t in ordered] == [PARCEL, SIZE]

    # Open the moved card: owner, due date, a new tag and a Markdown description.
    panel = open_task(page, HEADPHONES)
    headphones = Task.objects.get(project=project, title=HEADPHONES)
    expect(page).to_have_url(re.compile(rf"/o/{org.slug}/SH-{headphones.number}$"))
    save_in_panel(page, lambda: panel.locator("select[name=assignee]").select_option(label="Bob"))
    expect(panel.locator("select[name=assignee]")).to_have_value(str(bob.pk))
    save_in_panel(page, lambda: panel.locator("input[name=due_date]").fill("2026-11-11"))
    expect(panel.locator("input[name=due_date]")).to_have_value("2026-11-11")

    panel.locator(".tag-picker > button").click()
    panel.locator(".tag-picker input[name=name]").fill("换货")
    panel.locator(".tag-picker .color-choice.c-orange").click()
    save_in_panel(
        page, lambda: panel.locator(".tag-picker button[type=submit]").click(), "/tags/new"
    )
    expect(panel.locator(".chip-toggle", has=page.locator("input:checked"))).to_have_text("换货")

    panel.locator(".description-view").first.click()
    description = panel.locator("textarea[name=description]")
    expect(description).to_be_focused()
    description.fill("买家反馈：\n\n- 左耳完全没有声音\n- 已重新配对，**仍然无声**\n")
    save = panel.locator("form:has(textarea[name=description]) button[type=submit]")
    save_in_panel(page, save.click)
    view = panel.locator(".description-view").first
    expect(view.locator("li")).to_have_count(2)
    expect(view.locator("strong")).to_have_text("仍然无声")

    # The history lists every change, newest first or last: names and values, whatever the language.
    history = panel.locator(".timeline-entries .change")
    for value in ("处理中", "Bob", "2026-11-11", "换货"):
        expect(history.filter(has_text=value).first).to_be_visible()
    expect(history).to_have_count(6)  # created, moved, owner, due date, tags, description
    # The card on the board was refreshed too.
    moved = card(page, HEADPHONES)
    expect(moved.locator(".tag")).to_have_text("换货")
    expect(moved.locator(".avatar")).to_have_count(1)
    screenshot(page, "first-run-panel")

    # Bob, in a browser of his own, sees the moved card in its new list.
    bob_page = new_page()
    login(bob_page, bob.email)
    bob_page.goto(board_url(project))
    assert card_titles(column(bob_page, "处理中")) == [HEADPHONES]
    assert card_titles(column(bob_page, "客户反馈")) == [PARCEL, SIZE]
    expect(card(bob_page, HEADPHONES).locator(".tag")).to_have_text("换货")
    assert page.console_errors == [] and bob_page.console_errors == []
