"""Forms of the inbox: they parse what its buttons post; the views decide where it leads."""

from django import forms

from baton.core.forms import TextField


class BackForm(forms.Form):
    """Marking read posts the inbox page it came from (`next`), to go back to without JavaScript."""

    next = TextField()
