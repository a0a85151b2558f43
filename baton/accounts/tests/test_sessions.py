"""The session store (accounts/sessions.py) answers as Django's database store does."""

import datetime

import pytest
from django.contrib.sessions.models import Session
from django.urls import reverse
from django.utils import timezone

pytestmark = pytest.mark.django_db


def test_a_session_keeps_its_user_logged_in(client_for, alice, org):
    client = client_for(alice)
    assert client.get(reverse("orgs:home", args=[org.slug])).status_code == 200


def test_an_expired_session_is_no_session(client_for, alice, org):
    client = client_for(alice)
    Session.objects.update(expire_date=timezone.now() - datetime.timedelta(seconds=1))
    response = client.get(reverse("orgs:home", args=[org.slug]))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_an_unknown_session_key_is_no_session(client_for, org):
    client = client_for(None)
    client.cookies["sessionid"] = "x" * 32
    response = client.get(reverse("orgs:home", args=[org.slug]))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))
