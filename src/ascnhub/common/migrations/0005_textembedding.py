"""The text-embedding store moves from knowledge to common (the floor under every app that embeds).

The vectors are copied from knowledge's table, which knowledge's next migration drops.
"""

from django.db import migrations, models


def copy_vectors(apps, schema_editor):
    try:
        Old = apps.get_model("knowledge", "TextEmbedding")
    except LookupError:
        return
    New = apps.get_model("common", "TextEmbedding")
    batch = []
    for row in Old.objects.all().iterator(chunk_size=1000):
        batch.append(
            New(key=row.key, model=row.model, dim=row.dim, vector=row.vector, created_at=row.created_at)
        )
        if len(batch) >= 1000:
            New.objects.bulk_create(batch, ignore_conflicts=True)
            batch = []
    New.objects.bulk_create(batch, ignore_conflicts=True)


class Migration(migrations.Migration):
    dependencies = [
        ("common", "0004_delivery_primitive"),
        ("knowledge", "0002_central_upload_check"),
    ]

    operations = [
        migrations.CreateModel(
            name="TextEmbedding",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("key", models.CharField(max_length=64, unique=True)),
                ("model", models.CharField(max_length=120)),
                ("dim", models.PositiveIntegerField()),
                ("vector", models.BinaryField()),
                ("created_at", models.DateTimeField(auto_now_add=True)),
            ],
            options={"verbose_name": "text embedding", "verbose_name_plural": "text embeddings"},
        ),
        migrations.RunPython(copy_vectors, migrations.RunPython.noop),
    ]
