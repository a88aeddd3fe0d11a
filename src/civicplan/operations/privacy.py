"""A person's data, on their request (152-ФЗ, GDPR): everything CivicPlan keeps about them as one
file, and then erased.

What is a person's: their account (name, e-mail, when they joined and last logged in), their
coordinator's role, the invitations sent to their address, the addresses bound to organisations
that are theirs, their mail preferences, the letters CivicPlan wrote to them (the outbox) and
the letters they sent to the news address (the intake's records and raw .eml), the submissions
they wrote (as author or sender), the closing reports and progress entries they filled in, their
contest applications (their account's, or a guest's from their address) with the files, their
seats on contest juries (the scores they gave stay, the jury's record, without their name and
comments), the audit events they did, and the failed logins under their name. Erasing removes or
blanks all of that; what the association published stays (a submission's text belongs to its
organisation's news), without the link to the person. A person's own contest entry (an
individual's, a child's by the parent) goes with its files; an organisation's or a member
municipality's entry is the organisation's and stays, without the name and address of the person
who filed it.
"""

from __future__ import annotations

from typing import Any

from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Q, QuerySet
from django.db.models.functions import Coalesce, Now
from django.utils.translation import gettext as _

from civicplan.accounts.models import Coordinator, Invitation, SenderAddress
from civicplan.audit.actions import Actor, record, require
from civicplan.audit.models import Event
from civicplan.contests.models import Application, Assignment, Juror
from civicplan.mailintake.models import InboundMessage
from civicplan.newsroom.models import Submission
from civicplan.outbox.models import MailPreference, OutgoingMessage
from civicplan.reports.models import ClosingReport, ProgressEntry

ERASED = "(удалено)"


PERM = "operations.manage_personal_data"  # staff's right to people's data


class Person:
    """Everything kept about one user, as querysets (nothing read until asked)."""

    def __init__(self, user: AbstractBaseUser) -> None:
        self.user = user
        self.email = (user.email or "").strip().lower()

    def _by_address(self, field: str) -> Q:
        return Q(**{f"{field}__iexact": self.email}) if self.email else Q(pk__in=[])

    def coordinator(self) -> QuerySet[Coordinator]:
        return Coordinator.objects.filter(user=self.user)

    def invitations(self) -> QuerySet[Invitation]:
        return Invitation.objects.filter(Q(user=self.user) | self._by_address("email"))

    def sender_addresses(self) -> QuerySet[SenderAddress]:
        return SenderAddress.objects.filter(self._by_address("email"))

    def preferences(self) -> QuerySet[MailPreference]:
        return MailPreference.objects.filter(self._by_address("email"))

    def letters_to(self) -> QuerySet[OutgoingMessage]:
        if not self.email:
            return OutgoingMessage.objects.none()
        # The list of addresses is kept as JSON: the address in quotes is this one, not one
        # that ends with it ("ann@x.ru" in "joann@x.ru").
        return OutgoingMessage.objects.filter(recipients__icontains=f'"{self.email}"')

    def letters_from(self) -> QuerySet[InboundMessage]:
        return InboundMessage.objects.filter(self._by_address("mail_from"))

    def submissions(self) -> QuerySet[Submission]:
        return Submission.objects.filter(Q(author=self.user) | self._by_address("sender_email"))

    def reports(self) -> QuerySet[ClosingReport]:
        return ClosingReport.objects.filter(updated_by=self.user)

    def progress(self) -> QuerySet[ProgressEntry]:
        return ProgressEntry.objects.filter(created_by=self.user)

    def applications(self) -> QuerySet[Application]:
        return Application.objects.filter(
            Q(user=self.user) | (Q(user=None) & self._by_address("email"))
        )

    def jury_seats(self) -> QuerySet[Juror]:
        return Juror.objects.filter(Q(user=self.user) | self._by_address("email"))

    def events(self) -> QuerySet[Event]:
        return Event.objects.filter(Q(actor=self.user) | self._by_address("subject"))

    def failed_logins(self) -> list[QuerySet]:
        names = [name for name in {self.user.get_username(), self.email} if name]
        return [model.objects.filter(username__in=names) for model in _AXES]


