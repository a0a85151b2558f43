"""Live channels: "project:12", "task:345", "document:7", "calendar:3", "user:5".

The realtime layer knows no projects or documents, so each app registers who may listen to its
kind of channel (in its AppConfig.ready). A channel nobody registered is refused.
"""

from collections.abc import Callable

from baton.core.validation import parse_id

Check = Callable[[object, int], bool]

_checks: dict[str, Check] = {}
# Channels whose listeners are shown to each other ("who else is viewing").
PRESENCE_KINDS = {"project", "task", "document"}


def register_channel(kind: str, may_listen: Check) -> None:
    _checks[kind] = may_listen


def parse_channel(channel: str) -> tuple[str, int] | None:
    kind, _, ident = channel.partition(":")
    pk = parse_id(ident)
    if kind not in _checks or pk is None or len(channel) > 60:
        return None
    return kind, pk


def may_listen(user, channel: str) -> bool:
    """Whether `user` may hear this channel's events: signed in and allowed by its app."""
    parsed = parse_channel(channel)
    if parsed is None or not getattr(user, "is_authenticated", False):
        return False
    kind, ident = parsed
    return bool(_checks[kind](user, ident))


def user_channel(user_id: int) -> str:
    return f"user:{user_id}"


def project_channel(project_id: int) -> str:
    return f"project:{project_id}"


register_channel("user", lambda user, ident: user.pk == ident)
