"""The database-specific half of search: the document each vendor indexes, and the query.

Both vendors index the same tokens (`baton.lib.segment`) and answer the same question — the newest
`limit` entries of an organization (optionally of some projects and kinds) where every term's
tokens occur consecutively in the title side, the labels or the body — so results are the same
on both.
Ranking and highlighting happen afterwards in Python (`services.py`). The structures are made by
migration 0002_fulltext.

SQLite: an FTS5 table over `search_entry.document` (external content, kept in step by triggers;
unicode61 tokenizer without diacritics removal: the tokens are ready-made, it only splits them on
the spaces). The document starts with scope tokens, ``⁂o<organization> ⁂k<kind in hex>
⁂p<project>``, then ``⁂``, the title side, (``⁂``, the labels' values, when there are any)
``⁂``, the body — where ⁂ stands for U+E000, a
private-use character: unicode61 keeps it in tokens, segmenting drops it as punctuation. So no
query token equals, or is a prefix of, a scope token (a digit-led ``0o1`` would be found by the
prefix query ``0``), and no phrase spans ``⁂``. The scope tokens let FTS5 itself keep to the
organization (and to the projects and kinds when they are few) before it counts up to `limit`.

PostgreSQL: a `tsvector` column with a GIN index (and the model's index on organization_id, id). The
tsvector is written as a literal (no parser, no dictionary, so the lexemes are exactly our
tokens): title side at positions 1…n with weight A, then the labels' values (weight C) and the body
(weight B), each one position after the last, so no phrase spans two parts. Positions stop at
16383 and a lexeme keeps at most 256 of them (PostgreSQL's limits): the indexed text is capped
(services.py) so the first can only cut the end of a body of 15,000 Chinese characters under a
long title and many labels; the second only for the 257th repetition of one token in one text.
"""

from collections.abc import Sequence

from baton.lib.segment import Term

SCOPE = "\ue000"  # starts the scope tokens, and alone separates the title side from the body

# PostgreSQL reads the organization's newest RECENT entries first, then looks at the older ones.
RECENT = 10000

# With more projects or kinds than this, SQLite filters them on the joined row instead of with
# scope tokens (a long OR of tokens costs more than it saves). The answer is the same.
MAX_SCOPE_TOKENS = 30

# Candidates bring the start of their body only (ranking counts matches there); the hits shown
# fetch the rest when they need it for their snippet (services.py).
BODY_PREFIX = 2000
_COLUMNS = (
    "e.id, e.kind, e.object_id, e.project_id, e.reference, e.title, "
    f"substr(e.body, 1, {BODY_PREFIX}), e.labels"
)
MAX_POSITION = 16383
MAX_POSITIONS_PER_LEXEME = 256


def _kind_token(kind: str) -> str:
    return f"{SCOPE}k{kind.encode().hex()}"


def document(
    vendor: str,
    *,
    organization_id: int,
    project_id: int | None,
    kind: str,
    title_tokens: Sequence[str],
    body_tokens: Sequence[str],
    label_tokens: Sequence[str] = (),
) -> str:
    """The value of `Entry.document` for this vendor. The labels' tokens come between the title
    side and the body, each part on its own (no phrase spans two), before the body so that
    PostgreSQL's position limit never drops them."""
    if vendor == "postgresql":
        return _tsvector(title_tokens, label_tokens, body_tokens)
    scope = [f"{SCOPE}o{organization_id}", _kind_token(kind)]
    if project_id is not None:
        scope.append(f"{SCOPE}p{project_id}")
    labels = [SCOPE, *label_tokens] if label_tokens else []
    return " ".join([*scope, SCOPE, *title_tokens, *labels, SCOPE, *body_tokens])


def _lexeme(token: str) -> str:
    return "'" + token.replace("\\", "\\\\").replace("'", "''") + "'"


def _tsvector(
    title_tokens: Sequence[str], label_tokens: Sequence[str], body_tokens: Sequence[str]
) -> str:
    positions: dict[str, list[str]] = {}
    numbered = [(i, token, "A") for i, token in enumerate(title_tokens, 1)]
    gap = len(title_tokens) + 2
    if label_tokens:
        numbered += [(i, token, "C") for i, token in enumerate(label_tokens, gap)]
        gap += len(label_tokens) + 1
    numbered += [(i, token, "B") for i, token in enumerate(body_tokens, gap)]
    for position, token, weight in numbered:
        if position > MAX_POSITION:
            break
        found = positions.setdefault(token, [])
        if len(found) < MAX_POSITIONS_PER_LEXEME:
            found.append(f"{position}{weight}")
    return " ".join(f"{_lexeme(token)}:{','.join(at)}" for token, at in positions.items())


