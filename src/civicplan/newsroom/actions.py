"""Every change of a submission: a permission check, the change, its history row and an audit
event, in one transaction. Mail that a change sends is queued on commit (civicplan.newsroom.tasks).

The life of a submission: received -> in review -> published | changes requested | rejected;
changes requested -> (resubmitted) in review; a letter from an unknown address waits in
quarantine until staff accept it (-> in review) or reject it. An activity proposal is not
published: staff include it in the draft plan (in review -> included) or send it back.

A refused action raises PermissionDenied, or ValidationError whose `code` says why: "state"
(the submission's state does not allow it; views answer 409), "required" (a reason or title is
missing), "kind" (not for this kind of submission), "plan" (the plan cannot take it).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.html import strip_tags
from django.utils.translation import gettext as _

from civicplan.accounts.models import SenderAddress
from civicplan.accounts.rules import coordinator_organisation_id
from civicplan.audit.actions import Actor, record, require
from civicplan.directory.models import Organisation
from civicplan.newsroom import tasks
from civicplan.newsroom.attachments import IncomingFile, check_file, store
from civicplan.newsroom.footnotes import genitive
from civicplan.newsroom.models import Submission, SubmissionEvent
from civicplan.newsroom.proposals import proposal_row
from civicplan.newsroom.sanitise import sanitise_html
from civicplan.plans.actions import append_activity, draft_plan, mark_held, owner_organisation
from civicplan.plans.models import Activity
from civicplan.text import fold

Status = Submission.Status


@dataclass
class Draft:
    """What a new submission carries, from a form or a parsed e-mail."""

    kind: str
    title: str
    text: str = ""
    html: str = ""
    organisation: Organisation | None = None
    sender_email: str = ""
    activity: Activity | None = None
    activity_guess: Activity | None = None
    activity_guess_reason: str = ""
    files: Sequence[IncomingFile] = field(default_factory=tuple)
    # Files that came with it but were not kept (the mail intake's refusals), for the letter.
    refused_files: list[dict[str, str]] = field(default_factory=list)
    proposal_year: int | None = None
    proposal_when: str = ""
    proposal_place: str = ""
    proposal_partners: str = ""


def _step(
    submission: Submission, actor: Actor, action: str, to_status: str, reason: str = ""
) -> None:
    """Move the submission to `to_status` and write its history and the audit log."""
    from_status = submission.status
    submission.status = to_status
    submission.save()
    user = actor if actor is not None and actor.is_authenticated else None
    SubmissionEvent.objects.create(
        submission=submission,
        actor=user,
        action=action,
        from_status=from_status,
        to_status=to_status,
        reason=reason,
    )
    record(
        actor,
        f"submission.{action}",
        str(submission),
        reason,
        {"submission": submission.pk, "from": from_status, "to": to_status},
    )


def _check_files(files: Iterable[IncomingFile]) -> list[tuple[IncomingFile, str]]:
    """Every file checked before anything is written (a bad one refuses the submission)."""
    return [(incoming, check_file(incoming)) for incoming in files]


def submit(actor: Actor, draft: Draft, *, source: str = Submission.Source.FORM) -> Submission:
    """A new submission from a known author: received, then straight into review. A coordinator
    writes for their own organisation only; files are checked by content first."""
    require(actor, "newsroom.add_submission")
    organisation_id = coordinator_organisation_id(actor)
    speaks_for_other = draft.organisation is None or draft.organisation.pk != organisation_id
    if organisation_id is not None and not actor.is_staff and speaks_for_other:
        draft.organisation = Organisation.objects.get(pk=organisation_id)
    if not draft.title.strip():
        raise ValidationError(_("Нужен заголовок."), code="required")
    checked = _check_files(draft.files)
    with transaction.atomic():
        submission = _create(actor, draft, source, checked)
        _step(submission, actor, "review", Status.IN_REVIEW)
    _acknowledge_on_commit(submission, draft)
    return submission


def _acknowledge_on_commit(submission: Submission, draft: Draft) -> None:
    refused = draft.refused_files
    transaction.on_commit(lambda: tasks.acknowledge.enqueue(submission.pk, refused))


def quarantine(draft: Draft, *, reason: str = "") -> Submission:
    """A letter from an address nobody vouches for: kept, shown to staff (with the `reason` in
    its history), not yet reviewed."""
    checked = _check_files(draft.files)
    with transaction.atomic():
        submission = _create(
            None, draft, Submission.Source.EMAIL, checked, Status.QUARANTINE, reason=reason
        )
    _acknowledge_on_commit(submission, draft)
    return submission


def _create(
    actor: Actor,
    draft: Draft,
    source: str,
    checked: list[tuple[IncomingFile, str]],
    status: str = Status.RECEIVED,
    *,
    reason: str = "",
) -> Submission:
    user = actor if actor is not None and actor.is_authenticated else None
    submission = Submission(
        kind=draft.kind,
        title=draft.title.strip()[:300],
        text=draft.text,
        html=draft.html,
        status=status,
        source=source,
        author=user,
        sender_email=draft.sender_email or (user.email if user else ""),
        organisation=draft.organisation,
        activity=draft.activity,
        activity_guess=draft.activity_guess,
        activity_guess_reason=draft.activity_guess_reason[:300],
        proposal_year=draft.proposal_year,
        proposal_when=draft.proposal_when,
        proposal_place=draft.proposal_place,
        proposal_partners=draft.proposal_partners,
    )
    _clean(submission)
    submission.save()
    for incoming, kind in checked:
        store(submission, incoming, kind)
    SubmissionEvent.objects.create(
        submission=submission, actor=user, action="receive", to_status=status, reason=reason
    )
    record(actor, "submission.receive", str(submission), "", {"submission": submission.pk})
    return submission


def _clean(submission: Submission) -> None:
    """What a submission's text derives, set before every save that changes the text: its HTML
    cleaned (nh3) and the folded text the moderation queue searches."""
    submission.html = sanitise_html(submission.html) if submission.html else ""
    body = " ".join((submission.title, submission.text, strip_tags(submission.html)))
    submission.search_text = fold(body)


def accept_quarantined(
    actor: Actor, submission: Submission, organisation: Organisation, *, remember_sender: bool
) -> Submission:
    """Staff vouch for a quarantined letter: it goes to review for `organisation`, and with
    `remember_sender` the address is bound to it, so its next letters skip quarantine."""
    require(actor, "newsroom.moderate_submission", obj=submission)
    _expect(submission, Status.QUARANTINE)
    with transaction.atomic():
        submission.organisation = organisation
        if remember_sender and submission.sender_email:
            SenderAddress.objects.update_or_create(
                email=submission.sender_email.lower(),
                defaults={
                    "organisation": organisation,
                    "added_by": actor if actor and actor.is_authenticated else None,
                },
            )
        _step(submission, actor, "accept", Status.IN_REVIEW)
    return submission


def edit(actor: Actor, submission: Submission, changed: Iterable[str]) -> Submission:
    """Staff's edit before publishing (the form has set the fields); HTML is cleaned again."""
    require(actor, "newsroom.change_submission", obj=submission)
    changed = sorted(set(changed))
    with transaction.atomic():
        _clean(submission)
        submission.save()
        user = actor if actor is not None and actor.is_authenticated else None
        SubmissionEvent.objects.create(
            submission=submission,
            actor=user,
            action="edit",
            from_status=submission.status,
            to_status=submission.status,
            reason=", ".join(changed),
        )
        record(actor, "submission.edit", str(submission), ", ".join(changed))
    return submission


