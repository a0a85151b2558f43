"""My tasks: every open task of mine across the organization's projects, grouped by due date."""

import datetime
import zoneinfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from baton.activity.models import Activity
from baton.projects import queries, services
from baton.projects.models import ProjectMember, ProjectRole, Task, Visibility

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}
WEDNESDAY = datetime.date(2026, 11, 11)
DAY = datetime.timedelta(days=1)


def task(project, actor, title, *, task_list=None, **fields):
    task_list = task_list or project.lists.order_by("position").first()
    return services.create_task(
        actor=actor, project=project, task_list=task_list, title=title, **fields
    )


def mine(user, org, today=WEDNESDAY, tab="assigned") -> dict[str, list[str]]:
    """Group name -> titles, as My tasks shows them."""
    result = queries.my_tasks(user, org, today, tab=tab)
    return {group["name"]: [t["title"] for t in group["tasks"]] for group in result["groups"]}


def page_url(org, tab=None):
    url = reverse("projects:my_tasks", args=[org.slug])
    return f"{url}?tab={tab}" if tab else url


def done_url(org, t):
    return reverse("projects:my_task_done", args=[org.slug, t.reference])


@pytest.fixture
def other_project(org, alice):
    """运营 (key YY): members only, bob is not in it."""
    return services.create_project(
        actor=alice, organization=org, name="日常运营", key="YY", lists=["月度计划", "进行中"]
    )


# ---------------------------------------------------------------- grouping


def test_tasks_are_grouped_by_due_date_through_sunday(project, alice, bob):
    for title, due in [
        ("no date", None),
        ("next monday", WEDNESDAY + 5 * DAY),
        ("sunday", WEDNESDAY + 4 * DAY),
        ("today", WEDNESDAY),
        ("yesterday", WEDNESDAY - DAY),
        ("thursday", WEDNESDAY + DAY),
        ("last month", WEDNESDAY - 30 * DAY),
    ]:
        task(project, alice, title, assignee=bob.pk, due_date=due.isoformat() if due else "")
    assert mine(bob, project.organization) == {
        "overdue": ["last month", "yesterday"],
        "today": ["today"],
        "week": ["thursday", "sunday"],
        "later": ["next monday"],
        "none": ["no date"],
    }


def test_on_sunday_the_week_is_over_and_monday_is_later(project, alice, bob):
    sunday = WEDNESDAY + 4 * DAY
    task(project, alice, "sunday", assignee=bob.pk, due_date=sunday.isoformat())
    task(project, alice, "monday", assignee=bob.pk, due_date=(sunday + DAY).isoformat())
    assert mine(bob, project.organization, today=sunday) == {
        "today": ["sunday"],
        "later": ["monday"],
    }


def test_a_group_lists_urgent_tasks_first_on_the_same_day(project, alice, bob):
    task(project, alice, "low", assignee=bob.pk, due_date="2026-11-11", priority=1)
    task(project, alice, "urgent", assignee=bob.pk, due_date="2026-11-11", priority=4)
    task(project, alice, "undated low", assignee=bob.pk, priority=1)
    task(project, alice, "undated high", assignee=bob.pk, priority=3)
    assert mine(bob, project.organization) == {
        "today": ["urgent", "low"],
        "none": ["undated high", "undated low"],
    }


def test_today_is_the_users_own_date(project, alice, bob, client_for, monkeypatch):
    # 02:00 on the 11th in Shanghai is still the 10th in Los Angeles.
    moment = datetime.datetime(2026, 11, 11, 2, 0, tzinfo=zoneinfo.ZoneInfo("Asia/Shanghai"))
    monkeypatch.setattr(timezone, "now", lambda: moment)
    task(project, alice, "双11预售", assignee=bob.pk, due_date="2026-11-11")

    response = client_for(bob).get(page_url(project.organization))
    assert response.context["result"]["groups"][0]["name"] == "today"

    bob.timezone = "America/Los_Angeles"
    bob.save(update_fields=["timezone"])
    response = client_for(bob).get(page_url(project.organization))
    assert response.context["result"]["groups"][0]["name"] == "week"


