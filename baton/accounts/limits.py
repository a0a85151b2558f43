"""Rate limits of the pages that take a password or send one: logging in (django-axes counts the
failures, settings.AXES_*) and asking for a password-reset mail (counted here)."""

import hashlib

from axes.utils import reset as reset_login_failures
from django.conf import settings
from django.core.cache import caches
from django.shortcuts import render
from django.utils.translation import gettext as _

from baton.accounts.forms import LoginForm

RESET_WINDOW_SECONDS = 3600


def clear_login_failures(email: str) -> None:
    """Forget an account's failed logins (after it logged in, or reset its password). Failures
    from the same address against other accounts still count."""
    reset_login_failures(username=email.strip().lower())


def locked_out_response(request, original_response=None, credentials=None):
    """The login page, saying why it refuses and how to get back in (axes' lockout callable)."""
    email = (credentials or {}).get("username") or request.POST.get("username", "")
    form = LoginForm(request, initial={"username": email})
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    context = {
        "form": form,
        "next": request.POST.get("next", ""),
        "locked": True,
        "cooloff_minutes": minutes,
    }
    return render(request, "accounts/login.html", context, status=429)


def client_address(request) -> str:
    """The address django-axes counts login failures by (it sets it on every request)."""
    return getattr(request, "axes_ip_address", None) or request.META.get("REMOTE_ADDR", "")


def reset_requests_exceeded(request, email: str) -> bool:
    """Count one password-reset request for the address and for the e-mail; True once either has
    asked more than BATON_PASSWORD_RESET_LIMIT times within the hour (the request is refused)."""
    cache = caches["limits"]
    keys = [_key("ip", client_address(request)), _key("email", email.strip().lower())]
    exceeded = False
    for key in keys:
        cache.add(key, 0, RESET_WINDOW_SECONDS)
        try:
            count = cache.incr(key)
        except ValueError:  # expired between add() and incr()
            cache.set(key, 1, RESET_WINDOW_SECONDS)
            count = 1
        exceeded = exceeded or count > settings.BATON_PASSWORD_RESET_LIMIT
    return exceeded


def _key(kind: str, value: str) -> str:
    """A short cache key that stores no address in clear."""
    return f"reset:{kind}:{hashlib.sha256(value.encode()).hexdigest()[:32]}"


def reset_limit_message() -> str:
    return _(
        "Too many password-reset requests from here or for this address. "
        "Please wait an hour, then ask again; the last link sent still works."
    )
