"""`baton demo`: a workspace built from the seed's scenarios (Worktile's e-commerce solution).

In Chinese: the shop 小熊猫旗舰店 with five departments prepares a 七夕 campaign in two
projects (前端 and 后端), handles after-sales tickets, collects requirements and plans its
monthly operations.

Everything is written through the service functions, as people would through the pages: task
numbers, positions, done lists and the activity log come out exactly as in real use. Users are
created with the user manager (there is no sign-up service) and join the organization by accepting
an invitation link.
"""

# The Chinese text uses full-width punctuation, as Chinese text should.
# ruff: noqa: RUF001

import datetime
import textwrap
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone
from lunardate import LunarDate

from baton.documents.demo import build_documents
from baton.orgs import services as org_services
from baton.orgs.models import Role
from baton.projects import services
from baton.projects.models import Priority, ProjectRole, Visibility

DEMO_EMAIL = "demo@baton.local"
ORGANIZATION_NAME = "小熊猫旗舰店"

# key: (name, e-mail, avatar colour, organization role)
PEOPLE = {
    "wang": ("王晓明", DEMO_EMAIL, "red", Role.OWNER),
    "liu": ("刘洋", "liu.yang@baton.local", "blue", Role.ADMIN),
    "chen": ("陈静", "chen.jing@baton.local", "pink", Role.MEMBER),
    "zhao": ("赵磊", "zhao.lei@baton.local", "purple", Role.MEMBER),
    "sun": ("孙丽", "sun.li@baton.local", "orange", Role.MEMBER),
    "zhou": ("周婷", "zhou.ting@baton.local", "teal", Role.MEMBER),
    "wu": ("吴昊", "wu.hao@baton.local", "green", Role.MEMBER),
    "zheng": ("郑强", "zheng.qiang@baton.local", "indigo", Role.MEMBER),
}

# Departments (teams): name, colour, members.
TEAMS = [
    ("运营", "blue", ["liu", "chen"]),
    ("设计", "purple", ["zhao"]),
    ("推广", "orange", ["sun"]),
    ("客服", "teal", ["zhou", "wu"]),
    ("仓储", "indigo", ["zheng"]),
]

# The department heads, who follow the campaign plan as participants.
HEADS = ["liu", "zhao", "sun", "zhou", "zheng"]

NONE, LOW, MEDIUM, HIGH, URGENT = (
    Priority.NONE,
    Priority.LOW,
    Priority.MEDIUM,
    Priority.HIGH,
    Priority.URGENT,
)


def md(text: str) -> str:
    return textwrap.dedent(text).strip() + "\n"


