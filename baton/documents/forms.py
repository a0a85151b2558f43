"""Forms of the documents pages (new document, import): they keep what was typed; the services
validate."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from baton.core.forms import FlagField, IdField, IdsField, IntField, TextField
from baton.core.validation import parse_id
from baton.documents.models import (
    BODY_MAX_LENGTH,
    TITLE_MAX_LENGTH,
    DocumentRole,
    DocumentVisibility,
)
from baton.documents.services.transfer import MAX_FILES


class DocumentCreateForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=TITLE_MAX_LENGTH)
    project = forms.ChoiceField(label=_("Project"), required=False)
    folder = forms.ChoiceField(label=_("Folder"), required=False)
    visibility = forms.ChoiceField(
        label=_("Who can see it"),
        choices=DocumentVisibility.choices,
        initial=DocumentVisibility.ORGANIZATION,
        widget=forms.RadioSelect,
    )

    def __init__(self, *args, projects=(), folders=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["project"].choices = [("", _("None: the whole organization"))] + [
            (p.key, p.name) for p in projects
        ]
        self.fields["folder"].choices = [("", _("No folder (top level)")), *folders]
        self.fields["title"].widget.attrs.update({"autofocus": True, "autocomplete": "off"})


class MultipleFileInput(forms.FileInput):
    allow_multiple_selected = True


class FilesField(forms.Field):
    """Several files (`name` repeated): the first `cut` of them; the service checks them."""

    widget = MultipleFileInput

    def __init__(self, *, cut: int, **kwargs) -> None:
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)
        self.cut = cut

    def to_python(self, value) -> list:
        return list(value or [])[: self.cut]


class ImportForm(forms.Form):
    folder = forms.ChoiceField(label=_("Into the folder"), required=False)
    project = TextField(widget=forms.HiddenInput)  # a project's key, else the query's
    # One more than the service takes, so that it can say there were too many.
    files = FilesField(cut=MAX_FILES + 1)

    def __init__(self, *args, folders=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["folder"].choices = [("", _("No folder (top level)")), *folders]


# ---------------------------------------------------------------- folders and places


class FolderForm(forms.Form):
    """A folder's name as typed (the service strips and checks it)."""

    name = TextField()


class FolderParentForm(forms.Form):
    """The folder to put a folder in: its id (a value that names none is a 404), or empty for
    the top level."""

    parent = TextField(strip=True)


class FolderCreateForm(FolderForm, FolderParentForm):
    """A new folder: in `parent`, else at the top of a project's documents (its key) or of the
    organization's."""

    project = TextField(cut=10)


class DocumentReorderForm(forms.Form):
    """A drag in a folder's list: the documents it now follows (`after`) and precedes
    (`before`), each empty at an end; a reorder only when the page sends either."""

    after = TextField(strip=True, missing=None)
    before = TextField(strip=True, missing=None)

    def requested(self) -> bool:
        return self.is_valid() and (
            self.cleaned_data["after"] is not None or self.cleaned_data["before"] is not None
        )


class DocumentMoveForm(forms.Form):
    """The folder of the place to move a document to (`folders`: the place's, by id), or empty
    for the top level: the folder, or None."""

    folder = TextField(strip=True)

    def __init__(self, *args, folders: dict, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.folders = folders

    def clean_folder(self):
        value = self.cleaned_data["folder"]
        node = self.folders.get(parse_id(value))
        if value and node is None:
            raise ValidationError(gettext("Choose one of the folders."))
        return node.folder if node else None


class ArchiveForm(forms.Form):
    """Archive (`archived=1`, the default) or bring back (`archived=0`)."""

    archived = FlagField(default=True)


# ---------------------------------------------------------------- reading and editing


class PresenceForm(forms.Form):
    """The editor's heartbeat: `editing=1` while editing, `left` when the page closes."""

    editing = FlagField()
    left = FlagField(any_value=True)


class DocumentTextForm(forms.Form):
    """What the editor sends: title and Markdown as typed (the service strips and checks them),
    and the version the typing started from (None when it says none or no version can be)."""

    title = TextField()
    body = TextField()
    base_version = IntField(lenient=True)


class DocumentSaveForm(DocumentTextForm):
    note = TextField()


class DraftForm(DocumentTextForm):
    """An autosave, or throwing the draft away (`discard`)."""

    discard = FlagField(any_value=True)


class PreviewForm(forms.Form):
    body = TextField(cut=BODY_MAX_LENGTH)


class RestoreForm(forms.Form):
    """Restoring version `number` from the history opened at version `base_version`; None for
    a number no version can have."""

    number = IntField(minimum=1, lenient=True)
    base_version = IntField(minimum=1, lenient=True)


# ---------------------------------------------------------------- followers, sharing, tasks


class FollowForm(forms.Form):
    """Follow (`following=1`, the default) or unfollow (`following=0`)."""

    following = FlagField(default=True)


class FollowersForm(forms.Form):
    """People (`users`) and teams (`teams`) to add as followers; values that cannot be ids are
    left out."""

    users = IdsField()
    teams = IdsField()


class ShareForm(forms.Form):
    """A change of the share dialog, named by `action`; each has its form below."""

    action = TextField(missing=None)


class ShareAudienceForm(ShareForm):
    visibility = TextField()
    access = TextField()


class ShareAddForm(ShareForm):
    """Naming a person (`who=user:3`) or a team (`who=team:5`) with a role (viewer when not
    sent); with `follow` they also follow. `who` is (kind, id or None)."""

    who = TextField()
    role = TextField(missing=DocumentRole.VIEWER)
    follow = FlagField(any_value=True)

    def clean_who(self) -> tuple[str, int | None]:
        kind, _sep, pk = self.cleaned_data["who"].partition(":")
        return kind, parse_id(pk)


class ShareMemberForm(ShareForm):
    """Changing the role of one of the named (`member`) or removing them."""

    member = IdField()
    role = TextField()


class TaskDocumentForm(forms.Form):
    """Linking `document` to a card, or unlinking it (`action=unlink`)."""

    document = IdField()
    action = TextField()
