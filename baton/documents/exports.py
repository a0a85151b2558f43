"""A document as a file to download: its Markdown, or one standalone HTML page rendered with the
same sanitising pipeline as the app (nothing that runs, no external resources)."""

import re
import unicodedata
from urllib.parse import quote

from django.http import HttpResponse
from django.template.loader import render_to_string

from baton.documents.models import Document
from baton.lib.markdown import render_markdown


def file_name(document: Document, suffix: str) -> str:
    """The title as a file name: Chinese kept, path and control characters dropped."""
    name = "".join(
        ch for ch in document.title if unicodedata.category(ch)[0] != "C" and ch not in '\\/:*?"<>|'
    )
    name = re.sub(r"\s+", " ", name).strip(" .") or f"document-{document.pk}"
    return f"{name[:100]}{suffix}"


def _download(content: str, content_type: str, name: str) -> HttpResponse:
    response = HttpResponse(content.encode("utf-8"), content_type=content_type)
    ascii_name = name.encode("ascii", "ignore").decode() or "document"
    response["Content-Disposition"] = (
        f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(name)}"
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


def markdown_response(document: Document) -> HttpResponse:
    body = (
        document.body if document.body.endswith("\n") or not document.body else document.body + "\n"
    )
    return _download(body, "text/markdown; charset=utf-8", file_name(document, ".md"))


def html_response(document: Document) -> HttpResponse:
    context = {
        "document": document,
        "html": render_markdown(document.body),
        # a text that opens with its own title as a heading is not given the title twice
        "show_title": document.body.lstrip().split("\n", 1)[0].strip() != f"# {document.title}",
    }
    page = render_to_string("documents/export.html", context)
    response = _download(page, "text/html; charset=utf-8", file_name(document, ".html"))
    # Even opened from the server, the page may run nothing and load nothing.
    response["Content-Security-Policy"] = (
        "default-src 'none'; img-src * data:; style-src 'unsafe-inline'"
    )
    return response
