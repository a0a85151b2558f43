"""Absolute links (in mails, in fields to copy): they point where the server is.

During a request, at the address the browser used: Django has checked its host against
ALLOWED_HOSTS, so `make run PORT=18200` gives links to port 18200. Without a request (the worker,
a command), at BATON_SITE_URL, which `baton serve` sets from the address it serves on when it
is not given.
"""

from django.conf import settings


def site_url(request=None) -> str:
    """The site's root without its trailing slash, e.g. "http://127.0.0.1:18200"."""
    if request is not None:
        return request.build_absolute_uri("/").rstrip("/")
    return settings.SITE_URL


def absolute_url(path: str, request=None) -> str:
    """`path` ("/o/shop/t/SH-1") as a full address; a full address is returned as it is."""
    if path.startswith(("http://", "https://")):
        return path
    return site_url(request) + (path if path.startswith("/") else "/" + path)
