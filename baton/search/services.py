"""Full-text search for Chinese, English and numbers, the same on SQLite and PostgreSQL.

The whole API is here:

- ``index_entry(*, kind, object_id, organization_id, project_id, reference, title, body,
  labels=())`` inserts or replaces the entry of one object (`kind` names what it is: "task",
  "comment"…); `labels` are (label, value) pairs that classify it (a card's tags: ("tag",
  "退款")): their values are searched like the title, and a hit lists those that matched;
- ``index_entries(rows)`` does the same for many (mappings with those keys), in bulk;
- ``remove_entry(*, kind, object_id)``, ``remove_entries(*, kind, object_ids)``,
  ``remove_project(project_id)``, ``remove_organization(organization_id)`` take entries out;
- ``rebuild_documents()`` segments every stored entry again (after the tokenizer changed);
- ``search(*, organization_id, project_ids, query, kinds=None, limit=20) -> list[Hit]``.

Writes run in the caller's transaction (call them inside it, so the index rolls back with the
data). Search is a low layer: the caller decides who may see which projects and passes
`project_ids` (None: every project of the organization, and entries without a project).

How a query is read (`baton.lib.segment`): whitespace separates terms and every term must match;
a term matches where its text occurs in the title side (reference and title), in a label's value
or in the body — inside Chinese text and numbers as a substring (``退款`` finds ``申请退款处理中``,
``400123`` finds ``2026112400123``), words from their start (``refu`` finds ``Refund``), a single
Chinese character or digit wherever it occurs. Case and full-width forms do not matter. Punctuation
separates, and nothing in a query is syntax: quotes, ``*``, ``OR``, ``NEAR(`` are text.

Ranking: the database finds the newest `CANDIDATES` matches (newest by when the entry was first
indexed); Python ranks them: an exact reference (``SH-12``) first, then by
``Σ over terms (10 · s(title-side count) + 10 · s(labels count) + s(body count))`` with
``s(n) = 2n / (n + 1)`` — any title or label match outranks matches in the body only, more
matches outrank fewer (counted in the first RANKED_BODY_CHARS characters of a body) — then
newest first.
So for a term found in more than CANDIDATES entries, older entries are left out.
"""

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from itertools import batched, chain

from django.db import connection, transaction
from django.db.models.functions import Substr, Upper

from baton.lib.segment import MAX_QUERY_CHARS, Term, fold, parse_query, tokens
from baton.search import backends
from baton.search.highlight import highlight, ranges, snippet
from baton.search.models import Entry

CANDIDATES = 300  # matches ranked in Python; the newest ones
MAX_LIMIT = 100
TITLE_CHARS = 1000  # what is indexed (and kept) of a title and of a body
BODY_CHARS = 15000
RANKED_BODY_CHARS = backends.BODY_PREFIX  # matches are counted in this much of a body
EXACT_REFERENCE_BONUS = 100.0
TITLE_WEIGHT = 10.0
LABEL_WEIGHT = 10.0  # a tag says what a card is about as plainly as its title does
LABEL_CHARS = 100  # of a label and of its value
LABELS_CHARS = 1000  # of all the labels of an entry
BATCH = 500
_KIND = re.compile(r"^\S{1,32}$")
_REFERENCE_QUERY = re.compile(r"^(?=\S*\d)\S{1,40}$")  # references have a number
_UPDATED = ["organization_id", "project_id", "reference", "title", "body", "labels", "document"]
_SPACES = re.compile(r"\s+")


@dataclass(frozen=True)
class Hit:
    kind: str
    object_id: int
    project_id: int | None
    reference: str
    title_html: str  # escaped, matches in <mark>
    snippet_html: str  # about 80 characters of the body around its first match; "" if none
    score: float
    labels: tuple[tuple[str, str], ...] = ()  # the (label, value) pairs whose value matched


def _clean(text) -> str:
    """Text a database takes: no NUL (PostgreSQL refuses it), no lone surrogates (not UTF-8)."""
    text = str(text or "").replace("\x00", "")
    return text.encode("utf-8", "replace").decode("utf-8")


def _one_line(text) -> str:
    return _SPACES.sub(" ", _clean(text)).strip()[:LABEL_CHARS]


