"""【需求管理】: the shop's improvement requests as a Scrum backlog, with 重要性 and
初始估值 as number fields."""

# The Chinese text uses full-width punctuation, as Chinese text should.
# ruff: noqa: RUF001

import datetime
from typing import Any

from baton.demo.cards import HIGH, LOW, MEDIUM, backlog, card, everyone, md
from baton.projects.models import Visibility


def requirements(today: datetime.date) -> dict[str, Any]:
    """【需求管理】: anyone adds to 收件箱; the task number is the requirement's number."""
    return {
        "name": "需求管理",
        "key": "XQ",
        "color": "indigo",
        "visibility": Visibility.ORGANIZATION,
        "description": "店铺工具和流程的改进需求：任何人都可以往收件箱里提；任务编号就是需求编号。",
        "lists": ["收件箱", "要做", "进行中", "已完成"],
        "done_lists": ["已完成"],
        "tags": [("客服", "teal"), ("仓储", "indigo"), ("运营", "blue"), ("数据", "yellow")],
        # The seed's Scrum backlog: 重要性 as a number (50, 200…), 初始估值 in days.
        "fields": [("重要性", "number", True, False), ("初始估值", "number", False, False)],
        "members": everyone(),
        "cards": {
            "收件箱": [
                card(
                    "商品详情页增加尺码推荐",
                    "chen",
                    priority=MEDIUM,
                    tags=("运营",),
                    text="根据身高体重推荐尺码，减少「收到商品尺码不符」的售后。\n",
                    values=backlog(60, 8),
                ),
                card("退货地址一键复制", "wu", priority=LOW, tags=("客服",), values=backlog(30, 1)),
                card(
                    "会员等级与积分体系梳理",
                    "liu",
                    priority=LOW,
                    tags=("运营",),
                    values=backlog(20, 13),
                ),
                card(
                    "差评自动提醒客服主管",
                    None,
                    priority=MEDIUM,
                    tags=("客服",),
                    values=backlog(50, 3),
                ),
            ],
            "要做": [
                card(
                    "ERP 售后单同步到售后看板",
                    "liu",
                    due=14,
                    priority=HIGH,
                    tags=("客服", "数据"),
                    text=md("""
                        **目标**：ERP 里新建的售后单自动生成【售后处理】里的任务。

                        - 标题：订单号 · 客户姓名 · 旺旺名 · 问题
                        - 按售后类型自动打标签
                        - 重要性 80，初始估值 5 天
                        """),
                    values=backlog(80, 5),
                ),
                card(
                    "店铺数据日报自动生成",
                    "chen",
                    due=10,
                    priority=MEDIUM,
                    tags=("数据",),
                    values=backlog(70, 3),
                ),
                card(
                    "仓库缺货预警",
                    "zheng",
                    due=12,
                    priority=HIGH,
                    tags=("仓储",),
                    values=backlog(90, 2.5),
                ),
            ],
            "进行中": [
                card(
                    "客服快捷话术库",
                    "zhou",
                    due=3,
                    start=-5,
                    priority=HIGH,
                    tags=("客服",),
                    participants=("wu",),
                    values=backlog(100, 5),
                ),
                card(
                    "打包单加印二维码（扫码看售后说明）",
                    "zheng",
                    due=-1,
                    priority=MEDIUM,
                    tags=("仓储",),
                    values=backlog(40, 2),
                ),
                card(
                    "售后满意度回访表",
                    "wu",
                    due=6,
                    start=-1,
                    priority=LOW,
                    tags=("客服", "数据"),
                    values=backlog(30, 1.5),
                ),
            ],
            "已完成": [
                card("订单备注统一格式", "liu", due=-7, priority=MEDIUM, tags=("运营",)),
                card("售后标签颜色统一", "zhou", due=-10, priority=LOW, tags=("客服",)),
            ],
        },
    }
