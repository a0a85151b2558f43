"""What the app that owns commented and attached-to objects (a task, an event, a document)
decides about them, registered in its AppConfig.ready(). The discussion and files services and
access helpers ask it; they never decide access themselves, and never import the owners' apps,
which sit a layer above them.

    register(Task, Owner(require_writer=..., may_moderate=..., changed=..., ...))
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any


def _itself(owner: Any) -> Any:
    return owner


@dataclass(frozen=True)
class Owner:
    """The rules of one kind of owner. Every callable asks the owner's own permission module
    or services.

    - require_writer(user, owner): may the person comment on and attach files to it? Raises
      Http404 for outsiders, PermissionDenied for read-only people (ValidationError when the
      owner takes no new talk, e.g. an archived calendar); returns the person's role.
    - may_moderate(user, owner, role): may delete other people's comments and files.
    - changed(actor, owner, change, data): a comment or file was added, edited, deleted,
      resolved or reopened (`change`: "commented", "comment_edited", "comment_deleted",
      "comment_resolved", "comment_reopened", "attached", "attachment_deleted"), inside the
      write's transaction: the owner's Activity row and live event.
    - people(owner): who may be named with @ in its comments.
    - organization_id(owner).
    - thread(owner): where talk and files go (an event's series for an edited occurrence).
    - may_resolve(user, owner, comment, role): who resolves a comment (None: comments of this
      owner are not resolved).
    - on_comment(actor, owner, comment, change): what else a comment means to the owner, in the
      same transaction (a card's search entry, following the card).
    - may_moderate_files(user, owner, role): may delete other people's files (default: as
      may_moderate).
    - require_attacher(user, owner): may add files where that differs from commenting (a
      document's readers comment, its editors add pictures); default: require_writer.
    """

    require_writer: Callable[[Any, Any], Any]
    may_moderate: Callable[[Any, Any, Any], bool]
    changed: Callable[[Any, Any, str, dict], None]
    people: Callable[[Any], Iterable]
    organization_id: Callable[[Any], int]
    thread: Callable[[Any], Any] = _itself
    may_resolve: Callable[[Any, Any, Any, Any], bool] | None = None
    on_comment: Callable[[Any, Any, Any, str], None] | None = None
    may_moderate_files: Callable[[Any, Any, Any], bool] | None = None
    require_attacher: Callable[[Any, Any], Any] | None = None

    def require_file_writer(self, user, owner) -> Any:
        return (self.require_attacher or self.require_writer)(user, owner)

    def may_delete_file(self, user, owner, role) -> bool:
        rule = self.may_moderate_files or self.may_moderate
        return rule(user, owner, role)


_OWNERS: dict[type, Owner] = {}


def register(model: type, owner: Owner) -> None:
    _OWNERS[model] = owner


def rules_of(owner: Any) -> Owner:
    """The rules registered for this object's model (a KeyError for an unregistered one is a
    programming error, not input)."""
    return _OWNERS[type(owner)._meta.concrete_model]
