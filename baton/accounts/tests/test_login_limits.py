"""Logging in and asking for password-reset mails are rate limited, per account and per address;
a locked-out person is told why and how to get back in (a password reset)."""

import logging
import re

import pytest
from django.conf import settings
from django.core import mail
from django.db import OperationalError, connection
from django.urls import reverse

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery staple"
LOGIN = reverse("accounts:login")
RESET = reverse("accounts:password_reset")


def log_in(client, email: str, password: str, address: str = "10.0.0.1"):
    return client.post(LOGIN, {"username": email, "password": password}, REMOTE_ADDR=address)


def is_logged_in(client) -> bool:
    return client.get(reverse("accounts:profile")).status_code == 200


def fail_until_the_limit(client, emails, addresses) -> None:
    """One failed login for each (email, address) pair, as many as the limit."""
    pairs = list(zip(emails, addresses, strict=True))
    assert len(pairs) == settings.AXES_FAILURE_LIMIT
    for email, address in pairs[:-1]:
        response = log_in(client, email, "wrong", address)
        assert response.status_code == 200
        assert "Please enter a correct e-mail and password." in response.content.decode()
    email, address = pairs[-1]
    assert log_in(client, email, "wrong", address).status_code == 429


def addresses(n: int) -> list[str]:
    return [f"10.0.1.{i}" for i in range(1, n + 1)]


def test_one_account_is_locked_after_the_limit_of_failures_from_several_addresses(english, alice):
    limit = settings.AXES_FAILURE_LIMIT
    client = english()
    fail_until_the_limit(client, ["alice@example.com"] * limit, addresses(limit))
    # Even the right password, from an address never seen, is refused until the cool-off ends.
    response = log_in(client, "Alice@Example.com", PASSWORD, "10.9.9.9")
    assert response.status_code == 429
    assert not is_logged_in(client)


def test_one_address_is_locked_after_the_limit_of_failures_across_accounts(english, bob):
    limit = settings.AXES_FAILURE_LIMIT
    emails = [f"guess{i}@example.com" for i in range(limit)]
    client = english()
    fail_until_the_limit(client, emails, ["10.0.0.7"] * limit)
    assert log_in(client, "bob@example.com", PASSWORD, "10.0.0.7").status_code == 429
    assert not is_logged_in(client)
    # Bob from his own network is not affected.
    assert log_in(english(), "bob@example.com", PASSWORD, "10.0.0.8").status_code == 302


def test_the_locked_page_says_why_keeps_the_email_and_links_to_a_password_reset(english, alice):
    limit = settings.AXES_FAILURE_LIMIT
    client = english()
    fail_until_the_limit(client, ["alice@example.com"] * limit, ["10.0.0.1"] * limit)
    response = log_in(client, "alice@example.com", "wrong")
    html = response.content.decode()
    assert response.status_code == 429
    assert "Too many failed log-ins." in html
    assert "paused for 15 minutes" in html
    assert f'<a href="{RESET}">Reset it by e-mail</a>' in html
    assert 'value="alice@example.com"' in html
    assert '<form method="post" action="/accounts/login"' in html  # the page, not a bare 403


def test_the_locked_page_is_translated(client, alice):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        response = client.post(
            LOGIN,
            {"username": "alice@example.com", "password": "wrong"},
            HTTP_ACCEPT_LANGUAGE="zh-hans",
        )
    html = response.content.decode()
    assert response.status_code == 429
    assert "登录失败次数过多" in html and "重置密码" in html


def test_a_successful_login_clears_only_its_own_accounts_failures(english, alice, bob):
    """Logging in to one's own account between guesses does not reset the guesses made at
    someone else's account from the same address."""
    limit = settings.AXES_FAILURE_LIMIT
    client = english()
    for _ in range(limit - 1):
        log_in(client, "alice@example.com", "wrong")
    assert log_in(english(), "bob@example.com", PASSWORD).status_code == 302
    assert log_in(client, "alice@example.com", "wrong").status_code == 429


def test_a_typo_then_the_right_password_starts_the_count_again(english, alice):
    limit = settings.AXES_FAILURE_LIMIT
    for _ in range(2):
        for _ in range(limit - 1):
            assert log_in(english(), "alice@example.com", "wrong").status_code == 200
        assert log_in(english(), "alice@example.com", PASSWORD).status_code == 302