def card(
    title: str,
    owner: str | None,
    due: int | None = None,
    priority: int = NONE,
    tags: tuple[str, ...] = (),
    participants: tuple[str, ...] = (),
    start: int | None = None,
    text: str = "",
    values: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """One card; `due` and `start` are days from today; `values` its custom fields by name."""
    return {
        "title": title,
        "owner": owner,
        "due": due,
        "start": start,
        "priority": priority,
        "tags": tags,
        "participants": participants,
        "text": text,
        "values": values or {},
    }


def day(today: datetime.date, offset: int) -> str:
    date = today + datetime.timedelta(days=offset)
    return f"{date.month}月{date.day}日"


# ---------------------------------------------------------------- 大促预案——前端


def campaign_front(today: datetime.date) -> dict[str, Any]:
    plan = md(f"""
        ## 七夕营销活动「爱要说出来」

        **活动时间**：{day(today, 12)} 起预热 7 天，七夕当天及前一天为正式活动期。

        ### 目标
        - 活动期间成交额 **80 万元**，比去年七夕增长 30%
        - 新增店铺收藏 2 万、会员 3000 人
        - 动态评分（DSR）保持 4.8 以上

        ### 玩法
        1. 全店满 299 减 40、满 499 减 80，可与店铺优惠券叠加
        2. 情侣款第二件半价
        3. 前 500 名付款赠定制贺卡和礼盒包装

        ### 选品原则
        | 类别 | 款数 | 要求 |
        |---|---|---|
        | 主推款 | 3 | 去年七夕爆款 + 今年情侣新款 |
        | 引流款 | 5 | 活动价 99 元以内，库存 ≥ 2000 件 |
        | 利润款 | 10 | 毛利率 ≥ 45% |

        ### 需要各部门确认
        - [ ] 运营：活动价格和优惠券方案（刘洋）
        - [ ] 设计：活动页和主图排期（赵磊）
        - [ ] 推广：钻展、直通车预算（孙丽）
        - [ ] 客服：活动 FAQ 和话术（周婷）
        - [ ] 仓储：参与商品的库存和备货（郑强）

        **{day(today, 5)}前**必须对活动计划和参与商品有最终定论，逾期会影响官方活动报名。
        """)
    return {
        "name": "大促预案——前端",
        "key": "DQ",
        "color": "red",
        "visibility": Visibility.ORGANIZATION,
        "description": (
            "七夕大促的推广投放：活动主体、推广渠道（钻展、直通车、官方活动）和老客户预热。"
        ),
        "lists": ["活动主体", "钻石展位", "直通车", "官方活动", "CRM 预热方案"],
        "done_lists": [],
        "tags": [("重要", "red"), ("紧急", "orange"), ("待审核", "purple"), ("文案", "teal")],
        "members": {k: ProjectRole.MEMBER for k in PEOPLE if k != "wang"},
        "cards": {
            "活动主体": [
                card(
                    "活动计划制定和产品选择",
                    "liu",
                    due=5,
                    start=-3,
                    priority=URGENT,
                    tags=("重要", "紧急"),
                    participants=tuple(h for h in HEADS if h != "liu"),
                    text=plan,
                ),
                card(
                    "七夕活动主题策划：「爱要说出来」",
                    "chen",
                    due=2,
                    priority=HIGH,
                    tags=("重要", "文案"),
                    text=md("""
                        主题关键词：**告白、陪伴、仪式感**。

                        - 主视觉：两只小熊猫分享一颗爱心
                        - 口号备选：「爱要说出来」「把喜欢说给你听」
                        - 周三下午和设计部一起定稿
                        """),
                ),
                card(
                    "参与活动商品清单及库存确认",
                    "zheng",
                    due=4,
                    priority=HIGH,
                    tags=("重要",),
                    participants=("liu",),
                    text=md("""
                        | 商品 | 货号 | 可用库存 | 活动备货 |
                        |---|---|---|---|
                        | 情侣款纯棉 T 恤 | XM-T2607 | 3200 | 2500 |
                        | 小熊猫帆布包 | XM-B1103 | 1800 | 1500 |
                        | 七夕礼盒装袜子 | XM-S0807 | 900 | 1200（需补货） |
                        """),
                ),
                card("活动页面设计与文案", "zhao", due=7, priority=MEDIUM, tags=("文案",)),
                card("优惠券与满减规则设置", "chen", due=6, priority=MEDIUM, tags=("待审核",)),
                card("大促 FAQ 整理（给客服用）", "zhou", due=8, priority=LOW),
            ],
            "钻石展位": [
                card(
                    "钻展投放计划与预算分配",
                    "sun",
                    due=3,
                    priority=HIGH,
                    tags=("重要",),
                    text=md("""
                        总预算 **6 万元**：预热期 40%，活动期 60%。

                        - 首焦轮播：3.5 万
                        - 类目通栏：1.5 万
                        - 收藏夹、购物车定向：1 万
                        """),
                ),
                card("钻展素材设计（首焦 / 小图共 12 张）", "zhao", due=5, priority=HIGH),
                card("定向人群包圈选：店铺访客、竞品人群", "sun", due=6, priority=MEDIUM),
                card("预热期钻展出价策略", "sun", due=-1, priority=URGENT, tags=("紧急",)),
                card("钻展素材 A/B 测试", "sun", due=9, priority=LOW),
            ],
            "直通车": [
                card(
                    "直通车关键词整理与出价",
                    "sun",
                    due=2,
                    priority=HIGH,
                    tags=("重要",),
                    text=md("""
                        - 核心词：七夕礼物、情侣 T 恤、情侣装
                        - 长尾词：七夕礼物送女友 创意、情侣装夏季纯棉
                        - 出价：核心词 1.8 元起，长尾词 0.8 元起，每天 10 点看数据调整
                        """),
                ),
                card("主推款创意图优化", "zhao", due=4, priority=MEDIUM),
                card("日限额与分时折扣设置", "sun", due=6, priority=MEDIUM),
                card("核心词质量分优化", "sun", due=-2, priority=HIGH, tags=("紧急",)),
                card("竞品关键词监控表", "chen", due=10, priority=LOW),
            ],
            "官方活动": [
                card(
                    "报名天猫七夕官方活动",
                    "liu",
                    due=0,
                    priority=URGENT,
                    tags=("重要", "紧急"),
                    text=(
                        "报名今天 24:00 截止。需要：活动价（不高于近 30 天最低价）、库存、"
                        "主图白底图。\n"
                    ),
                ),
                card("聚划算报名材料准备", "chen", due=1, priority=HIGH, tags=("待审核",)),
                card("淘抢购坑位报名", "chen", due=3, priority=MEDIUM),
                card("官方活动价格核对（近 30 天最低价）", "liu", due=2, priority=HIGH),
            ],
            "CRM 预热方案": [
                card(
                    "老客户短信预热（分三批发送）",
                    "zhou",
                    due=6,
                    priority=MEDIUM,
                    tags=("文案",),
                    text=md("""
                        1. 第一批：近 90 天购买过的客户（约 1.2 万人），预热第一天发送
                        2. 第二批：收藏未购买的客户，活动前一天发送
                        3. 第三批：加购未付款的客户，活动当天上午 10 点发送

                        短信不超过 70 字，结尾带「回 T 退订」。
                        """),
                ),
                card("旺旺群发话术与专属优惠券", "wu", due=5, priority=MEDIUM, tags=("文案",)),
                card("高价值会员电话回访", "zhou", due=8, priority=LOW),
                card("会员积分加倍活动", "chen", due=7, priority=LOW),
                card("微淘预热内容排期", "chen", due=3, priority=MEDIUM),
            ],
        },
    }


# ---------------------------------------------------------------- 大促预案——后端


def campaign_back(today: datetime.date) -> dict[str, Any]:
    return {
        "name": "大促预案——后端",
        "key": "DH",
        "color": "orange",
        "visibility": Visibility.ORGANIZATION,
        "description": (
            "各部门对七夕大促的支持：每个部门一个列表，责任到人，时间节点清楚，进度大家都看得见。"
        ),
        "lists": ["总指挥部", "运营", "设计", "推广", "客服", "仓储"],
        "done_lists": [],
        "tags": [("重要", "red"), ("紧急", "orange"), ("需协调", "purple"), ("已确认", "green")],
        "members": {k: ProjectRole.MEMBER for k in PEOPLE if k != "wang"},
        "cards": {
            "总指挥部": [
                card(
                    "大促作战表与时间节点确认",
                    "wang",
                    due=1,
                    priority=URGENT,
                    tags=("重要",),
                    participants=tuple(HEADS),
                    text=md(f"""
                        | 节点 | 日期 | 负责部门 |
                        |---|---|---|
                        | 活动方案定稿 | {day(today, 5)} | 运营 |
                        | 素材全部交付 | {day(today, 9)} | 设计 |
                        | 预热开始 | {day(today, 12)} | 推广 |
                        | 备货到仓 | {day(today, 14)} | 仓储 |
                        """),
                ),
                card("每日大促站会（10:00，15 分钟）", "wang", due=19, priority=MEDIUM),
                card("大促当天值班排班表", "liu", due=10, priority=HIGH, tags=("需协调",)),
                card("大促复盘会议", "wang", due=21, priority=LOW),
            ],
            "运营": [
                card("活动价格与库存设置", "liu", due=4, priority=HIGH, tags=("重要", "已确认")),
                card("商品上下架计划", "chen", due=6, priority=MEDIUM),
                card("详情页关联销售设置", "chen", due=8, priority=LOW),
                card("竞品价格监控（每天两次）", "chen", due=-1, priority=MEDIUM, tags=("紧急",)),
            ],
            "设计": [
                card("首页大促装修", "zhao", due=9, priority=HIGH, tags=("重要",)),
                card("详情页七夕氛围图", "zhao", due=7, priority=MEDIUM),
                card("主图活动价角标", "zhao", due=3, priority=HIGH, tags=("需协调",)),
                card("钻展、直通车素材交付", "zhao", due=5, priority=HIGH, tags=("紧急",)),
            ],
            "推广": [
                card("推广预算分配表", "sun", due=0, priority=URGENT, tags=("重要", "紧急")),
                card("直通车、钻展计划搭建", "sun", due=6, priority=HIGH),
                card("淘宝客招募与佣金设置", "sun", due=8, priority=MEDIUM),
                card("达人直播排期", "sun", due=11, priority=MEDIUM, tags=("需协调",)),
            ],
            "客服": [
                card(
                    "大促客服话术更新",
                    "zhou",
                    due=7,
                    priority=HIGH,
                    tags=("重要",),
                    text="活动规则、发货时间、赠品说明三部分话术，更新后发到客服群并组织一次考核。\n",
                ),
                card("客服排班与临时客服培训", "zhou", due=9, priority=MEDIUM),
                card("快捷短语与自动回复设置", "wu", due=10, priority=MEDIUM),
                card("售后预案：缺货、延迟发货", "zhou", due=11, priority=HIGH, tags=("需协调",)),
            ],
            "仓储": [
                card(
                    "大促备货（预计 3000 单/天）",
                    "zheng",
                    due=14,
                    priority=URGENT,
                    tags=("重要",),
                    participants=("liu",),
                ),
                card("包材与赠品准备", "zheng", due=10, priority=MEDIUM),
                card("快递揽收时间与加车确认", "zheng", due=12, priority=HIGH, tags=("需协调",)),
                card("打包流程演练", "zheng", due=13, priority=MEDIUM),
            ],
        },
    }


# ---------------------------------------------------------------- 售后处理


def ticket(
    order: str,
    customer: str,
    wangwang: str,
    problem: str,
    tags: tuple[str, ...],
    owner: str,
    due: int,
    report: str,
    handling: str,
    priority: int = MEDIUM,
    participants: tuple[str, ...] = (),
) -> dict[str, Any]:
    text = md(f"""
        **订单号**：{order}　**客户**：{customer}　**旺旺**：{wangwang}

        ### 问题
        {report}

        ### 处理
        {handling}
        """)
    return card(
        f"订单 {order} · {customer} · 旺旺 {wangwang} · {problem}",
        owner,
        due=due,
        priority=priority,
        tags=tags,
        participants=participants,
        text=text,
        values={"订单号": order, "客户真名": customer, "旺旺名": wangwang},
    )


def after_sales(today: datetime.date) -> dict[str, Any]:
    return {
        "name": "售后处理",
        "key": "SH",
        "color": "teal",
        "visibility": Visibility.MEMBERS,
        "description": (
            "客户反馈的售后问题：订单号、客户姓名和旺旺名写在标题里，也记在扩展字段里"
            "（订单号和旺旺名显示在卡片上），标签标明售后类型。"
        ),
        "lists": ["客户反馈", "处理中", "已处理", "反馈驳回"],
        "done_lists": ["已处理"],
        "tags": services.AFTER_SALES_TAGS,
        # name, type, shown on cards, required (a ticket is created with its order number)
        "fields": [
            ("订单号", "text", True, True),
            ("客户真名", "text", False, False),
            ("旺旺名", "text", True, False),
        ],
        "members": {
            "liu": ProjectRole.MEMBER,
            "zhou": ProjectRole.ADMIN,
            "wu": ProjectRole.MEMBER,
            "zheng": ProjectRole.MEMBER,
        },
        "cards": {
            "客户反馈": [
                ticket(
                    "2026110823456781",
                    "李娜",
                    "lina0521",
                    "连衣裙腋下开线",
                    ("商品质量问题", "退款"),
                    "wu",
                    1,
                    "客户收到连衣裙后发现左侧腋下开线约 3 厘米，已发来照片。",
                    "核实照片属实，待客户选择：退款退货（运费我们承担）或补偿 20 元无门槛券。",
                    priority=HIGH,
                ),
                ticket(
                    "2026111156781234",
                    "赵敏",
                    "敏敏小可爱",
                    "帆布包颜色和图片差别大",
                    ("收到商品不符", "退款"),
                    "wu",
                    2,
                    "客户认为收到的米白色帆布包偏黄，与详情页图片不符。",
                    "请客户在自然光下再拍一张；同时让设计部检查详情页图片是否调色过度。",
                ),
                ticket(
                    "2026111290123456",
                    "孙浩",
                    "sunhao1990",
                    "少发一件赠品袜子",
                    ("收到商品不符",),
                    "zhou",
                    0,
                    "双 11 满 199 赠礼盒袜子，客户说包裹里没有赠品。",
                    "联系仓库查打包视频，确认漏发后补寄，顺丰到付由我们承担。",
                    participants=("zheng",),
                ),
                ticket(
                    "2026111301234567",
                    "周杰",
                    "zj_shopping",
                    "保温杯杯盖漏水",
                    ("商品质量问题", "退款"),
                    "wu",
                    1,
                    "客户反馈杯盖拧紧后倒置仍然漏水，影响使用。",
                    "先发送杯盖密封圈安装视频；若仍漏水，直接退款不用退回商品。",
                ),
                ticket(
                    "2026111512345670",
                    "何静",
                    "hejing_88",
                    "预售商品什么时候发货",
                    ("未发货",),
                    "zhou",
                    3,
                    "预售款羽绒马甲付尾款已 5 天，客户询问发货时间。",
                    "预售说明写明付尾款后 7 天内发货；已告知预计发货日期，并在仓库加急队列备注。",
                    priority=LOW,
                ),
            ],
            "处理中": [
                ticket(
                    "2026111112345678",
                    "张伟",
                    "zhangwei_88",
                    "收到商品尺码不符",
                    ("收到商品不符", "换货"),
                    "zhou",
                    0,
                    "客户拍的是 L 码情侣 T 恤，吊牌是 M 码。",
                    "确认为仓库拣货错误。已给客户发退货地址，收到退回商品后当天发出 L 码，"
                    "来回运费由我们承担。",
                    priority=HIGH,
                    participants=("zheng",),
                ),
                ticket(
                    "2026110934567812",
                    "王芳",
                    "小芳爱购物",
                    "物流显示签收但未收到",
                    ("未收到货",),
                    "wu",
                    -1,
                    "物流信息 3 天前显示已签收，客户说没有收到，也不在快递柜。",
                    "已联系快递站点核实签收人；48 小时内未找回则先给客户补发。",
                    priority=URGENT,
                    participants=("zheng",),
                ),
                ticket(
                    "2026111223344556",
                    "林晓",
                    "linxiao_hz",
                    "背包拉链损坏",
                    ("商品质量问题", "换货"),
                    "wu",
                    2,
                    "使用两天后背包主拉链头脱落。",
                    "同意换新，上门取件已预约；新品出库前检查拉链。",
                ),
                ticket(
                    "2026111078901234",
                    "黄磊",
                    "黄小磊",
                    "快递丢件",
                    ("未收到货", "退款"),
                    "zhou",
                    -2,
                    "物流 6 天没有更新，快递公司确认包裹在转运中心丢失。",
                    "已向快递公司发起理赔；客户选择退款，今天内完成。",
                    priority=URGENT,
                ),
            ],
            "已处理": [
                ticket(
                    "2026111045678123",
                    "刘强",
                    "liuqiang_sh",
                    "下单三天未发货",
                    ("未发货",),
                    "zhou",
                    -3,
                    "双 11 当天下单，第三天仍未发货，客户要求说明原因。",
                    "双 11 订单积压，已优先打包并于当天发出，赠送 5 元店铺券表示歉意。",
                    participants=("zheng",),
                ),
                ticket(
                    "2026111167890123",
                    "陈敏",
                    "chenmin_2018",
                    "七天无理由退货",
                    ("七天无理由退换货", "退款"),
                    "wu",
                    -4,
                    "客户收到针织开衫后觉得不适合，吊牌完好，申请七天无理由退货。",
                    "收到退回商品，检查不影响二次销售，已原路退款。",
                ),
                ticket(
                    "2026111189012345",
                    "杨洋",
                    "yangyang_bj",
                    "尺码偏小换大一码",
                    ("换货", "七天无理由退换货"),
                    "wu",
                    -2,
                    "卫衣偏小，客户想换大一码。",
                    "新尺码已发出，客户确认收到并表示满意。",
                ),
                ticket(
                    "2026111290817263",
                    "吴霞",
                    "wuxia_sz",
                    "发错颜色（收到黑色）",
                    ("收到商品不符", "换货"),
                    "zhou",
                    -1,
                    "客户拍的是雾霾蓝，收到的是黑色。",
                    "补发雾霾蓝，黑色商品客户同意以 7 折留下，已退差价。",
                    participants=("zheng",),
                ),
                ticket(
                    "2026111034567890",
                    "郭涛",
                    "guotao_cd",
                    "未发货申请退款",
                    ("未发货", "退款"),
                    "wu",
                    -5,
                    "客户下单后改变主意，商品尚未发货，申请退款。",
                    "已拦截订单并全额退款。",
                    priority=LOW,
                ),
            ],
            "反馈驳回": [
                ticket(
                    "2026102512340987",
                    "马丽",
                    "mali_0808",
                    "超过七天申请无理由退货",
                    ("七天无理由退换货",),
                    "zhou",
                    -6,
                    "签收已 15 天，客户申请七天无理由退货。",
                    "已超过七天无理由期限，婉拒退货；商品无质量问题，赠送 10 元券安抚。",
                    priority=LOW,
                ),
                ticket(
                    "2026110656473829",
                    "钱程",
                    "qiancheng_nj",
                    "商品已洗涤后申请退货",
                    ("七天无理由退换货", "退款"),
                    "wu",
                    -3,
                    "客户寄回的 T 恤有洗涤痕迹，吊牌已剪。",
                    "影响二次销售，不符合七天无理由条件，已拍照说明后驳回并寄回商品。",
                    priority=LOW,
                ),
            ],
        },
    }


# ---------------------------------------------------------------- 需求管理


def backlog(importance: int, estimate: float) -> dict[str, Any]:
    """A backlog item's 重要性 (higher first) and 初始估值 (days)."""
    return {"重要性": importance, "初始估值": estimate}


def requirements(today: datetime.date) -> dict[str, Any]:
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
        "members": {k: ProjectRole.MEMBER for k in PEOPLE if k != "wang"},
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


# ---------------------------------------------------------------- 日常运营——运营部


def operations(today: datetime.date) -> dict[str, Any]:
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


class Command(BaseCommand):
    help = "Create a demo workspace (小熊猫旗舰店, in Chinese) built from the e-commerce scenarios."

    def add_arguments(self, parser):
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Do nothing (but print the login) when the database already has users.",
        )
        parser.add_argument("--password", help="The password of every demo user.")

    def handle(self, *args, if_empty: bool = False, password: str | None = None, **options):
        password = password or settings.BATON_DEMO_PASSWORD
        User = get_user_model()
        if if_empty and User.objects.exists():
            if User.objects.filter(email=DEMO_EMAIL).exists():
                self.print_login(password, created=False)
            else:
                self.stdout.write("数据库里已经有用户，不创建演示数据。")
                self.stdout.write("The database already has users; no demo workspace created.")
            return
        if User.objects.filter(email=DEMO_EMAIL).exists():
            raise CommandError(f"{DEMO_EMAIL} already exists: the demo workspace was built before.")
        with transaction.atomic():
            build(password)
        self.print_login(password, created=True)

    def print_login(self, password: str, *, created: bool) -> None:
        url = settings.SITE_URL + "/"
        if created:
            self.stdout.write(self.style.SUCCESS(f"演示工作区「{ORGANIZATION_NAME}」已创建。"))
        self.stdout.write(f"打开 {url} ，演示账号：{DEMO_EMAIL} / {password}")
        self.stdout.write(f"Open {url} — demo login: {DEMO_EMAIL} / {password}")


