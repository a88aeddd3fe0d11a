"""An e-mail address is one person's however it was typed."""

import pytest

from civicplan.accounts.models import SenderAddress
from civicplan.directory.models import Organisation
from civicplan.outbox.models import MailPreference

pytestmark = pytest.mark.django_db


def test_a_sender_address_is_kept_trimmed_and_in_lower_case_and_found_so():
    organisation = Organisation.objects.create(name="Администрация города Вологды")
    address = SenderAddress.objects.create(
        email="  Press@Vologda.Example ", organisation=organisation
    )

    address.refresh_from_db()
    assert address.email == "press@vologda.example"
    assert SenderAddress.objects.get(email="PRESS@vologda.example ") == address


def test_one_mail_preference_per_address_however_typed():
    first = MailPreference.for_address("Ivanova@Example.RU")
    second = MailPreference.for_address(" ivanova@example.ru")

    assert first.pk == second.pk
    assert MailPreference.objects.get().email == "ivanova@example.ru"
