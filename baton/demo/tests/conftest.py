"""The demo workspace, built once per test that asks for it."""

import pytest


@pytest.fixture
def demo(db):
    from baton.demo.build import build

    return build("demo password")
