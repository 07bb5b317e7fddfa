from django.apps import AppConfig


class MatchmakingConfig(AppConfig):
    name = "ascnhub.matchmaking"
    label = "matchmaking"
    verbose_name = "Business matchmaking"

    def ready(self) -> None:
        # Connects the answers to the projects pages' signals (a project's leads, the needs
        # list's link to them): projects, a floor below, cannot import matchmaking.
        from . import conflicts  # noqa: F401  (answers events' sign-up and cancellation signals)

        # Suggestions follow profile, need and offer changes (a background refresh).
        from .refreshing import connect
        from .views import leads  # noqa: F401

        connect()