def _labels_text(labels) -> str:
    """Labels as stored: lines of ``label<TAB>value`` (a str is taken as already stored)."""
    if not labels:
        return ""
    if isinstance(labels, str):
        return labels
    pairs = ((_one_line(label), _one_line(value)) for label, value in labels)
    lines, size = [], 0
    for line in (f"{label}\t{value}" for label, value in pairs if value):
        size += len(line) + 1
        if size > LABELS_CHARS:
            break
        lines.append(line)
    return "\n".join(lines)


def parse_labels(text: str | None) -> list[tuple[str, str]]:
    """The (label, value) pairs of a stored `labels` text."""
    pairs = (line.split("\t", 1) for line in (text or "").splitlines())
    return [(pair[0], pair[1]) for pair in pairs if len(pair) == 2]


def _label_values(text: str | None) -> str:
    return "\n".join(value for _label, value in parse_labels(text))


def _title_side(reference: str, title: str) -> str:
    return f"{reference}\n{title}" if reference else title


def _entry(row: Mapping, vendor: str) -> Entry:
    kind = row["kind"]
    if not isinstance(kind, str) or not _KIND.match(kind):
        raise ValueError(f"kind must be 1 to 32 characters without spaces, not {kind!r}")
    project_id = row.get("project_id")
    project_id = None if project_id is None else int(project_id)
    organization_id = int(row["organization_id"])
    reference = _clean(row.get("reference"))[:40]
    title = _clean(row.get("title"))[:TITLE_CHARS]
    body = _clean(row.get("body"))[:BODY_CHARS]
    labels = _labels_text(row.get("labels"))
    return Entry(
        kind=kind,
        object_id=int(row["object_id"]),
        organization_id=organization_id,
        project_id=project_id,
        reference=reference,
        title=title,
        body=body,
        labels=labels,
        document=backends.document(
            vendor,
            organization_id=organization_id,
            project_id=project_id,
            kind=kind,
            title_tokens=tokens(_title_side(reference, title)),
            body_tokens=tokens(body),
            label_tokens=tokens(_label_values(labels)),
        ),
    )


def index_entries(rows: Iterable[Mapping]) -> int:
    """Insert or replace many entries (mappings with index_entry's keys); returns how many.

    A later row for the same (kind, object_id) wins.
    """
    batches = (_entries(batch) for batch in batched(rows, BATCH))
    # The first batch is checked before the transaction, so one bad row (the usual single-entry
    # call) raises without spoiling the caller's transaction. No savepoint: a card's write stays
    # two statements shorter.
    first = next(batches, None)
    if first is None:
        return 0
    written = 0
    with transaction.atomic(savepoint=False):
        for entries in chain([first], batches):
            Entry.objects.bulk_create(
                entries,
                update_conflicts=True,
                unique_fields=["kind", "object_id"],
                update_fields=_UPDATED,
            )
            written += len(entries)
    return written


def _entries(rows: Iterable[Mapping]) -> list[Entry]:
    entries = {}
    for row in rows:
        entry = _entry(row, connection.vendor)
        entries[entry.kind, entry.object_id] = entry
    return list(entries.values())


def index_entry(
    *,
    kind: str,
    object_id: int,
    organization_id: int,
    project_id: int | None,
    reference: str,
    title: str,
    body: str,
    labels: Iterable[tuple[str, str]] = (),
) -> None:
    """Insert or replace the entry of (kind, object_id)."""
    index_entries(
        [
            {
                "kind": kind,
                "object_id": object_id,
                "organization_id": organization_id,
                "project_id": project_id,
                "reference": reference,
                "title": title,
                "body": body,
                "labels": list(labels),
            }
        ]
    )


def rebuild_documents() -> int:
    """Segment every entry's stored text again (after `baton.lib.segment` changed); returns how
    many. Entries keep their ids, so their order by recency does not change."""
    columns = [
        *("kind", "object_id", "organization_id", "project_id"),
        *("reference", "title", "body", "labels"),
    ]
    rows = Entry.objects.order_by("id").values(*columns).iterator(chunk_size=BATCH)
    return index_entries(rows)


def remove_entry(*, kind: str, object_id: int) -> None:
    Entry.objects.filter(kind=kind, object_id=object_id).delete()


