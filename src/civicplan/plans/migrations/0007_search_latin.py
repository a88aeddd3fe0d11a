"""The Latin spellings of the search lemmas move to a column of their own, `search_latin`: a
query typed in Russian letters then scans a third of what it scanned (civicplan.plans.searchindex).
Every activity is indexed again."""

from django.db import migrations, models


def reindex_activities(apps, schema_editor):
    from civicplan.plans.searchindex import reindex

    reindex(apps.get_model("plans", "Activity"), apps.get_model("plans", "ActivityPlace"))


class Migration(migrations.Migration):
    dependencies = [("plans", "0006_export_job")]

    operations = [
        migrations.AddField(
            model_name="activity",
            name="search_latin",
            field=models.TextField(
                blank=True, editable=False, verbose_name="латинские написания для поиска"
            ),
        ),
        migrations.RunPython(reindex_activities, migrations.RunPython.noop),
    ]