def reset_password(client, email: str, new_password: str, address: str = "10.0.0.1"):
    client.post(RESET, {"email": email}, REMOTE_ADDR=address)
    link = re.search(r"https?://\S+(/accounts/password-reset/\S+)", mail.outbox[-1].body).group(1)
    page = client.get(link, follow=True, REMOTE_ADDR=address)
    return client.post(
        page.redirect_chain[-1][0],
        {"new_password1": new_password, "new_password2": new_password},
        REMOTE_ADDR=address,
    )


def test_a_password_reset_lets_a_locked_out_account_log_in_again(english, alice):
    limit = settings.AXES_FAILURE_LIMIT
    client = english()
    fail_until_the_limit(client, ["alice@example.com"] * limit, ["10.0.0.1"] * limit)
    assert log_in(client, "alice@example.com", PASSWORD).status_code == 429

    response = reset_password(client, "alice@example.com", "a new kite over the river")
    assert response["Location"] == reverse("accounts:password_reset_complete")
    assert log_in(client, "alice@example.com", "a new kite over the river").status_code == 302
    assert is_logged_in(client)


def test_the_limits_follow_the_settings(english, alice, settings):
    settings.AXES_FAILURE_LIMIT = 2
    client = english()
    assert log_in(client, "alice@example.com", "wrong").status_code == 200
    assert log_in(client, "alice@example.com", "wrong").status_code == 429


def test_a_session_already_open_is_not_affected_by_a_lockout(english, alice, client_for):
    limit = settings.AXES_FAILURE_LIMIT
    fail_until_the_limit(english(), ["alice@example.com"] * limit, ["10.0.0.1"] * limit)
    assert client_for(alice).get(reverse("accounts:profile")).status_code == 200


# ---------------------------------------------------------------- password-reset requests


def test_password_reset_requests_are_limited_per_address(english, alice, bob):
    limit = settings.BATON_PASSWORD_RESET_LIMIT
    client = english()
    for i in range(limit):
        response = client.post(RESET, {"email": f"someone{i}@example.com"}, REMOTE_ADDR="10.0.0.3")
        assert response.status_code == 302
    response = client.post(RESET, {"email": "alice@example.com"}, REMOTE_ADDR="10.0.0.3")
    assert response.status_code == 429
    html = response.content.decode()
    assert "Too many password-reset requests" in html
    assert 'value="alice@example.com"' in html  # what was typed is kept
    assert mail.outbox == []
    # Another address may still ask.
    assert (
        client.post(RESET, {"email": "bob@example.com"}, REMOTE_ADDR="10.0.0.4").status_code == 302
    )
    assert [m.to for m in mail.outbox] == [["bob@example.com"]]


def test_password_reset_requests_are_limited_per_email_whatever_the_address(english, alice):
    limit = settings.BATON_PASSWORD_RESET_LIMIT
    for address in addresses(limit):
        english().post(RESET, {"email": "alice@example.com"}, REMOTE_ADDR=address)
    assert len(mail.outbox) == limit
    response = english().post(RESET, {"email": "ALICE@example.com"}, REMOTE_ADDR="10.9.9.9")
    assert response.status_code == 429
    assert len(mail.outbox) == limit


def test_the_reset_limit_message_is_translated(client, alice):
    for _ in range(settings.BATON_PASSWORD_RESET_LIMIT + 1):
        response = client.post(
            RESET, {"email": "alice@example.com"}, HTTP_ACCEPT_LANGUAGE="zh-hans"
        )
    assert response.status_code == 429
    assert "重置密码的请求过多" in response.content.decode()


# ---------------------------------------------------------------- health


def test_healthz_with_a_broken_database_answers_503_without_the_error_text(
    client, monkeypatch, caplog
):
    secret = 'connection to server at "10.1.2.3", port 5432 failed: password for user "baton"'

    def broken_cursor(*args, **kwargs):
        raise OperationalError(secret)

    monkeypatch.setattr(connection, "cursor", broken_cursor)
    with caplog.at_level(logging.ERROR, logger="baton.core.views"):
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json() == {"status": "error", "detail": "database unavailable"}
    assert "10.1.2.3" not in response.content.decode()
    assert secret in caplog.text  # the operator finds it in the log
