from django.apps import AppConfig


class MatchmakingConfig(AppConfig):
    name = "ascnhub.matchmaking"
    label = "matchmaking"
    verbose_name = "Business matchmaking"

    def ready(self) -> None:
        # Connects the answers to the projects pages' signals (a project's leads, the needs
        # list's link to them): projects, a floor below, cannot import matchmaking.
        # An approved registrant who asked for matchmaking gets a profile started (onboarding.py).
        from ascnhub.common import translations
        from ascnhub.events.signals import registration_changed

        from . import (
            conflicts,  # noqa: F401  (answers events' sign-up and cancellation signals)
            message_kinds,
            rules,  # noqa: F401  (the permissions the registration below names)
        )
        from .models import Profile
        from .onboarding import on_registration_changed

        # Suggestions follow profile, need and offer changes (a background refresh).
        from .refreshing import connect
        from .views import leads  # noqa: F401

        connect()
        # The schedule e-mail may have a per-meeting text, edited on events' organiser pages.
        message_kinds.register()
        registration_changed.connect(on_registration_changed, dispatch_uid="matchmaking_start_profile")
        # What a profile looks for and offers may be read in other languages; its name is a name.
        translations.register(
            Profile,
            fields=("looking_for", "offering"),
            can_view=translations.perm_checker("matchmaking.view_profile"),
            can_edit=translations.perm_checker("matchmaking.act_for"),
        )
