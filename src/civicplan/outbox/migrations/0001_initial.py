"""MailPreference moves here from notifications: the model is taken over as it is (state only)
and its table renamed, so the addresses' choices and tokens survive."""

from django.db import migrations, models

import civicplan.outbox.models


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("notifications", "0002_longer_key"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="MailPreference",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        (
                            "email",
                            models.EmailField(max_length=254, unique=True, verbose_name="адрес"),
                        ),
                        (
                            "token",
                            models.CharField(
                                default=civicplan.outbox.models.new_token,
                                editable=False,
                                max_length=64,
                                unique=True,
                            ),
                        ),
                        (
                            "unsubscribed",
                            models.JSONField(
                                blank=True,
                                default=list,
                                help_text="Виды рассылок (Kind).",
                                verbose_name="отписан от",
                            ),
                        ),
                        (
                            "created",
                            models.DateTimeField(auto_now_add=True, verbose_name="создано"),
                        ),
                        ("modified", models.DateTimeField(auto_now=True, verbose_name="изменено")),
                    ],
                    options={
                        "verbose_name": "настройка рассылок",
                        "verbose_name_plural": "настройки рассылок",
                        "ordering": ("email",),
                        "db_table": "notifications_mailpreference",
                    },
                ),
            ],
        ),
        migrations.AlterModelTable(name="mailpreference", table=None),
    ]
