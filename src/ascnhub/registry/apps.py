from django.apps import AppConfig


class RegistryConfig(AppConfig):
    name = "ascnhub.registry"
    label = "registry"
    verbose_name = "Network registry"

    def ready(self) -> None:
        from .searchable import register_kinds

        register_kinds()
