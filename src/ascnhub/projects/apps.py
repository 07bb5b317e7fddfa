from django.apps import AppConfig


class ProjectsConfig(AppConfig):
    name = "ascnhub.projects"
    label = "projects"
