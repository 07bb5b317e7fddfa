from django.apps import AppConfig


class MatchmakingConfig(AppConfig):
    name = "ascnhub.matchmaking"
    label = "matchmaking"
    verbose_name = "Business matchmaking"
