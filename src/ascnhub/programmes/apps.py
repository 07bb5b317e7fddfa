from django.apps import AppConfig


class ProgrammesConfig(AppConfig):
    name = "ascnhub.programmes"
    verbose_name = "Support programmes, agreements and councils"
