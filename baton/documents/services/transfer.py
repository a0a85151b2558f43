"""Importing Markdown files as documents (several at once, into one folder).

Only text is accepted: a file with NUL bytes or mostly control characters is refused whatever its
name says. UTF-8 (with or without a BOM) is read as such; other bytes are tried as GB18030, the
encoding of older Chinese Windows editors. Whatever the Markdown holds (<script>, javascript:
links), it is stored as typed and made harmless when rendered (baton.lib.markdown sanitises).
"""

import unicodedata
from dataclasses import dataclass, field
from pathlib import PurePath

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from baton.accounts.models import User
from baton.documents.models import BODY_MAX_LENGTH, TITLE_MAX_LENGTH, Document, Folder
from baton.documents.permissions import can_manage_folders
from baton.documents.services.documents import create_document
from baton.orgs.permissions import require_org_member

MARKDOWN_SUFFIXES = (".md", ".markdown", ".txt")
MAX_FILES = 50
# Bytes: a body of BODY_MAX_LENGTH characters is at most ~2 MB of UTF-8 Chinese.
MAX_FILE_BYTES = 3 * BODY_MAX_LENGTH


@dataclass
class ImportResult:
    imported: list[Document] = field(default_factory=list)
    refused: list[tuple[str, str]] = field(default_factory=list)  # (file name, why)


def _looks_binary(text: str) -> bool:
    controls = sum(
        1 for ch in text[:20000] if unicodedata.category(ch) == "Cc" and ch not in "\n\r\t\f"
    )
    return controls > max(2, len(text[:20000]) // 100)


def decode_markdown(raw: bytes) -> str:
    """The file's text, or ValidationError when it is not a text file."""
    if b"\x00" in raw[:65536]:
        raise ValidationError(_("This is not a text file (it holds binary data)."))
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            text = raw.decode("gb18030")
        except UnicodeDecodeError:
            raise ValidationError(
                _("This file is not UTF-8 text; save it as UTF-8 and import it again.")
            ) from None
    if _looks_binary(text):
        raise ValidationError(_("This is not a text file (it holds binary data)."))
    return text.replace("\r\n", "\n").replace("\r", "\n")


def title_for(name: str, text: str) -> str:
    """The first level-one heading, else the file's name without its suffix."""
    for line in text.split("\n", 50)[:50]:
        if line.startswith("# ") and line[2:].strip():
            return line[2:].strip().strip("#").strip()[:TITLE_MAX_LENGTH]
    stem = PurePath(name.replace("\\", "/")).name
    for suffix in MARKDOWN_SUFFIXES:
        if stem.lower().endswith(suffix):
            stem = stem[: -len(suffix)]
    return (stem.strip() or _("Imported document"))[:TITLE_MAX_LENGTH]


def _check_file(name: str, raw: bytes) -> str:
    if not name.lower().endswith(MARKDOWN_SUFFIXES):
        raise ValidationError(_("Only Markdown files (.md, .markdown, .txt) can be imported."))
    if len(raw) > MAX_FILE_BYTES:
        raise ValidationError(
            _("The file is too large (%(size).1f MB); at most %(max).1f MB.")
            % {"size": len(raw) / 1024 / 1024, "max": MAX_FILE_BYTES / 1024 / 1024}
        )
    text = decode_markdown(raw)
    if len(text) > BODY_MAX_LENGTH:
        raise ValidationError(
            _("A document holds at most %(n)s characters (this file has %(m)s).")
            % {"n": f"{BODY_MAX_LENGTH:,}", "m": f"{len(text):,}"}
        )
    return text


def import_markdown_files(
    *,
    actor: User,
    organization,
    files: list[tuple[str, bytes]],
    folder: Folder | None = None,
    project=None,
) -> ImportResult:
    """One new document per good file, into `folder` (which decides the project when given).
    Files that are not Markdown text are refused one by one, with the reason; the others are
    imported. Each document is created by create_document (one Activity row each)."""
    require_org_member(actor, organization)
    if folder is not None:
        project = folder.project
    if not can_manage_folders(actor, organization, project):
        raise PermissionDenied
    if not files:
        raise ValidationError({"files": _("Choose one or more .md files.")})
    if len(files) > MAX_FILES:
        raise ValidationError({"files": _("At most %(n)d files at a time.") % {"n": MAX_FILES}})
    result = ImportResult()
    with transaction.atomic():
        for name, raw in files:
            try:
                text = _check_file(name, raw)
            except ValidationError as error:
                result.refused.append((name, " ".join(error.messages)))
                continue
            document = create_document(
                actor=actor,
                organization=organization,
                project=project,
                folder=folder,
                title=title_for(name, text),
                body=text,
            )
            result.imported.append(document)
    return result
