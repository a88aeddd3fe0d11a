"""MailPreference now belongs to the outbox app (outbox 0001 took over its table)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("notifications", "0002_longer_key"),
        ("outbox", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="MailPreference")],
        ),
    ]
