"""Form helpers shared by the apps' views."""

from django import forms
from django.core.exceptions import ValidationError


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
