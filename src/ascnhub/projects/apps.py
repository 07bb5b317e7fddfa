from django.apps import AppConfig


class ProjectsConfig(AppConfig):
    name = "ascnhub.projects"
    label = "projects"

    def ready(self) -> None:
        from .searchable import register_kinds

        register_kinds()
