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


def test_a_deactivated_user_is_logged_out(client_for, alice, org):
    client = client_for(alice)
    type(alice).objects.filter(pk=alice.pk).update(is_active=False)
    response = client.get(reverse("orgs:home", args=[org.slug]))
    assert response.status_code == 302


def test_a_deleted_user_is_logged_out(client_for, bob, org):
    client = client_for(bob)
    bob.delete()
    response = client.get(reverse("orgs:home", args=[org.slug]))
    assert response.status_code == 302


def test_a_changed_password_ends_other_sessions(client_for, alice, org):
    client = client_for(alice)
    alice.set_password("a new password 2026")
    alice.save()
    response = client.get(reverse("orgs:home", args=[org.slug]))
    assert response.status_code == 302


def test_a_session_from_before_the_prepared_backend_stays_logged_in(client_for, alice, org):
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    session = SessionStore()  # written as Django's ModelBackend wrote it
    session[SESSION_KEY] = str(alice.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = alice.get_session_auth_hash()
    session.create()
    client = client_for(None)
    client.cookies["sessionid"] = session.session_key
    assert client.get(reverse("orgs:home", args=[org.slug])).status_code == 200
