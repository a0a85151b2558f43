"""Settings, health, migrations and the security headers every page carries."""

import io

import pytest
from django.core.management import call_command

pytestmark = pytest.mark.django_db


def test_healthz_reports_ok_with_the_database_checked(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_the_models_and_the_migrations_agree():
    out = io.StringIO()
    call_command("makemigrations", "--check", "--dry-run", stdout=out)
    assert "No changes detected" in out.getvalue()


def test_pages_carry_a_strict_csp_and_security_headers(client):
    response = client.get("/accounts/login")
    csp = response["Content-Security-Policy"]
    assert "script-src 'self' 'nonce-" in csp
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"


def test_session_cookies_are_httponly_and_samesite(client, alice):
    response = client.post(
        "/accounts/login", {"username": alice.email, "password": "correct horse battery staple"}
    )
    cookie = response.cookies["sessionid"]
    assert cookie["httponly"] is True
    assert cookie["samesite"] == "Lax"


def test_csrf_is_enforced(alice, project, lists):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(alice)
    url = f"/o/{project.organization.slug}/p/SH/lists/{lists[0].pk}/tasks/new"
    assert client.post(url, {"title": "x"}).status_code == 403
    assert not project.tasks.exists()


def test_the_secret_key_is_generated_into_the_data_directory(settings):
    key_file = settings.DATA_DIR / "secret_key"
    assert key_file.exists()
    assert key_file.stat().st_mode & 0o077 == 0


def test_sqlite_runs_in_wal_mode_with_foreign_keys():
    from django.db import connection

    if connection.vendor != "sqlite":
        pytest.skip("SQLite only")
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA foreign_keys")
        assert cursor.fetchone()[0] == 1
        cursor.execute("PRAGMA journal_mode")
        assert cursor.fetchone()[0] == "wal"


@pytest.mark.django_db(transaction=True)
def test_the_live_bus_publishes_after_commit_only():
    from django.db import transaction

    from baton.realtime.bus import bus, publish_on_commit

    heard = []
    unsubscribe = bus.subscribe("project:1", lambda message: heard.append(message["event"]))
    try:
        with transaction.atomic():
            publish_on_commit("project:1", {"type": "task.moved", "task_id": 1})
            assert heard == []
        assert heard == [{"type": "task.moved", "task_id": 1}]
        with pytest.raises(RuntimeError), transaction.atomic():
            publish_on_commit("project:1", {"type": "task.moved", "task_id": 2})
            raise RuntimeError
        assert len(heard) == 1
    finally:
        unsubscribe()
