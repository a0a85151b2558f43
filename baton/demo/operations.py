"""【日常运营——运营部】: the operations team's monthly and weekly plans, moved from stage to
stage."""

# The Chinese text uses full-width punctuation, as Chinese text should.
# ruff: noqa: RUF001

import datetime
from typing import Any

from baton.demo.cards import HIGH, LOW, MEDIUM, card, md
from baton.projects.models import ProjectRole, Visibility


def operations(today: datetime.date) -> dict[str, Any]:
    """【日常运营——运营部】: the team's own project, visible to its members only."""
    return {
        "name": "日常运营——运营部",
        "key": "YY",
        "color": "blue",
        "visibility": Visibility.MEMBERS,
        "description": "运营部的月度和周计划：事项在各阶段之间拖动推进，完成度一目了然。",
        "lists": ["月度计划", "周计划", "进行中", "已完成", "搁置"],
        "done_lists": ["已完成"],
        "tags": [("店铺", "blue"), ("活动", "red"), ("内容", "green"), ("数据", "yellow")],
        "members": {
            "liu": ProjectRole.ADMIN,
            "chen": ProjectRole.MEMBER,
            "zhao": ProjectRole.MEMBER,
            "sun": ProjectRole.MEMBER,
        },
        "cards": {
            "月度计划": [
                card(
                    "本月销售目标：120 万元",
                    "liu",
                    due=6,
                    priority=HIGH,
                    tags=("数据",),
                    text=md("""
                        | 渠道 | 目标 | 占比 |
                        |---|---|---|
                        | 自然搜索 | 54 万 | 45% |
                        | 付费推广 | 36 万 | 30% |
                        | 老客户 | 30 万 | 25% |
                        """),
                ),
                card("双 12 活动筹备", "liu", due=10, priority=HIGH, tags=("活动",)),
                card("冬季新品上新（12 款）", "chen", due=20, priority=MEDIUM, tags=("店铺",)),
            ],
            "周计划": [
                card("店铺首页换季装修", "zhao", due=4, priority=MEDIUM, tags=("店铺",)),
                card("微淘内容每周 3 篇", "chen", due=5, priority=LOW, tags=("内容",)),
                card("上周数据周报", "chen", due=0, priority=MEDIUM, tags=("数据",)),
            ],
            "进行中": [
                card("双 11 售后差评回复", "chen", due=-1, priority=HIGH, tags=("店铺",)),
                card("主图点击率优化（5 款）", "sun", due=2, priority=MEDIUM, tags=("数据",)),
            ],
            "已完成": [
                card("双 11 活动复盘报告", "liu", due=-5, priority=HIGH, tags=("活动", "数据")),
                card("清理下架滞销款", "chen", due=-8, priority=LOW, tags=("店铺",)),
            ],
            "搁置": [
                card(
                    "入驻抖音小店",
                    "liu",
                    priority=LOW,
                    tags=("店铺",),
                    text="等双 12 结束后再评估人力。\n",
                ),
            ],
        },
    }
