from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NoticesConfig(AppConfig):
    name = "ascnhub.notices"
    label = "notices"
    verbose_name = _("Notices")

    def ready(self) -> None:
        from . import receivers  # noqa: F401  (turns the common floor's announcements into notices)
