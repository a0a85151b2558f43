"""How stored custom field values read on a card, a row or the panel: shared by the builders
(cards.py, rows.py), the queries and the template tags."""


def has_value(value) -> bool:
    """Whether a stored value shows: not missing, empty or an unchecked box. A number 0 does."""
    return not (value is None or value is False or value == "" or value == [])


def format_number(value) -> str:
    """A stored number as people write it: 5, 3.5, -0.25 (never 5.0 or 1e-05)."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return str(value)
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, int):
        return str(value)
    text = f"{value:.12f}".rstrip("0").rstrip(".")
    return text if text not in ("", "-0") else "0"
