from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "ascnhub.api"
    label = "api"
    verbose_name = "REST API"
