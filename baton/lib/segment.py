"""Text to search tokens, the same way for what is indexed and for what is searched (pure Python).

Chinese has no spaces between words, so words cannot be found by splitting on spaces. Instead:

- a run of CJK characters (Chinese, Japanese kana, Korean) and a run of digits become overlapping
  bigrams followed by the run's last character: ``商品质量`` → ``商品 品质 质量 量``,
  ``2026`` → ``20 02 26 6``; a run of one character is that character;
- a run of other letters (Latin, Cyrillic, accented…) is one word: ``Refund`` → ``refund``
  (its first MAX_WORD letters);
- everything else (spaces, punctuation, symbols, emoji) separates runs and is dropped.

Text is first folded one character to one character (`fold`): full-width letters and digits to
ASCII (full-width SH-12 → ``sh-12``), CJK compatibility ideographs to the unified ones, then
lower case.
Because folding never changes the length, a token's span in the folded text is its span in the
original text, which is what highlighting needs.

A search *term* (`parse_query` splits the query on whitespace) matches where its tokens occur
consecutively (a phrase), so a term matches exactly where its text occurs as a substring inside a
CJK or digit run: ``品质`` finds ``商品质量``, ``400123`` finds ``2026112400123``. Inside a term,
where a run ends before another kind of character, the run's last character is kept as a token
(as in the text, where that run ends there too). The term's last run is special: a run of two or
more CJK characters or digits gives its bigrams only (the text may continue), and a single CJK
character or digit, or a word, matches as a prefix (``退`` finds ``退款``, ``refu`` finds
``refund``). Words match from their start only: ``wei`` does not find ``zhangwei``.

Why the trailing character: every occurrence of a character is then the start of a token (a
bigram, or the run's last character), so a one-character query finds every occurrence.
"""

import operator
import re
import unicodedata
from dataclasses import dataclass, field

# Ranges read as CJK: kana (without the middle dot and combining marks), CJK extension A,
# unified ideographs, compatibility ideographs, Hangul syllables, extensions B to D. Kept to
# characters that SQLite's unicode61 tokenizer (Unicode 6.1) knows as letters.
CJK = (
    "\u3041-\u3096\u309d-\u309f\u30a1-\u30fa\u30fc-\u30ff"
    "\u3400-\u4db5\u4e00-\u9fcc\uf900-\ufad9\uac00-\ud7a3\U00020000-\U0002b81d"
)
_RUN = re.compile(rf"([{CJK}]+)|(\d+)|([^\W\d_{CJK}]+)")
_WORD = 3  # the group of _RUN that matched a word
_LETTER = rf"[^\W\d_{CJK}]"
_NOT_AFTER_LETTER = rf"(?<!{_LETTER})"
_NOT_BEFORE_LETTER = rf"(?!{_LETTER})"
_BETWEEN_RUNS = r"[\W_]*"

MAX_QUERY_CHARS = 100
MAX_TERMS = 8
MAX_WORD = 64  # longer words (a pasted hash, base64…) are indexed and searched by their start


def _fold_table() -> dict[int, str]:
    """Characters whose folded form is another letter or digit (full-width punctuation is left:
    it separates either way)."""
    table = {0x130: "i"}  # İ lower-cases to two characters; keep folding one to one
    ranges = [(0xFF10, 0xFF5A), (0xFF66, 0xFF9D), (0xF900, 0xFAFF), (0x2F00, 0x2FD5)]
    for first, last in ranges:
        for code in range(first, last + 1):
            folded = unicodedata.normalize("NFKC", chr(code))
            if len(folded) == 1 and folded != chr(code) and folded.isalnum():
                table[code] = folded
    return table


_FOLD = _fold_table()
_FOLDABLE = re.compile("[" + "".join(re.escape(chr(code)) for code in sorted(_FOLD)) + "]")


def fold(text: str) -> str:
    """Full-width letters and digits to ASCII, compatibility ideographs to unified ones, lower
    case; the length stays the same."""
    if _FOLDABLE.search(text):
        text = text.translate(_FOLD)
    return text.lower()


