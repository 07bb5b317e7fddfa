"""Reminders become a channel of the durable-delivery primitive (common.delivery): planned, claimed,
retried with back-off, kept as failed after the last attempt. Every existing row was sent (it was
written in the same transaction as its e-mail), so it carries over as sent, stamped when it was."""

import django.utils.timezone
from django.db import migrations, models
from django.db.models import F


def carry_over(apps, schema_editor):
    ReminderSent = apps.get_model("followup", "ReminderSent")
    ReminderSent.objects.update(
        status="sent",
        attempts=1,
        created_at=F("sent_at"),
        next_attempt_at=F("sent_at"),
        last_attempt_at=F("sent_at"),
    )


class Migration(migrations.Migration):
    dependencies = [
        ("followup", "0002_central_upload_check"),
    ]

    operations = [
        migrations.AlterModelOptions(
            name="remindersent",
            options={
                "ordering": ["-created_at", "-id"],
                "verbose_name": "reminder sent",
                "verbose_name_plural": "reminders sent",
            },
        ),
        migrations.AddField(
            model_name="remindersent",
            name="as_of",
            field=models.DateField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="remindersent",
            name="name",
            field=models.CharField(blank=True, max_length=200),
        ),
        migrations.AddField(
            model_name="remindersent",
            name="attempts",
            field=models.PositiveSmallIntegerField(default=0),
        ),
        migrations.AddField(
            model_name="remindersent",
            name="claimed_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="remindersent",
            name="created_at",
            field=models.DateTimeField(auto_now_add=True, default=django.utils.timezone.now),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="remindersent",
            name="last_attempt_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="remindersent",
            name="last_error",
            field=models.TextField(blank=True),
        ),
        migrations.AddField(
            model_name="remindersent",
            name="next_attempt_at",
            field=models.DateTimeField(default=django.utils.timezone.now),
        ),
        migrations.AddField(
            model_name="remindersent",
            name="status",
            field=models.CharField(
                choices=[("pending", "waiting to be sent"), ("sent", "sent"), ("failed", "gave up")],
                default="pending",
                max_length=10,
            ),
        ),
        migrations.AlterField(
            model_name="remindersent",
            name="sent_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.RunPython(carry_over, migrations.RunPython.noop),
        migrations.AddIndex(
            model_name="remindersent",
            index=models.Index(fields=["status", "next_attempt_at"], name="followup_re_status_adce3f_idx"),
        ),
    ]
