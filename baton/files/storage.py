"""What Baton knows about attached files: safe display names, content types (from the extension,
or from Pillow for images, never from the client), thumbnails, how a file is served and removed.

Nothing here writes to the database; files/services.py does.
"""

import io
import logging
import os
import unicodedata
from dataclasses import dataclass
from typing import Any, Protocol

from django.conf import settings
from django.http import FileResponse, Http404
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from PIL import ExifTags, Image, ImageOps

from baton.files.models import Attachment

log = logging.getLogger(__name__)

NAME_MAX_LENGTH = 255
THUMBNAIL_BOX = (320, 320)
# Larger images keep their type and size but get no thumbnail: decoding one would take
# hundreds of megabytes (Pillow itself refuses twice its own limit as a decompression bomb).
THUMBNAIL_MAX_PIXELS = 60_000_000

# Raster formats a browser shows and Pillow reads: the only files ever served inline.
RASTER_TYPES = {"PNG": "image/png", "JPEG": "image/jpeg", "GIF": "image/gif", "WEBP": "image/webp"}
RASTER_EXTENSIONS = {".png", ".jpg", ".jpeg", ".jpe", ".jfif", ".gif", ".webp"}
INLINE_TYPES = set(RASTER_TYPES.values())

OCTET_STREAM = "application/octet-stream"
_OFFICE = "application/vnd.openxmlformats-officedocument"
# Content types by extension: a fixed table, so a server's /etc/mime.types changes nothing.
TYPES_BY_EXTENSION = {
    ".pdf": "application/pdf",
    ".txt": "text/plain",
    ".log": "text/plain",
    ".md": "text/markdown",
    ".csv": "text/csv",
    ".rtf": "application/rtf",
    ".doc": "application/msword",
    ".docx": f"{_OFFICE}.wordprocessingml.document",
    ".xls": "application/vnd.ms-excel",
    ".xlsx": f"{_OFFICE}.spreadsheetml.sheet",
    ".ppt": "application/vnd.ms-powerpoint",
    ".pptx": f"{_OFFICE}.presentationml.presentation",
    ".odt": "application/vnd.oasis.opendocument.text",
    ".ods": "application/vnd.oasis.opendocument.spreadsheet",
    ".odp": "application/vnd.oasis.opendocument.presentation",
    ".wps": "application/vnd.ms-works",
    ".et": "application/vnd.ms-excel",
    ".dps": "application/vnd.ms-powerpoint",
    ".key": "application/vnd.apple.keynote",
    ".numbers": "application/vnd.apple.numbers",
    ".pages": "application/vnd.apple.pages",
    ".zip": "application/zip",
    ".rar": "application/vnd.rar",
    ".7z": "application/x-7z-compressed",
    ".gz": "application/gzip",
    ".tar": "application/x-tar",
    ".mp4": "video/mp4",
    ".mov": "video/quicktime",
    ".webm": "video/webm",
    ".avi": "video/x-msvideo",
    ".mp3": "audio/mpeg",
    ".m4a": "audio/mp4",
    ".wav": "audio/wav",
    ".aac": "audio/aac",
    ".heic": "image/heic",
    ".bmp": "image/bmp",
    ".tif": "image/tiff",
    ".tiff": "image/tiff",
    ".psd": "image/vnd.adobe.photoshop",
    ".ai": "application/postscript",
    ".eps": "application/postscript",
    # Known, and never served as what they are: a browser would run them.
    ".svg": "image/svg+xml",
    ".html": "text/html",
    ".htm": "text/html",
    ".xhtml": "application/xhtml+xml",
    ".xml": "application/xml",
    ".js": "text/javascript",
    ".mjs": "text/javascript",
    ".json": "application/json",
}
# What a download may be labelled as; everything else (html, svg, xml, js, unknown) goes out as
# application/octet-stream. Downloads other than raster images are attachments in any case.
SERVED_AS_IS = INLINE_TYPES | {
    t
    for t in TYPES_BY_EXTENSION.values()
    if t.startswith(("video/", "audio/", "application/vnd", "application/zip"))
    or t
    in {
        "application/pdf",
        "text/plain",
        "text/markdown",
        "text/csv",
        "application/rtf",
        "application/msword",
        "application/gzip",
        "application/x-7z-compressed",
        "application/x-tar",
        "application/postscript",
        "image/heic",
        "image/bmp",
        "image/tiff",
        "image/vnd.adobe.photoshop",
    }
}

