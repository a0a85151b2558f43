"""Links point where the server is, and the console mail backend prints readable mail.

During a request links use the address the browser used (within ALLOWED_HOSTS); without one
(the worker, commands) they use BATON_SITE_URL, which `baton serve` sets from the address it
serves on when it is not given.
"""

import io
import os
import re

import pytest
from django.core import mail
from django.core.mail import EmailMultiAlternatives
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from baton.core import worker
from baton.core.mail import ConsoleBackend
from baton.notifications.mail import send_due_mail
from baton.notifications.models import Kind, MailState, Notification
from baton.orgs.models import Invitation

pytestmark = pytest.mark.django_db

HOST = "localhost:18200"


def test_an_invitation_made_on_another_port_links_to_that_port(
    english, org, alice, django_capture_on_commit_callbacks
):
    client = english(alice)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("orgs:invite", args=[org.slug]),
            {"kind": "email", "email": "dora@example.com", "role": "member"},
            HTTP_HOST=HOST,
        )
    assert response.status_code == 302
    invitation = Invitation.objects.get()
    link = f"http://{HOST}" + reverse("orgs:invitation_accept", args=[invitation.token])
    (message,) = mail.outbox
    assert link in message.body
    assert ":8000" not in message.body
    page = client.post(
        reverse("orgs:invite", args=[org.slug]),
        {"kind": "link", "role": "guest"},
        HTTP_HOST=HOST,
        follow=True,
    )
    shared = Invitation.objects.get(email="")
    link = f"http://{HOST}" + reverse("orgs:invitation_accept", args=[shared.token])
    assert f'value="{link}"' in page.content.decode()


def test_a_host_outside_allowed_hosts_gets_no_link(english, org, alice):
    response = english(alice).post(
        reverse("orgs:invite", args=[org.slug]),
        {"kind": "link", "role": "member"},
        HTTP_HOST="evil.example.com",
    )
    assert response.status_code == 400
    assert not Invitation.objects.exists()


def test_a_password_reset_mail_links_to_the_address_asked_on(english, alice):
    response = english().post(
        reverse("accounts:password_reset"), {"email": alice.email}, HTTP_HOST=HOST
    )
    assert response.status_code == 302
    (message,) = mail.outbox
    assert re.search(rf"http://{HOST}/accounts/password-reset/\S+", message.body)


def test_mail_built_by_the_worker_links_to_baton_site_url(org, bob, settings):
    settings.SITE_URL = "http://192.0.2.7:18200"
    Notification.objects.create(
        recipient=bob,
        organization=org,
        kind=Kind.MENTION,
        verb="task.mentioned",
        target_type="task",
        target_id=1,
        target_title="SH-1 退款",
        target_url=f"/o/{org.slug}/t/SH-1",
        mail_state=MailState.PENDING,
        mail_due_at=timezone.now(),
    )
    assert send_due_mail()["sent"] == 1
    (message,) = mail.outbox
    assert f"http://192.0.2.7:18200/o/{org.slug}/t/SH-1" in message.body


@pytest.mark.parametrize(
    "host, address",
    [
        ("127.0.0.1", "http://127.0.0.1:18231"),
        ("0.0.0.0", "http://127.0.0.1:18231"),
        ("::1", "http://[::1]:18231"),
    ],
)
def test_baton_serve_sets_baton_site_url_when_it_is_not_given(monkeypatch, settings, host, address):
    import uvicorn

    seen = {}
    monkeypatch.delenv("BATON_SITE_URL", raising=False)
    monkeypatch.setattr(uvicorn, "run", lambda *a, **k: seen.update(env=os.environ.copy()))
    call_command("serve", host=host, port=18231, workers=1, no_worker=True, stdout=io.StringIO())
    assert seen["env"]["BATON_SITE_URL"] == address  # the web processes inherit it
    assert address == settings.SITE_URL  # the worker thread of `baton serve` reads it


def test_baton_serve_keeps_a_given_baton_site_url(monkeypatch, settings):
    import uvicorn

    monkeypatch.setenv("BATON_SITE_URL", "https://baton.example.com")
    settings.SITE_URL = "https://baton.example.com"
    monkeypatch.setattr(uvicorn, "run", lambda *a, **k: None)
    monkeypatch.setattr(worker, "start_in_thread", lambda **k: None)
    call_command("serve", port=18231, workers=1, no_worker=True, stdout=io.StringIO())
    assert os.environ["BATON_SITE_URL"] == "https://baton.example.com"
    assert settings.SITE_URL == "https://baton.example.com"


def test_the_console_backend_prints_chinese_mail_as_text():
    stream = io.StringIO()
    message = EmailMultiAlternatives(
        subject="王芳邀请你加入小熊猫旗舰店",
        body="加入小熊猫旗舰店 http://127.0.0.1:18200/invite/abc",
        from_email="Baton <baton@localhost>",
        to=["dora@example.com"],
    )
    message.attach_alternative("<p>加入</p>", "text/html")
    message.attach("规则.txt", "七天无理由退换货", "text/plain")
    assert ConsoleBackend(stream=stream).send_messages([message]) == 1
    out = stream.getvalue()
    assert "Subject: 王芳邀请你加入小熊猫旗舰店" in out
    assert "To: dora@example.com" in out
    assert "加入小熊猫旗舰店 http://127.0.0.1:18200/invite/abc" in out
    assert "(text/html version not shown)" in out
    assert "(attachment: 规则.txt)" in out
    assert "base64" not in out and "=?utf-8?" not in out


def test_without_smtp_mail_goes_to_the_readable_console(settings):
    from baton.settings import mailer_settings

    assert "BATON_EMAIL_HOST" not in os.environ or pytest.skip("an SMTP server is configured")
    assert mailer_settings()["BACKEND"] == "baton.core.mail.ConsoleBackend"
