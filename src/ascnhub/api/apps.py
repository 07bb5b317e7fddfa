from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "ascnhub.api"
    label = "api"
    verbose_name = "REST API"

    def ready(self) -> None:
        # Webhooks listen to the domain events that the apps below announce.
        from . import receivers  # noqa: F401