def publish(actor: Actor, submission: Submission) -> Submission:
    """Publish on the news pages; a post-release marks its activity held."""
    require(actor, "newsroom.moderate_submission", obj=submission)
    _expect(submission, Status.IN_REVIEW, Status.RECEIVED)
    if submission.kind == Submission.Kind.PROPOSAL:
        raise ValidationError(_("Предложение не публикуется, а включается в план."), code="kind")
    with transaction.atomic():
        submission.published = timezone.now()
        _step(submission, actor, "publish", Status.PUBLISHED)
        activity = submission.activity
        reports_on = submission.kind == Submission.Kind.POST_RELEASE and activity is not None
        if reports_on and activity.status != Activity.Status.HELD:
            mark_held(None, activity)
    transaction.on_commit(lambda: tasks.accepted.enqueue(submission.pk))
    return submission


# The decisions that need a reason: the action, the state it leads to, the states it is taken from.
_CHANGES = ("request_changes", Status.CHANGES_REQUESTED, (Status.IN_REVIEW, Status.RECEIVED))
_REJECTION = ("reject", Status.REJECTED, (Status.IN_REVIEW, Status.RECEIVED, Status.QUARANTINE))


def request_changes(actor: Actor, submission: Submission, reason: str) -> Submission:
    """Send it back to its author with the reason (e-mailed on commit)."""
    _decide(actor, submission, _CHANGES, reason, _("Напишите, что нужно исправить."))
    transaction.on_commit(lambda: tasks.changes_requested.enqueue(submission.pk))
    return submission


