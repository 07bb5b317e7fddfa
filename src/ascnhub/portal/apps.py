from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "ascnhub.portal"
    label = "portal"
