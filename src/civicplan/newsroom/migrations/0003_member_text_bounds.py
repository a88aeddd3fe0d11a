"""Bounds on what a member's form may carry: the text of a material and a proposal's
partners (nothing changes in the database: a text column keeps any length)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("newsroom", "0002_included_and_search_text"),
    ]

    operations = [
        migrations.AlterField(
            model_name="submission",
            name="proposal_partners",
            field=models.TextField(blank=True, max_length=2000, verbose_name="партнёры"),
        ),
        migrations.AlterField(
            model_name="submission",
            name="text",
            field=models.TextField(
                blank=True, help_text="Простой текст.", max_length=100000, verbose_name="текст"
            ),
        ),
    ]
