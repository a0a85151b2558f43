"""The demo workspace's documents: the customer-service team's scripts (客服话术), each edited a
few times by different people, so the history, a comparison and the followers have something to
show. Written through the services, as people would through the pages."""

# The Chinese text uses full-width punctuation, as Chinese text should.
# ruff: noqa: RUF001

import textwrap

from baton.documents import services

FOLDER = "客服话术"

PRE_SALES = """
# 售前咨询话术

## 开场白

亲，您好！欢迎光临小熊猫旗舰店，我是客服小熊，很高兴为您服务～请问有什么可以帮您？

## 尺码推荐

| 身高 | 体重 | 推荐尺码 |
|---|---|---|
| 155–165 cm | 45–55 kg | S |
| 165–172 cm | 55–65 kg | M |
| 172–178 cm | 65–75 kg | L |
| 178 cm 以上 | 75 kg 以上 | XL |

> 我们的 T 恤是常规版型，喜欢宽松可以选大一码哦。

## 面料与洗涤

- 面料：新疆长绒棉，亲肤透气，不起球
- 洗涤：建议 30℃ 以下水洗，反面晾干，不可漂白

## 发货时间

现货订单 48 小时内发出，预售商品以详情页写明的时间为准。
"""

AFTER_SALES = """
# 售后退换货话术

## 七天无理由退货

亲，商品签收后 7 天内，未使用、吊牌完好、包装齐全即可申请七天无理由退货。
退回运费由买家承担，我们收到退货后 24 小时内退款。

## 质量问题

非常抱歉给您带来不好的体验！麻烦您拍下问题部位的照片发给我们，
确认是质量问题后，我们承担来回运费，为您换新或退款，您选哪种都可以。

## 发错货

实在抱歉，是我们仓库拣货出了差错。我们马上为您补发正确的商品，
错发的商品请用我们提供的运单号寄回，运费由我们承担。

## 处理时限

- 退货：收到退回商品后 24 小时内退款
- 换货：收到退回商品后当天发出新品
"""

LOGISTICS = """
# 物流查询话术

## 查询物流

亲，麻烦提供一下订单号，我马上帮您查询物流信息～

## 物流长时间未更新

物流信息超过 48 小时没有更新时，我们会联系快递公司核实，
并在 24 小时内给您回复。处理进度可以在售后工单里查看，例如 SH-3。

## 显示签收但未收到

亲，先别着急！请您看一下家门口、快递柜和小区驿站，
如果都没有找到，我们会联系快递站点核实签收人；48 小时内未找回，我们先为您补发。
"""

CAMPAIGN = """
# 大促活动说明话术

## 活动时间

七夕活动「爱要说出来」：预热 7 天，七夕当天及前一天为正式活动期。

## 优惠规则

- 全店满 299 减 40、满 499 减 80，可与店铺优惠券叠加
- 情侣款第二件半价
- 前 500 名付款赠定制贺卡和礼盒包装

## 常见问题

**问：活动价什么时候生效？**
答：正式活动期 0 点生效，预热期间加购物车即可锁定赠品名额。

**问：可以保价吗？**
答：活动期间购买的商品，活动结束前降价可以申请差价。
"""


def _text(markdown: str) -> str:
    return textwrap.dedent(markdown).strip() + "\n"


# title, first text, then (who, what changes, note) for each later version
SCRIPTS = [
    (
        "售前咨询",
        PRE_SALES,
        [
            (
                "wu",
                [("很高兴为您服务～", "很高兴为您服务～今天下单还有小礼品哦！")],
                "开场白加上赠品提示",
            ),
            (
                "zhou",
                [
                    (
                        "| 178 cm 以上 | 75 kg 以上 | XL |",
                        "| 178–185 cm | 75–85 kg | XL |\n| 185 cm 以上 | 85 kg 以上 | XXL |",
                    )
                ],
                "尺码表增加 XXL",
            ),
        ],
    ),
    (
        "售后退换货",
        AFTER_SALES,
        [
            (
                "zhou",
                [
                    ("## 七天无理由退货", "## 七天无理由退换货"),
                    ("申请七天无理由退货。", "申请七天无理由退换货。"),
                ],
                "退货改为退换货",
            ),
            (
                "liu",
                [("24 小时内退款。\n", "24 小时内退款。退款原路返回，一般 1–3 个工作日到账。\n")],
                "补充退款到账时间",
            ),
            ("zhou", [("当天发出新品", "当天发出新品，并短信通知您新的运单号")], ""),
        ],
    ),
    (
        "物流查询",
        LOGISTICS,
        [
            (
                "wu",
                [
                    (
                        "48 小时内未找回，我们先为您补发。",
                        "48 小时内未找回，我们先为您补发，不影响您使用。",
                    )
                ],
                "签收未收到：语气更安抚",
            ),
        ],
    ),
    (
        "大促活动说明",
        CAMPAIGN,
        [
            (
                "chen",
                [("可与店铺优惠券叠加", "可与店铺优惠券叠加，不与其他满减同享")],
                "运营确认叠加规则",
            ),
            (
                "zhou",
                [
                    (
                        "活动结束前降价可以申请差价。",
                        "活动结束前降价可以申请差价，请联系在线客服并提供订单号。",
                    )
                ],
                "保价流程",
            ),
        ],
    ),
]


def build_documents(owner, organization, people: dict, teams: dict) -> dict:
    """The 客服话术 folder: four scripts with a few versions each, followed by the 客服 team and
    the people who wrote them."""
    folder = services.create_folder(actor=owner, organization=organization, name=FOLDER)
    documents = {}
    for title, first, edits in SCRIPTS:
        document = services.create_document(
            actor=people["zhou"],
            organization=organization,
            folder=folder,
            title=title,
            body=_text(first),
        )
        for who, changes, note in edits:
            body = document.body
            for old, new in changes:
                if old not in body:
                    raise ValueError(f"the demo's edit of {title} no longer applies: {old}")
                body = body.replace(old, new)
            services.save_version(
                actor=people[who],
                document=document,
                title=title,
                body=body,
                base_version=document.version,
                note=note,
            )
        services.add_followers(
            actor=people["zhou"], document=document, users=[owner], teams=[teams["客服"]]
        )
        documents[title] = document
    return {"folder": folder, "documents": documents}
