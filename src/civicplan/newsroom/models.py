"""What members send the association: news, post-releases, materials and activity proposals,
with their attachments and the history of their review."""

from __future__ import annotations

import re

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from civicplan.common.urls import slug_of
from civicplan.directory.models import Organisation
from civicplan.plans.models import Activity

# What a member's form may carry (letters are bounded by their size): a long press release, and
# a proposal's partners, each of which becomes an organisation when it is included in the plan.
MAX_TEXT = 100_000
MAX_PARTNERS = 2_000


class Submission(models.Model):
    class Kind(models.TextChoices):
        PRESS_RELEASE = "press_release", _("пресс-релиз")
        POST_RELEASE = "post_release", _("пост-релиз")
        METHODOLOGY = "methodology", _("методический материал")
        BEST_PRACTICE = "best_practice", _("лучшая практика")
        PROPOSAL = "proposal", _("предложение в план")

    class Status(models.TextChoices):
        QUARANTINE = "quarantine", _("карантин")
        RECEIVED = "received", _("получено")
        IN_REVIEW = "in_review", _("на рассмотрении")
        CHANGES_REQUESTED = "changes_requested", _("нужны правки")
        PUBLISHED = "published", _("опубликовано")
        INCLUDED = "included", _("включено в план")  # a proposal's end: it became an activity
        REJECTED = "rejected", _("отклонено")

    class Source(models.TextChoices):
        FORM = "form", _("форма на сайте")
        EMAIL = "email", _("электронная почта")

    kind = models.CharField(_("вид"), max_length=16, choices=Kind.choices)
    title = models.CharField(_("заголовок"), max_length=300)
    text = models.TextField(
        _("текст"), blank=True, max_length=MAX_TEXT, help_text=_("Простой текст.")
    )
    html = models.TextField(
        _("текст с разметкой"),
        blank=True,
        help_text=_("Всегда очищен (civicplan.newsroom.sanitise) до сохранения."),
    )
    status = models.CharField(
        _("состояние"), max_length=20, choices=Status.choices, default=Status.RECEIVED
    )
    source = models.CharField(_("источник"), max_length=8, choices=Source.choices)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("автор"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="submissions",
    )
    sender_email = models.EmailField(_("адрес отправителя"), blank=True)
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("организация"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="submissions",
    )
    activity = models.ForeignKey(
        Activity,
        verbose_name=_("мероприятие"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="submissions",
    )
    # The activity guessed from an e-mail's subject and text, for staff to confirm.
    activity_guess = models.ForeignKey(
        Activity,
        verbose_name=_("предполагаемое мероприятие"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    activity_guess_reason = models.CharField(_("почему"), max_length=300, blank=True)
    # An activity proposal's fields (kind == PROPOSAL).
    proposal_year = models.PositiveSmallIntegerField(_("год плана"), null=True, blank=True)
    proposal_when = models.CharField(_("сроки"), max_length=300, blank=True)
    proposal_place = models.CharField(_("место проведения"), max_length=500, blank=True)
    proposal_partners = models.TextField(_("партнёры"), blank=True, max_length=MAX_PARTNERS)
    included_activity = models.OneToOneField(
        Activity,
        verbose_name=_("включено в план как"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="proposal",
    )
    created = models.DateTimeField(_("получено"), auto_now_add=True, db_index=True)
    modified = models.DateTimeField(_("изменено"), auto_now=True)
    published = models.DateTimeField(_("опубликовано"), null=True, blank=True, db_index=True)
    # The title and text folded (civicplan.text.fold) for the moderation queue's search, kept by
    # newsroom.actions: SQLite's LIKE ignores case for ASCII only, so Cyrillic is folded here.
    search_text = models.TextField(_("текст для поиска"), blank=True, editable=False)

    class Meta:
        verbose_name = _("материал")
        verbose_name_plural = _("материалы")
        ordering = ("-created", "-id")
        indexes = [models.Index(fields=("status", "-published"), name="submission_status_pub")]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        """The public news page (only published submissions have one)."""
        return reverse("newsroom:news_item", args=[self.pk, self.slug])

    @property
    def slug(self) -> str:
        return slug_of(self.title)


def attachment_path(attachment: Attachment, filename: str) -> str:
    # The stored name is ours; the sender's name is kept in `name` and never touches the disk.
    return f"attachments/{attachment.submission_id}/{attachment.sha256[:16]}.{attachment.extension}"


class Attachment(models.Model):
    class Type(models.TextChoices):
        PDF = "pdf", "PDF"
        DOCX = "docx", "DOCX"
        XLSX = "xlsx", "XLSX"
        JPEG = "jpeg", "JPEG"
        PNG = "png", "PNG"

    submission = models.ForeignKey(
        Submission,
        verbose_name=_("материал"),
        on_delete=models.CASCADE,
        related_name="attachments",
    )
    name = models.CharField(_("имя файла"), max_length=255)
    type = models.CharField(
        _("тип (по содержимому)"), max_length=4, choices=Type.choices, editable=False
    )
    size = models.PositiveIntegerField(_("размер, байт"))
    sha256 = models.CharField(max_length=64, editable=False)
    file = models.FileField(_("файл"), upload_to=attachment_path)

    class Meta:
        verbose_name = _("вложение")
        verbose_name_plural = _("вложения")
        ordering = ("submission", "id")

    def __str__(self) -> str:
        return self.name

    @property
    def extension(self) -> str:
        return {"jpeg": "jpg"}.get(self.type, self.type)

    @property
    def is_image(self) -> bool:
        return self.type in (self.Type.JPEG, self.Type.PNG)

    @property
    def content_type(self) -> str:
        """The MIME type of what the file was found to be (never what its name says)."""
        return _CONTENT_TYPES[self.type]

    @property
    def download_name(self) -> str:
        """The name a download is served under, rebuilt rather than trusted: the sender's name
        without its extension, kept to letters, digits, spaces and a few marks, then the
        extension of what the file was found to be ("отчёт.html" that is a PDF downloads as
        "отчёт.pdf", "фото.exe" that is a PNG as "фото.png")."""
        stem, dot, _extension = self.name.rpartition(".")
        title = _UNSAFE.sub(" ", stem if dot and stem else self.name)
        title = " ".join(title.split()).strip(" .-")[:100] or "file"
        return f"{title}.{self.extension}"


_UNSAFE = re.compile(r"[^\w\s().,\-]+")  # keeps letters of every alphabet, digits and "_"
_CONTENT_TYPES = {
    Attachment.Type.PDF: "application/pdf",
    Attachment.Type.DOCX: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    Attachment.Type.XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    Attachment.Type.JPEG: "image/jpeg",
    Attachment.Type.PNG: "image/png",
}


class SubmissionEvent(models.Model):
    """One step of a submission's life: who moved it from which state to which, and why."""

    submission = models.ForeignKey(
        Submission,
        verbose_name=_("материал"),
        on_delete=models.CASCADE,
        related_name="history",
    )
    at = models.DateTimeField(_("когда"), auto_now_add=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("кто"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    action = models.CharField(_("действие"), max_length=32)
    from_status = models.CharField(_("было"), max_length=20, blank=True)
    to_status = models.CharField(_("стало"), max_length=20)
    reason = models.TextField(_("причина или комментарий"), blank=True)

    class Meta:
        verbose_name = _("шаг рассмотрения")
        verbose_name_plural = _("история рассмотрения")
        ordering = ("submission", "at", "id")

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.action}"