def tokens(text: str) -> list[str]:
    """The tokens of `text` (see the module docstring), in order."""
    out: list[str] = []
    add = operator.add
    for match in _RUN.finditer(fold(text)):
        run = match.group()
        if match.lastindex == _WORD:
            out.append(run[:MAX_WORD])
        elif len(run) == 1:
            out.append(run)
        else:
            out.extend(map(add, run, run[1:]))
            out.append(run[-1])
    return out


def segment(text: str) -> str:
    """The tokens of `text` separated by spaces: what the database indexes."""
    return " ".join(tokens(text))


def spans(text: str) -> list[tuple[str, int, int]]:
    """The tokens of `text` with their [start, end) offsets in `text`."""
    out: list[tuple[str, int, int]] = []
    for match in _RUN.finditer(fold(text)):
        run, start = match.group(), match.start()
        if match.lastindex == _WORD:
            out.append((run[:MAX_WORD], start, match.end()))
        elif len(run) == 1:
            out.append((run, start, match.end()))
        else:
            out.extend((run[i : i + 2], start + i, start + i + 2) for i in range(len(run) - 1))
            out.append((run[-1], start + len(run) - 1, start + len(run)))
    return out


@dataclass(frozen=True)
class Term:
    """Consecutive tokens to find; with `prefix`, the last one may be the start of a longer one.

    `pattern` finds the term in folded text (see `fold`) for ranking: the term's runs in order,
    anything but letters and digits between them, words starting (and, but for a last prefix
    word, ending) at a word boundary. It counts the places the tokens match, give or take an
    overlap (``哈哈`` is counted once in ``哈哈哈``, where its tokens occur twice).
    """

    tokens: tuple[str, ...]
    prefix: bool
    pattern: re.Pattern = field(compare=False, repr=False)


def term(text: str) -> Term | None:
    """One search term (no whitespace inside), or None when it has no letters or digits."""
    runs = list(_RUN.finditer(fold(text)))
    if not runs:
        return None
    out: list[str] = []
    pieces: list[str] = []
    for index, match in enumerate(runs):
        run, last = match.group(), index == len(runs) - 1
        if match.lastindex == _WORD:
            out.append(run[:MAX_WORD])
            piece = _NOT_AFTER_LETTER + re.escape(run)
            pieces.append(piece if last else piece + _NOT_BEFORE_LETTER)
        elif len(run) == 1:
            out.append(run)
            pieces.append(re.escape(run))
        else:
            out.extend(map(operator.add, run, run[1:]))
            if not last:
                out.append(run[-1])
            pieces.append(re.escape(run))
    last_run = runs[-1]
    prefix = last_run.lastindex == _WORD or len(last_run.group()) == 1
    return Term(tuple(out), prefix, re.compile(_BETWEEN_RUNS.join(pieces)))


def parse_query(query: str) -> list[Term]:
    """The query's terms: whitespace-separated, all of which must match (at most MAX_TERMS, from
    the first MAX_QUERY_CHARS characters). Punctuation-only terms are dropped; duplicates too."""
    found: list[Term] = []
    for text in query[:MAX_QUERY_CHARS].split():
        found_term = term(text)
        if found_term is not None and found_term not in found:
            found.append(found_term)
            if len(found) == MAX_TERMS:
                break
    return found


def matches(spans_: list[tuple[str, int, int]], found: Term) -> list[tuple[int, int]]:
    """The [start, end) character ranges where `found` occurs among `spans_` (from `spans`).

    A prefix match covers only the typed part of the last token: ``退`` in ``退款`` marks ``退``.
    """
    want = found.tokens
    size = len(want)
    head, last = want[:-1], want[-1]
    out = []
    for i in range(len(spans_) - size + 1):
        token, start, end = spans_[i + size - 1]
        if found.prefix:
            if not token.startswith(last):
                continue
            end = start + len(last)
        elif token != last:
            continue
        if all(spans_[i + k][0] == head[k] for k in range(size - 1)):
            out.append((spans_[i][1], end))
    return out
