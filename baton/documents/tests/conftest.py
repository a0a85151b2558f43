import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def english_messages():
    """Services' messages in English, whatever the translations say (views' tests ask for English
    through the `english` client when they read messages)."""
    with translation.override("en"):
        yield
