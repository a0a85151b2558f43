"""The demo workspace's projects and people: the seed's scenarios, built through the services,
and the `baton demo` command."""

import datetime
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from baton.accounts.models import User
from baton.activity.models import Activity
from baton.core.colors import COLOR_NAMES
from baton.discussion.models import Comment
from baton.orgs.models import Organization, Team
from baton.projects.models import Project, Task

SEED_LISTS = {
    "DQ": ["活动主体", "钻石展位", "直通车", "官方活动", "CRM 预热方案"],
    "DH": ["总指挥部", "运营", "设计", "推广", "客服", "仓储"],
    "SH": ["客户反馈", "处理中", "已处理", "反馈驳回"],
    "XQ": ["收件箱", "要做", "进行中", "已完成"],
    "YY": ["月度计划", "周计划", "进行中", "已完成", "搁置"],
}
AFTER_SALES_TAGS = {
    "换货",
    "退款",
    "未收到货",
    "商品质量问题",
    "七天无理由退换货",
    "收到商品不符",
    "未发货",
}


def run_demo(*args) -> str:
    out = StringIO()
    call_command("demo", *args, stdout=out)
    return out.getvalue()


@pytest.mark.django_db
def test_demo_builds_the_five_projects_with_the_seeds_lists():
    run_demo()
    org = Organization.objects.get(name="小熊猫旗舰店")
    projects = {p.key: p for p in Project.objects.filter(organization=org)}
    assert set(projects) == set(SEED_LISTS)
    for key, names in SEED_LISTS.items():
        lists = projects[key].lists.order_by("position")
        assert [tl.name for tl in lists] == names, key
        assert projects[key].tasks.count() >= 10, key
    assert {tl.name for tl in projects["SH"].lists.filter(is_done=True)} == {"已处理"}
    assert {tl.name for tl in projects["XQ"].lists.filter(is_done=True)} == {"已完成"}
    assert {tl.name for tl in projects["YY"].lists.filter(is_done=True)} == {"已完成"}
    assert projects["DQ"].name == "大促预案——前端"
    assert projects["DH"].name == "大促预案——后端"


@pytest.mark.django_db
def test_demo_has_the_seven_after_sales_tags_in_distinct_colours_on_every_ticket():
    run_demo()
    project = Project.objects.get(key="SH")
    tags = list(project.tags.all())
    assert {t.name for t in tags} == AFTER_SALES_TAGS
    assert len({t.color for t in tags}) == 7
    tickets = list(project.tasks.filter(parent__isnull=True).prefetch_related("tags"))
    assert len(tickets) >= 15
    for task in tickets:
        assert task.title.startswith("订单 ") and "旺旺" in task.title
        assert task.tags.exists()
        assert "### 处理" in task.description


@pytest.mark.django_db
def test_demo_card_for_the_campaign_plan_carries_owner_participants_due_date_and_tags():
    run_demo()
    task = Task.objects.get(project__key="DQ", title="活动计划制定和产品选择")
    assert task.list.name == "活动主体"
    assert task.assignee is not None
    assert task.participants.count() >= 3
    assert task.assignee not in task.participants.all()
    assert task.due_date is not None and task.due_date >= timezone.localdate()
    tags = {t.name: t.color for t in task.tags.all()}
    assert tags == {"重要": "red", "紧急": "orange"}
    assert "七夕" in task.description
    assert task.priority == 4


@pytest.mark.django_db
def test_demo_users_are_chinese_with_palette_colours_in_teams():
    run_demo()
    owner = User.objects.get(email="demo@baton.local")
    assert owner.name == "王晓明"
    assert owner.check_password("baton-demo-2026")
    assert User.objects.count() >= 8
    assert set(User.objects.values_list("language", flat=True)) == {"zh-hans"}
    colors = list(User.objects.values_list("avatar_color", flat=True))
    assert set(colors) <= set(COLOR_NAMES)
    assert len(set(colors)) == len(colors)
    assert {t.name for t in Team.objects.all()} == {"运营", "设计", "推广", "客服", "仓储"}
    assert all(t.members.exists() for t in Team.objects.all())


