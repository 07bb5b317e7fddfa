from django.apps import AppConfig


class MatchmakingConfig(AppConfig):
    name = "ascnhub.matchmaking"
    label = "matchmaking"
    verbose_name = "Business matchmaking"

    def ready(self) -> None:
        # Connects the answers to the projects pages' signals (a project's leads, the needs
        # list's link to them): projects, a floor below, cannot import matchmaking.
        from ascnhub.common import translations

        from . import (
            conflicts,  # noqa: F401  (answers events' sign-up and cancellation signals)
            rules,  # noqa: F401  (the permissions the registration below names)
        )
        from .models import Profile
        from .views import leads  # noqa: F401

        # What a profile looks for and offers may be read in other languages; its name is a name.
        translations.register(
            Profile,
            fields=("looking_for", "offering"),
            can_view=translations.perm_checker("matchmaking.view_profile"),
            can_edit=translations.perm_checker("matchmaking.act_for"),
        )
