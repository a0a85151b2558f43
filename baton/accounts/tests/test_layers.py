"""accounts sits below orgs: its models, services and forms import nothing from the layers above."""

import ast
from pathlib import Path

import pytest

ACCOUNTS = Path(__file__).resolve().parents[1]
ABOVE = ("baton.orgs", "baton.activity", "baton.projects", "baton.calendars", "baton.documents")


@pytest.mark.parametrize("module", ["models.py", "services.py", "forms.py"])
def test_accounts_does_not_import_the_layers_above(module):
    tree = ast.parse((ACCOUNTS / module).read_text())
    imported = {
        node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom) and node.module
    } | {
        alias.name
        for node in ast.walk(tree)
        if isinstance(node, ast.Import)
        for alias in node.names
    }
    assert not {name for name in imported if name.startswith(ABOVE)}
