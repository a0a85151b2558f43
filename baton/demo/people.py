"""The demo's people and departments: the shop's owner, her staff and the five teams."""

from baton.orgs.models import Role

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

# The owner, who creates the organization and everything in it.
OWNER = "wang"

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