_AXES = (AccessAttempt, AccessFailureLog, AccessLog)
APPLICANT_FIELDS = (
    "email", "first_name", "last_name", "organisation_name", "city", "minor", "age",
    "guardian_name", "guardian_consent", "email_confirmed", "created", "submitted", "withdrawn",
)  # fmt: skip
JUROR_FIELDS = ("name", "email", "organisation_name", "city", "invited", "accepted", "removed")
ERASED_FIELDS = ["user", "first_name", "last_name", "email", "email_confirmed", "confirm_nonce"]


def export(actor: Actor, user: AbstractBaseUser) -> dict[str, Any]:
    """What is kept about the person, as data to hand them (one audit event says it was
    exported, not what)."""
    require(actor, PERM, _("Нет права на персональные данные."))
    person = Person(user)
    data = {
        "account": {
            "username": user.get_username(),
            "email": user.email,
            "first_name": user.first_name,
            "last_name": user.last_name,
            "date_joined": user.date_joined.isoformat(),
            "last_login": user.last_login.isoformat() if user.last_login else None,
            "is_active": user.is_active,
        },
        "coordinator": [
            {"organisation": c.organisation.name, "since": c.created.isoformat()}
            for c in person.coordinator().select_related("organisation")
        ],
        "invitations": list(person.invitations().values("email", "role", "created", "accepted")),
        "sender_addresses": list(person.sender_addresses().values("email", "created")),
        "mail_preferences": list(person.preferences().values("email", "unsubscribed")),
        "letters_to": list(
            person.letters_to().values("created", "subject", "status", "text", "private")
        ),
        "letters_from": list(
            person.letters_from().values("received", "mail_from", "subject", "status")
        ),
        "submissions": list(
            person.submissions().values("created", "kind", "title", "text", "status")
        ),
        "reports": list(person.reports().values("activity__title", "updated")),
        "progress": list(person.progress().values("activity__title", "on", "percent", "text")),
        "contest_applications": _applications(person),
        "jury_seats": _seats(person),
        "events": list(person.events().values("at", "action", "subject", "summary")),
        "failed_logins": sum(q.count() for q in person.failed_logins()),
    }
    record(actor, "person.export", f"user {user.pk}", "", {"user": user.pk})
    return data


def erase(actor: Actor, user: AbstractBaseUser) -> dict[str, int]:
    """Remove or blank everything kept about the person; what the association published stays,
    unlinked. Their raw letters go from the disk once the database has let them go."""
    require(actor, PERM, _("Нет права на персональные данные."))
    if actor is not None and actor.pk == user.pk:
        raise PermissionDenied(_("Свои данные удаляет другой сотрудник дирекции."))
    person = Person(user)
    with transaction.atomic():
        raw_files = [message.path for message in person.letters_from()]
        entries, entry_files = _erase_applications(person)
        counts = {
            "coordinator": person.coordinator().delete()[0],
            "invitations": person.invitations().delete()[0],
            "sender_addresses": person.sender_addresses().delete()[0],
            "mail_preferences": person.preferences().delete()[0],
            "letters_to": person.letters_to().delete()[0],
            "letters_from": person.letters_from().update(mail_from=ERASED, subject=ERASED),
            "submissions": person.submissions().update(author=None, sender_email=""),
            "reports": person.reports().update(updated_by=None),
            "progress": person.progress().update(created_by=None),
            "contest_applications": entries,
            "jury_seats": _erase_seats(person),
            "events": person.events().update(actor=None, subject=ERASED),
            "failed_logins": sum(q.delete()[0] for q in person.failed_logins()),
        }
        _blank_account(user)
        record(actor, "person.erase", f"user {user.pk}", "", {"user": user.pk, **counts})
    transaction.on_commit(lambda: [path.unlink(missing_ok=True) for path in raw_files])
    transaction.on_commit(lambda: [default_storage.delete(name) for name in entry_files])
    return counts


