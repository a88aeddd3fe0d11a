"""Contests: a plan activity's call for applications, its nominations, its application form
built from typed fields, and the applications with their files; the jury: jurors (invited by
e-mail, each a user with a seat on one contest's jury), score categories with weights and
scales, assignments of entries to jurors and the scores given.

The results, the diplomas and the best-practice library come in later slices; they hang on
Contest, Application and Score as they are."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from civicplan.common.urls import slug_of
from civicplan.contests import phases
from civicplan.directory.models import Organisation
from civicplan.plans.models import Activity


class FileType(models.TextChoices):
    """What an uploaded file is by its content (civicplan.common.files.file_type)."""

    PDF = "pdf", "PDF"
    DOCX = "docx", "DOCX"
    XLSX = "xlsx", "XLSX"
    PPTX = "pptx", "PPTX"
    JPEG = "jpeg", "JPEG"
    PNG = "png", "PNG"


IMAGE_TYPES = (FileType.JPEG, FileType.PNG)


def extension(file_type: str) -> str:
    return "jpg" if file_type == FileType.JPEG else file_type


class Contest(models.Model):
    """A contest run under a plan row: who may apply, when (four dates: the phases follow from
    them and the server's clock), its rules and documents. A draft is seen by staff only."""

    activity = models.ForeignKey(
        Activity, verbose_name=_("строка плана"), on_delete=models.PROTECT, related_name="contests"
    )
    title = models.CharField(_("название"), max_length=300)
    slug = models.SlugField(_("адрес"), max_length=80, allow_unicode=True, editable=False)
    summary = models.TextField(_("кратко"), blank=True)
    rules = models.TextField(_("положение о конкурсе"), blank=True)  # sanitised HTML
    for_municipalities = models.BooleanField(
        _("члены Ассоциации (через координатора)"), default=False
    )
    for_organisations = models.BooleanField(_("организации"), default=False)
    for_individuals = models.BooleanField(
        _("частные лица (студенты, родители за ребёнка)"), default=False
    )
    anonymous_review = models.BooleanField(_("анонимная оценка"), default=False)
    jurors_per_entry = models.PositiveSmallIntegerField(_("членов жюри на заявку"), default=3)

    class ReviewPhase(models.TextChoices):
        """What a juror sees and may do while the contest is judged."""

        SCORING = "scoring", _("оценка: члены жюри не видят оценок друг друга")
        DISCUSSION = "discussion", _("обсуждение: члены жюри видят оценки друг друга")
        CLOSED = "closed", _("оценка завершена: оценки не меняются")

    review_phase = models.CharField(
        _("этап работы жюри"),
        max_length=10,
        choices=ReviewPhase.choices,
        default=ReviewPhase.SCORING,
    )
    call_opens = models.DateTimeField(_("приём заявок открывается"))
    call_closes = models.DateTimeField(_("приём заявок закрывается"))
    judging_starts = models.DateTimeField(_("работа жюри начинается"))
    results_published = models.DateTimeField(_("итоги публикуются"))
    published = models.BooleanField(_("опубликован"), default=False)
    created = models.DateTimeField(_("создан"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("создал"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("конкурс")
        verbose_name_plural = _("конкурсы")
        ordering = ("-call_opens", "id")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(call_opens__lt=models.F("call_closes"))
                & models.Q(call_closes__lte=models.F("judging_starts"))
                & models.Q(judging_starts__lte=models.F("results_published")),
                name="contest_dates_in_order",
            )
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("contests:contest", args=[self.pk, self.slug or slug_of(self.title)])

    @property
    def dates(self) -> phases.Dates:
        return phases.Dates(
            self.call_opens, self.call_closes, self.judging_starts, self.results_published
        )

    @property
    def phase(self) -> str:
        return phases.phase_at(self.dates, phases.now())

    @property
    def phase_label(self) -> str:
        return str(phases.LABELS[self.phase])

    @property
    def is_open(self) -> bool:
        return self.phase == phases.OPEN

    @property
    def audiences(self) -> list[str]:
        return [
            str(label)
            for admitted, label in (
                (self.for_municipalities, Application.Kind.MUNICIPALITY.label),
                (self.for_organisations, Application.Kind.ORGANISATION.label),
                (self.for_individuals, Application.Kind.INDIVIDUAL.label),
            )
            if admitted
        ]

    def admits(self, kind: str) -> bool:
        return {
            Application.Kind.MUNICIPALITY: self.for_municipalities,
            Application.Kind.ORGANISATION: self.for_organisations,
            Application.Kind.INDIVIDUAL: self.for_individuals,
        }.get(kind, False)


class Nomination(models.Model):
    contest = models.ForeignKey(
        Contest, verbose_name=_("конкурс"), on_delete=models.CASCADE, related_name="nominations"
    )
    title = models.CharField(_("номинация"), max_length=300)
    description = models.TextField(_("описание"), blank=True)
    position = models.PositiveSmallIntegerField(_("порядок"), default=0)

    class Meta:
        verbose_name = _("номинация")
        verbose_name_plural = _("номинации")
        ordering = ("contest", "position", "id")

    def __str__(self) -> str:
        return self.title


def document_path(document: ContestDocument, filename: str) -> str:
    # The stored name is ours; the uploader's name is kept in `name` and never touches the disk.
    return f"contests/{document.contest_id}/documents/{document.sha256[:16]}.{document.type}"


class ContestDocument(models.Model):
    """A document of the contest (its regulations signed, an application template), typed by
    its content."""

    contest = models.ForeignKey(
        Contest, verbose_name=_("конкурс"), on_delete=models.CASCADE, related_name="documents"
    )
    title = models.CharField(_("название"), max_length=300)
    name = models.CharField(_("имя файла"), max_length=255)
    type = models.CharField(_("тип (по содержимому)"), max_length=4, choices=FileType.choices)
    size = models.PositiveIntegerField(_("размер, байт"))
    sha256 = models.CharField(max_length=64, editable=False)
    file = models.FileField(_("файл"), upload_to=document_path)
    position = models.PositiveSmallIntegerField(_("порядок"), default=0)

    class Meta:
        verbose_name = _("документ конкурса")
        verbose_name_plural = _("документы конкурса")
        ordering = ("contest", "position", "id")

    def __str__(self) -> str:
        return self.title


class ApplicationField(models.Model):
    """One question of the contest's application form, typed; its bounds are its own (a text's
    length, a number's range, a file's kinds and size)."""

    class Kind(models.TextChoices):
        TEXT = "text", _("строка")
        LONG_TEXT = "long_text", _("текст")
        NUMBER = "number", _("число")
        CHOICE = "choice", _("выбор из списка")
        FILE = "file", _("файл")
        LINK = "link", _("ссылка")
        CONSENT = "consent", _("согласие (флажок)")

    contest = models.ForeignKey(
        Contest, verbose_name=_("конкурс"), on_delete=models.CASCADE, related_name="fields"
    )
    kind = models.CharField(_("тип"), max_length=10, choices=Kind.choices)
    label = models.CharField(_("вопрос"), max_length=300)
    help_text = models.CharField(_("пояснение"), max_length=1000, blank=True)
    required = models.BooleanField(_("обязательное"), default=False)
    choices = models.JSONField(_("варианты"), default=list, blank=True)
    file_types = models.JSONField(_("типы файлов"), default=list, blank=True)
    max_bytes = models.PositiveIntegerField(_("наибольший размер файла, байт"), default=0)
    max_length = models.PositiveIntegerField(_("наибольшая длина"), default=0)
    min_value = models.DecimalField(
        _("не меньше"), max_digits=15, decimal_places=2, null=True, blank=True
    )
    max_value = models.DecimalField(
        _("не больше"), max_digits=15, decimal_places=2, null=True, blank=True
    )
    position = models.PositiveSmallIntegerField(_("порядок"), default=0)

    class Meta:
        verbose_name = _("поле заявки")
        verbose_name_plural = _("поля заявки")
        ordering = ("contest", "position", "id")

    def __str__(self) -> str:
        return self.label

    @property
    def key(self) -> str:
        """The field's name in the application's form and in `Application.answers`."""
        return f"f{self.pk}"


class Application(models.Model):
    """An entry: by a member municipality (its coordinator), an organisation or a person —
    a signed-in user, or a guest whose e-mail address is confirmed by a one-time link before
    the entry counts. An entry by or about a minor carries the parent's consent; the child's
    surname is never shown in public (`public_name`)."""

    class Kind(models.TextChoices):
        MUNICIPALITY = "municipality", _("член Ассоциации")
        ORGANISATION = "organisation", _("организация")
        INDIVIDUAL = "individual", _("частное лицо")

    class Status(models.TextChoices):
        DRAFT = "draft", _("черновик")
        SUBMITTED = "submitted", _("подана")
        WITHDRAWN = "withdrawn", _("отозвана")

    contest = models.ForeignKey(
        Contest, verbose_name=_("конкурс"), on_delete=models.CASCADE, related_name="applications"
    )
    nomination = models.ForeignKey(
        Nomination,
        verbose_name=_("номинация"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="applications",
    )
    kind = models.CharField(_("заявитель"), max_length=12, choices=Kind.choices)
    status = models.CharField(
        _("состояние"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("пользователь"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="contest_applications",
    )
    email = models.EmailField(_("адрес электронной почты"))
    email_confirmed = models.DateTimeField(_("адрес подтверждён"), null=True, blank=True)
    # The one-time link's secret: cleared when the link is used, so it works once.
    confirm_nonce = models.CharField(max_length=32, blank=True, editable=False)
    links_sent = models.PositiveSmallIntegerField(_("писем со ссылкой"), default=0)
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("организация из справочника"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="contest_applications",
    )
    organisation_name = models.CharField(_("организация"), max_length=500, blank=True)
    city = models.CharField(_("населённый пункт"), max_length=200, blank=True)
    first_name = models.CharField(_("имя"), max_length=150)
    last_name = models.CharField(_("фамилия"), max_length=150)
    minor = models.BooleanField(_("участник — несовершеннолетний"), default=False)
    age = models.PositiveSmallIntegerField(_("возраст участника"), null=True, blank=True)
    guardian_name = models.CharField(
        _("родитель (законный представитель)"), max_length=300, blank=True
    )
    guardian_consent = models.DateTimeField(_("согласие родителя дано"), null=True, blank=True)
    answers = models.JSONField(_("ответы"), default=dict, blank=True)  # {"f<field id>": value}
    created = models.DateTimeField(_("создана"), auto_now_add=True)
    updated = models.DateTimeField(_("изменена"), auto_now=True)
    submitted = models.DateTimeField(_("подана"), null=True, blank=True)
    withdrawn = models.DateTimeField(_("отозвана"), null=True, blank=True)

    class Meta:
        verbose_name = _("заявка")
        verbose_name_plural = _("заявки")
        ordering = ("contest", "id")
        indexes = [models.Index(fields=("contest", "status"))]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(minor=False) | models.Q(guardian_consent__isnull=False),
                name="application_minor_has_consent",
            )
        ]

    def __str__(self) -> str:
        return f"№ {self.pk}: {self.public_name}"

    @property
    def confirmed(self) -> bool:
        """The applicant is known: a user, or a guest who confirmed the address."""
        return self.user_id is not None or self.email_confirmed is not None

    @property
    def counts(self) -> bool:
        """Submitted, not withdrawn, by a known applicant: an entry of the contest."""
        return self.status == self.Status.SUBMITTED and self.confirmed

    @property
    def public_name(self) -> str:
        return public_name(self)


def public_name(application: Application) -> str:
    """The name pages and lists anyone may see show: an organisation's name, a person's first
    name and surname — but a minor's first name and age only, never the surname."""
    if application.kind == Application.Kind.MUNICIPALITY and application.organisation_id:
        return application.organisation.name
    if application.kind == Application.Kind.ORGANISATION and application.organisation_name:
        return application.organisation_name
    if application.minor:
        if application.age is not None:
            return _("%(name)s, возраст %(age)d") % {
                "name": application.first_name,
                "age": application.age,
            }
        return application.first_name
    return f"{application.first_name} {application.last_name}".strip()


def upload_path(upload: ApplicationFile, filename: str) -> str:
    folder = f"contests/{upload.contest_id}/{upload.application_id}"
    return f"{folder}/{upload.sha256[:16]}.{extension(upload.type)}"


def thumbnail_path(upload: ApplicationFile, filename: str) -> str:
    return f"contests/{upload.contest_id}/{upload.application_id}/{upload.sha256[:16]}.thumb.jpeg"


class ApplicationFile(models.Model):
    """The file an application gives for a file field, typed by its content; a picture gets a
    thumbnail (Pillow), so pages never load the whole picture."""

    application = models.ForeignKey(
        Application, verbose_name=_("заявка"), on_delete=models.CASCADE, related_name="files"
    )
    field = models.ForeignKey(
        ApplicationField, verbose_name=_("поле"), on_delete=models.CASCADE, related_name="+"
    )
    name = models.CharField(_("имя файла"), max_length=255)
    type = models.CharField(_("тип (по содержимому)"), max_length=4, choices=FileType.choices)
    size = models.PositiveIntegerField(_("размер, байт"))
    sha256 = models.CharField(max_length=64, editable=False)
    file = models.FileField(_("файл"), upload_to=upload_path, max_length=200)
    thumbnail = models.FileField(
        _("миниатюра"), upload_to=thumbnail_path, blank=True, max_length=200
    )
    width = models.PositiveIntegerField(_("ширина"), null=True, blank=True)
    height = models.PositiveIntegerField(_("высота"), null=True, blank=True)
    uploaded = models.DateTimeField(_("загружен"), auto_now_add=True)

    class Meta:
        verbose_name = _("файл заявки")
        verbose_name_plural = _("файлы заявок")
        ordering = ("application", "field__position", "id")
        constraints = [
            models.UniqueConstraint(fields=("application", "field"), name="one_file_per_field")
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def contest_id(self) -> int:
        return self.application.contest_id

    @property
    def is_image(self) -> bool:
        return self.type in IMAGE_TYPES


class Juror(models.Model):
    """A seat on a contest's jury: invited by staff to an address with a one-time signed link,
    taken by the user who accepts it. The organisation and city are what conflicts of interest
    are checked against (with the user's coordinator's organisation, if any)."""

    contest = models.ForeignKey(
        Contest, verbose_name=_("конкурс"), on_delete=models.CASCADE, related_name="jurors"
    )
    email = models.EmailField(_("адрес электронной почты"))
    name = models.CharField(_("имя"), max_length=300)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("пользователь"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="jury_seats",
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("организация из справочника"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    organisation_name = models.CharField(_("организация"), max_length=500, blank=True)
    city = models.CharField(_("населённый пункт"), max_length=200, blank=True)
    invited = models.DateTimeField(_("приглашён"), auto_now_add=True)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("пригласил"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    accepted = models.DateTimeField(_("приглашение принято"), null=True, blank=True)
    removed = models.DateTimeField(_("выведен из жюри"), null=True, blank=True)
    # The one-time link's secret: cleared when the link is used.
    invite_nonce = models.CharField(max_length=32, blank=True, editable=False)
    letters_sent = models.PositiveSmallIntegerField(_("писем с приглашением"), default=0)

    class Meta:
        verbose_name = _("член жюри")
        verbose_name_plural = _("члены жюри")
        ordering = ("contest", "name", "id")
        constraints = [
            models.UniqueConstraint(fields=("contest", "email"), name="one_seat_per_address"),
            models.UniqueConstraint(
                fields=("contest", "user"),
                condition=models.Q(user__isnull=False),
                name="one_seat_per_user",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def active(self) -> bool:
        return self.user_id is not None and self.accepted is not None and self.removed is None

    @property
    def state(self) -> str:
        if self.removed is not None:
            return "removed"
        return "active" if self.active else "invited"


class ScoreCategory(models.Model):
    """What the jury scores an entry on: a scale (its lowest and highest score) and the weight
    the category has in the entry's result."""

    contest = models.ForeignKey(
        Contest, verbose_name=_("конкурс"), on_delete=models.CASCADE, related_name="categories"
    )
    title = models.CharField(_("критерий"), max_length=300)
    description = models.TextField(_("описание"), blank=True)
    weight = models.DecimalField(_("вес"), max_digits=5, decimal_places=2, default=1)
    min_score = models.SmallIntegerField(_("наименьшая оценка"), default=0)
    max_score = models.SmallIntegerField(_("наибольшая оценка"), default=10)
    position = models.PositiveSmallIntegerField(_("порядок"), default=0)

    class Meta:
        verbose_name = _("критерий оценки")
        verbose_name_plural = _("критерии оценки")
        ordering = ("contest", "position", "id")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(min_score__lt=models.F("max_score")) & models.Q(weight__gt=0),
                name="category_scale_and_weight",
            )
        ]

    def __str__(self) -> str:
        return self.title


class Assignment(models.Model):
    """An entry given to a juror to score. A juror in conflict with the entry declares it: the
    assignment stays, marked, so that no run gives the entry to them again, and the entry goes
    to another juror. The comment is to the organisers, never shown to the applicant."""

    contest = models.ForeignKey(
        Contest, verbose_name=_("конкурс"), on_delete=models.CASCADE, related_name="assignments"
    )
    application = models.ForeignKey(
        Application, verbose_name=_("заявка"), on_delete=models.CASCADE, related_name="assignments"
    )
    juror = models.ForeignKey(
        Juror, verbose_name=_("член жюри"), on_delete=models.CASCADE, related_name="assignments"
    )
    created = models.DateTimeField(_("назначена"), auto_now_add=True)
    conflict = models.DateTimeField(_("заявлен конфликт интересов"), null=True, blank=True)
    conflict_reason = models.CharField(_("причина конфликта"), max_length=1000, blank=True)
    comment = models.TextField(_("комментарий для организаторов"), blank=True)
    scored = models.DateTimeField(_("оценена"), null=True, blank=True)  # every category scored
    updated = models.DateTimeField(_("изменена"), null=True, blank=True)

    class Meta:
        verbose_name = _("назначение")
        verbose_name_plural = _("назначения")
        ordering = ("contest", "application", "juror")
        constraints = [
            models.UniqueConstraint(fields=("application", "juror"), name="one_assignment")
        ]
        indexes = [models.Index(fields=("contest", "juror"))]

    def __str__(self) -> str:
        return f"{self.application_id} → {self.juror_id}"


class Score(models.Model):
    """One juror's score of one entry in one category, within the category's scale."""

    assignment = models.ForeignKey(
        Assignment, verbose_name=_("назначение"), on_delete=models.CASCADE, related_name="scores"
    )
    category = models.ForeignKey(
        ScoreCategory, verbose_name=_("критерий"), on_delete=models.CASCADE, related_name="scores"
    )
    value = models.SmallIntegerField(_("оценка"))

    class Meta:
        verbose_name = _("оценка")
        verbose_name_plural = _("оценки")
        ordering = ("assignment", "category__position", "category_id")
        constraints = [models.UniqueConstraint(fields=("assignment", "category"), name="one_score")]

    def __str__(self) -> str:
        return str(self.value)