def build(password: str) -> dict[str, Any]:
    """Create the users, the organization with its teams, and the five projects."""
    User = get_user_model()
    people = {
        key: User.objects.create_user(
            email, None, name=name, avatar_color=color, language="zh-hans"
        )
        for key, (name, email, color, _role) in PEOPLE.items()
    }
    # Everyone shares the printed password: hash it once (Argon2 takes a while per hash).
    hashed = make_password(password)
    User.objects.filter(pk__in=[u.pk for u in people.values()]).update(password=hashed)
    for user in people.values():
        user.password = hashed
    owner = people["wang"]
    organization = org_services.create_organization(actor=owner, name=ORGANIZATION_NAME)

    # Everyone joins by accepting an invitation link (one per role), revoked afterwards.
    links = {}
    for key, (_name, _email, _color, role) in PEOPLE.items():
        if role == Role.OWNER:
            continue
        if role not in links:
            links[role] = org_services.invite(actor=owner, organization=organization, role=role)
        org_services.accept_invitation(actor=people[key], invitation=links[role])
    for link in links.values():
        org_services.revoke_invitation(actor=owner, invitation=link)
    for user in people.values():
        org_services.switch_organization(actor=user, organization=organization)

    teams = {}
    for name, color, members in TEAMS:
        teams[name] = org_services.create_team(
            actor=owner, organization=organization, name=name, color=color
        )
        org_services.set_team_members(
            actor=owner, team=teams[name], user_ids=[people[k].pk for k in members]
        )

    today = timezone.localdate()
    projects = {}
    for make in PROJECTS:
        spec = make(today)
        projects[spec["key"]] = build_project(owner, organization, people, spec, today)
    calendars = build_calendars(owner, organization, people, today)
    documents = build_documents(owner, organization, people, teams)
    return {
        "organization": organization,
        "people": people,
        "projects": projects,
        "calendars": calendars,
        "documents": documents,
    }


