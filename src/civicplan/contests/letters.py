"""Mail about one application, to its applicant, through the outbox: the one-time link that
confirms a guest's address, the receipt of a submitted application, the note that it was
withdrawn; and the invitation to a contest's jury, to the invited address. Each is called after
the action's commit with its row's id."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone, translation

from civicplan.contests import confirmation, phases
from civicplan.contests.models import Application, Juror
from civicplan.outbox.mail import absolute, send_templated


def _application(pk: int) -> Application | None:
    return Application.objects.select_related("contest", "nomination").filter(pk=pk).first()


def _context(application: Application) -> dict:
    contest = application.contest
    with translation.override("ru"):
        contest_url = absolute(contest.get_absolute_url())
        application_url = absolute(reverse("contests:application", args=[application.pk]))
    return {
        "application": application,
        "contest": contest,
        "contest_url": contest_url,
        "application_url": application_url,
        "deadline": timezone.localtime(contest.call_closes),
        "zone": phases.zone_label(contest.call_closes),
    }


def send_confirmation_link(pk: int) -> None:
    """The one-time link (private: staff reading the outbox do not see it)."""
    application = _application(pk)
    if application is None or application.confirmed or not application.confirm_nonce:
        return
    with translation.override("ru"):
        link = absolute(reverse("contests:confirm", args=[confirmation.token(application)]))
    send_templated(
        application.email,
        "contests/mail/confirm",
        {**_context(application), "link": link, "valid_days": confirmation.CONFIRM_MAX_AGE.days},
        private=True,
    )


def send_receipt(pk: int) -> None:
    application = _application(pk)
    if application is not None and application.counts:
        send_templated(application.email, "contests/mail/receipt", _context(application))


def send_withdrawn(pk: int) -> None:
    application = _application(pk)
    if application is not None:
        send_templated(application.email, "contests/mail/withdrawn", _context(application))


def send_jury_invitation(pk: int) -> None:
    """The invitation to the jury with its one-time link (private: a credential)."""
    juror = Juror.objects.select_related("contest", "invited_by").filter(pk=pk).first()
    if juror is None or juror.accepted is not None or not juror.invite_nonce:
        return
    with translation.override("ru"):
        link = absolute(reverse("contests:jury_accept", args=[confirmation.juror_token(juror)]))
        contest_url = absolute(juror.contest.get_absolute_url())
    inviter = juror.invited_by
    send_templated(
        juror.email,
        "contests/mail/jury_invitation",
        {
            "juror": juror,
            "contest": juror.contest,
            "contest_url": contest_url,
            "link": link,
            "inviter": (inviter.get_full_name() or inviter.email) if inviter else "",
            "valid_days": confirmation.INVITATION_MAX_AGE.days,
            "judging_starts": timezone.localtime(juror.contest.judging_starts),
            "zone": phases.zone_label(juror.contest.judging_starts),
        },
        private=True,
    )
