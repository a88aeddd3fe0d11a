"""Every write of contests: the contest and its form (staff), the applications (applicants).

Each action checks its permission (contests.rules), bounds what it is given with a message in
words, writes in one transaction with its audit event, and queues its letters for after the
commit (civicplan.contests.letters, through the outbox). Whether applications are taken is
decided here, by the contest's dates and the server's clock (`phases.now()`), never by a page.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.validators import validate_email
from django.db import transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from civicplan.accounts.rules import coordinator_organisation_id
from civicplan.audit.actions import Actor, record, require
from civicplan.common.urls import slug_of
from civicplan.contests import assignment, confirmation, letters, phases, queries
from civicplan.contests.files import CheckedFile, IncomingFile, check_file
from civicplan.contests.models import (
    Application,
    ApplicationField,
    ApplicationFile,
    Assignment,
    Contest,
    ContestDocument,
    FileType,
    Juror,
    Nomination,
    Score,
    ScoreCategory,
)
from civicplan.directory.models import Membership
from civicplan.newsroom.sanitise import sanitise_html
from civicplan.plans.models import Activity

# Bounds: what one contest, one form and one applicant may hold.
MAX_NOMINATIONS = 20
MAX_FIELDS = 40
MAX_FILE_FIELDS = 5  # files one application carries (a request holds them all)
MAX_CHOICES = 50
MAX_CHOICE_LENGTH = 200
MAX_DOCUMENTS = 20
MAX_APPLICATIONS = 10  # one applicant's (account or address) in one contest
MAX_LINKS = 5  # letters with a confirmation link for one application
TEXT_LIMIT = 300  # a one-line answer
LONG_TEXT_LIMIT = 20_000  # a long answer's ceiling (its field's own limit is at most this)
LONG_TEXT_DEFAULT = 5_000
RULES_LIMIT = 100_000
SUMMARY_LIMIT = 2_000
NAME_LIMIT = 150
MAX_NUMBER = Decimal("1e12")
DOCUMENT_TYPES = (FileType.PDF, FileType.DOCX, FileType.XLSX)

MANAGE_REFUSED = gettext_lazy("Конкурсы ведут сотрудники дирекции.")
APPLY_REFUSED = gettext_lazy("Подать заявку на этот конкурс нельзя.")
CHANGE_REFUSED = gettext_lazy("Это не ваша заявка.")


def may_manage(actor: Actor) -> None:
    require(actor, "contests.manage_contest", str(MANAGE_REFUSED))


# -- the contest ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class ContestData:
    """A contest as its staff form gives it."""

    title: str
    call_opens: datetime
    call_closes: datetime
    judging_starts: datetime
    results_published: datetime
    summary: str = ""
    rules: str = ""  # HTML: sanitised before it is kept
    for_municipalities: bool = False
    for_organisations: bool = False
    for_individuals: bool = False
    anonymous_review: bool = False
    published: bool = False


def _check_contest(data: ContestData) -> None:
    if not " ".join(data.title.split()):
        raise ValidationError(_("Укажите название конкурса."), code="title")
    if len(data.title) > 300:
        raise ValidationError(_("Название конкурса — не длиннее 300 знаков."), code="title")
    if len(data.summary) > SUMMARY_LIMIT:
        raise ValidationError(
            _("Краткое описание — не длиннее %(limit)d знаков.") % {"limit": SUMMARY_LIMIT}
        )
    if len(data.rules) > RULES_LIMIT:
        raise ValidationError(
            _("Положение о конкурсе — не длиннее %(limit)d знаков.") % {"limit": RULES_LIMIT}
        )
    if not (data.for_municipalities or data.for_organisations or data.for_individuals):
        raise ValidationError(_("Укажите, кто может подавать заявки."), code="audience")
    dates = phases.Dates(
        data.call_opens, data.call_closes, data.judging_starts, data.results_published
    )
    if not dates.in_order():
        raise ValidationError(
            _(
                "Даты идут по порядку: приём заявок открывается раньше, чем закрывается; "
                "жюри начинает работу не раньше закрытия приёма; итоги — не раньше жюри."
            ),
            code="dates",
        )


def _fill(contest: Contest, data: ContestData) -> None:
    contest.title = " ".join(data.title.split())
    contest.slug = slug_of(contest.title)
    contest.summary = data.summary.strip()
    contest.rules = sanitise_html(data.rules)
    contest.for_municipalities = data.for_municipalities
    contest.for_organisations = data.for_organisations
    contest.for_individuals = data.for_individuals
    contest.anonymous_review = data.anonymous_review
    contest.call_opens, contest.call_closes = data.call_opens, data.call_closes
    contest.judging_starts, contest.results_published = data.judging_starts, data.results_published
    contest.published = data.published


def create_contest(actor: Actor, activity: Activity, data: ContestData) -> Contest:
    """A contest under a plan row (a draft until staff publish it)."""
    may_manage(actor)
    _check_contest(data)
    with transaction.atomic():
        contest = Contest(activity=activity, created_by=_user(actor))
        _fill(contest, data)
        contest.save()
        record(
            actor,
            "contest.create",
            contest.title,
            str(activity),
            {"contest": contest.pk, "activity": activity.pk},
        )
    return contest


def change_contest(actor: Actor, contest: Contest, data: ContestData) -> Contest:
    may_manage(actor)
    _check_contest(data)
    with transaction.atomic():
        _fill(contest, data)
        contest.save()
        record(
            actor,
            "contest.change",
            contest.title,
            str(phases.LABELS[contest.phase]),
            {"contest": contest.pk, "published": contest.published},
        )
    return contest


def add_nomination(actor: Actor, contest: Contest, title: str, description: str = "") -> Nomination:
    may_manage(actor)
    title = " ".join(title.split())
    if not title or len(title) > 300:
        raise ValidationError(_("Название номинации — от 1 до 300 знаков."), code="title")
    if len(description) > SUMMARY_LIMIT:
        raise ValidationError(
            _("Описание номинации — не длиннее %(limit)d знаков.") % {"limit": SUMMARY_LIMIT}
        )
    count = contest.nominations.count()
    if count >= MAX_NOMINATIONS:
        raise ValidationError(
            _("У конкурса может быть не больше %(limit)d номинаций.") % {"limit": MAX_NOMINATIONS}
        )
    with transaction.atomic():
        nomination = Nomination.objects.create(
            contest=contest, title=title, description=description.strip(), position=count + 1
        )
        record(
            actor,
            "contest.nomination.add",
            contest.title,
            title,
            {"contest": contest.pk, "nomination": nomination.pk},
        )
    return nomination


def remove_nomination(actor: Actor, nomination: Nomination) -> None:
    may_manage(actor)
    if nomination.applications.exists():
        raise ValidationError(_("В номинацию уже поданы заявки: её нельзя убрать."))
    with transaction.atomic():
        record(
            actor,
            "contest.nomination.remove",
            nomination.contest.title,
            nomination.title,
            {"contest": nomination.contest_id, "nomination": nomination.pk},
        )
        nomination.delete()


# -- the application form ------------------------------------------------------------------------


@dataclass(frozen=True)
class FieldSpec:
    """A question of the application form as staff describe it."""

    kind: str
    label: str
    help_text: str = ""
    required: bool = False
    choices: Sequence[str] = ()
    file_types: Collection[str] = ()
    max_bytes: int = 0  # a file field's; 0: the installation's ceiling
    max_length: int = 0  # a long text's; 0: the default
    min_value: Decimal | None = None
    max_value: Decimal | None = None


def _form_frozen(contest: Contest) -> None:
    """The form changes only while nobody has submitted it: a submitted entry's answers stay
    the answers to the questions it was given."""
    if contest.applications.filter(status=Application.Status.SUBMITTED).exists():
        raise ValidationError(
            _("На конкурс уже поданы заявки: форму заявки больше нельзя менять."), code="frozen"
        )


def _check_choices(spec: FieldSpec) -> list[str]:
    choices = [" ".join(choice.split()) for choice in spec.choices]
    choices = list(dict.fromkeys(choice for choice in choices if choice))
    if spec.kind != ApplicationField.Kind.CHOICE:
        return []
    if not 2 <= len(choices) <= MAX_CHOICES:
        raise ValidationError(
            _("У выбора из списка — от 2 до %(limit)d вариантов.") % {"limit": MAX_CHOICES},
            code="choices",
        )
    if any(len(choice) > MAX_CHOICE_LENGTH for choice in choices):
        raise ValidationError(
            _("Вариант выбора — не длиннее %(limit)d знаков.") % {"limit": MAX_CHOICE_LENGTH},
            code="choices",
        )
    return choices


def _check_file_spec(spec: FieldSpec) -> tuple[list[str], int]:
    if spec.kind != ApplicationField.Kind.FILE:
        return [], 0
    types = [kind for kind in FileType.values if kind in spec.file_types]
    if not types:
        raise ValidationError(_("Укажите, какие файлы принимает поле."), code="file_types")
    ceiling = settings.CIVICPLAN_ATTACHMENT_MAX_BYTES
    size = spec.max_bytes or ceiling
    if not 0 < size <= ceiling:
        raise ValidationError(
            _("Размер файла — не больше %(limit)d МБ.") % {"limit": ceiling // (1024 * 1024)},
            code="max_bytes",
        )
    return types, size


def _check_number_spec(spec: FieldSpec) -> None:
    bounds = [value for value in (spec.min_value, spec.max_value) if value is not None]
    if any(abs(value) >= MAX_NUMBER for value in bounds):
        raise ValidationError(_("Границы числа слишком велики."), code="min_value")
    if len(bounds) == 2 and spec.min_value > spec.max_value:
        raise ValidationError(_("Наименьшее число больше наибольшего."), code="min_value")


def add_field(actor: Actor, contest: Contest, spec: FieldSpec) -> ApplicationField:
    """A question added at the end of the contest's application form."""
    may_manage(actor)
    _form_frozen(contest)
    if spec.kind not in ApplicationField.Kind.values:
        raise ValidationError(_("Неизвестный тип поля."), code="kind")
    label = " ".join(spec.label.split())
    if not label or len(label) > 300:
        raise ValidationError(_("Вопрос — от 1 до 300 знаков."), code="label")
    if len(spec.help_text) > 1000:
        raise ValidationError(_("Пояснение — не длиннее 1000 знаков."), code="help_text")
    choices = _check_choices(spec)
    types, size = _check_file_spec(spec)
    _check_number_spec(spec)
    if not 0 <= spec.max_length <= LONG_TEXT_LIMIT:
        raise ValidationError(
            _("Длина текста — не больше %(limit)d знаков.") % {"limit": LONG_TEXT_LIMIT},
            code="max_length",
        )
    count = contest.fields.count()
    if count >= MAX_FIELDS:
        raise ValidationError(
            _("В форме заявки может быть не больше %(limit)d полей.") % {"limit": MAX_FIELDS}
        )
    files = contest.fields.filter(kind=ApplicationField.Kind.FILE).count()
    if spec.kind == ApplicationField.Kind.FILE and files >= MAX_FILE_FIELDS:
        raise ValidationError(
            _("В форме заявки может быть не больше %(limit)d полей для файлов.")
            % {"limit": MAX_FILE_FIELDS}
        )
    number = spec.kind == ApplicationField.Kind.NUMBER
    with transaction.atomic():
        created = ApplicationField.objects.create(
            contest=contest,
            kind=spec.kind,
            label=label,
            help_text=spec.help_text.strip(),
            required=spec.required,
            choices=choices,
            file_types=types,
            max_bytes=size,
            max_length=_length_of(spec.kind, spec.max_length),
            min_value=spec.min_value if number else None,
            max_value=spec.max_value if number else None,
            position=count + 1,
        )
        record(
            actor,
            "contest.field.add",
            contest.title,
            f"{created.get_kind_display()}: {label}",
            {"contest": contest.pk, "field": created.pk},
        )
    return created


