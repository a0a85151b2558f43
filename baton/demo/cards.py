"""The small helpers the scenario modules write their cards with, so each card is one readable
call: `card` for any card, `ticket` for an after-sales ticket, `backlog` for a requirement's
custom fields, `day` and `md` for the text."""

# The Chinese text uses full-width punctuation, as Chinese text should.
# ruff: noqa: RUF001

import datetime
import textwrap
from typing import Any

from baton.demo.people import OWNER, PEOPLE
from baton.projects.models import Priority, ProjectRole

NONE, LOW, MEDIUM, HIGH, URGENT = (
    Priority.NONE,
    Priority.LOW,
    Priority.MEDIUM,
    Priority.HIGH,
    Priority.URGENT,
)


def md(text: str) -> str:
    """Markdown written indented inside the data, as it is stored: dedented, one final newline."""
    return textwrap.dedent(text).strip() + "\n"


def day(today: datetime.date, offset: int) -> str:
    """A date `offset` days from today as the text says it (8月19日), so plans stay current."""
    date = today + datetime.timedelta(days=offset)
    return f"{date.month}月{date.day}日"


def everyone() -> dict[str, ProjectRole]:
    """Every employee as a project member; the owner owns the organization and needs no role."""
    return {key: ProjectRole.MEMBER for key in PEOPLE if key != OWNER}


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
    """An after-sales ticket: order, customer and 旺旺 name in the title (as the seed's board
    writes them) and in the custom fields, the problem and its handling in the description."""
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


def backlog(importance: int, estimate: float) -> dict[str, Any]:
    """A backlog item's 重要性 (higher first) and 初始估值 (days)."""
    return {"重要性": importance, "初始估值": estimate}