# ---------------------------------------------------------------- what is mine


def test_subtasks_are_included_with_their_cards_title_and_list(project, lists, alice, bob):
    card = task(project, alice, "双11预案")
    services.create_subtask(actor=alice, parent=card, title="选品", assignee=bob.pk)
    services.move_task(actor=alice, task=card, to_list=lists[1])
    [row] = queries.my_tasks(bob, project.organization, WEDNESDAY)["groups"][0]["tasks"]
    assert (row["title"], row["parent_title"], row["list_name"]) == ("选品", "双11预案", "处理中")
    assert row["reference"] == "SH-2"


def test_other_peoples_and_finished_tasks_are_left_out(project, alice, bob):
    task(project, alice, "alice's", assignee=alice.pk)
    task(project, alice, "nobody's")
    finished = task(project, alice, "finished", assignee=bob.pk)
    services.set_task_done(actor=bob, task=finished, done=True)
    task(project, alice, "bob's", assignee=bob.pk)
    assert mine(bob, project.organization) == {"none": ["bob's"]}


def test_projects_i_cannot_see_are_left_out(project, other_project, alice, bob):
    task(project, alice, "in SH", assignee=bob.pk)
    # Bob was given a task in 日常运营, then left it: the task is still his, but out of sight.
    member = services.add_project_member(actor=alice, project=other_project, user=bob)
    task(other_project, alice, "in YY", assignee=bob.pk)
    services.remove_project_member(actor=alice, member=member)
    assert mine(bob, project.organization) == {"none": ["in SH"]}
    # Alice owns the organization: she sees every project.
    task(other_project, alice, "alice in YY", assignee=alice.pk)
    assert mine(alice, project.organization) == {"none": ["alice in YY"]}


def test_an_organization_wide_project_counts_for_its_members(project, other_project, alice, bob):
    member = services.add_project_member(actor=alice, project=other_project, user=bob)
    task(other_project, alice, "in YY", assignee=bob.pk)
    services.remove_project_member(actor=alice, member=member)
    services.update_project(actor=alice, project=other_project, visibility=Visibility.ORGANIZATION)
    result = queries.my_tasks(bob, project.organization, WEDNESDAY)
    [row] = result["groups"][0]["tasks"]
    assert row["title"] == "in YY" and row["can_edit"] is False  # bob only views it now


def test_archived_cards_lists_and_projects_are_left_out(project, other_project, lists, alice, bob):
    task(project, alice, "open", assignee=bob.pk)
    archived = task(project, alice, "archived", assignee=bob.pk)
    services.set_task_archived(actor=alice, task=archived, archived=True)
    card = task(project, alice, "archived card")
    services.create_subtask(actor=alice, parent=card, title="its subtask", assignee=bob.pk)
    services.set_task_archived(actor=alice, task=card, archived=True)
    task(project, alice, "in an archived list", task_list=lists[3], assignee=bob.pk)
    services.set_list_archived(actor=alice, task_list=lists[3], archived=True)
    services.add_project_member(actor=alice, project=other_project, user=bob)
    task(other_project, alice, "in an archived project", assignee=bob.pk)
    services.set_project_archived(actor=alice, project=other_project, archived=True)
    assert mine(bob, project.organization) == {"none": ["open"]}


def test_the_following_and_created_tabs(project, alice, bob):
    followed = task(project, alice, "followed")
    services.set_following(actor=bob, task=followed, following=True)
    task(project, bob, "created by bob")
    task(project, alice, "assigned", assignee=bob.pk)
    assert mine(bob, project.organization, tab="following") == {"none": ["followed"]}
    assert mine(bob, project.organization, tab="created") == {"none": ["created by bob"]}
    assert mine(bob, project.organization) == {"none": ["assigned"]}