def _length_of(kind: str, asked: int) -> int:
    if kind == ApplicationField.Kind.LONG_TEXT:
        return asked or LONG_TEXT_DEFAULT
    if kind in (ApplicationField.Kind.TEXT, ApplicationField.Kind.CHOICE):
        return TEXT_LIMIT
    if kind == ApplicationField.Kind.LINK:
        return 1000
    return 0


def remove_field(actor: Actor, form_field: ApplicationField) -> None:
    may_manage(actor)
    _form_frozen(form_field.contest)
    with transaction.atomic():
        record(
            actor,
            "contest.field.remove",
            form_field.contest.title,
            form_field.label,
            {"contest": form_field.contest_id, "field": form_field.pk},
        )
        gone = list(
            ApplicationFile.objects.filter(field=form_field).values_list("file", "thumbnail")
        )
        form_field.delete()
        transaction.on_commit(lambda: _delete_files(name for pair in gone for name in pair))


def add_document(
    actor: Actor, contest: Contest, title: str, incoming: IncomingFile
) -> ContestDocument:
    """A document of the contest (PDF, DOCX or XLSX by its content) for its public page."""
    may_manage(actor)
    title = " ".join(title.split()) or incoming.name
    if contest.documents.count() >= MAX_DOCUMENTS:
        raise ValidationError(
            _("У конкурса может быть не больше %(limit)d документов.") % {"limit": MAX_DOCUMENTS}
        )
    checked = check_file(incoming, DOCUMENT_TYPES, settings.CIVICPLAN_ATTACHMENT_MAX_BYTES)
    with transaction.atomic():
        document = ContestDocument(
            contest=contest,
            title=title[:300],
            name=checked.name,
            type=checked.type,
            size=len(checked.content),
            sha256=checked.sha256,
            position=contest.documents.count() + 1,
        )
        document.file.save(checked.name, ContentFile(checked.content), save=False)
        document.save()
        record(
            actor,
            "contest.document.add",
            contest.title,
            document.title,
            {"contest": contest.pk, "document": document.pk},
        )
    return document


