"""The one pattern every page with a form repeats: form → service → refusal → redirect.

A page builds its form, then asks `submit_form` to do the POST half: if the form is valid it calls
the service; a refusal (Django's `ValidationError` or the app's own error class) goes back onto
the form, on the field it names when the form has that field; a success is flashed and answered
with a redirect. The view renders the form again (with `form_status`) whenever no response came
back, so a refused change writes nothing and the user sees why, next to what they typed.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.forms import BaseForm
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

from .errors import DomainError

T = TypeVar("T")


def add_form_errors(form: BaseForm, exc: Exception) -> None:
    """Put a service's refusal onto the form: per field where the error names one the form has,
    otherwise above the form."""
    if isinstance(exc, ValidationError):
        if hasattr(exc, "error_dict"):
            for field, errors in exc.error_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            form.add_error(None, exc.messages)
        return
    field = getattr(exc, "field", None)  # the domain errors may name the field they are about
    form.add_error(field if field in form.fields else None, str(exc))


def form_status(form: BaseForm) -> int:
    """400 for a form shown again with errors, 200 otherwise."""
    return 400 if form.errors else 200


def submit_form(
    request: HttpRequest,
    form: BaseForm,
    save: Callable[[], T],
    *,
    success: str | Callable[[T], str],
    then: Callable[[T], Any] | Any = None,
    refused: tuple[type[Exception], ...] = (ValidationError, DomainError),
) -> HttpResponse | None:
    """The POST half of a form page.

    On a POST whose form is valid, call `save()` (the service call; it reads `form.cleaned_data`).
    If it raises one of `refused`, the error goes onto the form and None is returned; a GET or an
    invalid form also returns None: the caller then renders the form, with `form_status(form)`.
    After a save, `success` (a text, or a function of what `save` returned) is flashed and the
    answer is a redirect to `then`: a URL, a URL name, a model with `get_absolute_url`, or a
    function of the result giving one of those or a ready response. Without `then`, the result
    itself is the target (the saved object's page).
    """
    if request.method != "POST" or not form.is_valid():
        return None
    try:
        result = save()
    except refused as exc:
        add_form_errors(form, exc)
        return None
    messages.success(request, success(result) if callable(success) else success)
    target = then(result) if callable(then) else (result if then is None else then)
    return target if isinstance(target, HttpResponse) else redirect(target)