def build_project(owner, organization, people, spec: dict[str, Any], today: datetime.date):
    project = services.create_project(
        actor=owner,
        organization=organization,
        name=spec["name"],
        key=spec["key"],
        description=spec["description"],
        color=spec["color"],
        visibility=spec["visibility"],
        lists=spec["lists"],
    )
    for key, role in spec["members"].items():
        services.add_project_member(actor=owner, project=project, user=people[key], role=role)
    lists = {tl.name: tl for tl in project.lists.all()}
    for name in spec["done_lists"]:
        services.update_list(actor=owner, task_list=lists[name], is_done=True)
    tags = {
        name: services.create_tag(actor=owner, project=project, name=name, color=color).pk
        for name, color in spec["tags"]
    }
    custom = {
        name: services.create_custom_field(
            actor=owner,
            project=project,
            name=name,
            kind=kind,
            show_on_card=on_card,
            required=required,
        ).pk
        for name, kind, on_card, required in spec.get("fields", [])
    }

    def days(offset: int | None) -> datetime.date | None:
        return None if offset is None else today + datetime.timedelta(days=offset)

    created = {}
    for list_name, cards in spec["cards"].items():
        for item in cards:
            assignee = people[item["owner"]] if item["owner"] else None
            # The owner writes the card up, as departments do on their own lists.
            actor = assignee if assignee is not None and assignee != owner else owner
            fields: dict[str, Any] = {"priority": item["priority"]}
            if item["text"]:
                fields["description"] = item["text"]
            if assignee is not None:
                fields["assignee"] = assignee
            if item["participants"]:
                fields["participants"] = [people[k] for k in item["participants"]]
            if item["due"] is not None:
                fields["due_date"] = days(item["due"])
            if item["start"] is not None:
                fields["start_date"] = days(item["start"])
            if item["tags"]:
                fields["tags"] = [tags[t] for t in item["tags"]]
            created[item["title"]] = services.create_task(
                actor=actor,
                project=project,
                task_list=lists[list_name],
                title=item["title"],
                custom_values={custom[name]: value for name, value in item["values"].items()},
                **fields,
            )
    for title, task in created.items():
        add_conversation(task, people, title)
    done_list = next((lists[n] for n in spec["done_lists"]), None)
    for title in MOVED_TO_DONE.get(spec["key"], []):
        task = created[title]
        services.move_task(actor=task.assignee or owner, task=task, to_list=done_list)
    return project


