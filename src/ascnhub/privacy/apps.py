from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PrivacyConfig(AppConfig):
    name = "ascnhub.privacy"
    label = "privacy"
    verbose_name = _("Personal data")

    def ready(self) -> None:
        # Consent given at registration is recorded when the events app announces the registration.
        from ascnhub.events.signals import registration_changed

        from .receivers import on_registration_changed

        registration_changed.connect(on_registration_changed, dispatch_uid="privacy-consent")
