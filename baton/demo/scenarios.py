"""The five projects in the order they are built, and what people do on their cards once the
cards exist: the cards moved into a done list, the checklists and the conversations."""

# The Chinese text uses full-width punctuation, as Chinese text should.
# ruff: noqa: RUF001

from baton.demo.after_sales import after_sales
from baton.demo.campaign import campaign_back, campaign_front
from baton.demo.operations import operations
from baton.demo.requirements import requirements

# Each a function of today, since the cards' dates are days from today.
PROJECTS = [campaign_front, campaign_back, after_sales, requirements, operations]

# Cards that get finished after being created, to show moving a card into a done list.
MOVED_TO_DONE = {"YY": ["上周数据周报"], "XQ": ["客服快捷话术库"]}

# Checklists, by a fragment of the card's title: (subtask, owner, due in days, done).
SUBTASKS = {
    "活动计划制定和产品选择": [
        ("确定主推款和引流款", "liu", -1, True),
        ("核算活动价和优惠券力度", "zhao", 1, True),
        ("确认大促备货量", "zheng", 2, False),
        ("主图和详情页改版", "sun", 3, False),
        ("报名官方会场", "liu", 4, False),
    ],
    "连衣裙腋下开线": [
        ("联系客户确认处理方式", "wu", 0, True),
        ("质检部复核同批次库存", "zheng", 2, False),
    ],
}

# Conversations, by a fragment of the card's title: (author, comment); @names mention people.
COMMENTS = {
    "活动计划制定和产品选择": [
        ("zhao", "活动价我按去年双11的折扣做了初稿，@刘洋 看一下主推款的毛利是否能接受。"),
        ("liu", "毛利没问题。**引流款**再降 5 元，券叠加后不低于 99 元。@郑强 备货按 1.5 倍准备。"),
        ("zheng", "收到，仓库周四前把主推款补到 3000 件。"),
    ],
    "连衣裙腋下开线": [
        ("wu", "客户选择退货退款，已发退货地址，运费险已生效。"),
        ("zhou", "同批次再抽检 20 件，@郑强 有结果在这里回复一下。"),
    ],
}