@pytest.mark.django_db
def test_demo_due_dates_include_overdue_today_and_next_week_and_some_tasks_are_done():
    run_demo()
    today = timezone.localdate()
    open_tasks = Task.objects.filter(completed_at__isnull=True, due_date__isnull=False)
    assert open_tasks.filter(due_date__lt=today).exists()
    assert open_tasks.filter(due_date=today).exists()
    assert open_tasks.filter(due_date__gt=today + datetime.timedelta(days=5)).exists()
    done = Task.objects.filter(completed_at__isnull=False, parent__isnull=True)
    assert done.exists()
    assert not done.filter(list__is_done=False).exists()  # checked-off subtasks aside
    assert len(set(Task.objects.values_list("priority", flat=True))) >= 4


@pytest.mark.django_db
def test_demo_numbers_tasks_from_one_without_gaps_in_each_project():
    run_demo()
    for project in Project.objects.all():
        numbers = sorted(project.tasks.values_list("number", flat=True))
        assert numbers == list(range(1, len(numbers) + 1)), project.key
        assert project.task_counter == len(numbers)


@pytest.mark.django_db
def test_demo_writes_through_the_services_so_every_write_is_in_the_activity_log():
    run_demo()
    cards = Task.objects.filter(parent__isnull=True).count()
    subtasks = Task.objects.filter(parent__isnull=False).count()
    assert Activity.objects.filter(verb="task.created").count() == cards
    assert Activity.objects.filter(verb="task.subtask_added").count() == subtasks
    assert Activity.objects.filter(verb="project.created").count() == 5


@pytest.mark.django_db
def test_demo_if_empty_does_nothing_the_second_time_but_prints_the_login():
    first = run_demo("--if-empty", "--password", "another-secret-42")
    counts = (User.objects.count(), Project.objects.count(), Task.objects.count())
    assert "demo@baton.local / another-secret-42" in first
    second = run_demo("--if-empty", "--password", "another-secret-42")
    assert (User.objects.count(), Project.objects.count(), Task.objects.count()) == counts
    assert "demo login: demo@baton.local / another-secret-42" in second
    assert "演示账号" in second
    assert "http://" in second


@pytest.mark.django_db
def test_demo_if_empty_leaves_a_database_with_other_users_alone(make_user):
    make_user("Alice")
    out = run_demo("--if-empty")
    assert not Project.objects.exists()
    assert "demo@baton.local" not in out


@pytest.mark.django_db
def test_demo_campaign_plan_has_a_checklist_and_a_conversation_with_mentions():

    run_demo()
    plan = Task.objects.get(title="活动计划制定和产品选择")
    assert (plan.subtasks_done, plan.subtasks_total) == (2, 5)
    assert all(sub.assignee and sub.due_date for sub in plan.subtasks.all())
    comments = Comment.objects.filter(task=plan)
    assert comments.count() == 3
    assert {u.name for c in comments for u in c.mentions.all()} == {"刘洋", "郑强"}


@pytest.mark.django_db
def test_demo_after_sales_tickets_carry_order_number_real_name_and_wangwang_fields():
    run_demo()
    project = Project.objects.get(key="SH")
    fields = {f.name: f for f in project.custom_fields.all()}
    assert [(f.name, f.kind, f.show_on_card, f.required) for f in fields.values()] == [
        ("订单号", "text", True, True),
        ("客户真名", "text", False, False),
        ("旺旺名", "text", True, False),
    ]
    tickets = list(project.tasks.filter(parent__isnull=True))
    for task in tickets:
        order, name, wangwang = (task.custom_values[str(fields[n].pk)] for n in fields)
        # The title says the same, as the seed's board does.
        assert task.title.startswith(f"订单 {order} · {name} · 旺旺 {wangwang} · ")
        assert order.isdigit() and len(order) == 16


@pytest.mark.django_db
def test_demo_backlog_cards_have_importance_and_initial_estimate_numbers():
    run_demo()
    project = Project.objects.get(key="XQ")
    importance, estimate = project.custom_fields.all()
    assert (importance.name, importance.kind, importance.show_on_card) == ("重要性", "number", True)
    assert (estimate.name, estimate.kind, estimate.show_on_card) == ("初始估值", "number", False)
    backlog = project.tasks.filter(parent__isnull=True, list__name__in=["收件箱", "要做"])
    assert backlog.count() == 7
    for task in backlog:
        assert isinstance(task.custom_values[str(importance.pk)], int)
        assert task.custom_values[str(estimate.pk)] > 0
    erp = project.tasks.get(title="ERP 售后单同步到售后看板")
    assert erp.custom_values == {str(importance.pk): 80, str(estimate.pk): 5}
