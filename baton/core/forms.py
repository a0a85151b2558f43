"""Form helpers shared by the apps' views."""

from django import forms
from django.core.exceptions import ValidationError

from baton.core.validation import MAX_INT, parse_id, parse_ids, parse_int


def add_service_errors(form: forms.Form, error: ValidationError) -> None:
    """Show a service's ValidationError on the form: next to a field the form has, else on top.

    Services raise ``ValidationError({"field": ...})`` or a plain message; the view that called
    them keeps the bound form (so nothing typed is lost) and renders it again with these errors.
    """
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


def errors_by_field(error: ValidationError) -> dict[str, list[str]]:
    """A service's messages by field; those about no field in particular under "general"."""
    if not hasattr(error, "error_dict"):
        return {"general": error.messages}
    errors = dict(error.message_dict)
    if "__all__" in errors:
        errors["general"] = errors.pop("__all__")
    return errors


# ---------------------------------------------------------------- fields for what pages post
# Forms parse shapes only; the services keep the rules. These fields read a request's values the
# way the views always have, so a malformed one is never an error of the server.


class IdField(forms.Field):
    """An id a request names (a hidden input, a select's value): the number, or None when the
    value cannot be one (empty, text, negative, zero, beyond 64 bits; `parse_id`), which the view
    treats as naming nothing: a 404 or an ignored choice, as for an id that names no object."""

    widget = forms.HiddenInput

    def __init__(self, *, required: bool = False, **kwargs) -> None:
        super().__init__(required=required, **kwargs)

    def to_python(self, value) -> int | None:
        return parse_id(value)


class IdsField(forms.Field):
    """Several ids (a multiple choice, `name` repeated): the valid ones in order without repeats
    (`parse_ids`); values that cannot be ids are dropped."""

    widget = forms.MultipleHiddenInput

    def __init__(self, *, required: bool = False, **kwargs) -> None:
        super().__init__(required=required, **kwargs)

    def to_python(self, value) -> list[int]:
        return parse_ids(value if isinstance(value, list | tuple) else [value])


class IntField(forms.Field):
    """A whole number (a version, a count) read by `parse_int`, with its messages: nothing beyond
    what the column holds. With `lenient=True` a value that is no such number reads as None (the
    view decides what that means) instead of an error."""

    def __init__(
        self,
        *,
        minimum: int | None = 0,
        maximum: int | None = MAX_INT,
        lenient: bool = False,
        **kwargs,
    ) -> None:
        if lenient:
            kwargs["required"] = False
        super().__init__(**kwargs)
        self.minimum, self.maximum, self.lenient = minimum, maximum, lenient

    def to_python(self, value) -> int | None:
        if value in self.empty_values and not self.required:
            return None
        try:
            return parse_int(value, field="value", minimum=self.minimum, maximum=self.maximum)
        except ValidationError as error:
            if self.lenient:
                return None
            raise ValidationError(error.messages) from None


class FlagField(forms.Field):
    """A switch a page posts, never an error. By default on only for "1" (missing, "0" or anything
    else is off); with `default=True` off only for "0" (missing is on); with `any_value=True` on
    for any non-empty value. `missing`, when given, is what a request that leaves the field out
    means (`missing=True`: on when not sent, else on only for "1")."""

    widget = forms.HiddenInput

    def __init__(
        self,
        *,
        default: bool = False,
        any_value: bool = False,
        missing: bool | None = None,
        **kwargs,
    ) -> None:
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)
        self.default, self.any_value, self.missing = default, any_value, missing

    def to_python(self, value) -> bool:
        if value is None and self.missing is not None:
            return self.missing
        if self.any_value:
            return bool(value)
        return value != "0" if self.default else value == "1"


class TextField(forms.CharField):
    """Optional text as it was sent: not stripped (unless `strip=True`; the service decides what
    spaces mean), `missing` when the field was not sent at all (an empty value is not missing),
    and with `cut` only its first characters."""

    def __init__(
        self,
        *,
        missing: str | None = "",
        cut: int | None = None,
        strip: bool = False,
        required: bool = False,
        **kwargs,
    ) -> None:
        super().__init__(strip=strip, required=required, **kwargs)
        self.missing, self.cut = missing, cut

    def to_python(self, value) -> str | None:
        if value is None:
            return self.missing
        value = super().to_python(value)
        return value[: self.cut] if self.cut is not None else value


class MarkdownPreviewForm(forms.Form):
    """The editor's preview tab: the text as typed (at most 100,000 characters are rendered)."""

    text = TextField(cut=100_000)