def candidates(
    connection,
    *,
    organization_id: int,
    project_ids: Sequence[int] | None,
    kinds: Sequence[str] | None,
    terms: Sequence[Term],
    limit: int,
) -> list[tuple]:
    """(id, kind, object_id, project_id, reference, title, body[:BODY_PREFIX], labels) of the
    newest `limit` matches."""
    if connection.vendor == "postgresql":
        return _postgres(connection, organization_id, project_ids, kinds, terms, limit)
    return _sqlite(connection, organization_id, project_ids, kinds, terms, limit)


def _phrase(term: Term) -> str:
    quoted = '"' + " ".join(token.replace('"', '""') for token in term.tokens) + '"'
    return quoted + "*" if term.prefix else quoted


def _any_of(tokens: list[str]) -> str:
    return "(" + " OR ".join(f'"{token}"' for token in tokens) + ")"


def _sqlite(connection, organization_id, project_ids, kinds, terms, limit) -> list[tuple]:
    match = [f'"{SCOPE}o{organization_id}"']
    where, params = ["e.organization_id = %s"], [organization_id]
    if project_ids is not None:
        if len(project_ids) <= MAX_SCOPE_TOKENS:
            match.append(_any_of([f"{SCOPE}p{p}" for p in project_ids]))
        where.append(f"e.project_id IN ({', '.join(['%s'] * len(project_ids))})")
        params += project_ids
    if kinds is not None:
        if len(kinds) <= MAX_SCOPE_TOKENS:
            match.append(_any_of([_kind_token(kind) for kind in kinds]))
        where.append(f"e.kind IN ({', '.join(['%s'] * len(kinds))})")
        params += kinds
    match += [_phrase(term) for term in terms]
    sql = (
        f"SELECT {_COLUMNS} FROM search_entry_fts f JOIN search_entry e ON e.id = f.rowid "
        f"WHERE search_entry_fts MATCH %s AND {' AND '.join(where)} "
        "ORDER BY f.rowid DESC LIMIT %s"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [" AND ".join(match), *params, limit])
        return cursor.fetchall()


def tsquery(terms: Sequence[Term]) -> str:
    """The terms as a tsquery literal: phrases joined by &, the last lexeme of a prefix term :*."""
    phrases = []
    for term in terms:
        lexemes = [_lexeme(token) for token in term.tokens]
        if term.prefix:
            lexemes[-1] += ":*"
        phrases.append("(" + " <-> ".join(lexemes) + ")")
    return " & ".join(phrases)


def _postgres(connection, organization_id, project_ids, kinds, terms, limit) -> list[tuple]:
    """Newest first among the organization's RECENT newest entries, then the GIN index.

    The planner cannot be trusted to choose between reading entries newest first (best when the
    query is common) and the GIN index (best when it is rare): it guesses how common a query is
    from its lexemes as if they were independent. The bigrams of a word are anything but (a
    phrase like ``快递单号`` in 12,000 entries is guessed at 600: the GIN index then brings all
    12,000, each tsvector read again to check the phrase), and two common words rarely together
    (``退款 refund``) are guessed common (reading newest first then goes through the whole
    organization). So the first step always reads newest first, and at most RECENT rows (a
    LIMIT in a subquery, which the planner does not see through). If that does not fill `limit`,
    the query is rare among recent entries and likely rare among older ones: the second step
    looks among those through the GIN index — for a query of several terms, only through it
    (ORDER BY id + 0 takes the newest-first plan away); a single phrase keeps the planner's
    choice, because a phrase of common lexemes (``SH-1``) can be rare yet have a GIN answer
    (entries having ``sh`` and ``1…`` anywhere) of half the table.
    """
    where, params = [], []
    if project_ids is not None:
        where.append("e.project_id = ANY(%s)")
        params.append(list(project_ids))
    if kinds is not None:
        where.append("e.kind = ANY(%s)")
        params.append(list(kinds))
    query = tsquery(terms)
    filters = "".join(f" AND {condition}" for condition in where)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {_COLUMNS} FROM (SELECT * FROM search_entry "
            "WHERE organization_id = %s ORDER BY organization_id DESC, id DESC LIMIT %s) e "
            f"WHERE e.document @@ %s::tsquery{filters} ORDER BY e.id DESC LIMIT %s",
            [organization_id, RECENT, query, *params, limit],
        )
        rows = cursor.fetchall()
        if len(rows) == limit:
            return rows
        cursor.execute(
            "SELECT id FROM search_entry WHERE organization_id = %s "
            "ORDER BY organization_id DESC, id DESC OFFSET %s LIMIT 1",
            [organization_id, RECENT - 1],
        )
        bound = cursor.fetchone()
        if bound is None:  # the first step saw the whole organization
            return rows
        order = "e.id + 0" if len(terms) > 1 else "e.id"
        cursor.execute(
            f"SELECT {_COLUMNS} FROM search_entry e WHERE e.document @@ %s::tsquery "
            f"AND e.organization_id = %s AND e.id < %s{filters} ORDER BY {order} DESC LIMIT %s",
            [query, organization_id, bound[0], *params, limit - len(rows)],
        )
        return rows + cursor.fetchall()
