import re

import pytest
from django.core import mail
from django.urls import reverse

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery staple"


def test_the_login_page_asks_for_an_email(english):
    response = english().get(reverse("accounts:login"))
    assert response.status_code == 200
    assert b'type="email"' in response.content
    assert b"E-mail" in response.content


def test_logging_in_with_email_and_password_leads_to_the_last_organization(english, alice, org):
    client = english()
    response = client.post(
        reverse("accounts:login"), {"username": "alice@example.com", "password": PASSWORD}
    )
    assert response.status_code == 302
    assert response["Location"] == "/"
    assert client.get("/")["Location"] == reverse("orgs:home", args=[org.slug])


def test_the_email_is_matched_whatever_its_case(english, alice):
    response = english().post(
        reverse("accounts:login"), {"username": " Alice@Example.COM", "password": PASSWORD}
    )
    assert response.status_code == 302


def test_a_wrong_password_is_refused_and_keeps_the_email(english, alice):
    client = english()
    response = client.post(
        reverse("accounts:login"), {"username": "alice@example.com", "password": "wrong"}
    )
    assert response.status_code == 200
    content = response.content.decode()
    assert "Please enter a correct e-mail and password." in content
    assert 'value="alice@example.com"' in content
    assert client.get(reverse("accounts:profile")).status_code == 302


def test_logging_in_follows_a_safe_next_and_ignores_another_site(english, alice):
    response = english().post(
        reverse("accounts:login") + "?next=/invite/abc",
        {"username": "alice@example.com", "password": PASSWORD, "next": "/invite/abc"},
    )
    assert response["Location"] == "/invite/abc"
    response = english().post(
        reverse("accounts:login"),
        {"username": "alice@example.com", "password": PASSWORD, "next": "https://evil.example/"},
    )
    assert response["Location"] == "/"


def test_logging_out_takes_a_post_and_ends_the_session(client_for, alice):
    client = client_for(alice)
    assert client.get(reverse("accounts:logout")).status_code == 405
    response = client.post(reverse("accounts:logout"))
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:login")
    assert client.get(reverse("accounts:profile")).status_code == 302


def test_a_password_reset_sends_one_mail_whose_link_sets_a_new_password(english, alice):
    client = english()
    assert client.get(reverse("accounts:password_reset")).status_code == 200
    response = client.post(reverse("accounts:password_reset"), {"email": "ALICE@example.com"})
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:password_reset_done")
    assert client.get(response["Location"]).status_code == 200

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["alice@example.com"]
    assert message.subject == "Reset your Baton password"
    link = re.search(r"https?://\S+(/accounts/password-reset/\S+)", message.body).group(1)

    page = client.get(link, follow=True)
    assert page.status_code == 200
    assert b'name="new_password1"' in page.content
    set_password_url = page.redirect_chain[-1][0]
    response = client.post(
        set_password_url,
        {
            "new_password1": "a new kite over the river",
            "new_password2": "a new kite over the river",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:password_reset_complete")
    assert client.get(response["Location"]).status_code == 200
    alice.refresh_from_db()
    assert alice.check_password("a new kite over the river")
    # The link works once.
    assert b'name="new_password1"' not in client.get(link, follow=True).content


def test_a_password_reset_for_an_unknown_address_sends_nothing_and_reveals_nothing(english):
    response = english().post(reverse("accounts:password_reset"), {"email": "nobody@example.com"})
    assert response.status_code == 302
    assert mail.outbox == []
