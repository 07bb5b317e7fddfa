"""The sign-in and sign-up forms of allauth, with the e-mail field labelled in the visitor's language.

allauth names its e-mail field when its module is imported, so the label stays in the language
of that moment (English); these forms name it again for each request.
"""

from __future__ import annotations

from allauth.account.forms import LoginForm as AllauthLoginForm
from allauth.account.forms import SignupForm as AllauthSignupForm
from django.utils.translation import gettext as _


class LoginForm(AllauthLoginForm):
    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["login"].label = _("E-mail")
        self.fields["login"].widget.attrs["placeholder"] = _("E-mail address")


class SignupForm(AllauthSignupForm):
    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if "email" in self.fields:
            self.fields["email"].label = _("E-mail")
            self.fields["email"].widget.attrs["placeholder"] = _("E-mail address")
