"""The search column gains the Latin spellings of its Russian lemmas ("пермь" -> "perm"), so the
English pages find Russian names typed in Latin letters: every activity is indexed again."""

from django.db import migrations


def reindex_activities(apps, schema_editor):
    from civicplan.plans.searchindex import reindex

    reindex(apps.get_model("plans", "Activity"), apps.get_model("plans", "ActivityPlace"))


class Migration(migrations.Migration):
    dependencies = [("plans", "0003_activity_search_lemmas")]

    operations = [migrations.RunPython(reindex_activities, migrations.RunPython.noop)]