def reject(actor: Actor, submission: Submission, reason: str) -> Submission:
    _decide(actor, submission, _REJECTION, reason, _("Напишите причину отказа."))
    transaction.on_commit(lambda: tasks.rejected.enqueue(submission.pk))
    return submission


def _decide(
    actor: Actor,
    submission: Submission,
    step: tuple[str, str, tuple[str, ...]],
    reason: str,
    missing: str,
) -> None:
    """A moderator's decision that needs a reason (the author reads it). `step` is the action,
    the state it leads to and the states it may be taken from; without a reason, `missing`."""
    action, to_status, allowed = step
    require(actor, "newsroom.moderate_submission", obj=submission)
    _expect(submission, *allowed)
    if not reason.strip():
        raise ValidationError(missing, code="required")
    with transaction.atomic():
        _step(submission, actor, action, to_status, reason.strip())


def resubmit(
    actor: Actor, submission: Submission, changed: Iterable[str], files: Sequence[IncomingFile] = ()
) -> Submission:
    """The author's corrected version (the form has set the fields) goes back to review."""
    require(actor, "newsroom.resubmit_submission", obj=submission)
    _expect(submission, Status.CHANGES_REQUESTED)
    checked = _check_files(files)
    with transaction.atomic():
        _clean(submission)
        for incoming, kind in checked:
            store(submission, incoming, kind)
        _step(submission, actor, "resubmit", Status.IN_REVIEW, ", ".join(sorted(set(changed))))
    return submission


def confirm_activity(actor: Actor, submission: Submission, activity: Activity | None) -> Submission:
    """Staff confirm (or correct, or clear) the activity the submission reports on."""
    require(actor, "newsroom.change_submission", obj=submission)
    with transaction.atomic():
        submission.activity = activity
        submission.save(update_fields=["activity", "modified"])
        record(
            actor,
            "submission.activity",
            str(submission),
            str(activity) if activity else "—",
            {"submission": submission.pk, "activity": activity.pk if activity else None},
        )
    return submission


def include_proposal(actor: Actor, submission: Submission) -> Activity:
    """One click: the proposal becomes the last row of the owner's draft plan for its year
    (created if there is none), footnoted "По предложению <organisation>" as the 2024 plan
    footnotes members' proposals. A proposal is included once; an approved plan is not touched."""
    require(actor, "newsroom.moderate_submission", obj=submission)
    require(actor, "plans.change_plan")
    if submission.kind != Submission.Kind.PROPOSAL:
        raise ValidationError(_("В план включаются только предложения."), code="kind")
    with transaction.atomic():
        # Locked and read again, so two clicks cannot include it twice.
        locked = Submission.objects.select_for_update().get(pk=submission.pk)
        if locked.included_activity_id is not None:
            raise ValidationError(_("Предложение уже включено в план."), code="state")
        _expect(locked, Status.IN_REVIEW, Status.RECEIVED)
        year = locked.proposal_year
        if year is None or locked.organisation_id is None:
            raise ValidationError(
                _("У предложения нет года плана или организации; исправьте его перед включением."),
                code="required",
            )
        owner = owner_organisation()
        # The title is the plan's own text, in its language, worded as the 2024 plan's.
        title = f"План деятельности {genitive(owner.name) or owner.name} на {year} год"
        plan = draft_plan(actor, year, title)
        activity = append_activity(
            actor,
            plan,
            proposal_row(locked, year),
            _("Включено в план по предложению: %(organisation)s")
            % {"organisation": locked.organisation},
            {"submission": locked.pk},
        )
        locked.included_activity = activity
        _step(locked, actor, "include", Status.INCLUDED, str(activity))
    submission.refresh_from_db()
    transaction.on_commit(lambda: tasks.accepted.enqueue(submission.pk))
    return activity


def _expect(submission: Submission, *statuses: str) -> None:
    """Refuse an action the submission's state does not allow (code "state": views answer 409)."""
    if submission.status not in statuses:
        raise ValidationError(
            _("Материал в состоянии «%(status)s»; это действие сейчас невозможно.")
            % {"status": submission.get_status_display()},
            code="state",
        )
