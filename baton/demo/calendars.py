"""The demo's calendars: one per selling platform with the year's main campaigns, the team's
weekly meeting and the public holidays. Campaign dates are month and day, or the lunar festival a
campaign leads up to, so every year's demo has this year's dates."""

# The Chinese text uses full-width punctuation, as Chinese text should.
# ruff: noqa: RUF001

from baton.demo.people import HEADS, OWNER

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

# A campaign event's description is this line (its lead and its dates), then CAMPAIGN_NOTES.
CAMPAIGN_HEADLINE = "{lead}（{start:%m/%d} – {end:%m/%d}）\n"
CAMPAIGN_REMINDERS = [1440 * 7]  # minutes before: a week ahead
ZONE = "Asia/Shanghai"

TEAM_CALENDAR = {"name": "团队日程", "color": "blue", "description": "例会、复盘和培训。"}

# The weekly meeting on Mondays at 10, first held eight weeks ago, with the owner and the heads.
WEEKLY_MEETING = {
    "title": "周例会",
    "hours": (10, 11),
    "weeks_ago": 8,
    "location": "3 楼会议室 / 线上会议",
    "description": "**议程**\n\n1. 上周数据复盘（运营）\n2. 本周大促准备进度（各部门）\n"
    "3. 客服和售后问题（客服）\n4. 库存和发货（仓储）",
    "rrule": "FREQ=WEEKLY;BYDAY=MO",
    "participants": [OWNER, *HEADS],
    "reminders": [60],
}

# The public holidays and 调休 working days: seeded from chinese-calendar, edited by admins.
HOLIDAYS_CALENDAR = {
    "name": "中国法定节假日",
    "color": "green",
    "description": "法定节假日和调休上班日。管理员在「节假日」页面增改和导入。",
    "kind": "holidays",
}
