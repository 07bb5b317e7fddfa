from django.apps import AppConfig


class CommonConfig(AppConfig):
    name = "ascnhub.common"
    label = "common"
    verbose_name = "Common"
