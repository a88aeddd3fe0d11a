"""Whether an invitation's letter went out is the letter's own state in the outbox (the worker
may send it after the staff member's page said it had not): the copy kept beside it goes."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("accounts", "0004_alter_senderaddress_email")]

    operations = [migrations.RemoveField(model_name="invitation", name="sent")]
