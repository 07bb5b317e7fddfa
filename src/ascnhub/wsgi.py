"""WSGI entry point (gunicorn ascnhub.wsgi).

Importing this module also loads what every request needs — the URL configuration (and with it
every view module) and the translation catalogues of all languages — so that the first visitor of
a fresh process does not wait for them (~0.6 s of the ~0.8 s a cold first request took).
`ascnhub serve` starts gunicorn with `--preload`: this import happens once, in gunicorn's master,
and every worker process starts warm and shares those pages of memory with the others.
"""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ascnhub.settings")
application = get_wsgi_application()


def _warm_up() -> None:
    """Load the URL configuration and every language's catalogue; touches no database."""
    from django.conf import settings
    from django.urls import get_resolver
    from django.utils import translation

    get_resolver().url_patterns  # noqa: B018 - imports ascnhub.urls and every view module
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            translation.gettext("Home")  # the first lookup loads the language's catalogues


_warm_up()
