"""Copy the translations entered on the project, need and offer forms into versions
(`common.ContentTranslation`): each one a human translation of the text as it is now."""

import hashlib
import json

from django.db import migrations


def forwards(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    ContentTranslation = apps.get_model("common", "ContentTranslation")
    for name in ("project", "need", "offer"):
        model = apps.get_model("projects", name)
        ct, _ = ContentType.objects.get_or_create(app_label="projects", model=name)
        rows = []
        for obj in model.objects.exclude(translations={}).iterator():
            original = {"title": obj.title or "", "description": obj.description or ""}
            digest = hashlib.sha256(
                json.dumps(original, sort_keys=True, ensure_ascii=False).encode()
            ).hexdigest()
            for lang, text in (obj.translations or {}).items():
                if lang == obj.language or not isinstance(text, dict):
                    continue
                rows.append(
                    ContentTranslation(
                        content_type=ct,
                        object_id=obj.pk,
                        language=lang,
                        status="human",
                        origin="human",
                        state="approved",
                        fields={
                            "title": text.get("title") or "",
                            "description": text.get("description") or "",
                        },
                        source_hash=digest,
                    )
                )
        ContentTranslation.objects.bulk_create(rows, ignore_conflicts=True)


class Migration(migrations.Migration):
    dependencies = [
        ("projects", "0005_project_external_id"),
        ("common", "0006_content_translation"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
