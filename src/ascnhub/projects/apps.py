from django.apps import AppConfig


class ProjectsConfig(AppConfig):
    name = "ascnhub.projects"
    label = "projects"

    def ready(self) -> None:
        from ascnhub.common import translations

        from . import rules  # noqa: F401  (the permissions the registrations below name)
        from .models import Need, Offer, Project

        # Projects, needs and offers carry versions per language (common.translations); the
        # editors' own translations on the forms (the `translations` JSON) count as human ones.
        for model, name in ((Project, "project"), (Need, "need"), (Offer, "offer")):
            translations.register(
                model,
                fields=("title", "description"),
                can_view=translations.perm_checker(f"projects.view_{name}"),
                can_edit=translations.perm_checker(f"projects.change_{name}"),
                legacy_field="translations",
            )
        # Projects, needs and offers are found by the site search (common.search_index).
        from .searchable import register_kinds

        register_kinds()
