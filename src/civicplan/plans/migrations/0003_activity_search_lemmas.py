"""Search in Russian by word forms: every activity gets `search_lemmas`, the dictionary forms of
its words (civicplan.plans.searchindex), filled here for the activities already imported."""

from django.db import migrations, models


def fill_search_lemmas(apps, schema_editor):
    from civicplan.plans.searchindex import activity_lemmas

    Activity = apps.get_model("plans", "Activity")
    ActivityPlace = apps.get_model("plans", "ActivityPlace")
    places: dict[int, list[str]] = {}
    for activity_id, city, region in ActivityPlace.objects.filter(place__isnull=False).values_list(
        "activity_id", "place__city", "place__region"
    ):
        places.setdefault(activity_id, []).extend(filter(None, (city, region)))
    batch = []
    for activity in Activity.objects.all().iterator(chunk_size=1000):
        activity.search_lemmas = activity_lemmas(
            title=activity.title,
            place_text=activity.place_text,
            responsible_text=activity.responsible_text,
            notes=activity.notes or (),
            kind=activity.kind,
            places=places.get(activity.pk, ()),
        )
        batch.append(activity)
        if len(batch) == 1000:
            Activity.objects.bulk_update(batch, ["search_lemmas"])
            batch = []
    Activity.objects.bulk_update(batch, ["search_lemmas"])


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
