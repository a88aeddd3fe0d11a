"""A proposal's own end state, "included" (it became an activity of a plan), and the folded
search column of the moderation queue, filled for the submissions already there."""

from django.db import migrations, models
from django.utils.html import strip_tags


def fill_search_text(apps, schema_editor):
    Submission = apps.get_model("newsroom", "Submission")
    for submission in Submission.objects.only("pk", "title", "text", "html").iterator():
        text = " ".join((submission.title, submission.text, strip_tags(submission.html)))
        folded = " ".join(text.casefold().replace("ё", "е").split())
        Submission.objects.filter(pk=submission.pk).update(search_text=folded)


class Migration(migrations.Migration):
    dependencies = [
        ("newsroom", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="submission",
            name="search_text",
            field=models.TextField(blank=True, editable=False, verbose_name="текст для поиска"),
        ),
        migrations.AlterField(
            model_name="submission",
            name="status",
            field=models.CharField(
                choices=[
                    ("quarantine", "карантин"),
                    ("received", "получено"),
                    ("in_review", "на рассмотрении"),
                    ("changes_requested", "нужны правки"),
                    ("published", "опубликовано"),
                    ("included", "включено в план"),
                    ("rejected", "отклонено"),
                ],
                default="received",
                max_length=20,
                verbose_name="состояние",
            ),
        ),
        migrations.RunPython(fill_search_text, migrations.RunPython.noop),
    ]
