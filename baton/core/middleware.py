import zoneinfo

from django.utils import timezone, translation
from django.utils.cache import patch_vary_headers

from baton.core.htmx import is_htmx


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


class HtmxMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.htmx = is_htmx(request)
        response = self.get_response(request)
        if request.htmx:
            # The same URL answers with a partial or a full page: caches must keep them apart.
            patch_vary_headers(response, ["HX-Request"])
        return response