# The icon a file row shows, by extension.
KINDS = {
    "pdf": {".pdf"},
    "doc": {".doc", ".docx", ".odt", ".rtf", ".wps", ".pages", ".txt", ".md", ".log"},
    "sheet": {".xls", ".xlsx", ".ods", ".csv", ".et", ".numbers"},
    "slides": {".ppt", ".pptx", ".odp", ".dps", ".key"},
    "archive": {".zip", ".rar", ".7z", ".gz", ".tar"},
    "video": {".mp4", ".mov", ".webm", ".avi"},
    "audio": {".mp3", ".m4a", ".wav", ".aac"},
    "image": RASTER_EXTENSIONS | {".heic", ".bmp", ".tif", ".tiff", ".psd", ".svg", ".ai", ".eps"},
}
KIND_OF_EXTENSION = {ext: kind for kind, extensions in KINDS.items() for ext in extensions}

# Characters that reorder text (a name like "invoice‮fdp.exe" shows as "invoiceexe.pdf").
BIDI_CONTROLS = set("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def max_upload_bytes() -> int:
    return settings.BATON_MAX_UPLOAD_BYTES


def max_upload_label() -> str:
    """The limit as people read it: "50" (megabytes)."""
    megabytes = max_upload_bytes() / (1024 * 1024)
    return f"{megabytes:g}"


def safe_name(raw: str | None) -> str:
    """The uploader's file name, fit to show and to offer on download: its last path component,
    without control or direction-changing characters, at most 255 characters (the extension
    kept). It is never used as a path: stored files have generated names."""
    name = unicodedata.normalize("NFC", raw or "")
    name = name.replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(
        ch
        for ch in name
        if unicodedata.category(ch) not in ("Cc", "Cs", "Co") and ch not in BIDI_CONTROLS
    ).strip()
    if name in ("", ".", ".."):
        return _("file")
    if len(name) > NAME_MAX_LENGTH:
        stem, extension = os.path.splitext(name)
        if len(extension) > 16:
            extension = ""
        name = stem[: NAME_MAX_LENGTH - len(extension)].rstrip() + extension
    return name


def extension_of(name: str) -> str:
    """The last extension, lower case: "发票.pdf.exe" → ".exe"."""
    return os.path.splitext(name)[1].lower()


def type_from_extension(name: str) -> str:
    return TYPES_BY_EXTENSION.get(extension_of(name), OCTET_STREAM)


@dataclass
class ImageFacts:
    content_type: str
    width: int
    height: int
    thumbnail: bytes | None  # WebP, at most THUMBNAIL_BOX; None for very large images


def inspect_image(upload) -> ImageFacts | None:
    """What Pillow finds in a file named like a raster image: its real type, its size in pixels
    (as shown, after the camera's rotation) and a small WebP preview. None when it is not one
    of the raster formats a browser shows (a renamed script, a broken file)."""
    try:
        upload.seek(0)
        with Image.open(upload) as image:
            content_type = RASTER_TYPES.get(image.format or "")
            if content_type is None:
                return None
            width, height = image.size
            if width * height > THUMBNAIL_MAX_PIXELS:
                return ImageFacts(content_type, width, height, None)
            try:
                thumbnail, (width, height) = _thumbnail(image)
            except (OSError, ValueError) as error:  # an odd mode, a truncated file: no preview
                log.info("no thumbnail for an image: %s", error)
                thumbnail = None
            return ImageFacts(content_type, width, height, thumbnail)
    except (OSError, ValueError, SyntaxError, Image.DecompressionBombError) as error:
        log.info("not an image: %s", error)
        return None
    finally:
        upload.seek(0)


def _thumbnail(image: Image.Image) -> tuple[bytes, tuple[int, int]]:
    """The WebP preview, and the image's size as shown (turned as the camera says)."""
    width, height = image.size
    image.draft("RGB", (THUMBNAIL_BOX[0] * 2, THUMBNAIL_BOX[1] * 2))  # JPEG: decode smaller
    if image.getexif().get(ExifTags.Base.Orientation, 1) in (5, 6, 7, 8):  # a quarter turn
        width, height = height, width
    image = ImageOps.exif_transpose(image)
    image = image.convert("RGBA" if _has_alpha(image) else "RGB")
    image.thumbnail(THUMBNAIL_BOX, Image.Resampling.LANCZOS)
    out = io.BytesIO()
    image.save(out, "WEBP", quality=82, method=4)
    return out.getvalue(), (width, height)


def _has_alpha(image: Image.Image) -> bool:
    return image.mode in ("RGBA", "LA", "PA") or "transparency" in image.info


class StoredFile(Protocol):
    """What the attachments of tasks, events and documents have in common here."""

    content_type: str


def served_type(attachment: StoredFile) -> str:
    """The Content-Type a download carries: the stored type when it is harmless."""
    return attachment.content_type if attachment.content_type in SERVED_AS_IS else OCTET_STREAM


def is_inline(attachment: StoredFile) -> bool:
    """Only raster images (checked by Pillow at upload) are shown in the browser."""
    return attachment.content_type in INLINE_TYPES


# A downloaded file never runs anything, even when opened in its own tab.
FILE_CSP = "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; sandbox"


def file_response(field_file, *, name: str, content_type: str, inline: bool) -> FileResponse:
    """A stored file as a download (or inline, for checked raster images), with nosniff and a
    sandboxing CSP. Callers check access first; a file missing from storage is a 404."""
    try:
        handle = field_file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(handle, content_type=content_type)
    # RFC 6266: `filename*=utf-8''…` for a name like 报价单.pdf, a quoted `filename` for ASCII.
    response["Content-Disposition"] = content_disposition_header(not inline, name)
    response["X-Content-Type-Options"] = "nosniff"
    # Private: only this person's browser keeps it. A stored file never changes under its URL.
    response["Cache-Control"] = "private, max-age=3600"
    response["Content-Security-Policy"] = FILE_CSP
    return response


def attachment_response(request, attachment) -> FileResponse:
    """A task's, event's or document's file: checked raster images inline (unless ?download),
    anything else as a download with a harmless content type. Callers check access first."""
    inline = is_inline(attachment) and "download" not in request.GET
    return file_response(
        attachment.file, name=attachment.name, content_type=served_type(attachment), inline=inline
    )


def thumbnail_response(attachment) -> FileResponse:
    """The small WebP preview of an image (404 for files without one)."""
    if not attachment.thumbnail:
        raise Http404
    return file_response(
        attachment.thumbnail, name=f"{attachment.name}.webp", content_type="image/webp", inline=True
    )


def remove_stored(names: list[str]) -> None:
    """Delete stored files by name (after the rows that named them are gone). A file that cannot
    be removed is logged, never raised: the database is already right."""
    storage = Attachment._meta.get_field("file").storage
    for name in names:
        if not name:
            continue
        try:
            storage.delete(name)
        except Exception:
            log.exception("could not delete the stored file %s", name)


def stored_names(attachments) -> list[str]:
    """The stored files (originals and thumbnails) of some attachments, given as a queryset."""
    names = []
    for file_name, thumbnail_name in attachments.values_list("file", "thumbnail"):
        names += [file_name, thumbnail_name]
    return [name for name in names if name]


def decorate(attachment: Any, *, user_id: int | None, is_admin: bool) -> Any:
    """What a row or a thumbnail prints beside the model's fields."""
    extension = extension_of(attachment.name)
    attachment.kind = KIND_OF_EXTENSION.get(extension, "file")
    attachment.label = extension.lstrip(".")[:4].upper() or "FILE"
    attachment.deletable = is_admin or (
        user_id is not None and attachment.uploaded_by_id == user_id
    )
    return attachment
