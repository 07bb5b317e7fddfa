"""Webhook deliveries become a channel of the durable-delivery primitive (common.delivery): a claim
(lease) of their own, and errors of any length. Existing rows carry over as they are."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("api", "0002_webhooks"),
    ]

    operations = [
        migrations.AddField(
            model_name="webhookdelivery",
            name="claimed_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AlterField(
            model_name="webhookdelivery",
            name="last_error",
            field=models.TextField(blank=True),
        ),
    ]
