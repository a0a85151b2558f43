"""Request types for views: what the middleware adds to Django's HttpRequest."""

from django.http import HttpRequest

from baton.accounts.models import User
from baton.core.htmx import PartialDetails


class AuthenticatedRequest(HttpRequest):
    """A request that passed `login_required` (every page but login and sign-up): `user` is a
    User, never AnonymousUser, and `htmx` is set by core.htmx.HtmxMiddleware."""

    user: User
    htmx: PartialDetails
