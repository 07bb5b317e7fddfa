"""The account page's API tokens: create (scopes, expiry; the secret shown once), list, revoke."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from ascnhub.common.forms import add_form_errors, form_status
from ascnhub.common.http import LoginRequired

from . import services
from .models import ApiToken, Scope


class TokenForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("Name"), max_length=100)
    scopes = forms.MultipleChoiceField(
        label=gettext_lazy("Scopes"), choices=Scope.choices, widget=forms.CheckboxSelectMultiple
    )
    days = forms.IntegerField(
        label=gettext_lazy("Valid for (days)"), initial=365, min_value=1, max_value=services.MAX_TOKEN_DAYS
    )


def _signed_in(request: HttpRequest) -> None:
    if not request.user.is_authenticated:
        raise LoginRequired()


def tokens(request: HttpRequest) -> HttpResponse:
    """List the user's tokens and create one; a new secret is shown on this page once."""
    _signed_in(request)
    form = TokenForm(request.POST or None)
    secret = None
    if request.method == "POST" and form.is_valid():
        try:
            _token, secret = services.issue_token(
                request.user,
                form.cleaned_data["name"],
                form.cleaned_data["scopes"],
                days=form.cleaned_data["days"],
            )
        except services.TokenError as exc:
            add_form_errors(form, exc)
        else:
            form = TokenForm()
    context = {
        "form": form,
        "secret": secret,
        "tokens": ApiToken.objects.filter(user=request.user).order_by("-created_at", "-id"),  # type: ignore[misc]
    }
    response = render(request, "api/tokens.html", context, status=form_status(form))
    response["Cache-Control"] = "private, no-store"  # the secret must not be kept by any cache
    return response


@require_POST
def revoke(request: HttpRequest, pk: int) -> HttpResponse:
    """Revoke one of the user's tokens."""
    _signed_in(request)
    token = get_object_or_404(ApiToken, pk=pk, user=request.user)
    services.revoke_token(request.user, token)  # type: ignore[arg-type]
    messages.success(request, _("The token “%(name)s” is revoked.") % {"name": token.name})
    return redirect("api_tokens")
