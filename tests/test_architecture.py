"""The layers of DESIGN.md §3, held by reading every module's imports."""

import ast
import re
from pathlib import Path

BATON = Path(__file__).resolve().parents[1] / "baton"

# Lowest first; a module may import its own layer or any layer below it.
LAYERS = [
    {"lib"},
    {"core", "realtime", "search"},
    {"accounts"},
    # Departure from DESIGN.md (see docs/architecture.md): activity sits below orgs, because
    # organization services record Activity rows too; it names orgs and projects only by
    # string foreign keys, never by import.
    {"activity"},
    {"orgs"},
    {"projects", "calendars", "documents"},
    # Departure from DESIGN.md: notifications is an app of its own above the domain apps, since
    # who hears of a change depends on cards' owners, documents' followers, events' participants.
    {"notifications"},
    {"api"},
]
TOP_LEVEL = {"settings", "urls", "asgi", "cli"}  # wiring: may import anything
VIEW_MODULES = {"views", "api"}


def layer_of(app: str) -> int:
    for index, apps in enumerate(LAYERS):
        if app in apps:
            return index
    raise AssertionError(f"baton.{app} is in no layer; add it to LAYERS")


def imports_of(path: Path) -> list[tuple[str, int]]:
    tree = ast.parse(path.read_text(), filename=str(path))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.append((node.module, node.lineno))
        elif isinstance(node, ast.Import):
            found.extend((alias.name, node.lineno) for alias in node.names)
    return [(name, line) for name, line in found if name.startswith("baton.")]


def source_modules():
    for path in BATON.rglob("*.py"):
        parts = path.relative_to(BATON).parts
        if "migrations" in parts or "tests" in parts or len(parts) == 1:
            continue
        yield path, parts


def is_view(parts: list[str] | tuple[str, ...]) -> bool:
    """A views module (`views.py`) or a module of a views package (`views/tasks.py`)."""
    return any(part.removesuffix(".py") in VIEW_MODULES for part in parts[1:])


def is_web_module(parts: tuple[str, ...]) -> bool:
    """Views and the API are the top: they may use any domain app."""
    return is_view(parts) or parts[0] == "api"


def test_every_module_imports_only_its_layer_or_below():
    problems = []
    for path, parts in source_modules():
        app = parts[0]
        own = layer_of(app)
        for name, line in imports_of(path):
            target_parts = name.split(".")
            target = target_parts[1]
            if target in TOP_LEVEL:
                if target != "settings":
                    problems.append(f"{path}:{line} imports {name}")
                continue
            # A views package's modules share helpers; nothing else imports a view.
            importing_a_view = is_view(target_parts[1:]) and not (is_view(parts) and target == app)
            if importing_a_view or target == "api":
                problems.append(f"{path}:{line} imports {name} (nothing imports views or api)")
            elif not is_web_module(parts) and layer_of(target) > own:
                problems.append(f"{path}:{line} imports {name} from a higher layer")
    assert problems == []


def test_lib_is_pure_python_without_django_models():
    for path in (BATON / "lib").rglob("*.py"):
        for name, line in imports_of(path):
            assert name.startswith("baton.lib"), f"{path}:{line} imports {name}"
        assert "django.db" not in path.read_text(), path


def test_views_never_save_or_delete_domain_models_themselves():
    for path, parts in source_modules():
        if not is_view(parts):
            continue
        text = path.read_text()
        for call in (".save(", ".delete(", ".objects.create(", ".bulk_create(", ".get_or_create("):
            assert call not in text, f"{path} calls {call} — writes belong in services"
        assert not re.search(r"\.objects\..*\.update\(", text), f"{path} updates rows itself"
