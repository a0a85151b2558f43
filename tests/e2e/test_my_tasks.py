"""My tasks in the browser: the sidebar leads there, tasks are grouped by due date, a round
checkbox completes one in place (struck through, with Undo), a group folds away, a row opens its
task. Screenshots with tasks in every group and of the empty page, in Chinese and English."""

# ruff: noqa: RUF001

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from baton.projects import services
from baton.projects.models import Task, Visibility
from tests.e2e.board import csp_violations, is_post_to, watch
from tests.e2e.conftest import login, screenshot
from tests.e2e.seed import seed_board

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
DAY = datetime.timedelta(days=1)


def my_tasks_url(org) -> str:
    return f"/o/{org.slug}/my-tasks"


@pytest.fixture
def bobs_tasks(org, project, lists, alice, bob, carol):
    """Bob's after-sales cards (seed.py) plus a campaign project with something in every group."""
    bob.language = ""  # follow the browser's Accept-Language
    bob.save(update_fields=["language"])
    seed_board(project=project, lists=lists, alice=alice, bob=bob, carol=carol)
    campaign = services.create_project(
        actor=alice,
        organization=org,
        name="双11大促筹备",
        key="DC",
        color="pink",
        visibility=Visibility.ORGANIZATION,
        lists=["要做", "进行中", "已完成"],
    )
    services.add_project_member(actor=alice, project=campaign, user=bob)
    todo = campaign.lists.order_by("position").first()
    today = timezone.localdate()
    this_week = today + DAY if today.weekday() < 6 else None
    for title, due, priority in [
        ("主会场页面终稿确认", today, 4),
        ("直播间福袋抽奖规则", this_week, 2),
        ("预售定金膨胀方案复盘", today + 12 * DAY, 1),
        ("整理往年大促客诉话术", None, 0),
        ("达人合作名单", None, 3),
    ]:
        services.create_task(
            actor=alice,
            project=campaign,
            task_list=todo,
            title=title,
            assignee=bob.pk,
            due_date=due.isoformat() if due else "",
            priority=priority,
        )
    poster = services.create_task(actor=alice, project=campaign, task_list=todo, title="海报设计")
    services.create_subtask(
        actor=alice,
        parent=poster,
        title="主图 800×800 三版",
        assignee=bob.pk,
        due_date=(today - 3 * DAY).isoformat(),
    )
    return campaign


@pytest.mark.parametrize("language, short", [("zh-CN", "zh"), ("en-US", "en")])
def test_my_tasks_are_grouped_and_captured(new_page, org, bob, bobs_tasks, language, short):
    page = new_page(language=language)
    watch(page)
    login(page, bob.email)
    page.goto(f"/o/{org.slug}/")
    page.locator(f'.sidebar a[href="{my_tasks_url(org)}"]').click()
    page.wait_for_url(f"**{my_tasks_url(org)}")
    groups = page.locator(".my-group")
    names = ["overdue", "today", "week", "later", "none"]
    if timezone.localdate().weekday() == 6:
        names.remove("week")
    expect(groups).to_have_count(len(names))
    for name in names:
        group = page.locator(f"#group-{name}")
        count = group.locator(".my-task").count()
        expect(group.locator(".my-group-count")).to_have_text(str(count))
        assert count > 0
    subtask = page.locator(".my-task", has_text="主图 800×800 三版")
    expect(subtask.locator(".my-task-parent")).to_have_text("海报设计")
    expect(subtask.locator(".my-task-where")).to_contain_text("双11大促筹备")
    expect(page.locator("#group-overdue")).to_contain_text("主图 800×800 三版")
    page.evaluate("document.fonts.ready")
    screenshot(page, f"my-tasks-{short}-1280")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    assert page.console_errors == [] and csp_violations(page) == []


def test_quick_complete_undo_fold_and_open(new_page, org, bob, bobs_tasks):
    page = new_page(language="en-US")
    watch(page)
    login(page, bob.email)
    page.goto(my_tasks_url(org))
    row = page.locator(".my-task", has_text="主会场页面终稿确认")
    with page.expect_response(is_post_to("/done")) as response:
        row.locator(".my-task-check").click()
    assert response.value.status == 200
    expect(row).to_have_class("my-task is-done")
    expect(row.locator(".my-task-title")).to_have_css("text-decoration-line", "line-through")
    expect(row.locator(".my-task-undo")).to_contain_text("Done")
    task = Task.objects.get(title="主会场页面终稿确认")
    assert task.completed_at is not None
    screenshot(page, "my-tasks-done-en-1280")

    with page.expect_response(is_post_to("/done")):
        row.get_by_role("button", name="Undo").click()
    expect(row).to_have_class("my-task")
    task.refresh_from_db()
    assert task.completed_at is None

    # Completed for good: gone after a reload.
    with page.expect_response(is_post_to("/done")):
        row.locator(".my-task-check").click()
    expect(row).to_have_class("my-task is-done")
    page.reload()
    expect(page.locator(".my-task", has_text="主会场页面终稿确认")).to_have_count(0)

    # A group folds away and opens again.
    later = page.locator("#group-later")
    later.locator("summary").click()
    expect(later.locator(".my-task").first).to_be_hidden()
    later.locator("summary").click()
    expect(later.locator(".my-task").first).to_be_visible()

    # A row opens its task.
    page.locator(".my-task-link", has_text="达人合作名单").click()
    page.wait_for_url("**/DC-*")
    expect(page.locator("#task-title")).to_have_text("达人合作名单")
    assert page.console_errors == [] and csp_violations(page) == []


@pytest.mark.parametrize("language, short", [("zh-CN", "zh"), ("en-US", "en")])
def test_the_empty_page_is_captured(new_page, org, project, alice, language, short):
    alice.language = ""
    alice.save(update_fields=["language"])
    page = new_page(language=language)
    login(page, alice.email)
    page.goto(my_tasks_url(org))
    empty = page.locator(".my-tasks-empty")
    expect(empty).to_be_visible()
    expect(empty.locator("svg")).to_be_visible()
    if short == "en":
        expect(empty).to_contain_text("Nothing assigned to you.")
    screenshot(page, f"my-tasks-empty-{short}-1280")
    assert page.console_errors == []


def test_my_tasks_on_a_phone(new_page, org, bob, bobs_tasks):
    page = new_page(language="zh-CN", width=390, height=844)
    login(page, bob.email)
    page.goto(my_tasks_url(org))
    expect(page.locator(".my-group").first).to_be_visible()
    screenshot(page, "my-tasks-zh-390")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