def test_past_the_limit_the_groups_still_count_everything(project, alice, bob, monkeypatch):
    monkeypatch.setattr(queries, "MY_TASKS_LIMIT", 2)
    task(project, alice, "overdue", assignee=bob.pk, due_date="2026-11-01")
    task(project, alice, "today", assignee=bob.pk, due_date="2026-11-11")
    task(project, alice, "later", assignee=bob.pk, due_date="2026-12-01")
    task(project, alice, "undated", assignee=bob.pk)
    result = queries.my_tasks(bob, project.organization, WEDNESDAY)
    assert result["truncated"] and result["total"] == 4
    shown = {g["name"]: (g["count"], len(g["tasks"]), g["hidden"]) for g in result["groups"]}
    assert shown == {
        "overdue": (1, 1, 0),
        "today": (1, 1, 0),
        "later": (1, 0, 1),
        "none": (1, 0, 1),
    }


# ---------------------------------------------------------------- the page


def test_the_page_shows_each_row_with_its_project_list_due_date_and_priority(
    project, alice, bob, english
):
    task(project, alice, "蓝牙耳机换新", assignee=bob.pk, due_date="2020-01-02", priority=4)
    response = english(bob).get(page_url(project.organization))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Overdue" in html and 'class="my-group-count">1<' in html
    assert f'href="/o/{project.organization.slug}/SH-1"' in html
    for text in ("SH-1", "蓝牙耳机换新", "售后处理", "客户反馈", "Urgent", "badge-overdue"):
        assert text in html
    assert "Jan 2, 2020" in html
    assert 'class="nav-link active"' in html  # the sidebar marks My tasks


def test_an_empty_page_says_so_in_english_and_chinese(org, bob, english, client_for):
    response = english(bob).get(page_url(org))
    assert "Nothing assigned to you." in response.content.decode()
    bob.language = "zh-hans"
    bob.save(update_fields=["language"])
    response = client_for(bob).get(page_url(org, "following"))
    assert response.status_code == 200
    assert '<html lang="zh-hans">' in response.content.decode()


def test_an_unknown_tab_shows_the_assigned_tasks(project, alice, bob, client_for):
    task(project, alice, "assigned", assignee=bob.pk)
    response = client_for(bob).get(page_url(project.organization, "nonsense"))
    assert response.status_code == 200 and response.context["tab"] == "assigned"
    assert "assigned" in response.content.decode()


def test_a_viewer_sees_the_task_without_a_checkbox(project, alice, carol, client_for):
    task(project, alice, "给访客看看", assignee=carol.pk)
    response = client_for(carol).get(page_url(project.organization))
    html = response.content.decode()
    assert "给访客看看" in html
    assert "/done" not in html and "my-task-check is-readonly" in html


def test_mallory_gets_404_on_every_url(project, alice, bob, mallory, other_org, client_for):
    t = task(project, alice, "secret", assignee=bob.pk)
    client = client_for(mallory)
    assert client.get(page_url(project.organization)).status_code == 404
    assert client.post(done_url(project.organization, t), {"done": "1"}, **HTMX).status_code == 404
    t.refresh_from_db()
    assert t.completed_at is None


def test_logged_out_people_are_sent_to_log_in(org, client_for):
    response = client_for(None).get(page_url(org))
    assert response.status_code == 302 and "/accounts/login" in response["Location"]


# ---------------------------------------------------------------- quick complete