def remove_entries(*, kind: str, object_ids: Iterable[int]) -> None:
    Entry.objects.filter(kind=kind, object_id__in=list(object_ids)).delete()


def remove_project(project_id: int) -> None:
    Entry.objects.filter(project_id=project_id).delete()


def remove_organization(organization_id: int) -> None:
    Entry.objects.filter(organization_id=organization_id).delete()


def _saturated(count: int) -> float:
    return 2 * count / (count + 1)


def _score(row: tuple, terms: list[Term], exact: bool) -> float:
    _id, _kind, _object_id, _project_id, reference, title, body, labels = row
    title_side, body = fold(_title_side(reference, title)), fold(body)
    values = fold(_label_values(labels))
    score = EXACT_REFERENCE_BONUS if exact else 0.0
    for term in terms:
        score += TITLE_WEIGHT * _saturated(len(term.pattern.findall(title_side)))
        score += LABEL_WEIGHT * _saturated(len(term.pattern.findall(values)))
        score += _saturated(len(term.pattern.findall(body)))
    return round(score, 3)


def _exact_references(query, organization_id, project_ids, kinds) -> list[tuple]:
    query = query.strip()
    if not _REFERENCE_QUERY.match(query):
        return []
    entries = Entry.objects.annotate(upper_reference=Upper("reference")).filter(
        organization_id=organization_id, upper_reference=fold(query).upper()
    )
    if project_ids is not None:
        entries = entries.filter(project_id__in=project_ids)
    if kinds is not None:
        entries = entries.filter(kind__in=kinds)
    entries = entries.annotate(body_start=Substr("body", 1, backends.BODY_PREFIX))
    columns = ["id", "kind", "object_id", "project_id", "reference", "title", "body_start"]
    columns.append("labels")
    return list(entries.order_by("-id").values_list(*columns)[:CANDIDATES])


def _full_bodies(rows: list[tuple]) -> dict[int, str]:
    """The whole body of those rows whose body the candidates query cut."""
    cut = [row[0] for row in rows if len(row[6]) >= backends.BODY_PREFIX]
    if not cut:
        return {}
    return dict(Entry.objects.filter(id__in=cut).values_list("id", "body"))


def search(
    *,
    organization_id: int,
    project_ids: Iterable[int] | None,
    query: str,
    kinds: Iterable[str] | None = None,
    limit: int = 20,
) -> list[Hit]:
    """The best `limit` (at most MAX_LIMIT) entries of the organization matching `query`."""
    query = _clean(str(query or "")[:MAX_QUERY_CHARS])
    terms = parse_query(query)
    limit = min(int(limit), MAX_LIMIT)
    if not terms or limit <= 0:
        return []
    if project_ids is not None:
        project_ids = sorted({int(p) for p in project_ids})
        if not project_ids:
            return []
    if kinds is not None:
        kinds = sorted(set(kinds))
        if not kinds:
            return []
    organization_id = int(organization_id)
    rows = backends.candidates(
        connection,
        organization_id=organization_id,
        project_ids=project_ids,
        kinds=kinds,
        terms=terms,
        limit=CANDIDATES,
    )
    exact = _exact_references(query, organization_id, project_ids, kinds)
    exact_ids = {row[0] for row in exact}
    by_id = {row[0]: row for row in rows}
    by_id.update((row[0], row) for row in exact)
    ranked = sorted(
        ((_score(row, terms, row[0] in exact_ids), row) for row in by_id.values()),
        key=lambda scored: (-scored[0], -scored[1][0]),
    )[:limit]
    bodies = _full_bodies([row for _, row in ranked])
    return [
        Hit(
            kind=kind,
            object_id=object_id,
            project_id=project_id,
            reference=reference,
            title_html=highlight(title, terms),
            snippet_html=snippet(bodies.get(id_, body), terms),
            score=score,
            labels=_matched_labels(labels, terms),
        )
        for score, (id_, kind, object_id, project_id, reference, title, body, labels) in ranked
    ]


def _matched_labels(labels: str | None, terms: list[Term]) -> tuple[tuple[str, str], ...]:
    return tuple((label, value) for label, value in parse_labels(labels) if ranges(value, terms))