def remove_document(actor: Actor, document: ContestDocument) -> None:
    may_manage(actor)
    with transaction.atomic():
        record(
            actor,
            "contest.document.remove",
            document.contest.title,
            document.title,
            {"contest": document.contest_id, "document": document.pk},
        )
        name = document.file.name
        document.delete()
        transaction.on_commit(lambda: _delete_files([name]))


# -- applications --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Entry:
    """An application as its form gives it. `answers` and `files` are keyed by the field's
    key ("f<id>"); a file field keeps its file unless a new one comes or it is in
    `remove_files`."""

    kind: str
    first_name: str
    last_name: str
    email: str = ""  # a guest's; a signed-in applicant's account address when empty
    nomination: int | None = None
    organisation_name: str = ""
    city: str = ""
    minor: bool = False
    age: int | None = None
    guardian_name: str = ""
    guardian_consent: bool = False
    answers: Mapping[str, object] = field(default_factory=dict)
    files: Mapping[str, IncomingFile] = field(default_factory=dict)
    remove_files: Collection[str] = ()


def _when(moment: datetime) -> str:
    local = timezone.localtime(moment)
    return f"{formats.date_format(local, 'j E Y, H:i')} ({phases.zone_label(moment)})"


def _require_open(contest: Contest) -> None:
    """Applications are taken, changed and submitted only while the call is open, by the
    server's clock."""
    phase = contest.phase
    if phase == phases.ANNOUNCED:
        raise ValidationError(
            _("Приём заявок откроется %(when)s.") % {"when": _when(contest.call_opens)},
            code="phase",
        )
    if phase != phases.OPEN:
        raise ValidationError(
            _("Приём заявок закрыт %(when)s.") % {"when": _when(contest.call_closes)},
            code="phase",
        )


def _check_person(entry: Entry) -> None:
    for value, label in ((entry.first_name, _("имя")), (entry.last_name, _("фамилию"))):
        if not value.strip():
            raise ValidationError(_("Укажите %(what)s.") % {"what": label}, code="name")
        if len(value) > NAME_LIMIT:
            raise ValidationError(
                _("Имя и фамилия — не длиннее %(limit)d знаков.") % {"limit": NAME_LIMIT},
                code="name",
            )
    if len(entry.organisation_name) > 500 or len(entry.city) > 200:
        raise ValidationError(_("Название организации или населённого пункта слишком длинное."))


def _check_minor(entry: Entry) -> None:
    """An entry by or about a child: the child's age and the parent's name and consent."""
    if not entry.minor:
        return
    if entry.kind != Application.Kind.INDIVIDUAL:
        raise ValidationError(
            _("Работу ребёнка подаёт частное лицо — родитель или законный представитель."),
            code="minor",
        )
    if entry.age is None or not 0 < entry.age < 18:
        raise ValidationError(
            _("Укажите возраст ребёнка: от 1 до 17 лет."),
            code="age",
        )
    if not entry.guardian_name.strip() or len(entry.guardian_name) > 300:
        raise ValidationError(
            _("Укажите фамилию, имя и отчество родителя (законного представителя)."),
            code="guardian_name",
        )
    if not entry.guardian_consent:
        raise ValidationError(
            _(
                "Заявку о несовершеннолетнем участнике принимаем только с согласием родителя "
                "(законного представителя)."
            ),
            code="guardian_consent",
        )


