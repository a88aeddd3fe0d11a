"""Organisations (with every spelling seen), member municipalities, and places."""

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from civicplan.common.urls import slug_of


class Organisation(models.Model):
    class Kind(models.TextChoices):
        FEDERAL = "federal", _("федеральный орган")
        REGIONAL = "regional", _("региональный орган")
        MUNICIPAL = "municipal", _("муниципальный орган")
        ASSOCIATION = "association", _("Ассоциация")
        INSTITUTION = "institution", _("государственное учреждение")
        NGO = "ngo", _("некоммерческая организация")
        UNIVERSITY = "university", _("вуз")
        COMPANY = "company", _("компания")
        INTERNATIONAL = "international", _("международная организация")
        COLLECTIVE = "collective", _("группа организаций")
        PERSON = "person", _("физическое лицо")
        OTHER = "other", _("другое")

    name = models.CharField(_("название"), max_length=500)
    # Longer than a name: the key writes out the known abbreviations (plandoc.abbreviations).
    key = models.CharField(
        _("ключ"),
        max_length=1000,
        unique=True,
        help_text=_("Нормализованное название: по нему узнаётся одна организация."),
    )
    kind = models.CharField(_("вид"), max_length=20, choices=Kind.choices, default=Kind.OTHER)
    collective = models.BooleanField(
        _("группа, а не организация"),
        default=False,
        help_text=_(
            "«Партнёры», «учреждения образования», «все члены Ассоциации»: на сайте "
            "пишется текстом, без страницы организации."
        ),
    )

    class Meta:
        verbose_name = _("организация")
        verbose_name_plural = _("организации")
        ordering = ("name",)

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("web:organisation", args=[self.pk, self.slug])

    @property
    def slug(self) -> str:
        return slug_of(self.name)


class OrganisationAlias(models.Model):
    """One way an organisation has been written in a plan."""

    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("организация"),
        on_delete=models.CASCADE,
        related_name="aliases",
    )
    text = models.CharField(_("написание"), max_length=500, unique=True)

    class Meta:
        verbose_name = _("написание")
        verbose_name_plural = _("написания")
        ordering = ("text",)

    def __str__(self) -> str:
        return self.text


class Place(models.Model):
    """A city (with region and country) or a venue in it."""

    city = models.CharField(_("город"), max_length=200, blank=True)
    region = models.CharField(_("регион"), max_length=200, blank=True)
    country = models.CharField(_("страна"), max_length=100, default="Россия")
    venue = models.CharField(_("площадка"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("место")
        verbose_name_plural = _("места")
        ordering = ("country", "city", "venue")
        constraints = [
            models.UniqueConstraint(
                fields=("city", "region", "country", "venue"), name="unique_place"
            )
        ]

    def __str__(self) -> str:
        parts = [self.city or "", self.venue or ""]
        if self.country != "Россия":
            parts.append(self.country)
        return ", ".join(part for part in parts if part)


class Membership(models.Model):
    """A municipality's membership of the association: the members' registry."""

    class Status(models.TextChoices):
        ACTIVE = "active", _("действующий член")
        SUSPENDED = "suspended", _("членство приостановлено")
        LEFT = "left", _("вышло из Ассоциации")

    organisation = models.OneToOneField(
        Organisation,
        verbose_name=_("муниципальное образование"),
        on_delete=models.CASCADE,
        related_name="membership",
        limit_choices_to={"kind": Organisation.Kind.MUNICIPAL},
    )
    city = models.ForeignKey(
        Place, verbose_name=_("город"), null=True, blank=True, on_delete=models.SET_NULL
    )
    region = models.CharField(
        _("регион"),
        max_length=200,
        blank=True,
        help_text=_("Пусто — регион города из справочника мест."),
    )
    population = models.PositiveIntegerField(_("население"), null=True, blank=True)
    coordinator = models.CharField(
        _("координатор"),
        max_length=200,
        blank=True,
        help_text=_("Контактное лицо муниципалитета: имя и должность. На сайте не показывается."),
    )
    status = models.CharField(
        _("состояние"), max_length=12, choices=Status.choices, default=Status.ACTIVE
    )
    joined_on = models.DateField(_("вступило"), null=True, blank=True)
    left_on = models.DateField(_("вышло"), null=True, blank=True)
    notes = models.TextField(_("примечания"), blank=True)

    class Meta:
        verbose_name = _("членство")
        verbose_name_plural = _("члены Ассоциации")

    def __str__(self) -> str:
        return str(self.organisation)

    @property
    def is_active(self) -> bool:
        """Still a member (active or suspended): it has not left."""
        return self.left_on is None and self.status != self.Status.LEFT

    @property
    def region_name(self) -> str:
        """The region written on the membership, else its city's."""
        return self.region or (self.city.region if self.city else "")
