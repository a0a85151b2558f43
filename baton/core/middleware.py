import json
import logging
import re
import zoneinfo

from django.db import DataError, IntegrityError, transaction
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils import timezone, translation
from django.utils.cache import patch_vary_headers
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django_htmx.http import reswap, trigger_client_event

from baton.core.htmx import is_htmx

logger = logging.getLogger(__name__)


class UserLanguageMiddleware:
    """The language of the profile, else Accept-Language (Django's LocaleMiddleware logic)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        language = self.language_for(request)
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", request.LANGUAGE_CODE)
        patch_vary_headers(response, ["Accept-Language", "Cookie"])
        return response

    @staticmethod
    def language_for(request) -> str:
        # The session is read lazily: the user is loaded once and cached on the request.
        from django.contrib.auth import get_user

        user = get_user(request)
        request._cached_user = user
        if user.is_authenticated and user.language:
            return user.language
        return translation.get_language_from_request(request)


class UserTimezoneMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if user.is_authenticated and user.timezone:
            try:
                timezone.activate(zoneinfo.ZoneInfo(user.timezone))
            except (zoneinfo.ZoneInfoNotFoundError, ValueError):
                timezone.deactivate()
        else:
            timezone.deactivate()
        return self.get_response(request)


class MalformedInputMiddleware:
    """One guard for what no endpoint can store: NUL characters, and database errors input caused.

    PostgreSQL refuses text with a NUL character (\\x00) outright, so a pasted NUL would fail deep
    inside whichever service got it. Any request whose query, form fields, file names or JSON body
    carry one is answered 422 here, before its view runs, in the shape the caller shows: a JSON
    body for scripts and fetch(), a toast for htmx (nothing on the page is swapped, so the form
    keeps what was typed), else a page that gives the text back without the NULs.

    A value out of the database's range that a view let through (DataError, or SQLite's
    OverflowError) and a write refused by a constraint (IntegrityError) are answered 422 and 409
    rather than 500; they are logged, since a check belongs in the service.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if "\x00" in request.path_info or _has_nul(view_kwargs):
            raise Http404
        fields = _fields_with_nul(request)
        if fields:
            return _nul_response(request, fields)
        return None

    def process_exception(self, request, exception):
        if isinstance(exception, (DataError, OverflowError)):
            status, message = 422, _("A value is out of the range Baton can store.")
        elif isinstance(exception, IntegrityError):
            status, message = 409, _("That clashes with something saved meanwhile. Please reload.")
        else:
            return None
        logger.warning(
            "Input the database refused: %s %s", request.method, request.path, exc_info=exception
        )
        # Under a transaction that spans the request (tests, ATOMIC_REQUESTS), the failed
        # statement has spoiled it: it must roll back rather than commit.
        if transaction.get_connection().in_atomic_block:
            transaction.set_rollback(True)
        return input_error_response(request, message, status=status)


def _has_nul(value) -> bool:
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(_has_nul(k) or _has_nul(v) for k, v in value.items())
    if isinstance(value, (list, tuple)):
        return any(_has_nul(v) for v in value)
    return False


def _fields_with_nul(request) -> dict[str, list[str]]:
    """{field name: its values} for each field that carries a NUL."""
    found: dict[str, list[str]] = {}
    sources = [request.GET]
    if request.method not in ("GET", "HEAD", "OPTIONS"):
        if request.content_type == "application/json":
            sources.append(_json_fields(request))
        else:
            sources += [request.POST, {n: [f.name for f in fs] for n, fs in request.FILES.lists()}]
    for source in sources:
        items = source.lists() if hasattr(source, "lists") else source.items()
        for name, values in items:
            if _has_nul(name) or _has_nul(values):
                found[name.replace("\x00", "")] = values
    return found


def _json_fields(request) -> dict:
    try:
        data = json.loads(request.body or b"null")
    except ValueError:  # not JSON at all: the view says so
        return {}
    if isinstance(data, dict):
        return {name: [value] for name, value in data.items()}
    return {"": [data]}


def _nul_response(request, fields: dict[str, list]) -> HttpResponse:
    message = _(
        "The text contains an invisible control character (NUL) that cannot be saved. "
        "Remove it, e.g. by typing the text again instead of pasting it, and try again."
    )
    kept = [
        value.replace("\x00", "")
        for name, values in fields.items()
        if not SECRET_FIELD.search(name)
        for value in values
        if isinstance(value, str) and value.strip("\x00").strip()
    ]
    return input_error_response(request, message, status=422, fields=list(fields), kept=kept)


# Fields whose value is never shown back, not even on an error page.
SECRET_FIELD = re.compile(r"password|token|secret", re.IGNORECASE)


def input_error_response(request, message: str, *, status: int, fields=(), kept=()) -> HttpResponse:
    """An error about the request's input, shown the way its sender shows errors."""
    if request.content_type == "application/json" or "application/json" in request.headers.get(
        "Accept", ""
    ):
        errors = {name: [message] for name in fields}
        return JsonResponse({"detail": message, "errors": errors}, status=status)
    if is_htmx(request):
        response = HttpResponse(message, status=status, content_type="text/plain; charset=utf-8")
        # Nothing is swapped (the form keeps what was typed); the page shows the message as a toast.
        reswap(response, "none")
        return trigger_client_event(response, "toast", {"message": message, "kind": "error"})
    back = request.headers.get("Referer", "")
    if not url_has_allowed_host_and_scheme(back, {request.get_host()}, request.is_secure()):
        back = "/"
    context = {"message": message, "kept": kept, "back": back, "status": status}
    return render(request, "422.html", context, status=status)
