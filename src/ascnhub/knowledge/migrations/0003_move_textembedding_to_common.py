"""The text-embedding store now lives in common (its rows were copied by common 0005)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("knowledge", "0002_central_upload_check"),
        ("common", "0005_textembedding"),
    ]

    operations = [migrations.DeleteModel(name="TextEmbedding")]
