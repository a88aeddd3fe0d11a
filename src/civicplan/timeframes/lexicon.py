"""Russian words of time frames, by what they mean. Built once at import into plain dicts."""

from __future__ import annotations

MONTHS_NOMINATIVE = (
    "январь",
    "февраль",
    "март",
    "апрель",
    "май",
    "июнь",
    "июль",
    "август",
    "сентябрь",
    "октябрь",
    "ноябрь",
    "декабрь",
)
MONTHS_GENITIVE = (
    "января",
    "февраля",
    "марта",
    "апреля",
    "мая",
    "июня",
    "июля",
    "августа",
    "сентября",
    "октября",
    "ноября",
    "декабря",
)
MONTHS_EN = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)

# Stems of month names with every case ending, and the abbreviations plans use.
_MONTH_FORMS = {
    1: ("январ", "ьяеюи", ("янв",)),
    2: ("феврал", "ьяеюи", ("фев", "февр")),
    3: ("март", "аеуом", ("мар",)),
    4: ("апрел", "ьяеюи", ("апр",)),
    5: ("ма", "йяею", ()),
    6: ("июн", "ьяеюи", ()),
    7: ("июл", "ьяеюи", ()),
    8: ("август", "аеуом", ("авг",)),
    9: ("сентябр", "ьяеюи", ("сен", "сент")),
    10: ("октябр", "ьяеюи", ("окт",)),
    11: ("ноябр", "ьяеюи", ("ноя", "нояб")),
    12: ("декабр", "ьяеюи", ("дек",)),
}


def _month_words() -> dict[str, int]:
    words: dict[str, int] = {}
    for number, (stem, endings, abbreviations) in _MONTH_FORMS.items():
        for ending in endings:
            words[stem + ending] = number
        for ending in ("ем", "ём", "ом"):  # instrumental: "январем", "мартом"
            if stem not in ("ма",):
                words[stem + ending] = number
        if stem not in ("ма",):
            words[stem] = number  # "июн", "июл" abbreviations and bare stems
        for abbreviation in abbreviations:
            words[abbreviation] = number
    return words


MONTH_WORDS = _month_words()

ORDINAL_WORDS = {
    **dict.fromkeys(
        ("первый", "первая", "первое", "первом", "первой", "первую", "первого", "первые"), 1
    ),
    **dict.fromkeys(("второй", "вторая", "второе", "втором", "вторую", "второго", "вторые"), 2),
    **dict.fromkeys(
        ("третий", "третья", "третье", "третьем", "третьей", "третью", "третьего", "третьи"), 3
    ),
    **dict.fromkeys(
        (
            "четвертый",
            "четвертая",
            "четвертое",
            "четвертом",
            "четвертой",
            "четвертую",
            "четвертого",
        ),
        4,
    ),
}
ROMAN_NUMERALS = {"i": 1, "ii": 2, "iii": 3, "iv": 4, "і": 1, "іі": 2, "ііі": 3, "іv": 4}

# What a word stands for; prefixes are tried when the exact form is not listed.
UNIT_PREFIXES = (
    ("квартал", "quarter"),
    ("полугоди", "half"),
    ("полугод", "half"),
    ("декад", "decade"),
    ("половин", "halfpart"),
)
UNIT_WORDS = {"кв": "quarter", "полуг": "half"}

PART_WORDS = {
    **dict.fromkeys(("начало", "начале", "начала", "начал"), 1),
    **dict.fromkeys(("середина", "середине", "середины", "середину"), 2),
    **dict.fromkeys(("конец", "конце", "конца"), 3),
}

SEASON_PREFIXES = (
    ("весн", "spring"),
    ("весен", "spring"),
    ("летн", "summer"),
    ("осен", "autumn"),
    ("зим", "winter"),
)
SEASON_WORDS = {"лето": "summer", "летом": "summer", "лета": "summer", "лете": "summer"}
SEASON_MONTHS = {"spring": (3, 5), "summer": (6, 8), "autumn": (9, 11), "winter": (12, 2)}

