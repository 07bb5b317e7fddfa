"""The outbox becomes a channel of the durable-delivery primitive (common.delivery): a message being
sent is "pending" with a live claim instead of "sending", and the start of its last attempt is kept."""

import django.utils.timezone
from django.db import migrations, models
from django.db.models import F


def carry_over(apps, schema_editor):
    OutgoingEmail = apps.get_model("common", "OutgoingEmail")
    OutgoingEmail.objects.filter(claimed_at__isnull=False).update(last_attempt_at=F("claimed_at"))
    # A message a worker was sending keeps its claim: it is taken again when the lease is over.
    OutgoingEmail.objects.filter(status="sending").update(status="pending")
    OutgoingEmail.objects.exclude(status="pending").update(claimed_at=None)


def back(apps, schema_editor):
    OutgoingEmail = apps.get_model("common", "OutgoingEmail")
    OutgoingEmail.objects.filter(status="pending", claimed_at__isnull=False).update(status="sending")


class Migration(migrations.Migration):
    dependencies = [
        ("common", "0003_cache_table"),
    ]

    operations = [
        migrations.AddField(
            model_name="outgoingemail",
            name="last_attempt_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.RunPython(carry_over, back),
        migrations.AlterField(
            model_name="outgoingemail",
            name="next_attempt_at",
            field=models.DateTimeField(default=django.utils.timezone.now),
        ),
        migrations.AlterField(
            model_name="outgoingemail",
            name="status",
            field=models.CharField(
                choices=[("pending", "waiting to be sent"), ("sent", "sent"), ("failed", "gave up")],
                default="pending",
                max_length=10,
            ),
        ),
    ]
