"""The table of the `default` cache (rate limits of sign-in and API writes).

A database cache, so that every web process on every machine counts the same attempts: with a
cache per process, N processes would allow N times the limit. Made by `createcachetable`, run
here so that `migrate` is all a deployment needs.
"""

from django.core.management import call_command
from django.db import migrations


def create_cache_table(apps, schema_editor):
    call_command("createcachetable", database=schema_editor.connection.alias, verbosity=0)


class Migration(migrations.Migration):
    dependencies = [("common", "0002_outgoing_email")]

    operations = [migrations.RunPython(create_cache_table, migrations.RunPython.noop)]
