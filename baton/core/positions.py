"""Float positions with gaps: a move computes the midpoint of its neighbours, and only when the gap
runs out is the whole list renumbered (in the caller's transaction)."""

GAP = 1024.0
MIN_GAP = 1e-6


def position_between(before: float | None, after: float | None) -> float | None:
    """The position halfway between two neighbours, or None when they are too close to split.

    `before` is the position of the item above, `after` of the item below; either may be missing.
    """
    if before is None and after is None:
        return GAP
    if before is None:
        return after - GAP
    if after is None:
        return before + GAP
    if after - before < MIN_GAP:
        return None
    return (before + after) / 2


def renumbered(items: list) -> list:
    """Give items (already in order) evenly spaced positions; returns them for bulk_update."""
    for index, item in enumerate(items, start=1):
        item.position = index * GAP
    return items
