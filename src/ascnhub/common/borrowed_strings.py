"""Strings of the sign-in pages that come from allauth's and Django's own templates and validators.

Their catalogues lack some of our interface languages (allauth has no Vietnamese; Django's Thai
lacks the password rules), so the strings are listed here for `makemessages` to put into our
catalogues, which take precedence over an app's (LOCALE_PATHS). Nothing imports this module.
The msgids must stay exactly as allauth and Django write them (allauth 65, Django 5.2).
"""

from django.utils.translation import gettext_noop, ngettext_lazy

SIGN_IN_PAGES = (
    gettext_noop("Sign In"),
    gettext_noop("Sign Up"),
    gettext_noop("Signup"),
    gettext_noop("Email"),
    gettext_noop("Remember Me"),
    gettext_noop("Forgot your password?"),
    gettext_noop("If you have not created an account yet, then please %(link)ssign up%(end_link)s first."),
    gettext_noop("Already have an account? Then please %(link)ssign in%(end_link)s."),
    gettext_noop("Password Reset"),
    gettext_noop(
        "Forgotten your password? Enter your email address below, and we'll send you an email "
        "allowing you to reset it."
    ),
    gettext_noop("Reset My Password"),
    gettext_noop("Please contact us if you have any trouble resetting your password."),
    gettext_noop("Your password can’t be too similar to your other personal information."),
    gettext_noop("Your password can’t be a commonly used password."),
    gettext_noop("Your password can’t be entirely numeric."),
    ngettext_lazy(
        "Your password must contain at least %(min_length)d character.",
        "Your password must contain at least %(min_length)d characters.",
        "min_length",
    ),
)
