from django.apps import AppConfig


class KnowledgeConfig(AppConfig):
    name = "ascnhub.knowledge"
    label = "knowledge"

    def ready(self) -> None:
        from .searchable import register_kinds

        register_kinds()
