"""A plan, its sections and activities, and who is responsible for each activity."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from civicplan.common.urls import slug_of
from civicplan.directory.models import Organisation, Place
from civicplan.timeframes import Timeframe


class Plan(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("черновик")
        APPROVED = "approved", _("утверждён")
        ARCHIVED = "archived", _("в архиве")

    owner = models.ForeignKey(
        Organisation, verbose_name=_("организация"), on_delete=models.PROTECT, related_name="plans"
    )
    year = models.PositiveSmallIntegerField(_("год"))
    title = models.TextField(_("заголовок"))
    status = models.CharField(
        _("статус"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    notes = models.JSONField(
        _("примечания"),
        default=list,
        blank=True,
        help_text=_("Абзацы между строками плана и после них, с местом в плане."),
    )
    source_file = models.FileField(_("исходный файл"), upload_to="plans/", blank=True)
    imported_at = models.DateTimeField(_("импортирован"), auto_now_add=True)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("импортировал"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
    )

    class Meta:
        verbose_name = _("план")
        verbose_name_plural = _("планы")
        ordering = ("-year",)
        constraints = [
            models.UniqueConstraint(fields=("owner", "year"), name="one_plan_per_owner_and_year")
        ]

    def __str__(self) -> str:
        return f"{self.year}: {self.title[:80]}"


class Section(models.Model):
    plan = models.ForeignKey(
        Plan, verbose_name=_("план"), on_delete=models.CASCADE, related_name="sections"
    )
    position = models.PositiveIntegerField(_("порядок"))
    heading = models.TextField(_("раздел"), blank=True)
    subheading = models.CharField(_("подраздел"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("раздел")
        verbose_name_plural = _("разделы")
        ordering = ("plan", "position")

    def __str__(self) -> str:
        return " / ".join(part for part in (self.heading, self.subheading) if part)


class Activity(models.Model):
    class Precision(models.TextChoices):
        DAY = "day", _("день")
        DAYS = "days", _("дни")
        MONTH = "month", _("месяц")
        MONTHS = "months", _("месяцы")
        DECADE = "decade", _("декада")
        QUARTER = "quarter", _("квартал")
        HALF = "half", _("полугодие")
        SEASON = "season", _("сезон")
        YEAR = "year", _("год")
        YEARS = "years", _("годы")
        UNKNOWN = "unknown", _("не определено")

    class Recurrence(models.TextChoices):
        WEEKLY = "weekly", _("еженедельно")
        MONTHLY = "monthly", _("ежемесячно")
        QUARTERLY = "quarterly", _("ежеквартально")
        YEARLY = "yearly", _("ежегодно")

    class Kind(models.TextChoices):
        CONFERENCE = "conference", _("конференция")
        FORUM = "forum", _("форум")
        CONGRESS = "congress", _("конгресс")
        CONTEST = "contest", _("конкурс")
        PROJECT = "project", _("проект")
        CAMPAIGN = "campaign", _("акция")
        TELETHON = "telethon", _("телемарафон")
        MEETING = "meeting", _("совещание")
        EDUCATION = "education", _("обучение")
        PUBLICATION = "publication", _("издание")
        CEREMONY = "ceremony", _("церемония")
        FESTIVAL = "festival", _("фестиваль")
        SESSION = "session", _("сессия")
        OTHER = "other", _("другое")

    class Involvement(models.TextChoices):
        ORGANISER = "organiser", _("организует Ассоциация")
        PARTICIPANT = "participant", _("участвует Ассоциация")

    class Format(models.TextChoices):
        OFFLINE = "offline", _("очно")
        ONLINE = "online", _("онлайн")
        HYBRID = "hybrid", _("очно и онлайн")

    class Status(models.TextChoices):
        PLANNED = "planned", _("запланировано")
        HELD = "held", _("проведено")
        POSTPONED = "postponed", _("перенесено")
        CANCELLED = "cancelled", _("отменено")

    plan = models.ForeignKey(
        Plan, verbose_name=_("план"), on_delete=models.CASCADE, related_name="activities"
    )
    section = models.ForeignKey(
        Section,
        verbose_name=_("раздел"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="activities",
    )
    position = models.PositiveIntegerField(_("номер строки"))
    # A row that is part of another (a session of a programme, a stage of a project): the
    # parent's progress rolls up from its parts.
    parent = models.ForeignKey(
        "self",
        verbose_name=_("входит в строку"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="children",
    )
    when_text = models.CharField(_("сроки (как в плане)"), max_length=300, blank=True)
    start = models.DateField(_("не раньше"), null=True, blank=True, db_index=True)
    end = models.DateField(_("не позже"), null=True, blank=True, db_index=True)
    precision = models.CharField(
        _("точность"), max_length=10, choices=Precision.choices, default=Precision.UNKNOWN
    )
    recurrence = models.CharField(
        _("повторение"), max_length=10, choices=Recurrence.choices, blank=True
    )
    deadline = models.BooleanField(_("срок «до»"), default=False)
    # Times of day the time frame gives ("15.03.2026 10:00-12:00"), local to the plans' time
    # zone (settings.CIVICPLAN_PLAN_TIME_ZONE); either may be empty.
    start_time = models.TimeField(_("время начала"), null=True, blank=True)
    end_time = models.TimeField(_("время окончания"), null=True, blank=True)
    title = models.TextField(_("мероприятие"))
    kind = models.CharField(_("вид"), max_length=12, choices=Kind.choices, default=Kind.OTHER)
    involvement = models.CharField(
        _("участие Ассоциации"),
        max_length=12,
        choices=Involvement.choices,
        default=Involvement.ORGANISER,
    )
    format = models.CharField(_("формат"), max_length=8, choices=Format.choices, blank=True)
    place_text = models.TextField(_("место проведения (как в плане)"), blank=True)
    responsible_text = models.TextField(_("ответственные (как в плане)"), blank=True)
    notes = models.JSONField(_("сноски и примечания"), default=list, blank=True)
    # The plan's other columns for this row: [header as written, text] pairs, in their order.
    extra = models.JSONField(
        _("другие столбцы плана"),
        default=list,
        blank=True,
        help_text=_("Столбцы плана без известной роли: заголовок столбца и текст ячейки."),
    )
    status = models.CharField(
        _("состояние"), max_length=10, choices=Status.choices, default=Status.PLANNED
    )
    # Why the activity was postponed or cancelled, as staff wrote it (shown on the public pages).
    status_reason = models.TextField(_("причина переноса или отмены"), blank=True)
    # The time frame the activity had before it was postponed, as written.
    previous_when_text = models.CharField(_("прежние сроки"), max_length=300, blank=True)
    # When a held activity actually took place.
    held_start = models.DateField(_("проведено с"), null=True, blank=True)
    held_end = models.DateField(_("проведено по"), null=True, blank=True)
    # When the status last changed (the coordinators' letter about it is keyed by it).
    status_changed = models.DateTimeField(_("состояние изменено"), null=True, blank=True)
    uid = models.UUIDField(
        _("постоянный идентификатор"),
        default=uuid.uuid4,
        unique=True,
        editable=False,
        help_text=_("Не меняется никогда: по нему календари узнают мероприятие."),
    )
    sequence = models.PositiveIntegerField(
        _("номер редакции"),
        default=0,
        help_text=_("Растёт при каждом изменении дат, названия или места (SEQUENCE в iCalendar)."),
    )
    created = models.DateTimeField(_("создано"), auto_now_add=True)
    modified = models.DateTimeField(_("изменено"), auto_now=True)
    # " lemma lemma … ": the dictionary forms of the activity's words, for search
    # (civicplan.plans.searchindex keeps it up to date).
    search_lemmas = models.TextField(_("леммы для поиска"), blank=True, editable=False)
    # The same lemmas in Latin letters, for the English pages (" perm permi ... ").
    search_latin = models.TextField(_("латинские написания для поиска"), blank=True, editable=False)

    class Meta:
        verbose_name = _("мероприятие")
        verbose_name_plural = _("мероприятия")
        ordering = ("plan", "position")
        constraints = [
            models.UniqueConstraint(fields=("plan", "position"), name="unique_activity_position")
        ]

    def __str__(self) -> str:
        return self.title[:100]

    def get_absolute_url(self) -> str:
        return reverse("web:activity", args=[self.pk, self.slug])

    @property
    def slug(self) -> str:
        return slug_of(self.title)

    # The columns `timeframe` is read from: what a list of activities selects to show dates.
    TIMEFRAME_FIELDS = (
        *("when_text", "start", "end", "precision", "recurrence", "deadline"),
        *("start_time", "end_time"),
    )

    @property
    def timeframe(self) -> Timeframe:
        return Timeframe(
            text=self.when_text,
            start=self.start,
            end=self.end,
            precision=self.precision,
            recurrence=self.recurrence or None,
            deadline=self.deadline,
            start_time=self.start_time,
            end_time=self.end_time,
        )


class PlanVersion(models.Model):
    """A plan as it stood when it was approved (version 1) or when a set of amendments was
    published (2, 3 …): its rows frozen as the plan's JSON, so the version can be downloaded
    and compared with the next whatever happens to the plan later."""

    plan = models.ForeignKey(
        Plan, verbose_name=_("план"), on_delete=models.CASCADE, related_name="versions"
    )
    number = models.PositiveSmallIntegerField(_("номер версии"))
    published = models.DateTimeField(_("опубликована"))
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("опубликовал"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
    )
    reason = models.TextField(_("основание изменений"), blank=True)
    # The decision that approved the plan or its amendments: «Общее собрание», «Совет».
    decision_body = models.CharField(_("кем принято решение"), max_length=300, blank=True)
    decision_date = models.DateField(_("дата решения"), null=True, blank=True)
    decision_number = models.CharField(_("номер решения"), max_length=100, blank=True)
    decision_scan = models.FileField(_("скан решения"), upload_to="plans/decisions/", blank=True)
    # The plan's rows at this version: civicplan.plan/1 JSON with each row's uid and status.
    document = models.JSONField(_("строки плана"))

    class Meta:
        verbose_name = _("версия плана")
        verbose_name_plural = _("версии плана")
        ordering = ("plan", "number")
        constraints = [
            models.UniqueConstraint(fields=("plan", "number"), name="one_plan_version_number")
        ]

    def __str__(self) -> str:
        return f"{self.plan.year}, v{self.number}"


class Amendment(models.Model):
    """A change of an approved plan, with its reason: pending until staff publish the
    amendments, then part of the version that collected it."""

    class Kind(models.TextChoices):
        ADDED = "added", _("добавлено")
        REMOVED = "removed", _("исключено")
        CHANGED = "changed", _("изменено")
        POSTPONED = "postponed", _("перенесено")
        CANCELLED = "cancelled", _("отменено")

    plan = models.ForeignKey(
        Plan, verbose_name=_("план"), on_delete=models.CASCADE, related_name="amendments"
    )
    activity = models.ForeignKey(
        Activity,
        verbose_name=_("мероприятие"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="amendments",
    )
    activity_uid = models.UUIDField(_("идентификатор мероприятия"))
    title = models.TextField(_("мероприятие"))
    kind = models.CharField(_("вид изменения"), max_length=10, choices=Kind.choices)
    reason = models.TextField(_("основание"))
    summary = models.TextField(_("что изменено"), blank=True)
    created = models.DateTimeField(_("внесено"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("внёс"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
    )
    version = models.ForeignKey(
        PlanVersion,
        verbose_name=_("версия"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="amendments",
        help_text=_("Пусто, пока изменение не опубликовано."),
    )

    class Meta:
        verbose_name = _("изменение плана")
        verbose_name_plural = _("изменения плана")
        ordering = ("plan", "created", "id")

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.title[:80]}"


class ActivityPlace(models.Model):
    """Where an activity happens: a city, or a scope such as all member municipalities."""

    class Scope(models.TextChoices):
        PLACE = "place", _("место")
        MEMBERS = "members", _("все члены Ассоциации")
        CONTEST_PARTICIPANTS = "contest_participants", _("участники конкурса")

    activity = models.ForeignKey(
        Activity, verbose_name=_("мероприятие"), on_delete=models.CASCADE, related_name="places"
    )
    place = models.ForeignKey(
        Place, verbose_name=_("место"), null=True, blank=True, on_delete=models.PROTECT
    )
    scope = models.CharField(_("охват"), max_length=24, choices=Scope.choices, default=Scope.PLACE)
    position = models.PositiveSmallIntegerField(_("порядок"), default=0)

    class Meta:
        verbose_name = _("место мероприятия")
        verbose_name_plural = _("места мероприятия")
        ordering = ("activity", "position")

    def __str__(self) -> str:
        return str(self.place) if self.place else self.get_scope_display()


class Responsibility(models.Model):
    class Role(models.TextChoices):
        ORGANISER = "organiser", _("организатор")
        SUPPORTER = "supporter", _("при поддержке")
        RESPONSIBLE = "responsible", _("ответственный")

    activity = models.ForeignKey(
        Activity,
        verbose_name=_("мероприятие"),
        on_delete=models.CASCADE,
        related_name="responsibilities",
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("организация"),
        on_delete=models.PROTECT,
        related_name="responsibilities",
    )
    role = models.CharField(
        _("роль"), max_length=12, choices=Role.choices, default=Role.RESPONSIBLE
    )
    written_as = models.CharField(_("написано в плане"), max_length=500)
    contact = models.CharField(_("контактное лицо"), max_length=200, blank=True)
    # Said of the party in the plan, not its name: «по согласованию», «по приглашению».
    remark = models.CharField(_("оговорка"), max_length=200, blank=True)
    position = models.PositiveSmallIntegerField(_("порядок"), default=0)

    class Meta:
        verbose_name = _("ответственный")
        verbose_name_plural = _("ответственные")
        ordering = ("activity", "position")

    def __str__(self) -> str:
        return f"{self.written_as} ({self.get_role_display()})"


class ImportJob(models.Model):
    """A staff import on its way, in three steps: the uploaded file is read by a background
    task (a long plan takes seconds, more than a web request may) and staff check each plan
    table's columns; a task reads its rows with those columns and staff check the preview;
    then the import itself runs as a task too. The page at /staff/import/<token>/ follows it."""

    class Status(models.TextChoices):
        READING = "reading", _("читается")
        READY = "ready", _("ждёт проверки")
        IMPORTING = "importing", _("импортируется")
        DONE = "done", _("импортирован")
        FAILED = "failed", _("ошибка")

    class Stage(models.TextChoices):
        """What staff check once the task has read the file: its columns, then its rows."""

        COLUMNS = "columns", _("столбцы")
        PREVIEW = "preview", _("проверка строк")

    token = models.CharField(max_length=32, unique=True)  # the page's address: not guessable
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("загрузил"), on_delete=models.CASCADE
    )
    created = models.DateTimeField(_("загружен"), auto_now_add=True, db_index=True)
    source = models.CharField(_("файл"), max_length=255)
    # The year staff gave, when the document says none (None: the document's own).
    year = models.PositiveSmallIntegerField(_("год"), null=True, blank=True)
    stage = models.CharField(_("шаг"), max_length=8, choices=Stage.choices, default=Stage.COLUMNS)
    status = models.CharField(
        _("состояние"), max_length=10, choices=Status.choices, default=Status.READING
    )
    rows_done = models.PositiveIntegerField(_("строк прочитано"), default=0)
    rows_total = models.PositiveIntegerField(_("строк всего"), default=0)
    # Each plan table's columns (one entry per header signature): headers, sample cells, the
    # roles guessed and the roles chosen (civicplan.plans.preview.column_tables).
    columns = models.JSONField(_("столбцы таблиц"), default=list, blank=True)
    # The preview: every row as understood (civicplan.plans.preview.preview) and what staff
    # should look at.
    document = models.JSONField(_("прочитанный план"), null=True, blank=True)
    problems = models.JSONField(_("предупреждения"), default=list, blank=True)
    plan_status = models.CharField(_("статус плана"), max_length=10, blank=True)
    replace = models.BooleanField(_("заменить план года"), default=False)
    error = models.TextField(_("ошибка"), blank=True)
    plan = models.ForeignKey(
        Plan, verbose_name=_("план"), null=True, blank=True, on_delete=models.SET_NULL
    )

    class Meta:
        verbose_name = _("импорт плана")
        verbose_name_plural = _("импорты планов")
        ordering = ("-created",)

    def __str__(self) -> str:
        return self.source

    @property
    def path(self) -> str:
        """Where the uploaded file waits, in the default storage."""
        return f"uploads/{self.token}"


class ColumnMapping(models.Model):
    """The roles staff chose for the columns of a table with this header, applied to the next
    file whose table has the same header (the same normalised header texts, in order)."""

    key = models.CharField(max_length=64, unique=True)  # SHA-256 of the signature: any length
    signature = models.JSONField(_("заголовки столбцов"))  # the normalised header texts
    roles = models.JSONField(_("роли столбцов"))  # one of plandoc.columns.ROLES a column
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("изменил"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
    )
    updated = models.DateTimeField(_("изменено"), auto_now=True)

    class Meta:
        verbose_name = _("роли столбцов")
        verbose_name_plural = _("роли столбцов")

    def __str__(self) -> str:
        return " | ".join(self.signature)


class ExportJob(models.Model):
    """A plan written to a file by a background task, when the plan is too long to write in a
    web request (CIVICPLAN_EXPORT_INLINE_ROWS). One per plan, format and version of the plan
    (its activities' count and latest change), so any number of visitors asking for the same
    file start one task, and the file is written again only when the plan changed."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("в очереди")
        WRITING = "writing", _("формируется")
        DONE = "done", _("готов")
        FAILED = "failed", _("ошибка")

    plan = models.ForeignKey(Plan, verbose_name=_("план"), on_delete=models.CASCADE)
    format = models.CharField(_("формат"), max_length=8)
    version = models.CharField(_("версия плана"), max_length=64)
    status = models.CharField(
        _("состояние"), max_length=8, choices=Status.choices, default=Status.QUEUED
    )
    created = models.DateTimeField(_("создано"), auto_now_add=True)
    finished = models.DateTimeField(_("готово"), null=True, blank=True)
    error = models.TextField(_("ошибка"), blank=True)

    class Meta:
        verbose_name = _("выгрузка плана")
        verbose_name_plural = _("выгрузки плана")
        constraints = [
            models.UniqueConstraint(
                fields=("plan", "format", "version"), name="one_export_per_plan_version"
            )
        ]

    def __str__(self) -> str:
        return f"{self.plan} ({self.format})"

    @property
    def path(self) -> str:
        """Where the written file is kept, in the default storage."""
        return f"exports/plan-{self.plan_id}-{self.pk}.{self.format}"