def add_conversation(task, people, title: str) -> None:
    """The checklist and the comments SUBTASKS and COMMENTS give the card of this title."""
    today = timezone.localdate()
    for fragment, items in SUBTASKS.items():
        if fragment not in title:
            continue
        for name, owner, due, done in items:
            subtask = services.create_subtask(
                actor=people[owner],
                parent=task,
                title=name,
                assignee=people[owner],
                due_date=today + datetime.timedelta(days=due),
            )
            if done:
                services.set_task_done(actor=people[owner], task=subtask, done=True)
    for fragment, items in COMMENTS.items():
        if fragment in title:
            for author, body in items:
                services.add_comment(actor=people[author], task=task, body=body)


# ---------------------------------------------------------------- calendars

SPRING_FESTIVAL, QIXI = "spring_festival", "qixi"
LUNAR_DAYS = {SPRING_FESTIVAL: (1, 1), QIXI: (7, 7)}  # lunar (month, day) of each festival

# One calendar per platform with the year's main campaigns: (title, first day, last day as
# (month, day), or the lunar festival it leads up to: SPRING_FESTIVAL or QIXI), description.
CAMPAIGN_CALENDARS = [
    (
        "天猫/淘宝",
        "orange",
        "天猫和淘宝的官方大促节奏，报名、预售、正式开售以平台公告为准。",
        [
            ("天猫年货节", SPRING_FESTIVAL, None, "年货节 · 春节前最后一波备货高峰"),
            ("天猫 3·8 女王节", (3, 1), (3, 8), "3·8 女王节 · 美妆、服饰主场"),
            ("天猫 618", (5, 20), (6, 20), "618 年中大促"),
            ("淘宝七夕礼遇季", QIXI, None, "七夕 · 礼盒与定制"),
            ("天猫双 11", (10, 20), (11, 11), "双 11 全球狂欢节"),
            ("淘宝双 12", (12, 1), (12, 12), "双 12 · 年终好价节"),
        ],
    ),
    (
        "京东",
        "red",
        "京东的官方大促：京东 618 是京东自己的店庆。",
        [
            ("京东年货节", SPRING_FESTIVAL, None, "年货节 · 春节不打烊"),
            ("京东 3·8 节", (3, 1), (3, 8), "3·8 节 · 女神节"),
            ("京东 618", (5, 31), (6, 18), "618 · 京东店庆"),
            ("京东双 11", (10, 31), (11, 11), "双 11 · 11.11"),
            ("京东双 12", (12, 1), (12, 12), "双 12"),
        ],
    ),
    (
        "拼多多",
        "pink",
        "拼多多的官方大促，以百亿补贴和限时秒杀为主。",
        [
            ("拼多多年货节", SPRING_FESTIVAL, None, "年货节 · 百亿补贴年货专场"),
            ("拼多多 618", (5, 26), (6, 18), "618 · 百亿补贴"),
            ("拼多多七夕", QIXI, None, "七夕 · 限时秒杀"),
            ("拼多多双 11", (10, 19), (11, 11), "双 11 · 百亿补贴"),
            ("拼多多双 12", (12, 1), (12, 12), "双 12 年终盛典"),
        ],
    ),
    (
        "抖音",
        "gray",
        "抖音电商的官方活动，直播间和短视频种草同步进行。",
        [
            ("抖音年货节", SPRING_FESTIVAL, None, "抖音年货节 · 直播间备货"),
            ("抖音 3·8 女王节", (3, 1), (3, 8), "女王节 · 美妆直播"),
            ("抖音 618 好物节", (5, 13), (6, 18), "618 好物节"),
            ("抖音七夕", QIXI, None, "七夕 · 达人直播"),
            ("抖音双 11 好物节", (10, 18), (11, 11), "双 11 好物节"),
            ("抖音双 12", (12, 1), (12, 12), "双 12 好物年终盛典"),
        ],
    ),
]