def _applicant(actor: Actor, contest: Contest, entry: Entry) -> tuple[int | None, str]:
    """The organisation a municipality's entry speaks for, and the e-mail address letters go
    to; ValidationError when the applicant may not apply as the entry says."""
    if entry.kind not in Application.Kind.values or not contest.admits(entry.kind):
        raise ValidationError(_("Такие заявители на этот конкурс не принимаются."), code="kind")
    organisation_id = None
    if entry.kind == Application.Kind.MUNICIPALITY:
        organisation_id = coordinator_organisation_id(actor)
        membership = Membership.objects.filter(organisation_id=organisation_id).first()
        if organisation_id is None or membership is None or not membership.is_active:
            raise ValidationError(
                _("От члена Ассоциации заявку подаёт его координатор."), code="kind"
            )
    elif entry.kind == Application.Kind.ORGANISATION and not entry.organisation_name.strip():
        raise ValidationError(_("Укажите название организации."), code="organisation_name")
    account = getattr(actor, "email", "") if actor is not None and actor.is_authenticated else ""
    address = (entry.email or account).strip()
    try:
        validate_email(address)
    except ValidationError as error:
        raise ValidationError(
            _("Укажите адрес электронной почты: на него придут письма о заявке."), code="email"
        ) from error
    return organisation_id, address


def _nomination(contest: Contest, entry: Entry, submit: bool) -> int | None:
    ids = list(contest.nominations.values_list("pk", flat=True))
    if entry.nomination is not None and entry.nomination not in ids:
        raise ValidationError(_("Такой номинации у конкурса нет."), code="nomination")
    if submit and ids and entry.nomination is None:
        raise ValidationError(_("Выберите номинацию."), code="nomination")
    return entry.nomination


# The answer to one question, checked and as it is kept; each raises ValidationError in words.
def _text(form_field: ApplicationField, value: object) -> str:
    text = str(value or "").strip()
    if form_field.kind == ApplicationField.Kind.TEXT:
        text = " ".join(text.split())
    limit = form_field.max_length or TEXT_LIMIT
    if len(text) > limit:
        raise ValidationError(
            _("«%(label)s»: не длиннее %(limit)d знаков.")
            % {"label": form_field.label, "limit": limit}
        )
    return text


def _number(form_field: ApplicationField, value: object) -> str:
    text = str(value if value is not None else "").strip().replace(",", ".").replace(" ", "")
    if not text:
        return ""
    try:
        number = Decimal(text)
    except InvalidOperation as error:
        raise ValidationError(
            _("«%(label)s»: нужно число.") % {"label": form_field.label}
        ) from error
    low, high = form_field.min_value, form_field.max_value
    if not number.is_finite() or abs(number) >= MAX_NUMBER:
        raise ValidationError(_("«%(label)s»: нужно число.") % {"label": form_field.label})
    if (low is not None and number < low) or (high is not None and number > high):
        raise ValidationError(
            _("«%(label)s»: число от %(low)s до %(high)s.")
            % {
                "label": form_field.label,
                "low": low if low is not None else "…",
                "high": high if high is not None else "…",
            }
        )
    return str(number)


def _choice(form_field: ApplicationField, value: object) -> str:
    text = str(value or "").strip()
    if text and text not in form_field.choices:
        raise ValidationError(
            _("«%(label)s»: выберите вариант из списка.") % {"label": form_field.label}
        )
    return text


def _link(form_field: ApplicationField, value: object) -> str:
    text = str(value or "").strip()
    if text and (not text.startswith(("https://", "http://")) or len(text) > 1000):
        raise ValidationError(
            _("«%(label)s»: нужен адрес в интернете (https://…).") % {"label": form_field.label}
        )
    return text


def _consent(form_field: ApplicationField, value: object) -> bool:
    return value is True or str(value).lower() in ("1", "true", "on", "yes")


CHECKS: dict[str, Callable[[ApplicationField, object], object]] = {
    ApplicationField.Kind.TEXT: _text,
    ApplicationField.Kind.LONG_TEXT: _text,
    ApplicationField.Kind.NUMBER: _number,
    ApplicationField.Kind.CHOICE: _choice,
    ApplicationField.Kind.LINK: _link,
    ApplicationField.Kind.CONSENT: _consent,
}


@dataclass
class _Answers:
    values: dict[str, object]
    new_files: dict[int, CheckedFile]  # by field id
    removed: set[int]  # field ids whose file goes


def _answers(
    fields: list[ApplicationField], entry: Entry, kept_files: set[int], submit: bool
) -> _Answers:
    """Each answer checked against its question; on submission every required one given."""
    found = _Answers({}, {}, set())
    missing = []
    for form_field in fields:
        if form_field.kind == ApplicationField.Kind.FILE:
            incoming = entry.files.get(form_field.key)
            if incoming is not None:
                found.new_files[form_field.pk] = check_file(
                    incoming, form_field.file_types, form_field.max_bytes
                )
            elif form_field.key in entry.remove_files and form_field.pk in kept_files:
                found.removed.add(form_field.pk)
            given = form_field.pk in found.new_files or (
                form_field.pk in kept_files and form_field.pk not in found.removed
            )
        else:
            value = CHECKS[form_field.kind](form_field, entry.answers.get(form_field.key))
            found.values[form_field.key] = value
            given = bool(value)
        if submit and form_field.required and not given:
            missing.append(f"«{form_field.label}»")
    if missing:
        raise ValidationError(
            _("Заполните обязательные поля: %(fields)s.") % {"fields": ", ".join(missing)},
            code="required",
        )
    return found


def _bounded(actor: Actor, contest: Contest, address: str) -> None:
    """One applicant (account or address) keeps at most MAX_APPLICATIONS entries in a contest."""
    mine = contest.applications.exclude(status=Application.Status.WITHDRAWN)
    if actor is not None and actor.is_authenticated:
        mine = mine.filter(user=actor)
    else:
        mine = mine.filter(user=None, email__iexact=address)
    if mine.count() >= MAX_APPLICATIONS:
        raise ValidationError(
            _("От одного заявителя — не больше %(limit)d заявок на конкурс.")
            % {"limit": MAX_APPLICATIONS}
        )


