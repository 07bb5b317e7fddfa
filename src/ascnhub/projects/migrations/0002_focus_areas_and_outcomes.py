"""The six ASCF focus areas and three strategic outcomes exist in every database."""

from django.db import migrations

FOCUS_AREAS = [
    "civic_social",
    "health_wellbeing",
    "safety_security",
    "quality_environment",
    "built_infrastructure",
    "industry_innovation",
]
OUTCOMES = ["competitive_economy", "sustainable_environment", "quality_of_life"]


def add(apps, schema_editor):
    for code in FOCUS_AREAS:
        apps.get_model("projects", "FocusAreaTag").objects.get_or_create(code=code)
    for code in OUTCOMES:
        apps.get_model("projects", "OutcomeTag").objects.get_or_create(code=code)


class Migration(migrations.Migration):
    dependencies = [("projects", "0001_initial")]
    operations = [migrations.RunPython(add, migrations.RunPython.noop)]
