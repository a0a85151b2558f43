"""docs/architecture.md matches the code: every path it names exists, and its map of `baton/`
names every app."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DOC = ROOT / "docs" / "architecture.md"
# A path in backticks: a name with a slash, ending in a file's extension or a slash.
PATH = re.compile(r"^[\w./-]+/(?:[\w.-]+\.(?:py|md|js|html|css|toml)|[\w.-]*/?)$")


def text_and_map() -> tuple[str, str]:
    """The prose (fenced blocks taken out, so their backticks pair nothing) and the map."""
    parts = DOC.read_text().split("```")
    return "".join(parts[0::2]), parts[1]


def named_paths() -> set[str]:
    prose, _map = text_and_map()
    found = set()
    for span in re.findall(r"`([^`]+)`", prose):
        first = re.split(r"[\s:]", span.strip())[0]
        if not first.startswith("/") and PATH.match(first):
            found.add(first)
    return found


def test_every_path_the_architecture_names_exists():
    assert named_paths(), "the rule found no path at all"
    missing = sorted(
        path
        for path in named_paths()
        if not any((ROOT / base / path).exists() for base in ("", "baton"))
    )
    assert missing == []


def test_the_map_names_every_app():
    _prose, tree = text_and_map()
    listed = {line.split()[0].rstrip("/") for line in tree.splitlines() if line.startswith("  ")}
    apps = {path.parent.name for path in (ROOT / "baton").glob("*/__init__.py")}
    assert apps - listed == set()