def save_application(
    actor: Actor,
    contest: Contest,
    entry: Entry,
    application: Application | None = None,
    *,
    submit: bool = False,
) -> Application:
    """A new application or a change of one, as a draft or submitted; only while the call is
    open. A guest's application counts once the address is confirmed by the one-time link
    (sent with the first save, and again at submission while unconfirmed)."""
    if application is None:
        require(actor, "contests.apply", str(APPLY_REFUSED), contest)
    else:
        require(actor, "contests.change_application", str(CHANGE_REFUSED), application)
        if application.contest_id != contest.pk:
            raise PermissionDenied(str(CHANGE_REFUSED))
        if application.status == Application.Status.WITHDRAWN:
            raise ValidationError(_("Заявка отозвана: её нельзя изменить."), code="status")
    _require_open(contest)
    _check_person(entry)
    _check_minor(entry)
    organisation_id, address = _applicant(actor, contest, entry)
    if application is None:
        _bounded(actor, contest, address)
    nomination = _nomination(contest, entry, submit)
    fields = list(contest.fields.all())
    kept = set(application.files.values_list("field_id", flat=True)) if application else set()
    answers = _answers(fields, entry, kept, submit)
    with transaction.atomic():
        application, letter = _write(
            actor, contest, entry, application, organisation_id, address, nomination, answers
        )
        if submit:
            letter = _submit(application) or letter
        _record_save(actor, application, submit)
        if letter is not None:
            pk = application.pk
            transaction.on_commit(lambda: letter(pk))
    return application


def _write(
    actor: Actor,
    contest: Contest,
    entry: Entry,
    application: Application | None,
    organisation_id: int | None,
    address: str,
    nomination: int | None,
    answers: _Answers,
) -> tuple[Application, Callable[[int], None] | None]:
    created = application is None
    user = _user(actor)
    application = application or Application(contest=contest, user=user)
    letter = None
    if application.user_id is None and address.lower() != application.email.lower():
        # A guest's (new) address: confirmed anew by a new one-time link.
        application.email_confirmed = None
        application.confirm_nonce = secrets.token_hex(16)
        letter = letters.send_confirmation_link
    application.email = address
    application.kind = entry.kind
    application.nomination_id = nomination
    application.organisation_id = organisation_id
    application.organisation_name = " ".join(entry.organisation_name.split())
    application.city = " ".join(entry.city.split())
    application.first_name = " ".join(entry.first_name.split())
    application.last_name = " ".join(entry.last_name.split())
    application.minor = entry.minor
    application.age = entry.age if entry.minor else None
    application.guardian_name = " ".join(entry.guardian_name.split()) if entry.minor else ""
    if not entry.minor:
        application.guardian_consent = None
    elif application.guardian_consent is None:
        application.guardian_consent = phases.now()
    application.answers = {**application.answers, **answers.values}
    if letter is not None:
        application.links_sent += 1
    application.save()
    _store_files(application, answers, created)
    return application, letter


def _store_files(application: Application, answers: _Answers, created: bool) -> None:
    replaced = set(answers.new_files) | answers.removed
    gone: list[str] = []
    if not created and replaced:
        for old in application.files.filter(field_id__in=replaced):
            gone += [name for name in (old.file.name, old.thumbnail.name) if name]
            old.delete()
    for field_id, checked in answers.new_files.items():
        upload = ApplicationFile(
            application=application,
            field_id=field_id,
            name=checked.name,
            type=checked.type,
            size=len(checked.content),
            sha256=checked.sha256,
            width=checked.width,
            height=checked.height,
        )
        upload.file.save(checked.name, ContentFile(checked.content), save=False)
        if checked.thumbnail is not None:
            upload.thumbnail.save("thumb.jpeg", ContentFile(checked.thumbnail), save=False)
        upload.save()
    transaction.on_commit(lambda: _delete_files(gone))


def _submit(application: Application) -> Callable[[int], None] | None:
    """Mark it submitted (the first time: the moment is the one the deadline was met at); the
    receipt goes at once to a known applicant, a guest is asked to confirm the address."""
    first = application.status != Application.Status.SUBMITTED
    if first:
        application.status = Application.Status.SUBMITTED
        application.submitted = phases.now()
        application.save(update_fields=["status", "submitted", "updated"])
    if application.confirmed:
        return letters.send_receipt if first else None
    if application.links_sent < MAX_LINKS:
        application.links_sent += 1
        application.save(update_fields=["links_sent"])
        return letters.send_confirmation_link
    return None


def _record_save(actor: Actor, application: Application, submit: bool) -> None:
    action = "contest.application.submit" if submit else "contest.application.save"
    record(
        actor,
        action,
        application.contest.title,
        str(application),
        {
            "contest": application.contest_id,
            "application": application.pk,
            "guest": application.email if application.user_id is None else "",
        },
    )


def send_link_again(actor: Actor, application: Application) -> None:
    """The one-time link once more, for a guest whose letter went astray (a few times)."""
    require(actor, "contests.change_application", str(CHANGE_REFUSED), application)
    if application.confirmed:
        raise ValidationError(_("Адрес уже подтверждён."))
    if application.links_sent >= MAX_LINKS:
        raise ValidationError(
            _("Ссылка отправлена уже %(count)d раз; напишите в дирекцию.")
            % {"count": application.links_sent}
        )
    with transaction.atomic():
        application.links_sent += 1
        application.confirm_nonce = application.confirm_nonce or secrets.token_hex(16)
        application.save(update_fields=["links_sent", "confirm_nonce"])
        record(
            actor,
            "contest.application.link",
            application.contest.title,
            str(application),
            {"contest": application.contest_id, "application": application.pk},
        )
        pk = application.pk
        transaction.on_commit(lambda: letters.send_confirmation_link(pk))


