"""Matches marked in the original text, in Python (the same on every database).

The text is escaped, the places where a term's tokens match are wrapped in ``<mark>``; the results
are `SafeString`s that a template prints as they are.
"""

import re
from collections.abc import Sequence
from itertools import islice

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from baton.lib.segment import MAX_WORD, Term, fold, matches, spans

SNIPPET_CHARS = 80
LONG_TEXT = 300  # longer texts are segmented only around the places the terms may match
_SPACE = re.compile(r"\s+")


def ranges(text: str, terms: Sequence[Term]) -> list[tuple[int, int]]:
    """Where any of `terms` matches in `text`, as sorted, merged [start, end) ranges."""
    tokens = spans(text)
    found = sorted({r for term in terms for r in matches(tokens, term)})
    merged: list[tuple[int, int]] = []
    for start, end in found:
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def _marked(text: str, marks: list[tuple[int, int]], start: int, end: int) -> str:
    out, at = [], start
    for mark_start, mark_end in marks:
        mark_start, mark_end = max(mark_start, start), min(mark_end, end)
        if mark_start >= mark_end:
            continue
        out.append(escape(_SPACE.sub(" ", text[at:mark_start])))
        out.append(f"<mark>{escape(_SPACE.sub(' ', text[mark_start:mark_end]))}</mark>")
        at = mark_end
    out.append(escape(_SPACE.sub(" ", text[at:end])))
    return "".join(out)


def _widen(text: str, start: int, end: int) -> tuple[int, int]:
    """[start, end) widened so that it cuts no word (at most MAX_WORD characters more a side):
    the tokens of the slice are then the text's tokens there (a CJK or digit run cut anywhere
    gives its bigrams from the cut on, and a single character at the end that is in the text)."""
    limit = max(0, start - MAX_WORD)
    while start > limit and text[start - 1].isalnum():
        start -= 1
    limit = min(len(text), end + MAX_WORD)
    while end < limit and text[end].isalnum():
        end += 1
    return start, end


def first_ranges(text: str, terms: Sequence[Term], around: int) -> list[tuple[int, int]]:
    """`ranges` of the first match and what follows it within `around` characters.

    A long text is not segmented whole (2,000 characters take ~1 ms, 15,000 ~7 ms): each term's
    `pattern`, which finds at least every place its tokens match, points at candidates in order,
    and the tokens are compared in a slice around each until one matches.
    """
    if len(text) <= LONG_TEXT:
        return ranges(text, terms)
    folded = fold(text)
    candidates = sorted(
        {found.start() for term in terms for found in islice(term.pattern.finditer(folded), 20)}
    )
    for candidate in candidates:
        start, end = _widen(text, candidate, candidate + 2 * around)
        found = [(a + start, b + start) for a, b in ranges(text[start:end], terms)]
        found = [(a, b) for a, b in found if a >= candidate]
        if found:
            return found
    return []


def highlight(text: str, terms: Sequence[Term]) -> SafeString:
    """All of `text`, escaped, with every match marked."""
    return mark_safe(_marked(text, ranges(text, terms), 0, len(text)))


def snippet(text: str, terms: Sequence[Term], width: int = SNIPPET_CHARS) -> SafeString:
    """About `width` characters of `text` around its first match, escaped and marked, runs of
    whitespace as one space, … where it is cut; "" when nothing matches in `text`."""
    marks = first_ranges(text, terms, width)
    if not marks:
        return mark_safe("")
    first = marks[0][0]
    start = max(0, first - width // 4)
    end = min(len(text), start + width)
    start = max(0, end - width)
    while start < first and text[start].isspace():
        start += 1
    body = _marked(text, marks, start, end).strip()
    return mark_safe(("…" if start > 0 else "") + body + ("…" if end < len(text) else ""))
