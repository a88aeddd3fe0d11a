"""Search in Russian by word forms: every activity gets `search_lemmas`, the dictionary forms of
its words (civicplan.plans.searchindex), filled here for the activities already imported."""

from django.db import migrations, models


def fill_search_lemmas(apps, schema_editor):
    from civicplan.plans.searchindex import reindex

    reindex(apps.get_model("plans", "Activity"), apps.get_model("plans", "ActivityPlace"))


class Migration(migrations.Migration):
    dependencies = [("plans", "0002_activity_uid_sequence")]

    operations = [
        migrations.AddField(
            model_name="activity",
            name="search_lemmas",
            field=models.TextField(blank=True, editable=False, verbose_name="леммы для поиска"),
        ),
        migrations.RunPython(fill_search_lemmas, migrations.RunPython.noop),
    ]
