"""The rows of a comparison as HTML, built here rather than in a template loop: comparing two
versions of a long script gives thousands of rows, and a template renders each of them through a
dozen nodes (numbers localised one by one). The texts are already escaped by baton.lib.diff
(<del>/<ins> around what changed); everything else added here is escaped too."""

from collections.abc import Callable
from html import escape

from django.utils.safestring import SafeString, mark_safe

from baton.lib.diff import DiffRow


def _n(number: int | None) -> str:
    return "" if number is None else str(number)


def _inline(row: DiffRow) -> str:
    if row.kind == "equal":
        return (
            f'<tr class="diff-equal"><td class="dh-ln">{row.old_number}</td>'
            f'<td class="dh-ln">{row.new_number}</td><td class="dh-sign"></td>'
            f'<td class="dh-line">{row.new_html}</td></tr>'
        )
    parts = []
    if row.kind != "insert":
        parts.append(
            f'<tr class="diff-{row.kind} is-old"><td class="dh-ln">{row.old_number}</td>'
            f'<td class="dh-ln"></td><td class="dh-sign">&minus;</td>'
            f'<td class="dh-line">{row.old_html}</td></tr>'
        )
    if row.kind != "delete":
        parts.append(
            f'<tr class="diff-{row.kind} is-new"><td class="dh-ln"></td>'
            f'<td class="dh-ln">{row.new_number}</td><td class="dh-sign">+</td>'
            f'<td class="dh-line">{row.new_html}</td></tr>'
        )
    return "".join(parts)


SPLIT_SIDES = {
    "equal": ("", ""),
    "change": (" is-old", " is-new"),
    "delete": (" is-old", " is-blank"),
    "insert": (" is-blank", " is-new"),
}


def _split(row: DiffRow) -> str:
    old_class, new_class = SPLIT_SIDES[row.kind]
    return (
        f'<tr class="diff-{row.kind}"><td class="dh-ln">{_n(row.old_number)}</td>'
        f'<td class="dh-line{old_class}">{row.old_html}</td>'
        f'<td class="dh-ln">{_n(row.new_number)}</td>'
        f'<td class="dh-line{new_class}">{row.new_html}</td></tr>'
    )


def diff_body(
    hunks, trailing: int, *, view: str, folded: Callable[[int], str], all_url: str
) -> SafeString:
    """<tbody> elements for the hunks, a "⋯ n unchanged lines" link (to `all_url`) where lines
    were folded; `folded(n)` gives that link's text."""
    render_row = _split if view == "split" else _inline
    url = escape(all_url)

    def skip(count: int) -> str:
        return (
            f'<tr class="diff-skip"><td colspan="4"><a href="{url}">'
            f"{escape(folded(count))}</a></td></tr>"
        )

    parts = []
    for hunk in hunks:
        parts.append('<tbody class="dh-hunk">')
        if hunk.skipped:
            parts.append(skip(hunk.skipped))
        parts.extend(render_row(row) for row in hunk.rows)
        parts.append("</tbody>")
    if trailing:
        parts.append(f"<tbody>{skip(trailing)}</tbody>")
    return mark_safe("".join(parts))  # the texts were escaped by lib.diff
