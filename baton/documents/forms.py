"""Forms of the documents pages (new document, import): they keep what was typed; the services
validate."""

from django import forms
from django.utils.translation import gettext_lazy as _

from baton.documents.models import TITLE_MAX_LENGTH, DocumentVisibility


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


class ImportForm(forms.Form):
    folder = forms.ChoiceField(label=_("Into the folder"), required=False)

    def __init__(self, *args, folders=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["folder"].choices = [("", _("No folder (top level)")), *folders]