def test_quick_complete_answers_with_the_row_struck_through_and_undo(project, alice, bob, english):
    t = task(project, alice, "退款已到账", assignee=bob.pk)
    client = english(bob)
    response = client.post(done_url(project.organization, t), {"done": "1"}, **HTMX)
    assert response.status_code == 200
    html = response.content.decode()
    assert html.strip().startswith(f'<li class="my-task is-done" id="my-task-{t.pk}"')
    assert "Undo" in html and "退款已到账" in html and "<html" not in html
    t.refresh_from_db()
    assert t.completed_at is not None
    assert Activity.objects.filter(verb="task.completed", target_id=t.pk).count() == 1

    response = client.post(done_url(project.organization, t), {"done": "0"}, **HTMX)
    assert response.status_code == 200
    assert 'class="my-task" id=' in response.content.decode()
    assert "Undo" not in response.content.decode()
    t.refresh_from_db()
    assert t.completed_at is None
    assert Activity.objects.filter(verb="task.reopened", target_id=t.pk).count() == 1


def test_quick_completing_a_subtask_shows_its_card(project, alice, bob, client_for):
    card = task(project, alice, "双11预案")
    sub = services.create_subtask(actor=alice, parent=card, title="选品", assignee=bob.pk)
    response = client_for(bob).post(done_url(project.organization, sub), {"done": "1"}, **HTMX)
    assert "双11预案" in response.content.decode()
    card.refresh_from_db()
    assert (card.subtasks_done, card.subtasks_total) == (1, 1)


def test_quick_complete_without_htmx_goes_back_to_the_page(project, alice, bob, client_for):
    t = task(project, alice, "无脚本", assignee=bob.pk)
    response = client_for(bob).post(done_url(project.organization, t), {"done": "1"})
    assert response.status_code == 302
    assert response["Location"] == page_url(project.organization)


def test_a_bad_done_value_is_refused_and_nothing_changes(project, alice, bob, english):
    t = task(project, alice, "别乱来", assignee=bob.pk)
    response = english(bob).post(done_url(project.organization, t), {"done": "yes"}, **HTMX)
    assert response.status_code == 400
    assert "done=1" in response.content.decode()
    t.refresh_from_db()
    assert t.completed_at is None and t.version == 1


def test_a_viewer_cannot_quick_complete(project, alice, carol, client_for):
    t = task(project, alice, "只能看", assignee=carol.pk)
    version = Task.objects.get(pk=t.pk).version
    response = client_for(carol).post(done_url(project.organization, t), {"done": "1"}, **HTMX)
    assert response.status_code == 403
    t.refresh_from_db()
    assert t.completed_at is None and t.version == version
    assert not Activity.objects.filter(verb="task.completed").exists()


def test_quick_complete_is_post_only(project, alice, bob, client_for):
    t = task(project, alice, "GET", assignee=bob.pk)
    assert client_for(bob).get(done_url(project.organization, t)).status_code == 405


# ---------------------------------------------------------------- queries


def page_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


@pytest.mark.parametrize("tab", ["assigned", "following", "created"])
def test_the_page_costs_the_same_queries_for_3_and_30_tasks(
    project, other_project, lists, alice, bob, client_for, django_assert_num_queries, tab
):
    ProjectMember.objects.create(project=other_project, user=bob, role=ProjectRole.MEMBER)
    client = client_for(bob)
    url = page_url(project.organization, tab)

    def add(count):
        for n in range(count):
            where = project if n % 2 else other_project
            t = task(where, bob, f"任务 {n}", assignee=bob.pk, due_date=f"2026-11-{n % 28 + 1:02}")
            if n % 3 == 0:
                services.create_subtask(actor=bob, parent=t, title=f"子任务 {n}", assignee=bob.pk)
            services.set_following(actor=bob, task=t, following=True)

    add(3)
    client.get(url)  # warm: the session and the user
    few = page_queries(client, url)
    add(27)
    assert page_queries(client, url) == few
    # The session, the user, the organization, the projects with their roles, the tasks; the
    # layout's organization switcher and sidebar projects; the bell's unread count.
    with django_assert_num_queries(8):
        response = client.get(url)
    groups = response.context["result"]["groups"]
    assert sum(len(g["tasks"]) for g in groups) == (40 if tab != "following" else 30)
