"""What the tests of files, wherever they are attached, upload: PDFs, pictures made with Pillow,
hostile content, and a look at what landed in storage."""

import io
from pathlib import Path

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

MB = 1024 * 1024
SCRIPT = b"<script>alert(document.cookie)</script>"
SVG = b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><script>alert(2)</script></svg>'


def image_bytes(width=800, height=600, fmt="PNG", color=(230, 80, 60)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (width, height), color).save(out, fmt)
    return out.getvalue()


def upload(name: str, content: bytes = b"%PDF-1.7 quote", content_type="application/pdf"):
    return SimpleUploadedFile(name, content, content_type=content_type)


def stored_files(media: Path) -> list[Path]:
    return sorted(p for p in Path(media).rglob("*") if p.is_file()) if Path(media).exists() else []
