"""The calendar's filters: one object read from the query string, shared by the list, the month
grid and the timeline, that gives the activities, the form and the matching calendar feed.

The filters are the feed's own (`civicplan.plans.selection`): the same parameters read and checked
by the same code, so a page and its "subscribe to this selection" link select the same
activities. Every parameter but the feed's `year` (here `period=2024`) is on the form:

    city, region (names, any case)  organisation (an id)  kind  involvement  format
    period (2024, 2024-H1, 2024-Q2, 2024-05)  from, to (ISO dates)  q (words)

Repeating a parameter means OR, different parameters AND. Empty values (a form sends every
field) and parameters the calendar does not know (utm_source=…) are ignored; an invalid value of
a known one makes the page a 400 that names the parameter, with the form to correct it — the
feed answers the same query with a 400 too. `page` numbers the pages of the list and the
timeline: it is the view's, not a filter, so only the pager's links carry it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Exists, OuterRef, QuerySet
from django.http import HttpRequest, QueryDict
from django.urls import reverse
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from civicplan.directory.models import Organisation, Place
from civicplan.plans import selection
from civicplan.plans.models import Activity, ActivityPlace, Plan, Responsibility
from civicplan.text import fold
from civicplan.timeframes import Timeframe
from civicplan.web.templatetags.civicplan import timeframe as timeframe_in_words

PARAMETERS = tuple(name for name in selection.PARAMETERS if name != "year")
PAGE = "page"
MAIN = ("q", "period", "city", "kind")
MAX_PAGE = 100_000


@dataclass
class Option:
    value: str
    label: str
    selected: bool = False


@dataclass
class Field:
    """One field of the filter form, ready for the template."""

    name: str
    label: str
    widget: str  # select, search or date
    value: str = ""  # search and date fields
    groups: list[tuple[str, list[Option]]] = field(default_factory=list)  # select fields
    error: str = ""

    @property
    def main(self) -> bool:
        """Shown at once; the others are under "more conditions"."""
        return self.name in MAIN

    @property
    def multiple(self) -> bool:
        """A select with several values chosen (city=A&city=B) lets one keep them all."""
        return sum(option.selected for _label, options in self.groups for option in options) > 1

    @property
    def active(self) -> bool:
        selected = any(o.selected and o.value for _label, os in self.groups for o in os)
        return bool(self.value or selected or self.error)

    @property
    def id(self) -> str:
        return f"filter-{self.name}"

    @property
    def options_html(self) -> str:
        """The select's <option>s (and <optgroup>s), built here rather than in the template:
        the organisations alone can be hundreds, and the template language is slow at that.
        Names from the plans (cities, regions, organisations) are Russian on English pages too,
        and say so."""
        russian = self.name in ("city", "region", "organisation") and get_language() != "ru"
        lang = ' lang="ru"' if russian else ""
        parts = []
        for label, options in self.groups:
            if label:
                parts.append(f'<optgroup label="{escape(label)}">')
            parts.extend(
                f'<option value="{escape(option.value)}"{" selected" if option.selected else ""}'
                f"{lang if option.value else ''}>{escape(option.label)}</option>"
                for option in options
            )
            if label:
                parts.append("</optgroup>")
        return mark_safe("".join(parts))  # every value and label escaped above


_LABELS = {
    "q": gettext_lazy("Слова"),
    "period": gettext_lazy("Период"),
    "from": gettext_lazy("С даты"),
    "to": gettext_lazy("По дату"),
    "city": gettext_lazy("Город"),
    "region": gettext_lazy("Регион"),
    "organisation": gettext_lazy("Организация"),
    "kind": gettext_lazy("Вид"),
    "involvement": gettext_lazy("Участие Ассоциации"),
    "format": gettext_lazy("Формат"),
}


class CalendarFilter:
    """The calendar's query: `query` holds the known, non-empty parameters as given (in
    PARAMETERS order, for links), `filters` what they select, or `error` what is wrong."""

    def __init__(self, query: QueryDict) -> None:
        self.query = QueryDict(mutable=True)
        for name in PARAMETERS:
            for value in query.getlist(name):
                if value.strip():
                    self.query.appendlist(name, value.strip())
        self.filters: selection.Filters | None = None
        self.error: selection.BadFilter | None = None
        self.page: int | None = None
        try:
            self.page = _page(query.get(PAGE, "").strip())
            self.filters = selection.read_filters(self.query)
        except selection.BadFilter as error:
            self.error = error

    @classmethod
    def from_request(cls, request: HttpRequest) -> CalendarFilter:
        return cls(request.GET)

    @property
    def active(self) -> bool:
        """True when the query selects something less than everything."""
        return bool(self.query)

    @property
    def dated(self) -> bool:
        """True when the query limits the dates (period, from or to)."""
        return any(name in self.query for name in ("period", "from", "to"))

    def activities(self) -> QuerySet[Activity]:
        """The activities of approved plans the query selects, with dates or without."""
        if self.filters is None:
            return Activity.objects.none()
        published = Activity.objects.filter(plan__status=Plan.Status.APPROVED)
        return self.filters.apply(published)

    def querystring(self, **changes: str | int | None) -> str:
        """The query string, "?city=…&kind=…" or "", with some parameters replaced (None
        drops one)."""
        query = self.query.copy()
        for name, value in changes.items():
            query.pop(name, None)
            if value is not None and value != "":
                query[name] = str(value)
        encoded = query.urlencode()
        return f"?{encoded}" if encoded else ""

    def url(self, path: str, **changes: str | int | None) -> str:
        return path + self.querystring(**changes)

    def feed_url(self) -> str:
        """The calendar feed of the same selection (path and query, no host)."""
        return self.url(reverse("plans:calendar"))

    # --- the form ------------------------------------------------------------------------------

    def fields(self) -> list[Field]:
        """The form's fields with their options and current values, in three queries: the
        cities and regions, the organisations and the years of the published plans."""
        cities, regions = _places()
        fields = [
            Field("q", str(_LABELS["q"]), "search", value=" ".join(self.query.getlist("q"))),
            self._select("period", _period_groups()),
            Field("from", str(_LABELS["from"]), "date", value=self.query.get("from", "")),
            Field("to", str(_LABELS["to"]), "date", value=self.query.get("to", "")),
            self._select("city", [("", [Option(name, name) for name in cities])]),
            self._select("region", [("", [Option(name, name) for name in regions])]),
            self._select(
                "organisation", [("", [Option(str(pk), name) for pk, name in _organisations()])]
            ),
            self._select("kind", _choices(Activity.Kind.choices)),
            self._select("involvement", _choices(Activity.Involvement.choices)),
            self._select("format", _choices(Activity.Format.choices)),
        ]
        if self.error is not None:
            for each in fields:
                if each.name == self.error.parameter:
                    each.error = str(self.error)
        return fields

    def _select(self, name: str, groups: list[tuple[str, list[Option]]]) -> Field:
        chosen = self._chosen(name)
        offered = set()
        if chosen:
            for _label, options in groups:
                for option in options:
                    option.selected = fold(option.value) in chosen
                    offered.add(fold(option.value))
        # A value the lists lack (a city of a plan not yet published, another year) stays shown.
        names = {}
        if name == "organisation" and self.filters is not None:
            names = {str(pk): title for pk, title in self.filters.organisations}
        missing = [
            Option(
                value, period_label(value) if name == "period" else names.get(value, value), True
            )
            for folded, value in chosen.items()
            if folded not in offered
        ]
        if missing:
            groups.insert(0, ("", missing))
        everything = _("Любой") if name == "period" else _("Все")
        groups.insert(0, ("", [Option("", everything, selected=not chosen)]))
        return Field(name, str(_LABELS[name]), "select", groups=groups)

    def _chosen(self, name: str) -> dict[str, str]:
        """The field's current values by their folded text; as the feed understood them when it
        did ("пермь" is "Пермь", "форум" is "forum")."""
        values: list[str] | None = None
        if self.filters is not None:
            known = self.filters
            values = {
                "city": list(known.cities),
                "region": list(known.regions),
                "kind": list(known.kinds),
                "format": list(known.formats),
                "involvement": list(known.involvements),
                "organisation": [str(pk) for pk, _name in known.organisations],
                "period": [period.code for period in known.periods],
            }.get(name)
        if values is None:
            values = self.query.getlist(name)
        return {fold(value): value for value in values}


def _page(text: str) -> int | None:
    if not text:
        return None
    if not text.isdigit() or not 1 <= int(text) <= MAX_PAGE:
        raise selection.BadFilter(
            _("page — номер страницы, а не «%(value)s».") % {"value": text[:40]}, PAGE
        )
    return int(text)


def _places() -> tuple[list[str], list[str]]:
    """The cities and regions of published activities, in one query."""
    published = ActivityPlace.objects.filter(
        place=OuterRef("pk"), activity__plan__status=Plan.Status.APPROVED
    )
    rows = (
        Place.objects.filter(Exists(published)).order_by().values_list("city", "region").distinct()
    )
    cities: set[str] = set()
    regions: set[str] = set()
    for city, region in rows:
        if city:
            cities.add(city)
        if region:
            regions.add(region)
    return sorted(cities, key=fold), sorted(regions, key=fold)


def _organisations() -> list[tuple[int, str]]:
    """The organisations responsible for published activities, in one query."""
    published = Responsibility.objects.filter(
        organisation=OuterRef("pk"), activity__plan__status=Plan.Status.APPROVED
    )
    rows = Organisation.objects.filter(Exists(published)).values_list("pk", "name")
    return sorted(rows, key=lambda row: fold(row[1]))


def _choices(choices: list[tuple[str, str]]) -> list[tuple[str, list[Option]]]:
    return [("", [Option(value, str(label)) for value, label in choices])]


def _period_groups() -> list[tuple[str, list[Option]]]:
    """For each year of a published plan, the latest first: the year, its halves, quarters and
    months, named in the page's language ("II квартал 2024 г." / "Q2 2024"). One query."""
    years = (
        Plan.objects.filter(status=Plan.Status.APPROVED)
        .order_by("-year")
        .values_list("year", flat=True)
        .distinct()
    )
    groups = []
    for year in years:
        codes = [
            f"{year}",
            *(f"{year}-H{half}" for half in (1, 2)),
            *(f"{year}-Q{quarter}" for quarter in (1, 2, 3, 4)),
            *(f"{year}-{month:02d}" for month in range(1, 13)),
        ]
        options = [Option(code, period_label(code)) for code in codes]
        groups.append((str(year), options))
    return groups


def period_label(code: str) -> str:
    """A period in words in the active language: "2024", "Первое полугодие 2024 г.", "Q2 2024",
    "Май 2024 г."; the code itself when it is not one."""
    period = selection.read_period(code)
    if period is None:
        return code
    if period.precision == "year":
        return str(period.first.year)
    return timeframe_in_words(
        Timeframe(text=code, start=period.first, end=period.last, precision=period.precision)
    )
