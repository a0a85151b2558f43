"""Markdown to safe HTML: CommonMark with tables, strikethrough and task lists, then nh3.

`render_markdown(text)` is what tasks, comments and events use; `plain_text(text)` gives the
words alone, for previews. Documents ask for more with
`render_document(text, references=...)`: an anchor (`id="h-…"`) on each heading, the table of
contents built from those headings, and task references such as `SH-12` turned into links. The
same parser and the same sanitiser serve both; the extra attributes are allowed only there.
"""

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

import nh3
from markdown_it import MarkdownIt
from markdown_it.token import Token
from mdit_py_plugins.tasklists import tasklists_plugin

ALLOWED_TAGS = {
    "a",
    "abbr",
    "b",
    "blockquote",
    "br",
    "code",
    "del",
    "details",
    "div",
    "em",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "hr",
    "i",
    "img",
    "input",
    "kbd",
    "li",
    "ol",
    "p",
    "pre",
    "s",
    "span",
    "strong",
    "sub",
    "summary",
    "sup",
    "table",
    "tbody",
    "td",
    "th",
    "thead",
    "tr",
    "ul",
}
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "title"},
    "input": {"type", "checked", "disabled"},
    "li": {"class"},
    "ul": {"class"},
    "th": {"align"},
    "td": {"align"},
    "code": {"class"},
}


@lru_cache(maxsize=1)
def _parser() -> MarkdownIt:
    return (
        MarkdownIt("commonmark", {"linkify": False, "html": False})
        .enable(["table", "strikethrough"])
        .use(tasklists_plugin)
    )


def render_markdown(text: str, *, keep_image: Callable[[str], bool] | None = None) -> str:
    """Render user Markdown to HTML that is safe to insert into a page.

    With `keep_image(src)`, an image whose source it refuses becomes a link to that source
    (its alt text as the link's text), so the HTML loads no picture from elsewhere."""
    if not text:
        return ""
    if keep_image is None:
        return _clean(_parser().render(text), ALLOWED_ATTRIBUTES)
    env: dict = {}
    tokens = _parser().parse(text, env)
    for token in tokens:
        if token.type == "inline" and token.children:
            token.children = _refuse_images(token.children, keep_image)
    html = _parser().renderer.render(tokens, _parser().options, env)
    return _clean(html, ALLOWED_ATTRIBUTES)


def _refuse_images(children: list[Token], keep_image: Callable[[str], bool]) -> list[Token]:
    result, in_link = [], 0
    for child in children:
        in_link += {"link_open": 1, "link_close": -1}.get(child.type, 0)
        src = str(child.attrGet("src") or "") if child.type == "image" else ""
        if child.type != "image" or keep_image(src):
            result.append(child)
            continue
        label = _text(child.content or src)
        if in_link:  # already inside a link: a link in a link is not HTML, the words will do
            result.append(label)
            continue
        link = Token("link_open", "a", 1)
        link.attrSet("href", src)
        result += [link, label, Token("link_close", "a", -1)]
    return result


def plain_text(text: str) -> str:
    """User Markdown as the words a reader sees, on one line: `**done**` gives "done", an image
    its alt text, a code block its code. For previews (inbox excerpts), where markup would show
    as raw asterisks. The result is text, not HTML: templates escape it as usual."""
    if not text:
        return ""
    words: list[str] = []
    for token in _parser().parse(text):
        if token.type == "inline":
            words.extend(_inline_words(token.children or []))
        elif token.type in ("fence", "code_block"):
            words.append(token.content)
        words.append(" ")  # blocks (paragraphs, cells, items) never run into each other
    return " ".join("".join(words).split())


def _inline_words(children: list[Token]) -> list[str]:
    words = []
    for child in children:
        if child.type in ("text", "code_inline", "image"):  # an image's content is its alt text
            words.append(child.content)
        elif child.type in ("softbreak", "hardbreak"):
            words.append(" ")
    return words  # html_inline is only the task-list checkbox: raw HTML is off


