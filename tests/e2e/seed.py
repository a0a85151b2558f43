"""A board that looks like a real after-sales board of a Chinese online shop, for screenshots."""

# Chinese text uses full-width Chinese punctuation on purpose.
# ruff: noqa: RUF001

import datetime

from django.utils import timezone

TAGS = [
    ("退款", "red"),
    ("换货", "orange"),
    ("物流", "blue"),
    ("差评预警", "purple"),
    ("双11", "pink"),
    ("VIP客户", "yellow"),
]

DESCRIPTION = """买家 **张女士**（VIP客户）反馈：

- 蓝牙耳机左耳完全没有声音
- 已指导重新配对、恢复出厂设置，**仍然无声**
- 订单号 2026111100238，签收 5 天

处理：

1. 发顺丰到付面单，收到后检测
2. 确认质量问题直接换新，**48 小时内**寄出
"""


def seed_board(*, project, lists, alice, bob, carol):
    """Cards with tags, owners, priorities and due dates of every kind; returns the tasks."""
    from baton.projects.services import (
        add_comment,
        create_subtask,
        create_tag,
        create_task,
        set_task_done,
        update_task,
    )

    today = timezone.localdate()
    day = datetime.timedelta(days=1)
    tags = {
        name: create_tag(actor=alice, project=project, name=name, color=color)
        for name, color in TAGS
    }
    feedback, doing, done, rejected = lists
    cards = [
        (feedback, "蓝牙耳机左耳无声，买家要求换新", ["换货", "VIP客户"], bob, 3, today - 1 * day),
        (feedback, "羽绒服尺码偏小，申请七天无理由退货", ["退款"], alice, 2, today + 2 * day),
        (feedback, "快递三天没有物流更新，买家催促", ["物流"], None, 4, today),
        (
            feedback,
            "商品详情页写的是 128G，收到的是 64G，要求补差价或退货退款，情绪比较激动，"
            "注意安抚并尽快给出方案",
            ["差评预警", "退款"],
            bob,
            4,
            today + 1 * day,
        ),
        (feedback, "咨询双11预售尾款能不能用优惠券", ["双11"], None, 0, None),
        (doing, "保温杯漏水，已寄回检测", ["换货"], alice, 2, today + 5 * day),
        (doing, "顺丰丢件，联系快递理赔", ["物流", "VIP客户"], bob, 3, today + 3 * day),
        (
            doing,
            "SK-II 神仙水疑似假货投诉，需提供进货凭证",
            ["差评预警"],
            alice,
            4,
            today - 2 * day,
        ),
        (done, "退款已到账，买家确认", ["退款"], bob, 1, None),
        (done, "补发赠品：收纳袋 ×2", [], alice, 0, today - 6 * day),
        (rejected, "超过售后期（签收 45 天）申请退货", ["退款"], None, 1, None),
    ]
    tasks = []
    for task_list, title, tag_names, owner, priority, due in cards:
        task = create_task(actor=alice, project=project, task_list=task_list, title=title)
        update_task(
            actor=alice,
            task=task,
            tags=[tags[n].pk for n in tag_names],
            assignee=owner,
            priority=priority,
            due_date=due,
        )
        tasks.append(task)
    headphones = tasks[0]
    update_task(actor=bob, task=headphones, description=DESCRIPTION, participants=[alice, bob])
    checklist = [
        ("联系买家确认问题", bob, True),
        ("质检复核同批次", alice, False),
        ("安排补发", bob, False),
    ]
    for title, owner, done in checklist:
        subtask = create_subtask(actor=alice, parent=headphones, title=title, assignee=owner.pk)
        if done:
            set_task_done(actor=owner, task=subtask, done=True)
    add_comment(
        actor=bob, task=headphones, body="买家已寄回，@Alice 收到后请质检。**今天**处理完。"
    )
    return tasks