def _applications(person: Person) -> list[dict[str, Any]]:
    """The person's contest applications as they filled them in: the applicant, each
    question's answer under its label, and what each file is (its name, kind, size)."""
    found = []
    applications = person.applications().select_related("contest", "nomination")
    for application in applications.prefetch_related("contest__fields", "files__field"):
        labels = {question.key: question.label for question in application.contest.fields.all()}
        found.append(
            {
                "contest": application.contest.title,
                "nomination": application.nomination.title if application.nomination else None,
                "kind": application.kind,
                "status": application.status,
                **{name: getattr(application, name) for name in APPLICANT_FIELDS},
                "answers": {
                    labels.get(key, key): value for key, value in application.answers.items()
                },
                "files": [
                    {
                        "question": upload.field.label,
                        "name": upload.name,
                        "type": upload.type,
                        "size": upload.size,
                        "uploaded": upload.uploaded,
                    }
                    for upload in application.files.all()
                ],
            }
        )
    return found


def _erase_applications(person: Person) -> tuple[int, list[str]]:
    """The person's own entries deleted (their files' names returned, to go from the disk
    after the commit); an organisation's entry kept without the person who filed it — still
    counted if it counted (the account that confirmed it is gone, the confirmation stays)."""
    mine = person.applications()
    own = mine.filter(kind=Application.Kind.INDIVIDUAL)
    names = [
        name for pair in own.values_list("files__file", "files__thumbnail") for name in pair if name
    ]
    deleted = own.delete()[1].get(Application._meta.label, 0)
    kept = 0
    for application in mine.select_for_update():
        if application.user_id is not None and application.email_confirmed is None:
            application.email_confirmed = application.created
        application.user = None
        application.first_name = application.last_name = ERASED
        application.email = ""
        application.confirm_nonce = ""
        application.save(update_fields=ERASED_FIELDS)
        kept += 1
    return deleted + kept, names


def _seats(person: Person) -> list[dict[str, Any]]:
    """The person's seats on juries, each with the entries given to them: the scores, the
    comments to the organisers, the conflicts declared."""
    seats = person.jury_seats().select_related("contest")
    return [
        {
            "contest": seat.contest.title,
            **{name: getattr(seat, name) for name in JUROR_FIELDS},
            "assignments": [
                {
                    "application": given.application_id,
                    "scores": {score.category.title: score.value for score in given.scores.all()},
                    "comment": given.comment,
                    "conflict": given.conflict,
                    "conflict_reason": given.conflict_reason,
                }
                for given in seat.assignments.prefetch_related("scores__category")
            ],
        }
        for seat in seats
    ]


def _erase_seats(person: Person) -> int:
    """The seats stay (the scores given are the jury's record) without the person: no name,
    address, organisation or city, no comments or reasons; a seat on the jury still is left."""
    seats = list(person.jury_seats().values_list("pk", flat=True))
    Assignment.objects.filter(juror_id__in=seats).update(comment="", conflict_reason="")
    for pk in seats:
        Juror.objects.filter(pk=pk).update(
            user=None,
            name=ERASED,
            email=f"erased-{pk}",
            organisation=None,
            organisation_name="",
            city="",
            invite_nonce="",
            removed=Coalesce("removed", Now()),
        )
    return len(seats)


def _blank_account(user: AbstractBaseUser) -> None:
    """The account stays (other rows name it) but says nothing about the person and cannot be
    used: no name, no address, no password, inactive."""
    user.username = f"erased-{user.pk}"
    user.email = ""
    user.first_name = user.last_name = ""
    user.is_active = False
    user.set_unusable_password()
    user.save()
