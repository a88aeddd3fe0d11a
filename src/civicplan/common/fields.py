"""Model fields more than one app stores alike."""

from __future__ import annotations

from typing import Any

from django.db import models


class AddressField(models.EmailField):
    """An e-mail address kept and looked up in one form (trimmed, lower case), so that
    "Ivanova@Example.ru " and "ivanova@example.ru" are one person's address."""

    def get_prep_value(self, value: Any) -> Any:
        value = super().get_prep_value(value)
        return value.strip().lower() if isinstance(value, str) else value

    def pre_save(self, model_instance: models.Model, add: bool) -> Any:
        value = self.get_prep_value(getattr(model_instance, self.attname))
        setattr(model_instance, self.attname, value)
        return value
