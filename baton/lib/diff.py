"""Readable differences between two texts: lines first, then words inside a changed line.

Markdown keeps a paragraph on one line, so a line-level diff alone would mark a whole paragraph
for one changed character. Changed lines are therefore paired and compared again token by token,
where a token is a run of Latin letters and digits, a run of spaces, or any other single
character: each Chinese character is a token of its own, so "七天无理由退货" → "七天无理由退换货"
highlights 换 alone.

`diff_texts` gives rows for an inline or a side-by-side view; `DiffRow.old_html` and `new_html`
are escaped HTML with <del>/<ins> around what changed.
"""

import re
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from html import escape

TOKEN = re.compile(r"[A-Za-z0-9_]+|\s+|[^\sA-Za-z0-9_]")
# Below this similarity a changed line reads better as one line out and one line in.
SIMILAR_ENOUGH = 0.35


@dataclass
class DiffRow:
    """One row of a diff: "equal", "insert", "delete" or "change" (a line edited in place), with
    its line numbers on each side (None where the line is absent there)."""

    kind: str
    old_number: int | None
    new_number: int | None
    old_html: str = ""
    new_html: str = ""


@dataclass
class Diff:
    rows: list[DiffRow] = field(default_factory=list)
    added: int = 0  # lines
    removed: int = 0

    @property
    def changed(self) -> bool:
        return bool(self.added or self.removed)

    def hunks(self, context: int = 3) -> list[list[DiffRow]]:
        """The changed rows with `context` unchanged rows around them, in separate runs."""
        keep = set()
        for index, row in enumerate(self.rows):
            if row.kind != "equal":
                keep.update(range(index - context, index + context + 1))
        hunks: list[list[DiffRow]] = []
        previous = None
        for index in sorted(i for i in keep if 0 <= i < len(self.rows)):
            if previous is None or index != previous + 1:
                hunks.append([])
            hunks[-1].append(self.rows[index])
            previous = index
        return hunks


def _marked(tokens: list[str], tag: str) -> str:
    return f"<{tag}>{escape(''.join(tokens))}</{tag}>" if tokens else ""


def diff_line(old: str, new: str) -> tuple[str, str, float]:
    """Both sides of one edited line as HTML, what changed wrapped in <del>/<ins>, and how
    similar the two are (0 to 1)."""
    a, b = TOKEN.findall(old), TOKEN.findall(new)
    matcher = SequenceMatcher(None, a, b, autojunk=False)
    old_html, new_html = [], []
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            same = escape("".join(a[i1:i2]))
            old_html.append(same)
            new_html.append(same)
        else:
            old_html.append(_marked(a[i1:i2], "del"))
            new_html.append(_marked(b[j1:j2], "ins"))
    return "".join(old_html), "".join(new_html), matcher.ratio()


def _changed_block(diff: Diff, old: list[str], new: list[str], i: int, j: int) -> None:
    """Lines replaced by others: pair them in order and compare each pair word by word."""
    for offset in range(max(len(old), len(new))):
        before = old[offset] if offset < len(old) else None
        after = new[offset] if offset < len(new) else None
        old_number = i + offset + 1 if before is not None else None
        new_number = j + offset + 1 if after is not None else None
        if before is not None and after is not None:
            old_html, new_html, ratio = diff_line(before, after)
            if ratio >= SIMILAR_ENOUGH:
                diff.rows.append(DiffRow("change", old_number, new_number, old_html, new_html))
                diff.removed += 1
                diff.added += 1
                continue
        if before is not None:
            diff.rows.append(DiffRow("delete", old_number, None, _marked([before], "del")))
            diff.removed += 1
        if after is not None:
            diff.rows.append(DiffRow("insert", None, new_number, "", _marked([after], "ins")))
            diff.added += 1


def diff_texts(old: str, new: str) -> Diff:
    """The difference from `old` to `new`, line by line and, inside changed lines, word by word."""
    a, b = old.splitlines(), new.splitlines()
    diff = Diff()
    for op, i1, i2, j1, j2 in SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op == "equal":
            for offset in range(i2 - i1):
                text = escape(a[i1 + offset])
                diff.rows.append(DiffRow("equal", i1 + offset + 1, j1 + offset + 1, text, text))
        elif op == "replace":
            _changed_block(diff, a[i1:i2], b[j1:j2], i1, j1)
        elif op == "delete":
            _changed_block(diff, a[i1:i2], [], i1, j1)
        else:
            _changed_block(diff, [], b[j1:j2], i1, j1)
    return diff
