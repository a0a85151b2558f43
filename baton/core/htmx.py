"""htmx requests, read by django-htmx, and the answers that swap nothing."""

from django.utils.cache import patch_vary_headers
from django_htmx.middleware import HtmxDetails


class PartialDetails(HtmxDetails):
    """django-htmx's reading of a request's HX-* headers (`request.htmx.target`, …), false for
    a history restore: htmx then asks for the whole page, not the partial it swaps in."""

    def __bool__(self) -> bool:
        return super().__bool__() and not self.history_restore_request


class HtmxMiddleware:
    """Sets `request.htmx` (true when the page is already on screen: answer with a partial)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.htmx = PartialDetails(request)
        response = self.get_response(request)
        if request.htmx:
            # The same URL answers with a partial or a full page: caches must keep them apart.
            patch_vary_headers(response, ["HX-Request"])
        return response


def is_htmx(request) -> bool:
    """For code that may run before the middleware (an error answered early)."""
    htmx = getattr(request, "htmx", None)
    return bool(htmx if htmx is not None else PartialDetails(request))
