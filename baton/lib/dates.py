"""Dates as cards and the task panel show them (pure functions: the caller passes `today`)."""

import datetime

MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]


def due_state(due: datetime.date, today: datetime.date) -> str:
    """'overdue', 'today', 'soon' (within two days) or '': the due badge's CSS modifier."""
    if due < today:
        return "overdue"
    if due == today:
        return "today"
    return "soon" if (due - today).days <= 2 else ""


def short_date(value: datetime.date, this_year: int, chinese: bool) -> str:
    """11月11日 / Nov 11, with the year only when it is not this year."""
    if chinese:
        prefix = "" if value.year == this_year else f"{value.year}年"
        return f"{prefix}{value.month}月{value.day}日"
    text = f"{MONTHS[value.month - 1]} {value.day}"
    return text if value.year == this_year else f"{text}, {value.year}"
