"""Reading comments: an owner's, rendered with their mentions marked, in a fixed number of
queries, and the people the @ autocomplete offers."""

import json
from html import escape
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.utils.safestring import SafeString, mark_safe

from baton.accounts.models import initials_of
from baton.discussion.models import Comment
from baton.lib.markdown import render_markdown


def comments_of(owner: Any):
    """The comments of a task, an event or a document (a queryset)."""
    owner_type = ContentType.objects.get_for_model(owner)
    return Comment.objects.filter(owner_type=owner_type, owner_id=owner.pk)


def comments_of_many(model: type, owner_ids):
    """The comments of several owners of one model (a queryset, no join)."""
    owner_type = ContentType.objects.get_for_model(model)
    return Comment.objects.filter(owner_type=owner_type, owner_id__in=owner_ids)


def rendered(comments: list[Comment]) -> list[Comment]:
    """Each comment's Markdown as HTML (`html`), its @mentions marked; the mentions must come
    prefetched."""
    for comment in comments:
        names = [person.name for person in comment.mentions.all()]
        comment.html = highlight_mentions(render_markdown(comment.body), names)
    return comments


def latest_comments(owner: Any, *, limit: int = 200, related=("author",)) -> list[Comment]:
    """The last `limit` comments of an owner, oldest first (the newest beside the box), with
    `related` and the mentions, rendered: two queries."""
    rows = (
        comments_of(owner)
        .select_related(*related)
        .prefetch_related("mentions")
        .order_by("-created_at", "-id")[:limit]
    )
    return rendered(list(reversed(rows)))


def highlight_mentions(html: str, names: list[str]) -> SafeString:
    """Mark the @names of the people a comment mentions in its (already sanitised) HTML."""
    for name in sorted(names, key=len, reverse=True):
        token = escape(f"@{name}")
        html = html.replace(token, f'<span class="mention">{token}</span>')
    return mark_safe(html)


def mention_people_json(people) -> str:
    """The people the @ autocomplete offers, as JSON for the comment box (mentions.js)."""
    return json.dumps(
        [
            {"name": p.name, "initials": initials_of(p.name, p.email), "color": p.avatar_color}
            for p in people
            if p.name
        ],
        ensure_ascii=False,
    )
