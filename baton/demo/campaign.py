"""The two projects of the 七夕 campaign: 【大促预案——前端】 plans the promotion
channel by channel, 【大促预案——后端】 gives every department its own list of what it
does for the campaign."""

# The Chinese text uses full-width punctuation, as Chinese text should.
# ruff: noqa: RUF001

import datetime
from typing import Any

from baton.demo.cards import HIGH, LOW, MEDIUM, URGENT, card, day, everyone, md
from baton.demo.people import HEADS
from baton.projects.models import Visibility


def campaign_front(today: datetime.date) -> dict[str, Any]:
    """【大促预案——前端】: the campaign plan, then one list per promotion channel."""
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
        "members": everyone(),
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


def campaign_back(today: datetime.date) -> dict[str, Any]:
    """【大促预案——后端】: the command post, then one list per department."""
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
        "members": everyone(),
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
