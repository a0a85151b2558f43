import pytest
from django.test import Client


@pytest.fixture
def english(client_for):
    """english(user=None) -> a client whose browser asks for English (users have no language set),
    so assertions on messages read the English source strings whatever the translations say."""

    def make(user=None) -> Client:
        client = client_for(user)
        client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
        return client

    return make
