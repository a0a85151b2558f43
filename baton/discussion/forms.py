"""What a comment's forms post, wherever the comment is (a card, an event, a document). The text
is taken as typed: the services strip it and say what is missing or too long."""

from django import forms

from baton.core.forms import FlagField, TextField


class CommentForm(forms.Form):
    body = TextField()


class ResolveForm(forms.Form):
    """Resolve (the default) or, with resolved=0, open a comment again."""

    resolved = FlagField(default=True)


def posted_body(request) -> str:
    """A comment's text from a POST (never invalid: an empty or long text is the service's to
    refuse, with its message)."""
    form = CommentForm(request.POST)
    form.is_valid()
    return form.cleaned_data["body"]