# "в течение месяца" in a monthly plan: the plan's month.
THIS_MONTH_WORDS = frozenset(("месяц", "месяца", "месяце", "месяцу"))
YEAR_WORDS = frozenset(
    ("г", "гг", "год", "года", "году", "годы", "годов", "годах", "годом", "тг", "т.г")
)
CURRENT_YEAR_WORDS = frozenset(("текущего", "текущий", "текущем", "этого", "этом"))
ACADEMIC_PREFIX = "учебн"

RECURRENCE_PREFIXES = (
    ("еженедельн", "weekly"),
    ("ежемесячн", "monthly"),
    ("ежеквартальн", "quarterly"),
    ("ежегодн", "yearly"),
)

WHOLE_PERIOD_WORDS = frozenset(
    (
        "постоянно",
        "систематически",
        "регулярно",
        "круглогодично",
        "круглый",
        "весь",
        "всего",
        "всем",
        "целый",
        "целого",
    )
)
BEFORE_WORDS = frozenset(("до",))
NOT_LATER_WORDS = frozenset(("позднее", "позже"))
FROM_WORDS = frozenset(("с", "со", "от"))
THROUGH_WORDS = frozenset(("по",))
LIST_WORDS = frozenset(("и",))

# Words that carry no date and change nothing: prepositions, "в течение", "числа", "период".
FILLER_WORDS = frozenset(
    (
        "в",
        "во",
        "на",
        "не",
        "течение",
        "протяжении",
        "период",
        "периоде",
        "периода",
        "числа",
        "число",
        "числе",
        "включительно",
        "срок",
        "сроки",
        "срока",
        "ориентировочно",
        "примерно",
        "дням",  # "по выходным дням"
    )
)
WEEKDAY_PREFIXES = ("понедельник", "вторник", "сред", "четверг", "пятниц", "суббот", "воскресен")
WEEKDAY_ABBREVIATIONS = frozenset(("пн", "вт", "ср", "чт", "пт", "сб", "вс"))
# "по вторникам", "по выходным": a weekly recurrence; "каждый вторник" likewise.
WEEKDAY_PLURALS = frozenset(
    (
        "понедельникам",
        "вторникам",
        "средам",
        "четвергам",
        "пятницам",
        "субботам",
        "воскресеньям",
        "выходным",
        "будням",
    )
)
EVERY_WORDS = frozenset(("каждый", "каждую", "каждое", "каждая"))

# Times of day: "в 15 ч.", "10 ч. 30 мин.", "10.00 (мск)", "начало в 10:00", "окончание в 12:00".
HOUR_WORDS = frozenset(("ч", "час", "часа", "часов"))
MINUTE_WORDS = frozenset(("мин", "минут", "минуты"))
TIME_ZONE_WORDS = frozenset(("мск", "msk", "московскому", "московское", "времени", "время"))
TIME_START_WORDS = frozenset(("начало", "начала"))
TIME_END_WORDS = frozenset(("окончание", "окончания", "завершение", "конец"))
LAST_WORDS = frozenset(("последняя", "последней", "последнюю", "последний"))

# Phrases that say on purpose that there is no date (no warning for them).
UNDATED_STARTS = (
    "по согласовани",
    "по согл",
    "по отдельн",
    "по мере",
    "по график",
    "по план",
    "по запрос",
    "по вызов",
    "по договоренност",
    "по заявк",
    "по решени",
    "по необходимост",
    "в соответствии",
    "согласно",
    "дата уточня",
    "даты уточня",
    "сроки уточня",
    "срок уточня",
    "уточняется",
    "будет определ",
    "определяется",
    "в рабочем порядке",
    "по факту",
    "время уточня",
)
UNDATED_EXACT = frozenset(("", "-", "--", "—", "–", "нет", "н/д", "?", "x", "х"))
