from django.apps import AppConfig


class EventsConfig(AppConfig):
    name = "ascnhub.events"
    label = "events"