def confirm_email(token: str) -> Application:
    """The guest's address confirmed by the one-time link (the link holds the right: anyone
    with it may): the link is spent, and a submitted application now counts — its receipt
    goes out. A link older than confirmation.CONFIRM_MAX_AGE is refused (ask for a new one)."""
    application = confirmation.application_of(token)
    with transaction.atomic():
        application.email_confirmed = phases.now()
        application.confirm_nonce = ""
        application.save(update_fields=["email_confirmed", "confirm_nonce"])
        record(
            None,
            "contest.application.confirm",
            application.contest.title,
            str(application),
            {"contest": application.contest_id, "application": application.pk},
        )
        if application.status == Application.Status.SUBMITTED:
            pk = application.pk
            transaction.on_commit(lambda: letters.send_receipt(pk))
    return application


def withdraw(actor: Actor, application: Application, reason: str = "") -> Application:
    """The applicant takes the entry back, until judging begins; it is kept, marked withdrawn."""
    require(actor, "contests.change_application", str(CHANGE_REFUSED), application)
    if application.status == Application.Status.WITHDRAWN:
        raise ValidationError(_("Заявка уже отозвана."))
    if application.contest.phase not in (phases.ANNOUNCED, phases.OPEN, phases.CLOSED):
        raise ValidationError(_("Жюри уже оценивает заявки: отозвать заявку нельзя."))
    if len(reason) > 2000:
        raise ValidationError(_("Причина — не длиннее 2000 знаков."))
    was_counted = application.counts
    with transaction.atomic():
        application.status = Application.Status.WITHDRAWN
        application.withdrawn = phases.now()
        application.confirm_nonce = ""
        application.save(update_fields=["status", "withdrawn", "confirm_nonce", "updated"])
        record(
            actor,
            "contest.application.withdraw",
            application.contest.title,
            reason.strip() or str(application),
            {"contest": application.contest_id, "application": application.pk},
        )
        if was_counted:
            pk = application.pk
            transaction.on_commit(lambda: letters.send_withdrawn(pk))
    return application


def _user(actor: Actor):
    return actor if actor is not None and actor.is_authenticated else None


def _delete_files(names) -> None:
    for name in names:
        if name:
            default_storage.delete(name)


# -- the jury ------------------------------------------------------------------------------------

MAX_JURORS = 100
MAX_CATEGORIES = 20
MAX_PER_ENTRY = 15
MAX_INVITATION_LETTERS = 5
SCALE_LIMIT = 1000
MAX_WEIGHT = Decimal(100)
COMMENT_LIMIT = 5_000
JUDGE_REFUSED = gettext_lazy("Эта заявка не назначена вам для оценки.")


@dataclass(frozen=True)
class JurorData:
    """A juror as staff invite them: the address the link goes to, the name, and what
    conflicts of interest are checked against."""

    email: str
    name: str
    organisation_name: str = ""
    city: str = ""
    organisation: int | None = None  # from the directory


def _check_juror(data: JurorData) -> str:
    address = data.email.strip().lower()
    try:
        validate_email(address)
    except ValidationError as error:
        raise ValidationError(_("Укажите адрес электронной почты."), code="email") from error
    name = " ".join(data.name.split())
    if not name or len(name) > 300:
        raise ValidationError(_("Имя члена жюри — от 1 до 300 знаков."), code="name")
    if len(data.organisation_name) > 500 or len(data.city) > 200:
        raise ValidationError(_("Название организации или населённого пункта слишком длинное."))
    return address


def invite_juror(actor: Actor, contest: Contest, data: JurorData) -> Juror:
    """A seat on the jury offered by a letter with a one-time link (sent again when the
    address was invited and has not accepted; a removed juror is invited anew)."""
    may_manage(actor)
    address = _check_juror(data)
    juror = contest.jurors.filter(email=address).first()
    if juror is not None and juror.active:
        raise ValidationError(_("%(email)s уже в жюри конкурса.") % {"email": address})
    if juror is None and contest.jurors.count() >= MAX_JURORS:
        raise ValidationError(
            _("В жюри может быть не больше %(limit)d человек.") % {"limit": MAX_JURORS}
        )
    if juror is not None and juror.removed is None and juror.letters_sent >= MAX_INVITATION_LETTERS:
        raise ValidationError(
            _("Приглашение отправлено уже %(count)d раз.") % {"count": juror.letters_sent}
        )
    with transaction.atomic():
        juror = juror or Juror(contest=contest, email=address)
        if juror.removed is not None:
            juror.removed, juror.accepted, juror.user, juror.letters_sent = None, None, None, 0
        juror.name = " ".join(data.name.split())
        juror.organisation_id = data.organisation
        juror.organisation_name = " ".join(data.organisation_name.split())
        juror.city = " ".join(data.city.split())
        juror.invited_by = _user(actor)
        juror.invite_nonce = secrets.token_hex(16)
        juror.letters_sent += 1
        juror.save()
        record(
            actor,
            "contest.juror.invite",
            contest.title,
            juror.name,
            {"contest": contest.pk, "juror": juror.pk},
        )
        pk = juror.pk
        transaction.on_commit(lambda: letters.send_jury_invitation(pk))
    return juror


def accept_jury_invitation(actor: Actor, token: str) -> Juror:
    """The signed-in user takes the seat the link offers (the link holds the right)."""
    if actor is None or not actor.is_authenticated or not actor.is_active:
        raise PermissionDenied(_("Войдите на сайт, чтобы принять приглашение."))
    juror = confirmation.juror_of(token)
    if juror.contest.jurors.filter(user=actor).exclude(pk=juror.pk).exists():
        raise ValidationError(_("Вы уже в жюри этого конкурса."))
    with transaction.atomic():
        juror.user = actor
        juror.accepted = phases.now()
        juror.invite_nonce = ""
        juror.save(update_fields=["user", "accepted", "invite_nonce"])
        record(
            actor,
            "contest.juror.accept",
            juror.contest.title,
            juror.name,
            {"contest": juror.contest_id, "juror": juror.pk},
        )
    return juror