CAMPAIGN_NOTES = """
**准备清单**

- 提前两周完成报名，核对活动价和库存
- 主图、详情页和直播脚本按活动主题更新
- 客服话术和售后预案同步到客服组

> 日期为往年节奏的参考，以平台最新公告为准。
"""


def _campaign_days(year: int, first, last) -> tuple[datetime.date, datetime.date]:
    """A campaign's first and last day: fixed dates, or the two weeks leading up to a lunar
    festival (年货节 ends a week before the Spring Festival, 七夕 campaigns on the day itself)."""
    if first in LUNAR_DAYS:
        festival = LunarDate(year, *LUNAR_DAYS[first]).to_solar_date()
        end = festival - datetime.timedelta(days=7 if first == SPRING_FESTIVAL else 0)
        return end - datetime.timedelta(days=14), end
    return datetime.date(year, *first), datetime.date(year, *last)


def build_calendars(owner, organization, people, today: datetime.date) -> dict:
    """The platforms' campaign calendars, the team's weekly meeting and the public holidays."""
    from baton.calendars import services as calendar_services

    calendars = {}
    for name, color, description, campaigns in CAMPAIGN_CALENDARS:
        calendar = calendar_services.create_calendar(
            actor=owner, organization=organization, name=name, color=color, description=description
        )
        for title, first, last, lead in campaigns:
            start, end = _campaign_days(today.year, first, last)
            calendar_services.create_event(
                actor=owner,
                calendar=calendar,
                title=title,
                start=start,
                end=end + datetime.timedelta(days=1),  # all-day ends are exclusive
                all_day=True,
                timezone="Asia/Shanghai",
                description=f"{lead}（{start:%m/%d} – {end:%m/%d}）\n" + CAMPAIGN_NOTES,
                reminders=[1440 * 7],
            )
        calendars[name] = calendar

    team = calendar_services.create_calendar(
        actor=owner,
        organization=organization,
        name="团队日程",
        color="blue",
        description="例会、复盘和培训。",
    )
    monday = today - datetime.timedelta(days=today.weekday() + 7 * 8)
    calendar_services.create_event(
        actor=owner,
        calendar=team,
        title="周例会",
        start=datetime.datetime.combine(monday, datetime.time(10)),
        end=datetime.datetime.combine(monday, datetime.time(11)),
        timezone="Asia/Shanghai",
        location="3 楼会议室 / 线上会议",
        description="**议程**\n\n1. 上周数据复盘（运营）\n2. 本周大促准备进度（各部门）\n"
        "3. 客服和售后问题（客服）\n4. 库存和发货（仓储）",
        rrule="FREQ=WEEKLY;BYDAY=MO",
        participants=[people[key] for key in ["wang", *HEADS]],
        reminders=[60],
    )
    calendars["团队日程"] = team

    # The public holidays and 调休 working days: seeded from chinese-calendar, edited by admins.
    calendars["中国法定节假日"] = calendar_services.create_calendar(
        actor=owner,
        organization=organization,
        name="中国法定节假日",
        color="green",
        description="法定节假日和调休上班日。管理员在「节假日」页面增改和导入。",
        kind="holidays",
    )
    return calendars
