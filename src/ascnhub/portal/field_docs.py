"""What each open-data field means, shown on the open-data page (and the CSV header of an empty
download)."""

from django.utils.translation import gettext_lazy

FIELD_DOCS = {
    # dataset -> [(field, description)]
    "projects": [
        ("id", gettext_lazy("Stable identifier (UUID) of the project.")),
        ("slug, url", gettext_lazy("Short name in the address of the project page, and that address.")),
        (
            "title, description, language",
            gettext_lazy("As written by the city; language is a BCP 47 code (id, vi, th, ja, …)."),
        ),
        ("translations", gettext_lazy("Optional translations: {language: {title, description}}.")),
        ("city, city_slug, country", gettext_lazy("The ASCN city and its ISO 3166 country code.")),
        (
            "focus_areas",
            gettext_lazy(
                "ASEAN Smart Cities Framework focus areas: civic_social, health_wellbeing, safety_security, "
                "quality_environment, built_infrastructure, industry_innovation."
            ),
        ),
        (
            "strategic_outcomes",
            gettext_lazy("competitive_economy, sustainable_environment, quality_of_life."),
        ),
        (
            "status",
            gettext_lazy(
                "OC4IDS projectStatus: identification, preparation, implementation, completion, cancelled."
            ),
        ),
        ("start_date, end_date", gettext_lazy("Planned period (ISO 8601 dates).")),
        ("budget_amount, budget_currency", gettext_lazy("Total budget and its ISO 4217 currency.")),
        ("funders, partners", gettext_lazy("Organisations funding or working on the project.")),
        (
            "latitude, longitude",
            gettext_lazy("WGS 84 point of the project (the city centre when none was given)."),
        ),
        (
            "physical_progress, financial_progress, progress_date",
            gettext_lazy(
                "Actual progress in percent from the latest approved progress report, and its date."
            ),
        ),
        ("is_demo", gettext_lazy("True for invented demonstration records.")),
        ("updated", gettext_lazy("When the record last changed (UTC).")),
    ],
    "needs": [
        ("id, url, title, description, language, translations", gettext_lazy("As for projects.")),
        (
            "city, country, project",
            gettext_lazy("Who needs it, and the project it belongs to (slug) if any."),
        ),
        ("kind", gettext_lazy("technology, finance or expertise.")),
        ("focus_areas", gettext_lazy("As for projects.")),
        (
            "stage",
            gettext_lazy("idea, planning, procurement or implementation (the matching engine's stages)."),
        ),
        (
            "budget_amount, budget_currency, budget_usd",
            gettext_lazy("Budget as stated, and roughly in US dollars."),
        ),
        ("open", gettext_lazy("Whether the city is still looking.")),
    ],
    "offers": [
        (
            "id, url, title, description, language, translations",
            gettext_lazy("As for projects; id is the offer's slug."),
        ),
        ("organisation, organisation_slug, country", gettext_lazy("The company and its country.")),
        ("focus_areas", gettext_lazy("As for projects.")),
        ("deployed_in", gettext_lazy("ISO 3166 codes of the countries where the solution runs.")),
        (
            "references, contact_name, contact_email, contact_url",
            gettext_lazy("Given by the company for publication."),
        ),
    ],
    "partnerships": [
        ("id, title, kind", gettext_lazy("kind: mou, pilot, feasibility_study or contract.")),
        (
            "city, country, organisation, organisation_country, project",
            gettext_lazy("Who works with whom, on which project."),
        ),
        ("start_date, end_date", gettext_lazy("ISO 8601 dates.")),
        (
            "origin",
            gettext_lazy("Where it came from, e.g. a business matchmaking at an ASEAN–Japan meeting."),
        ),
    ],
    "progress-reports": [
        (
            "id, url, project, project_title, city, country",
            gettext_lazy("The approved report and its project."),
        ),
        (
            "period_start, period_end, status",
            gettext_lazy("Reporting period and the project status reported."),
        ),
        (
            "physical_planned, physical_actual, financial_planned, financial_actual",
            gettext_lazy("Progress in percent."),
        ),
        ("milestones_met, narrative, attachments", gettext_lazy("What was achieved, in the city's words.")),
        ("approved", gettext_lazy("When the National Representative approved it (UTC).")),
    ],
}