def join_jury(token: str, *, first_name: str, last_name: str, password: str):
    """An invited juror without an account: the link proves the address, so an account is
    made for it (user name = the address; the password must pass AUTH_PASSWORD_VALIDATORS) and
    takes the seat."""
    from django.contrib.auth import get_user_model, password_validation

    User = get_user_model()
    juror = confirmation.juror_of(token)
    if User.objects.filter(username__iexact=juror.email).exists() or (
        User.objects.filter(email__iexact=juror.email).exists()
    ):
        raise ValidationError(
            _("У адреса %(email)s уже есть учётная запись: войдите и откройте ссылку снова.")
            % {"email": juror.email}
        )
    user = User(
        username=juror.email,
        email=juror.email,
        first_name=" ".join(first_name.split())[:150],
        last_name=" ".join(last_name.split())[:150],
    )
    password_validation.validate_password(password, user)
    with transaction.atomic():
        user.set_password(password)
        user.save()
        accept_jury_invitation(user, token)
    return user


def remove_juror(actor: Actor, juror: Juror) -> int:
    """The juror leaves the jury: the entries they have not scored at all are taken back (a
    new run of the assignment gives them to others); their scores stay. The number taken."""
    may_manage(actor)
    if juror.removed is not None:
        raise ValidationError(_("Член жюри уже выведен из состава."))
    with transaction.atomic():
        juror.removed = phases.now()
        juror.invite_nonce = ""
        juror.save(update_fields=["removed", "invite_nonce"])
        taken = juror.assignments.filter(scores__isnull=True, conflict__isnull=True).delete()
        count = taken[1].get(Assignment._meta.label, 0)
        record(
            actor,
            "contest.juror.remove",
            juror.contest.title,
            juror.name,
            {"contest": juror.contest_id, "juror": juror.pk, "taken_back": count},
        )
    return count


@dataclass(frozen=True)
class CategoryData:
    title: str
    weight: Decimal = Decimal(1)
    min_score: int = 0
    max_score: int = 10
    description: str = ""


def _scores_given(contest: Contest) -> bool:
    return Score.objects.filter(assignment__contest=contest).exists()


def add_category(actor: Actor, contest: Contest, data: CategoryData) -> ScoreCategory:
    """A score category with its weight and scale; only until the first score is given (a
    score answers the scale it was given on)."""
    may_manage(actor)
    title = " ".join(data.title.split())
    if not title or len(title) > 300:
        raise ValidationError(_("Название критерия — от 1 до 300 знаков."), code="title")
    if len(data.description) > SUMMARY_LIMIT:
        raise ValidationError(
            _("Описание критерия — не длиннее %(limit)d знаков.") % {"limit": SUMMARY_LIMIT}
        )
    if not Decimal(0) < data.weight <= MAX_WEIGHT:
        raise ValidationError(_("Вес критерия — больше 0 и не больше 100."), code="weight")
    if not -SCALE_LIMIT <= data.min_score < data.max_score <= SCALE_LIMIT:
        raise ValidationError(
            _("Наименьшая оценка меньше наибольшей; обе — от −1000 до 1000."), code="min_score"
        )
    if _scores_given(contest):
        raise ValidationError(_("Жюри уже ставит оценки: критерии больше нельзя менять."))
    count = contest.categories.count()
    if count >= MAX_CATEGORIES:
        raise ValidationError(
            _("Критериев может быть не больше %(limit)d.") % {"limit": MAX_CATEGORIES}
        )
    with transaction.atomic():
        category = ScoreCategory.objects.create(
            contest=contest,
            title=title,
            description=data.description.strip(),
            weight=data.weight,
            min_score=data.min_score,
            max_score=data.max_score,
            position=count + 1,
        )
        record(
            actor,
            "contest.category.add",
            contest.title,
            f"{title}: {data.min_score}–{data.max_score}, ×{data.weight}",
            {"contest": contest.pk, "category": category.pk},
        )
    return category


def remove_category(actor: Actor, category: ScoreCategory) -> None:
    may_manage(actor)
    if _scores_given(category.contest):
        raise ValidationError(_("Жюри уже ставит оценки: критерии больше нельзя менять."))
    with transaction.atomic():
        record(
            actor,
            "contest.category.remove",
            category.contest.title,
            category.title,
            {"contest": category.contest_id, "category": category.pk},
        )
        category.delete()


def change_jury_settings(
    actor: Actor, contest: Contest, jurors_per_entry: int, review_phase: str
) -> Contest:
    """How many jurors score each entry, and the review phase: scoring (each juror sees only
    their own scores), discussion (the jury sees each other's), closed (no score changes)."""
    may_manage(actor)
    if not 1 <= jurors_per_entry <= MAX_PER_ENTRY:
        raise ValidationError(
            _("Членов жюри на заявку — от 1 до %(limit)d.") % {"limit": MAX_PER_ENTRY}
        )
    if review_phase not in Contest.ReviewPhase.values:
        raise ValidationError(_("Неизвестный этап работы жюри."))
    with transaction.atomic():
        contest.jurors_per_entry = jurors_per_entry
        contest.review_phase = review_phase
        contest.save(update_fields=["jurors_per_entry", "review_phase"])
        record(
            actor,
            "contest.jury.settings",
            contest.title,
            str(Contest.ReviewPhase(review_phase).label),
            {"contest": contest.pk, "per_entry": jurors_per_entry, "phase": review_phase},
        )
    return contest


@dataclass(frozen=True)
class AssignmentRun:
    created: int
    removed: int
    short: int  # entries with fewer jurors than the contest asks (too few allowed jurors)


