import pytest
from django.conf import settings
from django.urls import reverse

pytestmark = pytest.mark.django_db


def html_lang(response) -> str:
    import re

    return re.search(r'<html lang="([^"]+)"', response.content.decode()).group(1)


def test_pages_are_chinese_by_default(client):
    assert html_lang(client.get(reverse("accounts:login"))) == "zh-hans"


def test_accept_language_is_followed_when_the_profile_has_no_language(client_for, alice):
    client = client_for(alice)
    assert html_lang(client.get(reverse("accounts:profile"), HTTP_ACCEPT_LANGUAGE="en")) == "en"
    assert (
        html_lang(client.get(reverse("accounts:profile"), HTTP_ACCEPT_LANGUAGE="zh-CN,zh;q=0.9"))
        == "zh-hans"
    )


def test_switching_the_language_stores_it_on_the_profile(client_for, alice):
    client = client_for(alice)
    response = client.post(
        reverse("accounts:language"), {"language": "en", "next": reverse("accounts:profile")}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:profile")
    alice.refresh_from_db()
    assert alice.language == "en"
    # The profile wins over the browser.
    page = client.get(reverse("accounts:profile"), HTTP_ACCEPT_LANGUAGE="zh-CN")
    assert html_lang(page) == "en"
    client.post(reverse("accounts:language"), {"language": "zh-hans", "next": "/"})
    assert (
        html_lang(client.get(reverse("accounts:profile"), HTTP_ACCEPT_LANGUAGE="en")) == "zh-hans"
    )


def test_switching_the_language_when_logged_out_sets_the_cookie(client):
    response = client.post(
        reverse("accounts:language"), {"language": "en", "next": reverse("accounts:login")}
    )
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    assert html_lang(client.get(reverse("accounts:login"))) == "en"


def test_the_language_switch_ignores_unknown_languages_and_unsafe_next(client_for, alice):
    client = client_for(alice)
    response = client.post(
        reverse("accounts:language"), {"language": "klingon", "next": "https://evil.example/"}
    )
    assert response["Location"] == "/"
    alice.refresh_from_db()
    assert alice.language == ""


def test_the_language_switch_takes_only_posts(client):
    assert client.get(reverse("accounts:language")).status_code == 405
