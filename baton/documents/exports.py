"""A document as a file to download: its Markdown, or one standalone HTML page rendered with the
same sanitising pipeline as the app (nothing that runs, no external resources: a picture from
another site becomes a link, so an export carries no tracking pixel)."""

from collections.abc import Callable
from urllib.parse import urlsplit

from django.http import HttpResponse
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.http import content_disposition_header

from baton.documents.models import Document
from baton.lib.filenames import download_name
from baton.lib.markdown import render_markdown


def file_name(document: Document, suffix: str) -> str:
    return download_name(document.title, suffix, fallback=f"document-{document.pk}")


def _download(content: str, content_type: str, name: str) -> HttpResponse:
    response = HttpResponse(content.encode("utf-8"), content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(True, name)
    response["X-Content-Type-Options"] = "nosniff"
    return response


def markdown_response(document: Document) -> HttpResponse:
    body = (
        document.body if document.body.endswith("\n") or not document.body else document.body + "\n"
    )
    return _download(body, "text/markdown; charset=utf-8", file_name(document, ".md"))


def own_image(document: Document) -> Callable[[str], bool]:
    """Whether an image source is one of this document's own attachments: a path under its
    files URL on this server. Anything else (another site, `//host`, another document) is
    refused, so that opening an export never tells a third party it was read."""
    prefix = reverse("documents:file_upload", args=[document.organization.slug, document.pk])
    prefix += "/"

    def keep(src: str) -> bool:
        parts = urlsplit(src)
        return (
            not parts.scheme
            and not parts.netloc
            and src.startswith(prefix)
            and ".." not in src
            and "\\" not in src
        )

    return keep


def html_response(document: Document) -> HttpResponse:
    context = {
        "document": document,
        "html": render_markdown(document.body, keep_image=own_image(document)),
        # a text that opens with its own title as a heading is not given the title twice
        "show_title": document.body.lstrip().split("\n", 1)[0].strip() != f"# {document.title}",
    }
    page = render_to_string("documents/export.html", context)
    response = _download(page, "text/html; charset=utf-8", file_name(document, ".html"))
    # Even opened from the server, the page may run nothing and load nothing.
    response["Content-Security-Policy"] = (
        "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'"
    )
    return response