def _clean(html: str, attributes: dict) -> str:
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=attributes,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer nofollow",
    )


# ---------------------------------------------------------------- documents

# Heading anchors carry a prefix so that no heading can take the id of an element of the page
# around it (a heading named "main" must not become #main).
ANCHOR_PREFIX = "h-"
DOCUMENT_ATTRIBUTES = {
    **ALLOWED_ATTRIBUTES,
    "a": {"href", "title", "class"},  # class="task-ref": raw HTML is off, so only ours has one
    **{f"h{level}": {"id"} for level in range(1, 7)},
}
# SH-12: a project key, a dash, a number; not inside a longer word or number.
TASK_REFERENCE = re.compile(r"(?<![A-Za-z0-9-])([A-Z]{2,10}-\d{1,9})(?![0-9])")


@dataclass(frozen=True)
class Heading:
    level: int
    text: str
    anchor: str


@dataclass(frozen=True)
class RenderedDocument:
    html: str
    toc: list[Heading]


def slug(text: str) -> str:
    """A heading's anchor: letters (Chinese included) and digits, lower case, joined by dashes."""
    text = unicodedata.normalize("NFKC", text).lower()
    words = re.findall(r"\w+", text)
    return "-".join(words)[:60].strip("-") or "section"


def render_document(
    text: str, *, references: Callable[[str], str | None] | None = None
) -> RenderedDocument:
    """A document's Markdown as safe HTML with an anchor on every heading and its table of
    contents. `references("SH-12")` gives the URL of that task (or None: left as text); task
    references inside links and code stay as they are."""
    if not text:
        return RenderedDocument("", [])
    env: dict = {}
    tokens = _parser().parse(text, env)
    toc = _add_anchors(tokens)
    if references is not None:
        _link_references(tokens, references)
    html = _parser().renderer.render(tokens, _parser().options, env)
    return RenderedDocument(_clean(html, DOCUMENT_ATTRIBUTES), toc)


def _add_anchors(tokens: list[Token]) -> list[Heading]:
    toc, used = [], {}
    for index, token in enumerate(tokens):
        if token.type != "heading_open":
            continue
        inline = tokens[index + 1]
        words = "".join(
            child.content
            for child in inline.children or []
            if child.type in ("text", "code_inline")
        ).strip()
        base = ANCHOR_PREFIX + slug(words)
        used[base] = used.get(base, 0) + 1
        anchor = base if used[base] == 1 else f"{base}-{used[base]}"
        token.attrSet("id", anchor)
        toc.append(Heading(int(token.tag[1]), words, anchor))
    return toc


def _link_references(tokens: list[Token], references: Callable[[str], str | None]) -> None:
    for token in tokens:
        if token.type == "inline" and token.children:
            token.children = _linked_children(token.children, references)


def _linked_children(children: list[Token], references) -> list[Token]:
    result, in_link = [], 0
    for child in children:
        if child.type == "link_open":
            in_link += 1
        elif child.type == "link_close":
            in_link -= 1
        if child.type != "text" or in_link or not TASK_REFERENCE.search(child.content):
            result.append(child)
            continue
        result.extend(_split_references(child.content, references))
    return result


def _split_references(content: str, references) -> list[Token]:
    tokens, start = [], 0
    for match in TASK_REFERENCE.finditer(content):
        url = references(match.group(1))
        if url is None:
            continue
        tokens.append(_text(content[start : match.start()]))
        link = Token("link_open", "a", 1)
        link.attrSet("href", url)
        link.attrSet("class", "task-ref")
        tokens += [link, _text(match.group(1)), Token("link_close", "a", -1)]
        start = match.end()
    tokens.append(_text(content[start:]))
    return [token for token in tokens if token.type != "text" or token.content]


def _text(content: str) -> Token:
    token = Token("text", "", 0)
    token.content = content
    return token
