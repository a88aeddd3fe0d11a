"""What was done: an activity's closing report and its materials, and a long row's progress."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from civicplan.directory.models import Organisation
from civicplan.plans.models import Activity


class ClosingReport(models.Model):
    """How an activity went: when, where and in what form it was actually held, how many took
    part and who, what came of it. Saving one marks the activity held (reports.actions)."""

    activity = models.OneToOneField(
        Activity, verbose_name=_("мероприятие"), on_delete=models.CASCADE, related_name="report"
    )
    held_text = models.CharField(_("даты проведения"), max_length=300, blank=True)
    held_start = models.DateField(_("проведено с"), null=True, blank=True)
    held_end = models.DateField(_("проведено по"), null=True, blank=True)
    venue = models.CharField(_("место проведения"), max_length=500, blank=True)
    format = models.CharField(
        _("формат"), max_length=8, choices=Activity.Format.choices, blank=True
    )
    participants = models.PositiveIntegerField(_("число участников"), null=True, blank=True)
    members = models.ManyToManyField(
        Organisation,
        verbose_name=_("участвовали члены Ассоциации"),
        blank=True,
        related_name="reports_as_member",
    )
    partners = models.ManyToManyField(
        Organisation,
        verbose_name=_("участвовали партнёры"),
        blank=True,
        related_name="reports_as_partner",
    )
    outcomes = models.TextField(_("итоги"), blank=True)
    created = models.DateTimeField(_("создан"), auto_now_add=True)
    updated = models.DateTimeField(_("изменён"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("заполнил"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("отчёт о мероприятии")
        verbose_name_plural = _("отчёты о мероприятиях")
        ordering = ("activity",)

    def __str__(self) -> str:
        return str(self.activity)


def material_path(material: ReportMaterial, filename: str) -> str:
    # The stored name is ours; the sender's name is kept in `name` and never touches the disk.
    return f"reports/{material.report_id}/{material.sha256[:16]}.{material.extension}"


def thumbnail_path(material: ReportMaterial, filename: str) -> str:
    return f"reports/{material.report_id}/{material.sha256[:16]}.thumb.jpeg"


class ReportMaterial(models.Model):
    """A file (typed by its content) or a link that documents a held activity."""

    class Kind(models.TextChoices):
        PHOTO = "photo", _("фотография")
        PRESENTATION = "presentation", _("презентация")
        RESOLUTION = "resolution", _("резолюция")
        VIDEO = "video", _("видеозапись")
        OTHER = "other", _("другое")

    class Type(models.TextChoices):
        PDF = "pdf", "PDF"
        DOCX = "docx", "DOCX"
        XLSX = "xlsx", "XLSX"
        PPTX = "pptx", "PPTX"
        JPEG = "jpeg", "JPEG"
        PNG = "png", "PNG"

    report = models.ForeignKey(
        ClosingReport, verbose_name=_("отчёт"), on_delete=models.CASCADE, related_name="materials"
    )
    kind = models.CharField(_("вид"), max_length=12, choices=Kind.choices, default=Kind.OTHER)
    title = models.CharField(_("подпись"), max_length=300, blank=True)
    url = models.URLField(_("ссылка"), max_length=1000, blank=True)
    name = models.CharField(_("имя файла"), max_length=255, blank=True)
    type = models.CharField(
        _("тип (по содержимому)"), max_length=4, choices=Type.choices, blank=True
    )
    size = models.PositiveIntegerField(_("размер, байт"), default=0)
    sha256 = models.CharField(max_length=64, blank=True, editable=False)
    file = models.FileField(_("файл"), upload_to=material_path, blank=True)
    # A photo's picture a few hundred pixels wide (Pillow), for pages and the annual report.
    thumbnail = models.FileField(_("миниатюра"), upload_to=thumbnail_path, blank=True)
    width = models.PositiveIntegerField(_("ширина"), null=True, blank=True)
    height = models.PositiveIntegerField(_("высота"), null=True, blank=True)
    position = models.PositiveSmallIntegerField(_("порядок"), default=0)

    class Meta:
        verbose_name = _("материал отчёта")
        verbose_name_plural = _("материалы отчёта")
        ordering = ("report", "position", "id")

    def __str__(self) -> str:
        return self.title or self.name or self.url

    @property
    def extension(self) -> str:
        return "jpg" if self.type == self.Type.JPEG else self.type


class ProgressEntry(models.Model):
    """A dated step of a long row (a project, «в течение года», a half-year programme): how far
    it has come and how it stands."""

    class Status(models.TextChoices):
        ON_TRACK = "on_track", _("идёт по плану")
        AT_RISK = "at_risk", _("есть риски")
        DELAYED = "delayed", _("отстаёт")
        DONE = "done", _("выполнено")

    activity = models.ForeignKey(
        Activity, verbose_name=_("мероприятие"), on_delete=models.CASCADE, related_name="progress"
    )
    on = models.DateField(_("дата"))
    status = models.CharField(
        _("состояние"), max_length=10, choices=Status.choices, default=Status.ON_TRACK
    )
    percent = models.PositiveSmallIntegerField(_("выполнено, %"))
    text = models.TextField(_("что сделано"), blank=True)
    created = models.DateTimeField(_("внесено"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("внёс"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("шаг выполнения")
        verbose_name_plural = _("ход выполнения")
        ordering = ("activity", "on", "id")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(percent__lte=100), name="progress_percent_at_most_100"
            )
        ]

    def __str__(self) -> str:
        return f"{self.on}: {self.percent}%"


class ReportFile(models.Model):
    """The annual report of a long plan written by a background task (a 2,000-row year's PDF
    takes seconds, more than a web request may hold a worker). One per plan, period, format
    and state of the data (the audit log's latest event and the day), so asking again while
    it is written starts nothing, and nothing changed means the file is served as it is."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("в очереди")
        WRITING = "writing", _("формируется")
        DONE = "done", _("готов")
        FAILED = "failed", _("ошибка")

    plan = models.ForeignKey("plans.Plan", verbose_name=_("план"), on_delete=models.CASCADE)
    period = models.CharField(_("период"), max_length=4)
    format = models.CharField(_("формат"), max_length=4)
    version = models.CharField(_("состояние данных"), max_length=64)
    status = models.CharField(
        _("состояние"), max_length=8, choices=Status.choices, default=Status.QUEUED
    )
    created = models.DateTimeField(_("создан"), auto_now_add=True)
    finished = models.DateTimeField(_("готов"), null=True, blank=True)
    error = models.TextField(_("ошибка"), blank=True)

    class Meta:
        verbose_name = _("файл отчёта о выполнении")
        verbose_name_plural = _("файлы отчёта о выполнении")
        constraints = [
            models.UniqueConstraint(
                fields=("plan", "period", "format", "version"), name="one_report_file_per_state"
            )
        ]

    def __str__(self) -> str:
        return f"{self.plan} ({self.period}, {self.format})"

    @property
    def path(self) -> str:
        """Where the written file is kept, in the default storage."""
        return f"exports/report-{self.plan_id}-{self.pk}.{self.format}"
