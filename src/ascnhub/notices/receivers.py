"""Notices for what the floors below announce (connected in `NoticesConfig.ready()`)."""

from __future__ import annotations

from typing import Any

from django.dispatch import receiver
from django.utils import translation
from django.utils.translation import gettext as _

from ascnhub.common import translations
from ascnhub.common.signals import translation_step

from .services import _language, notify

_TEXTS = {
    "assigned": lambda: _("You are asked to translate “%(title)s” into %(lang)s."),
    "submitted": lambda: _("A translation of “%(title)s” into %(lang)s waits for review."),
    "approved": lambda: _("The translation of “%(title)s” into %(lang)s was approved and is published."),
    "rejected": lambda: _("The translation of “%(title)s” into %(lang)s was sent back: %(reason)s"),
    "withdrawn": lambda: _("The request to translate “%(title)s” into %(lang)s was withdrawn."),
}


@receiver(translation_step, dispatch_uid="notices-translation-step")
def tell_translation_step(
    sender: Any, version: Any, step: str, recipients: list[Any], title: str, url: str, **kwargs: Any
) -> None:
    """Each person concerned gets a notice, in their language."""
    for user in recipients:
        with translation.override(_language(user)):
            text = _TEXTS[step]() % {
                "title": title,
                "lang": translations.language_name(version.language),
                "reason": version.review_note,
            }
        notify(user, "translation", text, url)
