"""Give every activity a permanent UID (for calendars) and a SEQUENCE number, and give plan
notes their place. Existing rows get their own UUID before the column becomes unique; notes
stored as plain strings go after the last activity."""

import uuid

from django.db import migrations, models


def give_uids(apps, schema_editor):
    Activity = apps.get_model("plans", "Activity")
    for activity in Activity.objects.only("pk").iterator():
        Activity.objects.filter(pk=activity.pk).update(uid=uuid.uuid4())
    Plan = apps.get_model("plans", "Plan")
    for plan in Plan.objects.all():
        if any(isinstance(note, str) for note in plan.notes):
            after = plan.activities.count()
            plan.notes = [
                {"text": note, "after": after} if isinstance(note, str) else note
                for note in plan.notes
            ]
            plan.save(update_fields=["notes"])


class Migration(migrations.Migration):
    dependencies = [("plans", "0001_initial")]

    operations = [
        migrations.AddField(
            model_name="activity",
            name="sequence",
            field=models.PositiveIntegerField(
                default=0,
                help_text="Растёт при каждом изменении дат, названия или места (SEQUENCE в iCalendar).",
                verbose_name="номер редакции",
            ),
        ),
        migrations.AddField(
            model_name="activity",
            name="uid",
            field=models.UUIDField(
                editable=False, null=True, verbose_name="постоянный идентификатор"
            ),
        ),
        migrations.RunPython(give_uids, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="activity",
            name="uid",
            field=models.UUIDField(
                default=uuid.uuid4,
                editable=False,
                help_text="Не меняется никогда: по нему календари узнают мероприятие.",
                unique=True,
                verbose_name="постоянный идентификатор",
            ),
        ),
        migrations.AlterField(
            model_name="plan",
            name="notes",
            field=models.JSONField(
                blank=True,
                default=list,
                help_text="Абзацы между строками плана и после них, с местом в плане.",
                verbose_name="примечания",
            ),
        ),
    ]
