"""Names for files Baton writes for download (an exported document, a calendar's .ics)."""

import re
import unicodedata

UNSAFE = '\\/:*?"<>|'


def download_name(title: str, suffix: str, *, fallback: str) -> str:
    """A title as a file name: Chinese kept, path and control characters dropped, at most 100
    characters before `suffix`; `fallback` when nothing is left."""
    name = "".join(ch for ch in title if unicodedata.category(ch)[0] != "C" and ch not in UNSAFE)
    name = re.sub(r"\s+", " ", name).strip(" .") or fallback
    return f"{name[:100]}{suffix}"
