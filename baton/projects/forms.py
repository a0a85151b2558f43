import re

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from baton.core.colors import PALETTE
from baton.core.forms import FlagField, IdField, IntField, TextField
from baton.core.validation import MAX_ID
from baton.lib.segment import MAX_QUERY_CHARS
from baton.projects.filters import clean_query
from baton.projects.models import Project, ProjectRole, Visibility
from baton.projects.queries import MY_TASK_TABS


class ColorRadio(forms.RadioSelect):
    template_name = "components/color_radio.html"
    option_template_name = "components/color_option.html"


class ProjectForm(forms.Form):
    """Renders the project form and keeps what was typed; the service does the validating."""

    name = forms.CharField(label=_("Name"), max_length=80)
    key = forms.CharField(
        label=_("Key"),
        max_length=10,
        help_text=_("2 to 10 capital letters that prefix task numbers, e.g. SH for SH-12."),
    )
    description = forms.CharField(
        label=_("Description"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    color = forms.ChoiceField(label=_("Colour"), choices=PALETTE, initial="blue", widget=ColorRadio)
    visibility = forms.ChoiceField(
        label=_("Who can see it"),
        choices=Visibility.choices,
        initial=Visibility.MEMBERS,
        widget=forms.RadioSelect,
    )

    def clean_key(self) -> str:
        return self.cleaned_data["key"].strip().upper()

    @classmethod
    def for_project(cls, project: Project, data=None) -> "ProjectForm":
        initial = {
            f: getattr(project, f) for f in ("name", "key", "description", "color", "visibility")
        }
        return cls(data=data, initial=initial)


class NewProjectForm(ProjectForm):
    """The project form when creating one: it may start with the common after-sales tags."""

    after_sales_tags = forms.BooleanField(
        label=_("Start with the common after-sales tags"), required=False
    )


# ---------------------------------------------------------------- what the project pages post
# Forms parse shapes only; the services keep the rules (and their messages). Text is passed on as
# sent: the services strip what they strip.


class NumberField(IntField):
    """A number or an id the board's scripts and forms post (a neighbour, a version, a WIP limit,
    a person): empty is None, a whole number within 64 bits (a negative one too: the service then
    finds it names nothing), anything else "Invalid number: …"."""

    def __init__(self, **kwargs) -> None:
        super().__init__(minimum=None, maximum=MAX_ID, required=False, **kwargs)

    def to_python(self, value) -> int | None:
        try:
            return super().to_python(value)
        except ValidationError:
            raise ValidationError(
                _("Invalid number: %(value)s"), code="invalid", params={"value": value}
            ) from None


class ValuesField(forms.Field):
    """Several values under one name (`name` repeated), as sent: the service reads them (and says
    which one it does not know)."""

    widget = forms.MultipleHiddenInput

    def __init__(self, **kwargs) -> None:
        super().__init__(required=False, **kwargs)

    def to_python(self, value) -> list[str]:
        if value is None:
            return []
        return [str(v) for v in value] if isinstance(value, list | tuple) else [str(value)]


class NeighboursForm(forms.Form):
    """One drag in a sortable list: the ids of the item's new neighbours (`sides` says which of
    `after` and `before` the list sends)."""

    after = NumberField()
    before = NumberField()

    def __init__(self, data=None, *, sides=("after", "before"), **kwargs) -> None:
        super().__init__(data, **kwargs)
        for side in set(self.fields) - set(sides):
            del self.fields[side]


# ------------------------------------------------ projects and lists


class ProjectMembersForm(forms.Form):
    """The members part of the settings: `action` add (`user`, `role`: member when not sent),
    role (`member`, `role`) or remove (`member`). Only the action's own fields are read."""

    ACTION_FIELDS = {"add": ("user", "role"), "role": ("member", "role"), "remove": ("member",)}

    action = TextField(missing=None)
    user = NumberField()
    member = NumberField()
    role = TextField(missing=None)

    def __init__(self, data=None, **kwargs) -> None:
        super().__init__(data, **kwargs)
        used = self.ACTION_FIELDS.get(self.data.get("action"), ())
        for name in ("user", "member", "role"):
            if name not in used:
                del self.fields[name]

    def clean_role(self) -> str:
        role = self.cleaned_data["role"]
        if role is None:
            return ProjectRole.MEMBER if self.cleaned_data.get("action") == "add" else ""
        return role


class ArchiveForm(forms.Form):
    """Archive (`archived=1`) or restore (anything else) a project."""

    archived = FlagField()


class ListArchiveForm(forms.Form):
    """Archive a list (`archived=1`, or not sent) or restore it (anything else)."""

    archived = FlagField(missing=True)


class ListCreateForm(forms.Form):
    name = TextField()


class ListUpdateForm(forms.Form):
    """A list header's forms send one property at a time: its name, whether it is the done list
    (`is_done=1`) or its WIP limit (empty: none)."""

    name = TextField()
    is_done = FlagField()
    wip_limit = NumberField()

    def changes(self) -> dict:
        """The properties the request sent, cleaned."""
        return {name: value for name, value in self.cleaned_data.items() if name in self.data}


class CardPageForm(forms.Form):
    """The next page of a long list: the last card shown (its position and id) and how many
    cards are on screen (`shown`, none: 0)."""

    after_position = forms.FloatField()  # non-finite numbers are refused
    after_id = IntField(maximum=MAX_ID)
    shown = IntField(minimum=None, required=False)

    def clean_shown(self) -> int:
        return max(0, self.cleaned_data["shown"] or 0)


# ------------------------------------------------ tags


class TagCreateForm(forms.Form):
    """A new tag from the settings, or from a card's picker (`task`: its reference)."""

    task = TextField()
    name = TextField()
    color = TextField(missing=None)


class TagUpdateForm(forms.Form):
    """Rename or recolour a tag: what is not sent is kept."""

    name = TextField(missing=None)
    color = TextField(missing=None)


class TagMergeForm(forms.Form):
    target = NumberField()


class TagSetForm(forms.Form):
    set = TextField(missing="after_sales")


# ------------------------------------------------ tasks


class QuickAddForm(forms.Form):
    """The quick-add at the bottom of a list: the title, and an input per required custom field
    (`cf_<field id>`, several values for a multi-select), which the service reads."""

    title = TextField()

    def clean(self) -> dict:
        cleaned = super().clean()
        cleaned["custom_values"] = {
            name.removeprefix("cf_"): self.data.getlist(name)
            for name in self.data
            if name.startswith("cf_")
        }
        return cleaned


class TaskWriteForm(forms.Form):
    """Where a write to a task comes from: `view=row` is an inline edit in the list view (answered
    with the row), `panel=parent` a subtask's row in its parent's checklist."""

    view = TextField()
    panel = TextField()

    @property
    def from_row(self) -> bool:
        return self.cleaned_data.get("view") == "row"

    @property
    def from_checklist(self) -> bool:
        return self.cleaned_data.get("panel") == "parent"


class TaskUpdateForm(TaskWriteForm):
    """The fields one panel form (or a list row's editor) saves, named in `_fields`; `version` is
    the task's version the text edit started from."""

    _fields = TextField()
    version = NumberField()
    title = TextField()
    description = TextField()
    assignee = TextField()
    start_date = TextField()
    due_date = TextField()
    priority = TextField()
    participants = ValuesField()
    tags = ValuesField()

    def clean__fields(self) -> list[str]:
        return [name for name in self.cleaned_data["_fields"].split(",") if name]

    def changes(self) -> dict:
        """The values of the fields named in `_fields` (each one this form reads)."""
        return {name: self.cleaned_data.get(name, "") for name in self.cleaned_data["_fields"]}


class CardMoveForm(TaskWriteForm):
    """One drag of a card, or the panel's move menu (`from=panel`): its list (none: the list it
    is in) and new neighbours."""

    list = TextField()
    after = NumberField()
    before = NumberField()


CardMoveForm.base_fields["from"] = TextField()  # a keyword in Python: declared by its name


class TaskDoneForm(TaskWriteForm):
    done = FlagField()


class TaskArchiveForm(forms.Form):
    """Archive a card (`archived=1`, or not sent) or restore it (anything else)."""

    archived = FlagField(missing=True)


class TaskFollowForm(forms.Form):
    """Follow a card (`following=1`, or not sent) or stop (anything else)."""

    following = FlagField(missing=True)


class SubtaskCreateForm(forms.Form):
    title = TextField()


class TransferForm(forms.Form):
    """Copy a card (its new `title`, none sent: the same; `subtasks=1` copies them too) or move
    it: the destination list."""

    list = IdField()
    title = TextField(missing=None)
    subtasks = FlagField()


class MyTaskDoneForm(forms.Form):
    """Quick complete from a My tasks row (`done=1`, or not sent) and its Undo (`done=0`)."""

    done = TextField(missing="1")

    def clean_done(self) -> bool:
        if self.cleaned_data["done"] not in ("0", "1"):
            raise ValidationError(_("Say done=1 to complete the task or done=0 to reopen it."))
        return self.cleaned_data["done"] == "1"


class BulkForm(forms.Form):
    """An action on the selected cards (`tasks`, as sent: the service says which it refuses)."""

    action = TextField()
    tasks = ValuesField()
    value = TextField()


# ------------------------------------------------ custom fields

OPTION_NAME = re.compile(r"^option-(\d+)-name$")


class FieldDefinitionForm(forms.Form):
    """A custom field's settings form: its name, type, switches and option rows
    (`option-<i>-id`, `-name`, `-color`, `-remove`), kept in order as typed (a row marked for
    removal included, so a refused save shows it again as it was)."""

    name = TextField()
    kind = TextField()
    required = FlagField()
    show_on_card = FlagField()

    def clean(self) -> dict:
        cleaned = super().clean()
        data = self.data
        indexes = sorted(int(m.group(1)) for name in data if (m := OPTION_NAME.match(name)))
        cleaned["options"] = [
            {
                "id": data.get(f"option-{i}-id", ""),
                "name": data.get(f"option-{i}-name", ""),
                "color": data.get(f"option-{i}-color", ""),
                "remove": bool(data.get(f"option-{i}-remove")),
            }
            for i in indexes
        ]
        return cleaned

    def kept_options(self) -> list[dict]:
        """The option rows not marked for removal, as the service takes them."""
        return [
            {k: option[k] for k in ("id", "name", "color")}
            for option in self.cleaned_data["options"]
            if not option["remove"]
        ]


class FieldUpdateForm(FieldDefinitionForm):
    def clean_kind(self) -> str | None:
        return self.cleaned_data["kind"] or None  # not sent: the type stays (it cannot change)


class TaskFieldForm(forms.Form):
    """One custom field's value from the task panel: the `field` (its id; one that cannot be an
    id names no field) and its `value`, which `values` reads as a list (a multi-select)."""

    field = IdField()
    value = TextField()
    values = ValuesField()

    def add_prefix(self, field_name: str) -> str:
        return super().add_prefix("value" if field_name == "values" else field_name)


# ------------------------------------------------ the list view and saved views


LAYOUTS = ("board", "list")
MAX_OFFSET = 10**7  # far beyond any project; keeps the number within what databases take


class RowPageForm(forms.Form):
    """The next page of the list view's rows: where it starts and the group the last row shown
    was in."""

    offset = IntField(maximum=MAX_OFFSET)
    last_group = TextField(missing=None)


class LayoutForm(forms.Form):
    """Which view a request is about: the list, or the board (also when `layout` names none)."""

    layout = TextField()

    def clean_layout(self) -> str:
        layout = self.cleaned_data["layout"]
        return layout if layout in LAYOUTS else "board"


class ViewStateForm(LayoutForm):
    """The page a saved-views request comes from: its layout and its query string, reduced to
    what a view keeps."""

    query = TextField()

    def clean(self) -> dict:
        cleaned = super().clean()
        extra = ("sort", "group") if cleaned["layout"] == "list" else ()
        cleaned["query"] = clean_query(cleaned["query"], allowed_extra=extra)
        return cleaned


class SavedViewCreateForm(ViewStateForm):
    name = TextField()


class SavedViewUpdateForm(ViewStateForm):
    """Rename a saved view (`name`, kept when not sent) or give it the page's current layout and
    filters (`replace=1`)."""

    name = TextField(missing=None)
    replace = FlagField()


# ------------------------------------------------ search and My tasks


class SearchForm(forms.Form):
    """What to look for (without the spaces around it, at most MAX_QUERY_CHARS characters), and
    whether the answer is the sidebar's dropdown (`as=dropdown`) or the page."""

    q = TextField(strip=True, cut=MAX_QUERY_CHARS)


SearchForm.base_fields["as"] = TextField()  # a keyword in Python: declared by its name


class MyTasksForm(forms.Form):
    """The tab of My tasks (assigned when it names none)."""

    tab = TextField()

    def clean_tab(self) -> str:
        tab = self.cleaned_data["tab"]
        return tab if tab in MY_TASK_TABS else "assigned"