def run_assignment(actor: Actor, contest: Contest) -> AssignmentRun:
    """Each counting entry to `jurors_per_entry` jurors (contests.assignment): once the call
    has closed and until the jury's work is closed. A re-run keeps every assignment made and
    allowed and tops up; it takes back the unscored ones of entries that no longer count and
    of jurors in conflict with their entry by what is known of them now."""
    may_manage(actor)
    if contest.phase not in (phases.CLOSED, phases.JUDGING):
        raise ValidationError(
            _("Заявки распределяются между членами жюри после окончания приёма заявок.")
        )
    if contest.review_phase == Contest.ReviewPhase.CLOSED:
        raise ValidationError(_("Работа жюри завершена."))
    with transaction.atomic():
        Contest.objects.select_for_update().filter(pk=contest.pk).first()
        run = _assign(contest)
        record(
            actor,
            "contest.jury.assign",
            contest.title,
            _("назначено %(created)d, снято %(removed)d")
            % {"created": run.created, "removed": run.removed},
            {"contest": contest.pk, **vars(run)},
        )
    return run


def _assign(contest: Contest, only: int | None = None) -> AssignmentRun:
    """The assignment written: the algorithm's new pairs created (`only`: of that entry
    alone), the unscored pairs it no longer keeps removed."""
    entries = queries.entry_parties(contest)
    jurors = queries.juror_parties(contest)
    existing = list(contest.assignments.values_list("pk", "application_id", "juror_id", "conflict"))
    declined = {(entry, juror) for _pk, entry, juror, conflict in existing if conflict}
    live = {(entry, juror): pk for pk, entry, juror, conflict in existing if not conflict}
    result = assignment.assign(
        entries, jurors, contest.jurors_per_entry, kept=set(live), declined=declined
    )
    chosen = {(entry, juror) for entry, jurors_of in result.items() for juror in jurors_of}
    new = [pair for pair in chosen - set(live) if only is None or pair[0] == only]
    Assignment.objects.bulk_create(
        Assignment(contest=contest, application_id=entry, juror_id=juror)
        for entry, juror in sorted(new)
    )
    dropped = [pk for pair, pk in live.items() if pair not in chosen]
    removed = 0
    if dropped and only is None:
        removed = (
            Assignment.objects.filter(pk__in=dropped, scores__isnull=True)
            .distinct()
            .delete()[1]
            .get(Assignment._meta.label, 0)
        )
    short = sum(1 for jurors_of in result.values() if len(jurors_of) < contest.jurors_per_entry)
    return AssignmentRun(created=len(new), removed=removed, short=short)


def _may_score(contest: Contest) -> None:
    if contest.phase != phases.JUDGING:
        raise ValidationError(
            _("Оценки ставятся, пока работает жюри: с %(start)s до %(end)s.")
            % {"start": _when(contest.judging_starts), "end": _when(contest.results_published)},
            code="phase",
        )
    if contest.review_phase == Contest.ReviewPhase.CLOSED:
        raise ValidationError(_("Работа жюри завершена: оценки больше не меняются."))


def declare_conflict(actor: Actor, given: Assignment, reason: str) -> Assignment:
    """The juror says they cannot judge the entry fairly: their scores of it go, the entry is
    given to another allowed juror (the least loaded), and no run gives it back to them."""
    require(actor, "contests.review_entry", str(JUDGE_REFUSED), given)
    reason = " ".join(reason.split())
    if not reason or len(reason) > 1000:
        raise ValidationError(_("Коротко укажите причину конфликта интересов."), code="reason")
    contest = given.contest
    if contest.review_phase == Contest.ReviewPhase.CLOSED:
        raise ValidationError(_("Работа жюри завершена."))
    with transaction.atomic():
        Contest.objects.select_for_update().filter(pk=contest.pk).first()
        given.scores.all().delete()
        given.conflict = phases.now()
        given.conflict_reason = reason
        given.scored = None
        given.save(update_fields=["conflict", "conflict_reason", "scored"])
        run = _assign(contest, only=given.application_id)
        record(
            actor,
            "contest.review.conflict",
            contest.title,
            reason,
            {
                "contest": contest.pk,
                "application": given.application_id,
                "assignment": given.pk,
                "reassigned": run.created,
            },
        )
    return given


def save_scores(
    actor: Actor, given: Assignment, values: Mapping[int, int | None], comment: str = ""
) -> Assignment:
    """The juror's scores of an assigned entry by category (each within its scale; some may
    wait), and the comment to the organisers; the entry is scored once every category is."""
    require(actor, "contests.review_entry", str(JUDGE_REFUSED), given)
    contest = given.contest
    _may_score(contest)
    if len(comment) > COMMENT_LIMIT:
        raise ValidationError(
            _("Комментарий — не длиннее %(limit)d знаков.") % {"limit": COMMENT_LIMIT}
        )
    categories = list(contest.categories.all())
    if not categories:
        raise ValidationError(_("Критерии оценки ещё не заданы."))
    given_values = {}
    for category in categories:
        value = values.get(category.pk)
        if value is None:
            continue
        if not category.min_score <= value <= category.max_score:
            raise ValidationError(
                _("«%(title)s»: оценка от %(low)d до %(high)d.")
                % {"title": category.title, "low": category.min_score, "high": category.max_score}
            )
        given_values[category.pk] = value
    with transaction.atomic():
        given.scores.exclude(category_id__in=given_values).delete()
        for category_id, value in given_values.items():
            Score.objects.update_or_create(
                assignment=given, category_id=category_id, defaults={"value": value}
            )
        complete = len(given_values) == len(categories)
        given.scored = (given.scored or phases.now()) if complete else None
        given.comment = comment.strip()
        given.updated = phases.now()
        given.save(update_fields=["scored", "comment", "updated"])
        record(
            actor,
            "contest.review.score",
            contest.title,
            _("заявка № %(number)d: %(count)d из %(total)d критериев")
            % {
                "number": given.application_id,
                "count": len(given_values),
                "total": len(categories),
            },
            {"contest": contest.pk, "application": given.application_id, "assignment": given.pk},
        )
    return given
