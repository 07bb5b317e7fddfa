from django.apps import AppConfig


class KnowledgeConfig(AppConfig):
    name = "ascnhub.knowledge"
    label = "knowledge"

    def ready(self) -> None:
        from ascnhub.common import translations

        from . import rules  # noqa: F401  (the permissions the registrations below name)
        from .models import Case, Chapter

        translations.register(
            Case,
            fields=("title", "problem", "solution", "results"),
            can_view=lambda user, case: case.published or user.has_perm("knowledge.change_case", case),
            can_edit=translations.perm_checker("knowledge.change_case"),
        )
        # A chapter's readers see its published revision, so that is what is translated; saving a
        # draft changes nothing for them, publishing a new revision outdates the versions.
        translations.register(
            Chapter,
            fields=("title", "body"),
            source=_published_text,
            can_view=lambda user, chapter: (
                chapter.published_revision_id is not None or user.has_perm("knowledge.view_guidebook_drafts")
            ),
            can_edit=translations.perm_checker("knowledge.change_chapter"),
        )

        # Cases and guidebook chapters are found by the site search (common.search_index).
        from .searchable import register_kinds

        register_kinds()


def _published_text(chapter) -> dict[str, str]:
    rev = chapter.published_revision if chapter.published_revision_id else None
    source = rev or chapter
    return {"title": source.title or "", "body": source.body or ""}
