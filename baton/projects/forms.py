from django import forms
from django.utils.translation import gettext_lazy as _

from baton.core.colors import PALETTE
from baton.projects.models import Project, Visibility


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
