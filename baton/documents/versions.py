"""How document versions are stored: a full text now and then, small line deltas in between.

A script edited 500 times barely changes between two versions, so storing every 50 KB text in
full would take 25 MB for one document. Instead a version is either
- "full": the whole text, zlib-compressed (the first version, then at least every
  KEYFRAME_EVERY versions, and whenever a delta would not be much smaller), or
- "delta": the line changes from the version before it, as compressed JSON
  `[[first line, end line, "replacement"], ...]`.
Rebuilding version n reads at most KEYFRAME_EVERY rows (one query, see `bodies`) and applies
their deltas in order; the newest text is also kept whole on the Document, so opening a document
never rebuilds anything.
"""

import json
import zlib
from dataclasses import dataclass
from difflib import SequenceMatcher

KEYFRAME_EVERY = 20
FULL, DELTA = "full", "delta"


def pack_text(text: str) -> bytes:
    return zlib.compress(text.encode(), 6)


def unpack_text(data: bytes) -> str:
    return zlib.decompress(bytes(data)).decode()


def _line_changes(old: str, new: str) -> tuple[list, int, int]:
    """The line changes from `old` to `new` as [first line, end line, replacement] (lines keep
    their line ends), and how many lines they add and remove."""
    a, b = old.splitlines(keepends=True), new.splitlines(keepends=True)
    changes, added, removed = [], 0, 0
    for op, i1, i2, j1, j2 in SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op != "equal":
            changes.append([i1, i2, "".join(b[j1:j2])])
            added, removed = added + j2 - j1, removed + i2 - i1
    return changes, added, removed


def make_delta(old: str, new: str) -> bytes:
    """The changes that turn `old` into `new`, line by line."""
    return _pack_changes(_line_changes(old, new)[0])


def _pack_changes(changes: list) -> bytes:
    return zlib.compress(json.dumps(changes, ensure_ascii=False).encode(), 6)


def apply_delta(old: str, delta: bytes) -> str:
    lines = old.splitlines(keepends=True)
    # Applied from the last change back, so the earlier line numbers stay valid.
    for start, end, replacement in reversed(json.loads(zlib.decompress(bytes(delta)))):
        lines[start:end] = replacement.splitlines(keepends=True)
    return "".join(lines)


@dataclass
class Stored:
    kind: str
    data: bytes
    added: int = 0  # lines, against the version before
    removed: int = 0


def encode(number: int, previous: str | None, text: str) -> Stored:
    """How version `number` is stored, given the text of the version before it."""
    full = pack_text(text)
    if previous is None:
        return Stored(FULL, full)
    changes, added, removed = _line_changes(previous, text)
    if (number - 1) % KEYFRAME_EVERY == 0:
        return Stored(FULL, full, added, removed)
    delta = _pack_changes(changes)
    if len(delta) * 2 > len(full):
        return Stored(FULL, full, added, removed)
    return Stored(DELTA, delta, added, removed)


def rebuild(rows) -> str:
    """The text of the last of `rows` (kind, data), in version order, starting at a full one."""
    text = None
    for kind, data in rows:
        if kind == FULL:
            text = unpack_text(data)
        elif text is not None:
            text = apply_delta(text, data)
    if text is None:
        raise ValueError("no full version to start from")
    return text
