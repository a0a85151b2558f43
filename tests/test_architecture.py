"""What import-linter cannot see (its contracts in pyproject.toml hold the imports): model
relations across layers, private names imported across modules, and the guard that fails any
test in which a view writes a model itself (conftest.py)."""

import ast
import tomllib
from pathlib import Path

from django.apps import apps

ROOT = Path(__file__).resolve().parents[1]
BATON = ROOT / "baton"

# Relations that point up a layer, each for a reason (docs/architecture.md, Layers).
UPWARD_RELATIONS = {
    # The organization a person opened last: one column read with the user on every page.
    "accounts.User.last_org",
    # Activity sits below orgs so that organization services record their writes; its rows
    # still go with their organization or project.
    "activity.Activity.organization",
    "activity.Activity.project",
    # Who is on a page now (live presence): rows go with their person.
    "realtime.Presence.user",
}


def layers() -> dict[str, int]:
    """Each app's layer (0 at the bottom), read from the import-linter layers contract."""
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())
    [contract] = [c for c in config["tool"]["importlinter"]["contracts"] if c["type"] == "layers"]
    found = {}
    for height, layer in enumerate(reversed(contract["layers"])):
        for module in layer.replace(":", "|").split("|"):
            found[module.strip().removeprefix("baton.")] = height
    return found


def test_every_app_is_in_a_layer():
    apps_on_disk = {p.parent.name for p in BATON.glob("*/__init__.py")}
    assert apps_on_disk - set(layers()) == set()


def test_model_relations_point_to_their_own_layer_or_below():
    layer = layers()
    upward = set()
    for model in apps.get_models():
        own = model._meta.app_config.name.removeprefix("baton.")
        if own not in layer:
            continue  # Django's own apps
        for field in model._meta.get_fields(include_hidden=True):
            if not field.is_relation or field.auto_created or field.related_model is None:
                continue
            target = field.related_model._meta.app_config.name.removeprefix("baton.")
            if target in layer and layer[target] > layer[own]:
                upward.add(f"{model._meta.label}.{field.name}")
    assert upward == UPWARD_RELATIONS


def test_no_module_imports_another_modules_private_names():
    problems = []
    for path in BATON.rglob("*.py"):
        parts = path.relative_to(BATON).parts
        if "migrations" in parts:
            continue
        tree = ast.parse(path.read_text(), filename=str(path))
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("baton"):
                private = [a.name for a in node.names if a.name.startswith("_")]
                if private:
                    problems.append(f"{path.relative_to(ROOT)}:{node.lineno} {private}")
    assert problems == []


def test_lib_is_pure_python_without_django_models():
    for path in (BATON / "lib").rglob("*.py"):
        assert "django.db" not in path.read_text(), path


def test_the_guard_catches_a_view_that_writes(org, bob, views_never_write_models):
    """conftest.py records writes made from a views module; here one pretends to be a view."""
    view = {"__name__": "baton.orgs.views"}
    exec(
        "def rename(org, bob):\n"
        "    org.name = 'x'\n"
        "    org.save()\n"
        "    type(org).objects.filter(pk=org.pk).update(name='y')\n"
        "    bob.teams.clear()\n",
        view,
    )
    view["rename"](org, bob)
    caught = list(views_never_write_models)
    views_never_write_models.clear()
    assert caught == [
        "baton.orgs.views called Model.save",
        "baton.orgs.views called QuerySet.update",
        "baton.orgs.views called Team_members.pre_clear",
        "baton.orgs.views called QuerySet.delete",
    ]
