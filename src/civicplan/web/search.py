"""Search in Russian that understands word forms (issue 5): GET /search/?q=…

"Пермь" finds "Администрация г. Перми", "форумы" finds "форум", "здравоохранение" finds
"здравоохранения", and on the English pages "Perm" finds "Пермь". Each query word is put in its
dictionary forms with pymorphy3 (`civicplan.plans.searchindex.read_query`: every likely parse, so
an ambiguous word keeps its readings; a Latin word also read back into Russian), and an activity
is found when its `search_lemmas` column (or `search_latin`, for a lemma in Latin letters) holds
a lemma of every query word (AND), looked up whole with LIKE '% lemma %': the same SQL on SQLite
and PostgreSQL, no extension, no second index. The
calendar's and the feed's `q` select with the same code (`searchindex.matching_all`).

Ranking, in SQL: activities with more query words in the title first, then the latest plan
first, then by date; 20 per page (Django's Paginator). The shown title, place and responsible
parties are lemmatised word by word again to wrap the matched words in <mark>, everything else
escaped. Organisations (name and spellings) and cities matching the query are listed above the
activities. Queries: the count and the page of activities, the organisations, the cities (4).
"""

from __future__ import annotations

from django.db.models import Case, F, QuerySet, Value, When
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from civicplan.common.paging import paginate
from civicplan.directory.links import city_url
from civicplan.directory.models import Organisation
from civicplan.plandoc.morphology import indexed_lemmas, tokens
from civicplan.plans.models import Activity, Plan
from civicplan.plans.queries import public_organisations, public_places, visible_plans
from civicplan.plans.searchindex import (
    Query,
    matches,
    matching_all,
    read_query,
    searchable,
    with_latin,
)

PER_PAGE = 20


def highlight(text: str, query: Query) -> SafeString:
    """`text` escaped, with each word one of whose lemmas is a query lemma in <mark>."""
    wanted = query.all_lemmas
    parts: list[str] = []
    last = 0
    for match in tokens(text):
        if with_latin(indexed_lemmas(match.group())) & wanted:
            parts.append(escape(text[last : match.start()]))
            parts.append(f"<mark>{escape(match.group())}</mark>")
            last = match.end()
    parts.append(escape(text[last:]))
    return mark_safe("".join(parts))  # every piece of text is escaped above


def find_activities(query: Query, plans: QuerySet[Plan]) -> QuerySet[Activity]:
    """The activities of these plans holding every query word, best first."""
    found = matching_all(Activity.objects.filter(plan__in=plans), query)
    in_title = [
        Case(When(matches(alternatives, in_title=True), then=Value(1)), default=Value(0))
        for alternatives in query.words
    ]
    return found.annotate(
        title_hits=sum(in_title[1:], in_title[0]) if in_title else Value(0),
        year=F("plan__year"),
    ).order_by(
        F("title_hits").desc(),
        "-year",
        F("start").asc(nulls_last=True),
        "position",
        "pk",
    )


def find_organisations(query: Query, plans: QuerySet[Plan]) -> list[Organisation]:
    """Organisations whose name or one of its spellings holds every query word (one query over
    the organisations and their spellings; the lemmas come from the morphology cache)."""
    rows = (
        public_organisations(plans)
        .filter(collective=False)  # groups («партнёры») have no page
        .values_list("pk", "name", "kind", "aliases__text")
    )
    texts: dict[int, tuple[str, str, set[str]]] = {}
    for pk, name, kind, alias in rows.order_by("name", "pk"):
        texts.setdefault(pk, (name, kind, {name}))[2].add(alias or name)
    found = []
    for pk, (name, kind, spellings) in texts.items():
        if any(query.found_in(searchable(text)) for text in spellings):
            found.append(Organisation(pk=pk, name=name, kind=kind))
    return found


def find_cities(query: Query, plans: QuerySet[Plan]) -> list[dict[str, str]]:
    """Cities whose name is one of the query words ("форумы в Перми" -> Пермь)."""
    names = public_places(plans).values_list("city", flat=True).distinct().order_by("city")
    return [
        {"name": name, "url": city_url(name)}
        for name in names
        if any(word & searchable(name) for word in query.words) and city_url(name)
    ]


def search(request: HttpRequest) -> HttpResponse:
    query = read_query(request.GET.get("q", ""))
    context: dict[str, object] = {"q": query.text, "query": query}
    if query.words:
        plans = visible_plans(request.user)
        pager = paginate(find_activities(query, plans), PER_PAGE, request, keep=("q",))
        context.update(
            pager=pager,
            results=[
                {
                    "activity": activity,
                    "title": highlight(activity.title, query),
                    "place": highlight(activity.place_text, query),
                    "responsible": highlight(activity.responsible_text, query),
                }
                for activity in pager.object_list
            ],
            organisations=find_organisations(query, plans),
            cities=find_cities(query, plans),
        )
    return render(request, "web/search.html", context)
