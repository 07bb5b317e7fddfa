from django.apps import AppConfig


class EventsConfig(AppConfig):
    name = "ascnhub.events"
    label = "events"

    def ready(self) -> None:
        from . import receivers

        receivers.connect()
