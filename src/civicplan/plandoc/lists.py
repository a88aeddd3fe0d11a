"""A plan typed as lines, not as a table: a programme, a dated list, a calendar on a web page.

An activity is a line that

- starts or ends with a time frame («7 апреля — Всемирный день здоровья», «Всемирный день семьи (8
  июля)», after a later dash when the title holds one: «Открытие сезона» - горные лыжи - 29 декабря
  в 11.00, г/б «Снежинка»; several days with their own hours joined by «;» are one), perhaps with
  its place between it and the dash («1 октября в 15:00 часов в городском доме культуры - концерт
  …», «Гарцевское сельское поселение - 7 февраля в 14.00 Ковалевский СДК;»), or starts with a date
  followed directly by the activity in capitals, or in lower case after a time of day («05.05.2023г.
  Фестиваль …», «25.12.2007-13.01.2008 в 10.00 и 13.00 проведение утренников …»; «с 03.05.2023г …»
  is from that day on; not «9 Мая во Всеволожске пройдет …» nor «… в 13.00 состоится …», sentences);
  a remark in brackets after the date is the date's («27–30 апреля (последняя неделя апреля)
  Европейская неделя иммунизации»);
- names its parts by labels («…: дата: 06 марта 2022года, время: с 12-00 до 14-00 границы места
  проведения: …»): titled by the text before the first label;
- starts with a time of day («11.30 Линейка», «15.30 — торжественное собрание», «С 14.00 до 16.00
  заезд команд», «До 17.00 отъезд команд» (its end), «C 10:00 до 23:30 …» with a Latin C,
  «12:00, 14:00 Народное гуляние», «13. 00 Служба» (a space after the point), «14.00 14.15
  …», «11.20 – 11.30. …», an hour in words: «В 11 часов начнется пресс-конференция …», the verb in
  the title), perhaps after the settlement it is in and a full stop («Черусти. В 16.30 на площади
  …») or with its place after a comma and then a dash («10-30, аллея у пл. Ленина — открытая
  библиотечная площадка …»: titled by the text after the dash), in a list under a period heading or
  in a programme: a run of such lines, a few lines apart at most (the venue or what goes on between
  them: «Встреча вестника Сабантуя.» goes on with the line above);
- is an item, bulleted (a dash needs no space after it: «-500 метров детские забеги,»), numbered or
  lettered in turn («а.», «б)», …), that ends with its time frame after a space («а. Рождество 7
  января», «б. Круглый стол ежеквартально»; a date with a time may have the venue after a comma: «…
  31 декабря в 11.00, освещенная трасса л/б …»), or any item of a list under a period heading
  («Январь», then «- Экскурсия …») or right under a time line, at its time («12.00 - Открытие Вахты
  памяти», then «- Акция «Спасибо!» …»); a plain line right after an item dated so, dated so too
  («День «ОХИ» 28 октября»);
- is under a time heading, which is no activity itself: a time alone («08:00», then «• Обряд …» or
  «Пленарное заседание.»), «В течение дня» (on the day above, at no time) or a time line ending in a
  colon («12.45 – 13.30 Конкурсы:», then «– конкурс юрт;»; a place it names in brackets is theirs:
  «11.00 -14.00 - работа «Парка Победы» ( парк … станицы …):»); every line typed as the first one
  under it is, up to a time or a date line, but a sentence that starts with its verb («Выступают
  творческие коллективы района.»: about the activity above); a line ending in a colon right under a
  time alone («Продолжение работы Форума:») heads the lines below it at that time;
- or is followed by a line of its venue and time («Открытие парка», then «Треуголка 10:00»), of a
  dash and its time alone («Выдача номеров участникам», then «— с 10.00 до 10.30») or by a
  labelled date («Дата: …»).

A short line between activities, no sentence and no time of day in it, names the venue of the
lines below it («Районный Дом культуры», «Села района (20 сел):»), and so does a settlement alone
right before the first one («с.Целинное»), or a venue right after a period heading or the line
that announces the programme («В программе мероприятия:», then «Праздничная ярмарка»), or a
date heading naming it after a comma («8 мая, Петергоф», over time lines: their day too). A
numbered line ending in a colon («2. Проведение праздников:») or the line above items lettered
from «а» heads a part of the list. Under an activity, «Место проведения: …» is its place (and
the place of the lines below when the activity is a day's, as «25 СЕНТЯБРЯ – ТУРИСТИЧЕСКИЙ СЛЁТ»
is, or when it stands between a time heading and its lines), «Дата: …» and «Время: …» its time
frame, «Продлится до 2 марта» its end, «Ответственный: …» or «Проводят …» its parties. A line
without a place of its own is at the place it labels («…, место проведения - КОГОБУ Лицей г.
Советска;», «… Место: Ротонда городского парка.»), at a settlement it names in brackets or at
its end («(зал РДК с. Перемышль)», «( парк … станицы Старощербиновская)», «… в д. Лаврики.»; not
«из г. Боровск», where something comes from, nor «ко Дню освобождения г. Новоржева», what it is
about), at the settlement or the address it is all about («18 мая – село Алтыновка;», «на станции
Безменово – 29 декабря в 13.00»: a station is a settlement too; «- 13 октября: Тюльганский район,
п. Тюльган, ул. 8 Марта, 11;»: a district, a settlement, a street, a house), at a place of a
settlement it names («от Юбилейной площади г. Всеволожска …») or on a «по маршруту: …» route,
else at the venue above. A time of day alone is on the day of
the date line above it: a period heading («13 декабря», «28 февраля:», «09. 05. 2012г.») or an
activity naming one day («25 СЕНТЯБРЯ (СУББОТА) – ТУРИСТИЧЕСКИЙ СЛЁТ», «1 октября 15:30-17:30 -
работа комиссии»), else on the one day the title names («Завтра, 6 июня 2015 года, …», «28 мая в
Березовой роще …») or a day line closing the list («26.08.2017, суббота» after a city day's
programme); «Начало соревнований в 10.00 ч» in a line is its start.

A programme run into one paragraph («9 мая 2018 год: 10.00 -23.00 - народные гулянья …; 9.00 -
сбор участников …; …») is read as its lines: one at each time followed by a dash, and the dashed
items run on after an item ending in a colon one a line.

Paragraphs before the first activity are the title, except a period heading right before it,
and a date with its year and a time of day (the page's dateline: `RawDocument.dateline`); a web
page's tag line after the list («Метки 73-летие Победы …») is kept with the dateline, its year
the plan's when nothing else gives one. A line that is a time frame alone is never an activity
(«21 сентября 2018 - 23 сентября 2018»). A document's tables that hold no plan (a list typed
into a sheet) give each row as a line.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta

from civicplan import timeframes
from civicplan.i18n import gettext as _
from civicplan.plandoc.columns import ColumnSet
from civicplan.plandoc.errors import PlanReadError
from civicplan.plandoc.morphology import parses
from civicplan.plandoc.organisations import classify
from civicplan.plandoc.places import read_place
from civicplan.plandoc.raw import RawDocument, RawHeading, RawNote, RawRow
from civicplan.plandoc.source import Paragraph, SourceDocument, Table
from civicplan.timeframes.lexicon import MONTHS_GENITIVE
from civicplan.timeframes.parser import RUN_TOGETHER_TIMES

SHORT_HEADING = 80  # a line this short, in capitals or a time frame alone, is a heading
SHORT_VENUE = 70
SENTENCE_WORDS = 5  # a line of this many words ending in a full stop is a sentence
NUMBERED_RUN = 3  # lines numbered 1, 2, 3 in turn at least: a programme's items
SHORT_SECTION = 120  # characters at most of a section's heading line between numbered items
SPAN_ITEMS = 8  # plain lines at most under a span's heading that are its activities
SPAN_DAYS = timedelta(days=62)  # a span's heading names days, not a quarter or a season
SHORT_LIST_DATE = 60  # a time frame starting a list plan's line is at most this long
RUN_TIMES = 3  # times followed by a dash that make a paragraph a programme run together
PROGRAMME_GAP = 3  # lines at most from a programme's time line to the next
DATE_WORDS = 4  # words with digits a time frame closing a line starts at, at most
_SPACES = re.compile(r"\s+")
_LIST_DASH = re.compile(r"\s+[-–—]\s+|\s*[–—]\s*|:\s+")
_TRAILING_DATE = re.compile(r"(.+?)\s*(?:\s[-–—]\s*|\()([^()]{3,60})\)?\.?")
_LATER_DASH = re.compile(r"\s[-–—]\s+")
_CLOCK = r"(?:[01]?\d|2[0-3])[.:\-][0-5]\d"
# «11.30», «9-00», «С 08.30» (or a Latin «C 10:00»), «В 16.30», «10.00 - 11.30», «С 14.00 до
# 16.00», «12:00, 14:00», «14.00 14.15» (times side by side), «18.00 часов», «11.20 – 11.30.», or
# an hour in words, «В 11 часов»; then a dash, a colon or a space, and the activity. «В» only
# before «16.30» or an hour in words: «В 10-11 классах» is no time.
_TIME_OF_LINE = (
    rf"(?:(?:[сc]\s*|(?:в|до)\s*(?=\d{{1,2}}[.:]))?{_CLOCK}"
    rf"(?:\s*(?:[-–—]|до)\s*{_CLOCK}|(?:(?:\s*,\s*|\s+){_CLOCK}(?![\d.:]))+)?"
    r"(?:\s*(?:ч\.?|час\w*))?|в\s*(?:[01]?\d|2[0-3])\s+час(?:ов|а)\b)"
)
_TIME_FIRST = re.compile(
    rf"\s*({_TIME_OF_LINE})\.?(?:\s*[-–—:]\s*|\s+)(?=\S)",
    re.IGNORECASE,
)
# «10-30, аллея у пл. Ленина — открытая библиотечная площадка …»: a time, after a comma the place,
# a dash, the activity.
_TIME_PLACE_FIRST = re.compile(
    rf"\s*(?P<time>{_TIME_OF_LINE})\s*,\s*(?P<place>[^\d\s–—-][^–—]{{0,{SHORT_VENUE - 1}}}?)"
    r"\s+[-–—]\s+(?P<title>\S.*)",
    re.IGNORECASE,
)
# «11.00-12.00 – ГДК – Велопробег …», «12.00-13.00-ГДК- Построение колонны»: a time, between
# dashes the venue's abbreviation, the activity
_TIME_DASHED_PLACE = re.compile(
    rf"\s*(?P<time>{_TIME_OF_LINE})\s*[-–—]\s*(?P<place>[А-ЯЁ]{{2,6}}(?:\s+[А-ЯЁ]{{2,6}})?)"
    r"\s*[-–—]\s*(?P<title>[«\"А-ЯЁ].*)"
)
_TITLE_PLACE_TIME = re.compile(
    rf"(?P<title>\S.{{0,200}}?)\s+[-–—]\s+(?P<place>[^\d\s–—-][^–—]{{0,{SHORT_VENUE - 1}}}?)"
    rf"\s*,\s*(?P<time>{_TIME_OF_LINE})[\s.;,]*",
    re.IGNORECASE,
)
_TITLE_TIME_PLACE = re.compile(
    rf"(?P<title>[^:]{{3,150}}?):\s*(?P<time>{_TIME_OF_LINE})\s*,\s*(?P<place>[^\d\s].{{1,200}}?)"
    r"[\s.;,]*",
    re.IGNORECASE,
)
# An afisha's line that ends in its time of day after a dash, perhaps after the venue and
# another dash, perhaps bulleted or after its venue and a colon: «— «Роспись пряника» — Терем
# Деда Мороза — 12:00;», «— спектакль «Тайна ледяного сердца» — 14:00;», «ДШИ № 13: мастер-класс
# «Сувенир» — 10:00;»; sessions after commas and a remark in brackets may close it.
_TITLE_DASH_TIME = re.compile(
    rf"(?:[-–—•]\s*)?(?P<title>[^\d\s–—-].{{2,250}}?)"
    rf"(?:\s+[-–—]\s+(?P<place>[^\d\s–—-][^–—]{{0,{SHORT_VENUE - 1}}}?))?"
    rf"\s+[-–—]\s+(?P<time>{_CLOCK}(?:\s*[-–—]\s*{_CLOCK})?)"
    rf"(?:\s*,\s*{_CLOCK})*(?:\s*\([^()]*\))?[\s.;,]*",
    re.IGNORECASE,
)
# The venue before a colon that opens an afisha's line («ККК «Современник»: представление …»).
_VENUE_COLON = re.compile(rf"(?P<place>[^:]{{3,{SHORT_VENUE}}}?):\s+(?P<title>\S.*)")
# A time of day and a dash in a paragraph: where a programme run into it goes on («…; 9.00 -
# сбор участников …», «…  19.00 – праздничный концерт»).
_RUN_TIME = re.compile(rf"(?<![\w.:]){_CLOCK}(?:\s*[-–—]\s*{_CLOCK})?\s*[-–—]\s")
_BEFORE_TIME = re.compile(r"(?<!\w)(?:с|со|до|в|во|по|и)$", re.IGNORECASE)
_ITEMS_AFTER_COLON = re.compile(r":\s*(?=[-–—]\s)")
_RUN_DASH = re.compile(r"(?:^|\s)[-–—]\s+")
# A time of day alone on its line («08:00», «11.30 – 13.30»): the time of the lines under it.
_TIME_ALONE = re.compile(
    rf"\s*(?:с\s*|в\s*)?{_CLOCK}(?:\s*(?:[-–—]|до)\s*{_CLOCK})?(?:\s*(?:ч\.?|час\w*))?[.:]?",
    re.IGNORECASE,
)
# The times of day in a time frame («1 октября 15:30-17:30»), to leave its day.
_TIMES_OF_DAY = re.compile(
    rf"(?:(?<!\w)(?:с|в|до)\s*)?(?<![\d.:]){_CLOCK}(?!\d|[.:]\d)"
    rf"(?:\s*(?:[-–—]|до)\s*{_CLOCK}(?!\d|[.:]\d))?(?:\s*(?:ч\.?|час\w*))?",
    re.IGNORECASE,
)
# A time of day anywhere in a line («… до 17.00 часов»): a remark's, never a venue line's.
_TIME_INSIDE = re.compile(r"(?<![\d.:])(?:[01]?\d|2[0-3])[.:][0-5]\d(?![\d.:])")
# «Черусти. В 16.30 …»: a settlement and a full stop before a line's time of day.
_SETTLEMENT_FIRST = re.compile(r"([А-ЯЁ][а-яё]+(?:-[А-ЯЁа-яё][а-яё]*)*)\.\s+(?=[ВвСс]?\s*\d)")
# «Треуголка 10:00», «Центральная площадь 11:00 – 12:00»: a venue and its time, nothing after.
# «Час здоровья «Растения – лекари» (Дареевичская с/б) 11.00», «Регистрация участников 8 ч. 00
# мин. – 9 ч. 30 мин.», «Митинг в Зале Славы 11.30 – 12.30»: the activity, perhaps its venue in
# brackets, then the time of day closing the line
_HOURS = rf"(?:{_CLOCK}|\d{{1,2}}\s*ч\.?\s*\d\d\s*мин\.?)"
_CLOSING_TIME = re.compile(
    rf"(?P<title>\S.*?)\s*(?:\((?P<place>[^()]{{2,{SHORT_VENUE}}})\)\s*)?[,–—-]?\s+"
    rf"(?P<time>(?:[вс]\s+)?{_HOURS}(?:\s*(?:[-–—]|до)\s*{_HOURS})?)(?:\s*(?:ч\.?|час\w*))?[.;]?",
    re.IGNORECASE,
)
# A venue named in brackets: a branch, a club, a hall («Десятуховская с/б», «ДК «Юность»»).
_VENUE_WORD = re.compile(
    r"(?:\b[сг]/[бкп]\b|\bС?ДК\b|\bЦ[БД]?Б\b|библиотек|клуб|музе[йея]|\bзал|дом\s+культуры"
    r"|парк|площад|стадион|школ|сквер|центр\b)",
    re.IGNORECASE,
)
_DAILY_REGIME = re.compile(r"(?:режим|распорядок)\s+дня", re.IGNORECASE)
_NUMBERED_LINE = re.compile(r"\s*(\d{1,2})[.)]\s+(?=[«\"А-ЯЁA-Z])")
_DEADLINE_WORD = re.compile(r"(?<!\S)(?:до|к|ко|по|не\s+позднее)\s*$", re.IGNORECASE)
_SPACED_CLOCK = re.compile(r"^(\s*(?:[01]?\d|2[0-3]))\.\s([0-5]\d)(?=\s)")
# A dashed item («- Книжная выставка …»), and one run on after a sentence's end.
_DASHED = re.compile(r"\s*[-–—]\s+\S")
_ITEM_RUN_ON = re.compile(r"(?<=[.!?…])\s+(?=[-–—]\s+[«\"А-ЯЁ])")
# «Библиотека-филиал № 6 в 10:00 и 14:00.», «… ежедневно с 10:00 до 19:00 до 30 декабря.»: a
# venue, then when at it
_VENUE_THEN_TIME = re.compile(
    rf"(?P<venue>.{{3,{SHORT_VENUE}}}?)\s+(?P<time>(?:ежедневно\s+)?(?:с|в)\s+{_CLOCK}.*?)\.?",
    re.IGNORECASE,
)
_VENUE_AND_TIME = re.compile(
    r"(?P<venue>.+?)\s+(?P<time>(?:[01]?\d|2[0-3])[.:][0-5]\d"
    r"(?:\s*[-–—]\s*(?:[01]?\d|2[0-3])[.:][0-5]\d)?)\.?"
)
_WHO = r"(?:ответственн\w*|отв\.|проводя?т|организатор\w*|ведущ\w+)"
# «Ответственный: …», «Ответственная Акимова Е.В.», «Проводят классные руководители.»
_WHO_LINE = re.compile(rf"{_WHO}\s*:?\s+(.+?)\.?$", re.IGNORECASE)
_PLACE_LABEL = r"(?:границы\s+)?мест[оа]\s+проведения|мест[оа]|адрес|площадка"
_WHEN_LABEL = r"дата(?:\s+и\s+время)?(?:\s+проведения)?|время(?:\s+проведения)?|срок\w*"
# «Место», «Время» alone on a line above the title's line that names the place, the day
_BARE_PLACE_LABEL = re.compile(rf"\s*(?:{_PLACE_LABEL})\s*:?\s*", re.IGNORECASE)
_BARE_WHEN_LABEL = re.compile(rf"\s*(?:{_WHEN_LABEL})\s*:?\s*", re.IGNORECASE)
# A line under an activity that gives one of its parts: «Место проведения – актовый зал»,
# «Дата: 5 мая», «Время: 10:00».
_LABELLED_LINE = re.compile(
    rf"(?P<label>{_PLACE_LABEL}|{_WHEN_LABEL})\s*(?::|\s[-–—])\s*(?P<value>\S.*?)\.?",
    re.IGNORECASE,
)
# The labelled parts inside a line: «дата: …, время: … границы места проведения: …».
_PART_LABEL = re.compile(
    rf"(?<!\w)(?P<label>{_PLACE_LABEL}|{_WHEN_LABEL}|ответственн\w*)\s*:\s*", re.IGNORECASE
)
# «Продлится до 2 марта» under an exhibition: the day it ends.
_UNTIL_LINE = re.compile(
    r"(?:продлится|продолжится|будет\s+работать|работает|действует)\s+(до|по)\s+(.+?)\.?",
    re.IGNORECASE,
)
# «(г. Черняховск, стадион. Начало соревнований в 10.00 ч)»: the line's own start time.
_START_IN_LINE = re.compile(
    r"(?<!\w)начало(?:\s+[а-яё]+){0,2}\s+в\s+((?:[01]?\d|2[0-3])[.:][0-5]\d)", re.IGNORECASE
)
_VENUE_DASH_TITLE = re.compile(
    rf"(?P<place>[^—–]{{3,{SHORT_VENUE}}}?)\s+[-–—]\s+(?P<title>[«\"А-ЯЁа-яё].*)"
)
# The first words of places a programme's lines name before their activity
_VENUE_HEADS = frozenset(
    {
        "мемориал", "стадион", "площадь", "парк", "сквер", "дк", "сдк", "гдк", "рдк", "кдц",
        "дом", "дворец", "библиотека", "музей", "школа", "центр", "зал", "клуб", "набережная",
        "аллея", "стела", "обелиск", "памятник", "пруд", "каток", "спорткомплекс", "театр",
        "кинотеатр", "храм", "городской", "районный", "центральная", "центральный", "детская",
        "детский", "сельский", "спортивная", "спортивный",
    }
)  # fmt: skip
_PLACE_AFTER_START = re.compile(r"\s*(?:на|в|во)\s+(\S.*)", re.IGNORECASE)
# a dash needs no space after it («-500 метров детские забеги,»), a number does («1.5 км» is none)
_BULLET = re.compile(r"\s*(?:[-–—•·*▪●]\s*|\d{1,2}[.)]\s+)")
# «а. Рождество …», «б.Спортивные мероприятия.»: an item lettered in the alphabet's order.
# A list number or bullet before a time of day that no date could be («1. 11-00 часов», «- 10:00.
# Автопробег», «- 8.30 —»: no month 30; not «1. 12.05», which may be the 12th of May).
_NUMBER_BEFORE_TIME = re.compile(
    r"\s*(?:\d{1,2}[.)]\s+|[-–—•·*▪●]\s*)"
    r"(?=(?:[01]?\d|2[0-3])(?:[:\-][0-5]\d|\.[0-5]\d\s*ч|\.(?:00|1[3-9]|[2-5]\d)(?!\d)))",
    re.IGNORECASE,
)
# A line that names the list itself, before its first activity: the plan's title, though it
# ends with the day («Мероприятия, посвященные Дню Победы 9 Мая.»).
_NAMES_THE_LIST = re.compile(
    r"\s*(?:план|программа|афиша|расписание|календарь|мероприятия)\b(?!\s*[-–—:])", re.IGNORECASE
)
_NUMBERED_ITEM = re.compile(r"\s*\d{1,3}[.)]\s+\S")
_BULLET_BEFORE_CLOCK = re.compile(rf"\s*(?:\d{{1,2}}[.)]\s+|[-–—•·*▪●]\s*)(?={_CLOCK}\s*[-–—])")
# «В программе соревнований:», «Программа:», «В праздничной программе:»: the items below are
# the programme's activities.
_ANNOUNCES_PROGRAMME = re.compile(
    r"(?:в\s+)?(?:[а-яё]+(?:ой|ей)\s+)?программ\w*[^:.;]{0,60}:", re.IGNORECASE
)
_LETTERED = re.compile(r"\s*([а-я])[.)]\s*(?=\S)")
_LETTERS = "абвгдежзиклмнопрстуфхцчшщэюя"  # as items are lettered: no ё, й, ъ, ы, ь
# «2. Проведение праздников:», «3.Развитие …:»: a numbered line that opens a part of the list.
_NUMBERED_PART = re.compile(r"\s*\d{1,2}\s*[.)]\s*[А-ЯЁ].*:")
# How often, closing an item («Вечер национальной кухни ежеквартально»).
_HOW_OFTEN = re.compile(r"еже\w+|постоянно|систематически|регулярно|круглогодично", re.IGNORECASE)
_DIGIT = re.compile(r"\d")
_WORD_WITH_DIGIT = re.compile(r"(?<!\S)\S*\d")  # where a time frame closing a line may start
_LAST_WORD = re.compile(r"(\S+)\s+$")
# The dash between a title and the time frame closing it: «Мониторинг воды — еженедельно».
_END_OF_TITLE = re.compile(r"(?:\s+[-–—])?\s*$")
# A word a time frame at the end of a line may start with: «… до 5 мая», «… с 1 по 5 мая».
_BEFORE_DATE = re.compile(r"(?:до|по|с|со|к|на|в|во)", re.IGNORECASE)
_ISSUED = re.compile(r"от|№|N", re.IGNORECASE)  # before a document's date or number
# «9 Мая», «Завтра, 6 июня 2015 года», «24 и 25 июня»: a day (or days) a lead names.
_DAYS_NAMED = re.compile(
    rf"(?<![\d.])(\d{{1,2}}(?:\s*(?:,|и|[-–—])\s*\d{{1,2}})*)\s+({'|'.join(MONTHS_GENITIVE)})"
    r"(?!\w)(?:\s+((?:19|20)\d\d)(?!\d))?",
    re.IGNORECASE,
)
# «с 1 по 22 июня 2024 года», «с 5 мая по 7 июня»: a span of days a lead names
_SPAN_NAMED = re.compile(
    rf"(?<!\w)с\s+\d{{1,2}}(?:\s+(?:{'|'.join(MONTHS_GENITIVE)}))?\s+по\s+\d{{1,2}}\s+"
    rf"(?:{'|'.join(MONTHS_GENITIVE)})(?!\w)(?:\s+(?:19|20)\d\d(?!\d))?",
    re.IGNORECASE,
)
# A day named as a span's end, a deadline or a document's date: no programme's day.
_NOT_THE_DAY = re.compile(
    r"(?:(?<!\w)(?:до|по|от|после|с|со)(?:\s+\d{1,2}[.:]\d\d(?:\s*(?:час\w*|ч)\.?)?)?|№|N)\s*$",
    re.IGNORECASE,
)  # «до 15.00 час. 11 февраля 2021 г.»: a deadline's day
# «Метки 73-летие Победы …», «Теги: …»: a web page's tag line.
_TAG_LINE = re.compile(r"(?:метки|теги|ключевые\s+слова)\b", re.IGNORECASE)
_SETTLEMENT_ABBREVIATION = r"(?:г|с|п|пгт|рп|д|х|ст|пос|дер|ст-ца)\.\s?"
_SETTLEMENT_MARK = rf"{_SETTLEMENT_ABBREVIATION}[А-ЯЁ]"
# «с.Целинное», «г. Шатура»: a settlement alone on its line.
_SETTLEMENT_LINE = re.compile(rf"{_SETTLEMENT_MARK}[а-яё]+(?:[-\s][А-ЯЁ]?[а-яё]+)?")
# «село Алтыновка;», «в поселке Южный», «на станции Безменово»: a list line whose activity is a
# visit to a settlement (a railway station's is one too).
_SETTLEMENT_ALONE = re.compile(
    r"(?i:(?:в|во|на)\s+)?(?:(?i:город|сел|пос[её]л(?:ок|к)|деревн|хутор|станиц|станци|аул)"
    rf"[а-яё]*\s+|{_SETTLEMENT_ABBREVIATION})(?P<name>[А-ЯЁ][а-яё]+(?:-[А-ЯЁа-яё][а-яё]*)*)"
    r"[\s.;,!]*"
)
# «станица Гиагинская», «село Алтыновка»: a settlement spelled out alone on the line above a
# list, the town of its activities.
_SETTLEMENT_HEADING = re.compile(
    r"(?i:город|село|пос[её]лок|деревня|хутор|станица|аул)\s+"
    r"(?P<name>[А-ЯЁ][а-яё]+(?:-[А-ЯЁа-яё][а-яё]*)*)[\s.:]*"
)
# A place word before a settlement in the genitive: «от Юбилейной площади г. Всеволожска», «в
# парке ст. Новоджерелиевской»: the place is in that settlement.
_PLACE_WORD = (
    r"(?i:площад|парк|сквер|стадион|набережн|улиц|проспект|территори|мемориал|памятник)\w*"
)
_SETTLEMENT_OF_PLACE = re.compile(
    rf"(?<!\w){_PLACE_WORD}\s+{_SETTLEMENT_MARK}[а-яё]+(?:-[А-ЯЁа-яё][а-яё]*)*"
)
# How a settlement's name in an oblique case may end («Новоржева», «Новоджерелиевской»).
_OBLIQUE_ENDING = re.compile(r"(?:[аяеуюы]|[ое]й|[ое]го|[ое]му|ом|ем)$")
_AT = re.compile(rf"(?:(?<!\w)(?:в|во|на|у)|{_PLACE_WORD})\s*$", re.IGNORECASE)
_SETTLEMENT_NAMED = re.compile(rf"(?<![\w.]){_SETTLEMENT_MARK}")
_SETTLEMENT_KIND = re.compile(
    r"(?<!\w)(?i:город|сел|пос[её]л(?:ок|к)|деревн|хутор|станиц|аул)[а-яё]*\s+[А-ЯЁ][а-яё]"
)
_BRACKET_AT_END = re.compile(r"\(\s*([^()]*?)\s*\)[\s.;,!]*$")
# A settlement closing the line: «… х. Челюскинец», «… в д. Лаврики.», «— в парке ст. …ской».
_SETTLEMENT_AT_END = re.compile(
    rf"(?<![\w.])(?:(?:в|во|на)\s+)?{_SETTLEMENT_MARK}[а-яё]+(?:-[А-ЯЁа-яё][а-яё]*)*"
    r"(?:\s[А-ЯЁ][а-яё]+)?[\s.;,!]*$"
)
# The parts of an address a list line may be all about («Тюльганский район, п. Тюльган, ул. 8
# Марта, 11;»): a district, a settlement by its mark, a street by its mark, a house number.
_ADDRESS_PART = re.compile(
    rf"[А-ЯЁ][а-яё-]+\s+(?:район|округ)|{_SETTLEMENT_MARK}.*"
    r"|(?:ул|пер|пр|просп|пл|бул|ш|мкр|мкрн|наб)\.\s?.*|\d.*"
)
_FROM = re.compile(r"(?<!\w)(?:из|от)\s+$", re.IGNORECASE)  # «из г. Боровск»: not the place
# «…, место проведения - Детская библиотека;», «… Место: Ротонда городского парка.»
_PLACE_IN_LINE = re.compile(
    r"(?<!\w)мест[оа]\s*(?:проведения\s*(?::|\s[-–—])|:)\s*(?P<place>\S.*)",
    re.IGNORECASE,
)
_ROUTE = re.compile(r"(?<!\w)(?:по\s+)?маршрут\w*\s*:\s*(.+?)[\s.;,]*$", re.IGNORECASE)
_END_DASH = re.compile(r".*\s[-–—]\s")
_DATE_FIRST = re.compile(r"(?:с|со)?\s*\d", re.IGNORECASE)  # «05.05.2023г.», «с 03.05.2023г»
_STARTS_ACTIVITY = re.compile(r"[«\"“A-ZА-ЯЁ]")
_FIRST_WORD = re.compile(r"[А-ЯЁа-яё]+")
_UNTIL = re.compile(r"(?:по|до)\s", re.IGNORECASE)
# A preposition or a conjunction: what follows a date and a time goes on with a sentence or
# names a place («… в 13.00 в парке»), no activity.
_FUNCTION_WORD = re.compile(r"(?:в|во|на|с|со|к|ко|по|у|для|из|от|до|и|а)\s", re.IGNORECASE)
# «В течение дня» alone on a line: the lines below are on the day above, at no time of day.
_ALL_DAY = re.compile(
    r"(?:в\s+течение\s+(?:всего\s+)?дня|весь\s+день|целый\s+день)[.:]?", re.IGNORECASE
)


def spaces(text: str) -> str:
    """Single spaces, none at the ends (str.split's whitespace is the regular expressions'
    \\s, and splitting is the quicker for a cell's text)."""
    return " ".join(text.split())


_YEAR = re.compile(r"\b(?:19|20)\d\d\b")


def _is_dateline(text: str) -> bool:
    """A date with the time it was posted, alone on a line above the list («04 июля 2023 года
    08:31», «11 дек. 2019 г., 12:26»): the page's dateline, no activity's day."""
    if len(text) > SHORT_LIST_DATE or not _YEAR.search(text):
        return False
    frame = timeframes.parse(text, default_year=2000)
    return frame.precision == "day" and frame.start_time is not None and frame.warning is None


def _is_dated_day(text: str) -> bool:
    """A day with its year alone on a line («22.02.2022»)."""
    if len(text) > SHORT_LIST_DATE or not _YEAR.search(text):
        return False
    frame = timeframes.parse(text, default_year=2000)
    return frame.precision == "day" and frame.warning is None


# A news item's headline or lead that announces its event without its day («… пройдёт в
# мытищинском парке»): a day alone above it is when the news was posted.
_ANNOUNCED = re.compile(
    r"\b(?:пройд[её]т|пройдут|состоится|состоятся|будет\s+проходить|будут\s+проходить)\b",
    re.IGNORECASE,
)


def reads_as_date(text: str, finer_than_year: bool = False) -> bool:
    """A short text that is a time frame and nothing else («15 марта 2026 г.», «Январь»)."""
    if len(text) > SHORT_LIST_DATE:
        return False
    frame = timeframes.parse(text, default_year=2000)
    if finer_than_year and frame.precision in ("year", "years"):
        return False
    return frame.start is not None and frame.warning is None


def read_list_plan(document: SourceDocument) -> RawDocument:
    """The plan in a document with no plan table, read line by line."""
    return _ListPlan(document).read()


@dataclass(slots=True)
class _TimeHeading:
    """A line that gives the time of the lines under it: a time alone («08:00») or a time line
    that announces them with a colon («11:05 – Начало спортивных турниров:»)."""

    time: str
    announces: bool
    items: bool | None = None  # whether its lines are bulleted, as the first one is
    place: str = ""  # where its lines are («11.00 -14.00 - работа «Парка Победы» ( парк …):»)


class _ListPlan:
    def __init__(self, document: SourceDocument) -> None:
        self.document = document
        self.raw = RawDocument(source=document.source, title="")
        self.lines: list[tuple[int, str]] = []
        self.venue = ""  # a venue line's place: of the activities below it
        self.day = ""  # the date line above: the day of the times of day below it
        self.named_day = ""  # the one day the title names: of times with no date line above
        self.venue_rows: set[int] = set()  # the rows whose place is the venue above them
        self.settlement = ""  # a settlement heading's town: of the activities below it
        self.letter = ""  # the last lettered item's letter: the next item has the next one
        self.time_heading: _TimeHeading | None = None  # the time line above the lines below
        self.timed = False  # the last activity has a time of day: a programme goes on
        self.times_only = False  # and no day: a programme of times of day alone goes on
        self.ends_dated = False  # the last activity was an item ending with its time frame
        self.under_time_line = False  # the last activity is a time line or an item under one
        self.bulleted = False  # the last activity is a bulleted item of a dated list
        self.numbered_run: set[int] = set()  # the lines of a run numbered 1, 2, 3 …
        self.named_span = False  # `named_day` is a span of days the lead names
        self.daily = False  # a daily regime's times are below («Режим дня:»)

    def read(self) -> RawDocument:
        blocks = self.document.blocks
        self.lines = _lines(blocks)
        self.numbered_run = _numbered_run(self.lines)
        title: list[str] = []
        leading: list[tuple[int, str]] = []  # the lines before the first activity
        started = False  # whether the list has begun: the title is closed
        rows = 0
        # Whether the line before opened or continued a list of activities (a period heading,
        # an activity or a line of its parts, a venue line): bullets and times after it are rows.
        in_list = False
        index = 0
        while index < len(self.lines):
            number, text = self.lines[index]
            following = self.lines[index + 1][1] if index + 1 < len(self.lines) else ""
            if started and _TAG_LINE.match(text):
                self.raw.dateline = spaces(f"{self.raw.dateline} {text}")  # a page's, its year
                index += 1
                continue
            if self.bulleted and self.under_item(number, text):
                index += 1
                continue
            time = self.heading_time(text, following)
            names_list = not started and _NAMES_THE_LIST.match(text) is not None
            found = None if time is not None or names_list else self.activity(index, in_list)
            if time is not None or found is not None:
                if not started:
                    title.extend(self.leading_lines(leading, text))
                    started = True
                in_list = True
                if found is not None:
                    row, used = found
                    self.bulleted = self.dated_list_item(text, row)
                    self.add_row(row)
                    # a time line, or an item under one: the items below are at its time
                    self.under_time_line = _TIME_FIRST.match(text) is not None or (
                        self.under_time_line and _BULLET.match(text) is not None
                    )
                    rows += 1
                    index += used
                else:
                    self.head_times(number, text, time or "")
                    index += 1
                continue
            index += 1
            self.daily = self.daily or _DAILY_REGIME.search(text) is not None
            if rows and self.under_activity(text):
                continue
            heading = _heading_period(text)
            in_list = (
                heading is not None
                or (in_list and (_is_venue_line(text) or _heads_numbered_items(text, following)))
                or _ANNOUNCES_PROGRAMME.fullmatch(text) is not None
            )
            if not started:
                leading.append((number, text))
            else:
                in_list = self.list_line(number, text, heading, following) or in_list
        if rows < 2:
            self.refuse(blocks)
        self.date_programme_above()
        self.raw.title = spaces(" ".join(title))
        self.raw.columns.append(ColumnSet(("", ""), ("when", "title")))
        return self.raw

    def activity(self, index: int, in_list: bool) -> tuple[RawRow, int] | None:
        """The activity the line at `index` starts, and how many lines it takes; None for other
        lines."""
        number, text = self.lines[index]
        following = self.lines[index + 1][1] if index + 1 < len(self.lines) else ""
        if reads_as_date(text):
            return None  # «21 сентября 2018 - 23 сентября 2018»: a period, not an activity
        if _TIME_FIRST.match(following) and _day_and_place(text):
            return None  # «8 мая, Петергоф» over time lines: their day and place
        row = (
            (self.row_under_time(self.time_heading, number, text) if self.time_heading else None)
            or self.timed_item(number, text)
            or _labelled_row(number, text)
            or self.unmarked(_list_row(number, text))
            or self.programme_row(index, in_list)
            or _title_place_time(number, text)
            or _title_time_place(number, text)
            or _title_dash_time(number, text)
            or self.headed_row(number, text)
        )
        if row is not None:
            self.ends_dated = False
            return row, 1
        row = self.under_span(index) or self.timed_at_end(index, in_list)
        if row is not None:
            return row, 1
        if (_is_part_line(text) or _venue_and_time(text)) and not _NUMBERED_ITEM.match(text):
            return None  # a part of an activity, not a title (a numbered item is an activity)
        row = self.item_row(number, text, following, in_list)
        if row is not None:
            return row, 1
        if index in self.numbered_run:  # «1. Выставка …», «2. Открытие фестиваля …», …
            return RawRow(number, {"when": "", "title": _NUMBERED_LINE.sub("", text, count=1)}), 1
        return _over_its_parts(number, text, following)

    def headed_row(self, number: int, text: str) -> RawRow | None:
        """A heading run into its first item («Министерство «Школьного хозяйства»: Октябрь–
        проверка состояния кабинетов;»): the heading names the venue of the lines below it, as
        on a line of its own, and the rest is the activity."""
        head, colon, rest = text.partition(": ")
        if not colon or len(head) > SHORT_VENUE or _DIGIT.search(head):
            return None
        row = _list_row(number, rest)
        if row is not None:
            self.venue = head
        return row

    def timed_at_end(self, index: int, in_list: bool) -> RawRow | None:
        """A plain line closing with its time of day («Час здоровья … (Дареевичская с/б)
        11.00»): in a list, or followed by another such line."""
        number, text = self.lines[index]
        row = _timed_at_end(number, text)
        if row is None or not (text[:1].isupper() or text[:1] in '«"'):
            return None
        following = self.lines[index + 1][1] if index + 1 < len(self.lines) else ""
        return row if in_list or _timed_at_end(0, following) is not None else None

    def under_span(self, index: int) -> RawRow | None:
        """A plain line under a heading that names days («С 5 по 9 мая», then «Онлайн-акция
        «Окна Победы»»), or under such lines, an activity over those days — unless a time line
        follows it, which makes it the venue of the times below («Площадь Победы»)."""
        number, text = self.lines[index]
        following = self.lines[index + 1][1] if index + 1 < len(self.lines) else ""
        if _TIME_FIRST.match(following) or not _is_plain_line(text):
            return None
        for back in range(index - 1, max(-1, index - SPAN_ITEMS - 1), -1):
            above = self.lines[back][1]
            period = _heading_period(above)
            if period is not None:
                return (
                    RawRow(number, {"when": period, "title": text}) if _names_days(period) else None
                )
            if not _is_plain_line(above):
                return None
        return None

    def timed_item(self, number: int, text: str) -> RawRow | None:
        """In a programme under way (the last activity has a time), a bulleted «- 11.10 — …» is
        at a time like the lines around it, not on the 11th of October; so is «12.10 - Конные
        скачки» in a programme of times of day alone (no line of it has given a day)."""
        bulleted = _BULLET_BEFORE_CLOCK.match(text) if self.timed else None
        if bulleted is not None:
            return _timed_row(number, text[bulleted.end() :])
        return _timed_row(number, text) if self.times_only else None

    def programme_row(self, index: int, in_list: bool) -> RawRow | None:
        """A programme's line that starts with a date or a time of day: in a list, in a
        programme under way (its last activity has a time of day, though notes came between),
        or followed by another such line within a few lines, perhaps after a venue or a line of
        what goes on («9.30 Выставка …», «Ипподром», «11.00 Конные скачки»); a lone line is
        none."""
        row = _programme_row(*self.lines[index])
        if row is None:
            return self.dated_sentence(index)  # beside another one, or after time lines
        if in_list or self.timed:
            return row
        ahead = self.lines[index + 1 : index + 1 + PROGRAMME_GAP]
        return row if any(_programme_row(*line) is not None for line in ahead) else None

    def dated_sentence(self, index: int) -> RawRow | None:
        """A sentence that starts with its day, next to another such sentence («26.05. в 15.00
        на базе КДЦ «Дом Москвы» состоится районный праздник …», then «27.05. в 13.00 в КДЦ …»:
        a chronicle of coming events, each line one) or after the time lines of a programme
        under way («27 ноября 2016 г. в 12:00 на лыжной базе … состоятся …»)."""
        number, text = self.lines[index]
        if not _is_dated_sentence(text):
            return None
        before = self.lines[index - 1][1] if index else ""
        after = self.lines[index + 1][1] if index + 1 < len(self.lines) else ""
        if not (
            _is_dated_sentence(before)
            or _is_dated_sentence(after)
            or (self.timed and _TIME_FIRST.match(before))
        ):
            return None
        when, title = _leading_date(text)  # type: ignore[misc]
        return RawRow(number, {"when": when, "title": title})

    def heading_time(self, text: str, following: str) -> str | None:
        """The time of a line that heads the lines below it, which are no time lines: a time
        alone («08:00» above «• Обряд …»), «В течение дня» (the day, no time), a time line
        ending in a colon («11:05 – Начало турниров:», «12.45 – 13.30 Конкурсы:» above «–
        конкурс юрт;») or a line ending in a colon right under a time alone («14:00-17:00»,
        «Продолжение работы Форума:», then «– Презентация …»)."""
        if not following or _TIME_FIRST.match(following) or _TIME_ALONE.fullmatch(following):
            return None
        if _TIME_ALONE.fullmatch(text):
            return None if reads_as_date(text) else _at(text.strip(" .:"))  # «12.03» is a date
        if _ALL_DAY.fullmatch(text):
            return ""
        if not text.endswith(":"):
            return None
        above = self.time_heading
        if above is not None and not above.announces and above.items is None:
            return above.time
        timed = _timed_row(0, text)
        return timed.cells["when"] if timed is not None and "place" not in timed.cells else None

    def head_times(self, number: int, text: str, time: str) -> None:
        """A time heading: its time is of the lines under it; a line ending in a colon is kept
        as a note (a heading would stay the section of the activities after its own)."""
        announces = text.endswith(":")
        if announces:
            self.add_note(text, number)
        timed = _timed_row(0, text.rstrip(" :")) if announces else None
        place = _place_in_line(timed.cells["title"]) if timed is not None else ""
        self.time_heading = _TimeHeading(time, announces, place=place)

    def row_under_time(self, heading: _TimeHeading, number: int, text: str) -> RawRow | None:
        """A line under a time heading: an activity at its time (or on the day, under «В
        течение дня»). Every line typed as the first one is (bulleted, «– конкурс юрт;», or
        plain, «Пленарное заседание.»), up to a time or a date line; a line of parts («Место
        проведения: …») is none, and a sentence that starts with its verb («Выступают
        коллективы района.») goes on with the activity above."""
        if (
            _TIME_FIRST.match(text)
            or _TIME_ALONE.fullmatch(text)
            or _heading_period(text)
            or _day_and_place(text)
        ):
            self.time_heading = None
            return None
        if _is_part_line(text):
            return None
        item = self.item_body(text)
        if (heading.items is not None and heading.items != (item is not None)) or (
            item is None and heading.items is not None and _starts_with_verb(text)
        ):
            self.time_heading = None
            return None
        heading.items = item is not None
        when = heading.time or self.day or self.named_day
        cells = {"when": when, "title": item or text}
        return RawRow(number, {**cells, "place": heading.place} if heading.place else cells)

    def unmarked(self, row: RawRow | None) -> RawRow | None:
        """A row titled without the bullet, number or letter of its item («а) Новый год – 1
        января»)."""
        if row is not None:
            row.cells["title"] = self.item_body(row.cells["title"]) or row.cells["title"]
        return row

    def item_body(self, text: str) -> str | None:
        """A list item's text after its bullet, number or letter («- Экскурсия», «1. Акция», «б.
        День защитника Отечества»: «а» starts a lettered list, each next letter goes on); None
        for a line that is no item."""
        bullet = _BULLET.match(text)
        if bullet and len(text) > bullet.end():
            return text[bullet.end() :]
        lettered = _LETTERED.match(text)
        if lettered is None:
            return None
        letter = lettered.group(1)
        if letter != "а" and (
            not self.letter or _LETTERS.find(letter) != _LETTERS.find(self.letter) + 1
        ):
            return None
        self.letter = letter
        return text[lettered.end() :]

    def item_row(self, number: int, text: str, following: str, in_list: bool) -> RawRow | None:
        """A list item that ends with its time frame («а. Рождество 7 января»), or any item of a
        list under a period heading or right under a time line, at its time («12.00 - Открытие
        Вахты памяти», then «- Акция «Спасибо!»»); a plain line dated so in a run of such lines
        or right after an item dated so («День «ОХИ» 28 октября»; not a remark: «Заявки
        принимаются до 15 мая.» under undated items). An item ending in a colon heads the items
        below it."""
        body = self.item_body(text)
        if body is None:
            row = _dated_at_end(number, text)
            run = (in_list and self.ends_dated) or _dated_at_end(number, following) is not None
            row = row if run else None
        elif body.endswith(":"):
            return None
        else:
            row = _dated_at_end(number, body) or _timed_at_end(number, body)
            if row is None and in_list and not _is_list_heading(body):
                row = RawRow(number, {"when": self.time_above(), "title": body})
                self.ends_dated = False
                return row
        self.ends_dated = row is not None and bool(row.cells["when"])
        return row

    def time_above(self) -> str:
        """The time frame of the time line right above («12.00 - Открытие Вахты памяти»), for
        the items under it; "" when the line above is no timed activity."""
        last = self.raw.items[-1] if self.raw.items else None
        return last.cells["when"] if self.under_time_line and isinstance(last, RawRow) else ""

    def add_row(self, row: RawRow) -> None:
        """A new activity: at the time its line says it starts («Начало соревнований в 10.00
        ч»), on the day above it (or the title's) when it gives only a time of day, at the venue
        above it when it names no place; a day's activity heads the times below it."""
        when = row.cells["when"]
        frame = timeframes.parse(when, default_year=2000)
        start = _START_IN_LINE.search(row.cells["title"])
        if start and frame.start_time is None:
            when = row.cells["when"] = f"{when} в {start.group(1)}".strip()
            frame = timeframes.parse(when, default_year=2000)
            _title_before_start(row, start)
        # a span the lead names dates the times of a daily regime only («Режим дня»): other
        # times under it are on a day it does not say («Неделя спорта с 28 февраля по 3 марта»)
        named = self.named_day if self.daily or not self.named_span else ""
        day = self.day or named
        if when and frame.start is None and frame.start_time is not None and day:
            row.cells["when"] = f"{day} {when}"
        elif not when and not self.day and self.named_day:
            row.cells["when"] = self.named_day  # «В программе соревнований:», then «- Волейбол»
        elif frame.start is not None:
            # «25 СЕНТЯБРЯ – СЛЁТ», «1 октября 15:30-17:30 - работа комиссии» head the times
            # below; a span heads none
            self.day = _day_of(when, frame) if frame.precision == "day" else ""
        self.timed = frame.start_time is not None
        self.times_only = self.timed and frame.start is None and not day
        if self.timed and not row.cells.get("place"):
            _venue_before_title(row)
        if not row.cells.get("place"):
            place = _place_in_line(row.cells["title"])
            if place:
                row.cells["place"] = place
                visited = _SETTLEMENT_ALONE.fullmatch(place)
                if visited:  # «на станции Безменово»: a settlement, though no mark says so
                    row.cells["settlement"] = visited["name"]
            elif self.venue:
                row.cells["place"] = self.venue
                self.venue_rows.add(row.number)
        self.fill_parts(row)
        self.raw.items.append(row)

    def fill_parts(self, row: RawRow) -> None:
        """What a row's line holds besides its title and the list gives it: the party after a
        slash («Митинг «Моя весна!»/БУК «ТЦКР»»), the town of a settlement heading above."""
        if not row.cells.get("responsible"):
            party = _party_after_slash(row.cells["title"])
            if party is not None:
                row.cells["title"], row.cells["responsible"] = party
        if self.settlement and not row.cells.get("settlement"):
            row.cells["settlement"] = self.settlement  # used when the place names no town

    def dated_list_item(self, text: str, row: RawRow) -> bool:
        """Whether the row is a dashed item under a period heading that gives no time frame of
        its own («15 декабря», then «- Книжная выставка «Грация и сила» 6+»)."""
        if _DASHED.match(text) is None or row.cells["when"]:
            return False
        return any(isinstance(item, RawHeading) for item in self.raw.items)

    def under_item(self, number: int, text: str) -> bool:
        """A plain line under a dashed item of a dated list: its venue and time («Библиотека-
        филиал № 4 ежедневно с 10:00 до 19:00 до 30 декабря.», «… в 10:00 и 14:00.»), or its
        description (a sentence, kept as a note), no activity. False for other lines."""
        if _BULLET.match(text) or _TIME_FIRST.match(text) or _heading_period(text) is not None:
            return False
        last = next(item for item in reversed(self.raw.items) if isinstance(item, RawRow))
        venue_time = _VENUE_THEN_TIME.fullmatch(text)
        if venue_time is not None:
            last.cells["when"] = spaces(f"{last.cells['when']} {venue_time['time']}")
            if not last.cells.get("place") or last.number in self.venue_rows:
                last.cells["place"] = venue_time["venue"].strip(" ,")
                self.venue_rows.discard(last.number)
            return True
        if len(text.split()) < SENTENCE_WORDS or text.rstrip()[-1:] not in ".!…":
            return False
        self.add_note(text, number)
        return True

    def under_activity(self, text: str) -> bool:
        """A line under an activity that gives one of its parts: «Ответственный: …»,
        «Проводят …», «Место проведения: …», «Дата: …», «Время: …», «Продлится до …». Between a
        time heading and its lines, «Место проведения: …» is the place of those lines."""
        last = self.raw.items[-1] if self.raw.items else None
        if not isinstance(last, RawRow):
            return False
        who = _WHO_LINE.match(text)
        if who is not None:
            known = last.cells.get("responsible", "")
            last.cells["responsible"] = f"{known}; {who.group(1)}" if known else who.group(1)
            return True
        labelled = _LABELLED_LINE.fullmatch(text)
        if labelled is not None:
            value = labelled["value"]
            if _is_when_label(labelled["label"]):
                last.cells["when"] = spaces(f"{last.cells['when']} {value}")
                return True
            if self.time_heading is not None and self.time_heading.items is None:
                self.venue = value  # «11:30», «Место проведения: …», «• Церемония …»
                return True
            if not last.cells.get("place") or last.number in self.venue_rows:
                last.cells["place"] = value
                self.venue_rows.discard(last.number)
            frame = timeframes.parse(last.cells["when"], default_year=2000)
            if frame.start is not None and frame.start_time is None:
                self.venue = value  # a day's place: of its programme below too
            return True
        until = _UNTIL_LINE.fullmatch(text)
        if until is not None and reads_as_date(until.group(2)):
            own = timeframes.parse(last.cells["when"], default_year=2000)
            if own.start is not None:
                last.cells["when"] = f"{last.cells['when']} {until.group(1)} {until.group(2)}"
                return True
        return False

    def list_line(self, number: int, text: str, heading: str | None, following: str) -> bool:
        """A list plan's line between its activities that is none: a heading (a period, a line
        in capitals, a numbered part «2. Проведение праздников:» or a line above items lettered
        from «а»), a note, or a venue line, «Место проведения: …» or a short line ending in a
        colon (the place of the activities below it). True when the list goes on."""
        labelled = _LABELLED_LINE.fullmatch(text)
        lettered = _LETTERED.match(following)
        day_and_place = _day_and_place(text)
        if day_and_place is not None:
            self.raw.items.append(RawHeading(number, text))
            self.day, self.venue = day_and_place  # «8 мая, Петергоф»
            return True
        if _heads_numbered_items(text, following):
            self.raw.items.append(RawHeading(number, text))  # a section within the period
            return True
        if (
            heading is not None
            or (len(text) <= SHORT_HEADING and text.isupper())
            or _NUMBERED_PART.fullmatch(text)
            or (lettered is not None and lettered.group(1) == "а")
        ):
            self.raw.items.append(RawHeading(number, text))
            self.day = heading or ""
        elif labelled and not _is_when_label(labelled["label"]):
            self.venue = labelled["value"]  # «Место проведения – …» under a date heading
            return True
        elif _is_venue_line(text):
            self.venue = text
        elif (
            len(text) <= SHORT_VENUE
            and text.endswith(":")
            and not re.fullmatch(rf"{_WHO}\s*:", text, re.IGNORECASE)
        ):
            self.venue = _without_colon(text)  # «Села района (20 сел):», «Площадь Победы:»
            return True
        else:
            self.add_note(text, number)
        return False

    def leading_lines(self, leading: list[tuple[int, str]], first: str) -> list[str]:
        """The lines before a list plan's first activity (`first`): its title, except the last
        one when it is a period heading («Январь»), which heads the activities, or the heading of
        items lettered from «а», or a venue after a period heading or after the line that
        announces the programme («В программе мероприятия:», then «Праздничная ярмарка»; «24
        июня», then «Место проведения: Площадка №1»), or a settlement alone («с.Целинное»): the
        venue of the activities, or a date heading naming it («7 мая, Васильевский остров»).
        The one day the title names («Завтра, 6 июня 2015 года, на стадионе …») is the day of
        its times of day."""
        last = leading[-1][1] if leading else ""
        before = leading[-2][1] if len(leading) >= 2 else ""
        section = None  # «Январь», then «Культурно-досуговая деятельность» over numbered items
        if before and _heading_period(before) is not None and _heads_numbered_items(last, first):
            section = leading.pop()
            last, before = before, leading[-2][1] if len(leading) >= 2 else ""
        labelled = _LABELLED_LINE.fullmatch(last)
        lettered = _LETTERED.match(first)
        day_and_place = _day_and_place(last) if last else None
        if day_and_place is not None:
            self.venue = day_and_place[1]
        elif before and lettered is not None and lettered.group(1) == "а":
            self.raw.items.append(RawHeading(*leading.pop()))  # «Проведение праздников:»
        elif labelled and not _is_when_label(labelled["label"]) and _heading_period(before):
            self.venue = labelled["value"]
            leading.pop()
        elif _SETTLEMENT_LINE.fullmatch(last) or (
            before
            and _is_venue_line(last)
            and (before.endswith(":") or _heading_period(before) is not None)
        ):
            self.venue = last  # «21 июня», then «Районный Дом культуры»
            leading.pop()
        elif (named := _SETTLEMENT_HEADING.fullmatch(last)) is not None:
            self.settlement = named["name"]  # «станица Гиагинская»: the town of the lines below
            leading.pop()
        if day_and_place is not None:
            day: str | None = day_and_place[0]
        else:
            day = _heading_period(leading[-1][1]) if leading else None
        if day is not None:
            self.raw.items.append(RawHeading(*leading.pop()))
        if section is not None:
            self.raw.items.append(RawHeading(*section))
        title = self.title_lines(leading)
        # «В воскресенье, 30 июня, гуляния продолжатся в парке:» right above the list: its day,
        # whatever other days the news before it names
        self.name_the_day(title, _one_day_named([last]) if last.endswith(":") and leading else "")
        self.day = day or ""
        return title

    def name_the_day(self, title: list[str], announced: str) -> None:
        """The one day the title and lead name (`announced` by the line right above the list
        first), else the one span of days they name."""
        self.named_day = announced or _named_day(title)
        if not self.named_day:
            self.named_day = _named_span(title)
            self.named_span = bool(self.named_day)

    def title_lines(self, leading: list[tuple[int, str]]) -> list[str]:
        """The title's lines among the lines before the list, without the page's dateline
        («04 июля 2023 года 08:31»: when the page was posted, unless a «Время» or «Дата» line
        labels it; a day alone on the first line above a headline that announces its event
        without a day); the line under a «Место» line is the place of the programme; a heading
        that is a town alone («СЕРГИЕВ ПОСАД») is the town of the programme."""
        title = []
        announced = any(_ANNOUNCED.search(text) for _number, text in leading[1:])
        for at, (_number, text) in enumerate(leading):
            town = _town_alone(text) or _town_of_place_label(text)
            if at and _BARE_PLACE_LABEL.fullmatch(leading[at - 1][1]):
                self.venue = self.venue or text  # «Место», then «ДДТ им. А.И. Ефремова … г. …»
                town = town or _town_of_place(text)
            if town and not self.settlement:
                self.settlement = town
            labelled_when = at and _BARE_WHEN_LABEL.fullmatch(leading[at - 1][1])
            if (
                not self.raw.dateline
                and not labelled_when
                and (_is_dateline(text) or (at == 0 and announced and _is_dated_day(text)))
            ):
                self.raw.dateline = text
            else:
                title.append(text)
        return title

    def date_programme_above(self) -> None:
        """A day line after the list («26.08.2017, суббота» closing a city day's programme) is
        the day of a programme whose lines give only times of day, as a lead naming it is."""
        headings = [item for item in self.raw.items if not isinstance(item, RawNote)]
        if not headings or not isinstance(headings[-1], RawHeading):
            return
        day = headings[-1].text
        if timeframes.parse(day, default_year=2000).precision != "day":
            return
        rows = [item for item in headings if isinstance(item, RawRow)]
        timed = False
        for row in rows:
            frame = timeframes.parse(row.cells["when"], default_year=2000)
            if frame.start is not None:
                return  # a dated programme: the line is of something else
            timed = timed or frame.start_time is not None
        if timed:
            for row in rows:
                row.cells["when"] = spaces(f"{day} {row.cells['when']}")

    def refuse(self, blocks: Sequence[Paragraph | Table]) -> None:
        if not any(isinstance(block, Table) for block in blocks):
            raise PlanReadError(
                self.document.source,
                _(
                    "в документе нет таблицы плана и нет строк вида «7 апреля — Всемирный день "
                    "здоровья»"
                ),
            )
        raise PlanReadError(
            self.document.source,
            _(
                "не найдена таблица плана: ни одна строка таблиц не похожа на заголовок "
                "(«Сроки», «Мероприятие», «Место проведения», «Ответственный»), и ни в одном "
                "столбце нет дат"
            ),
        )

    def add_note(self, text: str, number: int) -> None:
        text = spaces(text)
        if text:
            self.raw.items.append(RawNote(number, text))


def _list_paragraphs(blocks: Sequence[Paragraph | Table]) -> list[Paragraph]:
    """A list plan's lines: its paragraphs, and its tables' rows (a list typed into a sheet)."""
    lines: list[Paragraph] = []
    for block in blocks:
        if isinstance(block, Paragraph):
            lines.append(block)
        else:
            lines.extend(
                Paragraph(row.number, " ".join(cell.text for cell in row.own if cell.text))
                for row in block.rows
            )
    return lines


def _lines(blocks: Sequence[Paragraph | Table]) -> list[tuple[int, str]]:
    """The list's lines with their paragraphs' numbers: a programme run into one paragraph
    apart, a time starting a line with a space after its point («13. 00 Служба») closed up,
    two times whose dash a copy lost («15:0016:00») parted,
    and a dashed list's item run on after the line before it («… до 30 декабря. -
    Арт-лаборатория «Рисуй, как художник»») on a line of its own."""
    lines = [
        (paragraph.number, RUN_TOGETHER_TIMES.sub(r"\1–\2", _SPACED_CLOCK.sub(r"\1.\2", line)))
        for paragraph in _list_paragraphs(blocks)
        if (text := spaces(paragraph.text))
        for line in _run_together(text)
    ]
    if sum(1 for _number, line in lines if _DASHED.match(line)) < 2:
        return lines
    return [(number, piece) for number, line in lines for piece in _ITEM_RUN_ON.split(line)]


def _over_its_parts(number: int, text: str, following: str) -> tuple[RawRow, int] | None:
    """A line followed by one of its venue and time («Открытие парка», then «Треуголка 10:00»;
    not under «Режим Дня:», which heads lines of their own titles and times), or by a labelled
    date («Дата: …»): the activity, and how many lines it takes."""
    venue_and_time = _venue_and_time(following)
    if venue_and_time is not None and venue_and_time[0] and text.endswith(":"):
        venue_and_time = None
    if venue_and_time is not None:
        venue, time = venue_and_time
        cells = {"when": _at(time), "title": text}
        return RawRow(number, {**cells, "place": venue} if venue else cells), 2
    labelled = _LABELLED_LINE.fullmatch(following)
    if labelled and _is_when_label(labelled["label"]):
        return RawRow(number, {"when": "", "title": text}), 1  # «Дата: …» comes next
    return None


def _numbered_run(lines: list[tuple[int, str]]) -> set[int]:
    """The lines of each run of at least NUMBERED_RUN lines numbered 1, 2, 3 … in turn with
    nothing between them: a programme's items («1. Выставка …», «2. Открытие фестиваля …»),
    each an activity though it gives no time frame (the day the title names is theirs)."""
    run: list[int] = []
    found: set[int] = set()
    for index, (_number, text) in enumerate(lines):
        numbered = _NUMBERED_LINE.match(text)
        if numbered is not None and int(numbered.group(1)) == len(run) + 1:
            run.append(index)
            continue
        if len(run) >= NUMBERED_RUN:
            found.update(run)
        run = [index] if numbered is not None and numbered.group(1) == "1" else []
    if len(run) >= NUMBERED_RUN:
        found.update(run)
    return found


def _run_together(text: str) -> list[str]:
    """A programme run into one paragraph («9 мая 2018 год: 10.00 -23.00 - народные гулянья …;
    9.00 - сбор участников …; … 22.00 - праздничный фейерверк.»), as its lines: a new line at
    each time of day followed by a dash (not the end of a span, «10.00 -23.00», nor a time after
    «с», «до», «в»), when there are at least RUN_TIMES of them; an item ending in a colon
    followed by dashed items run on («…: - Полевая кухня - «Стена памяти» - …») is a line and
    its items. Other paragraphs are one line."""
    if len(text) <= 2 * SHORT_HEADING:
        return [text]
    starts = []
    for found in _RUN_TIME.finditer(text):
        before = text[max(0, found.start() - 8) : found.start()].rstrip()
        if before and (before[-1] in "-–—" or _BEFORE_TIME.search(before)):
            continue
        starts.append(found.start())
    if len(starts) < RUN_TIMES:
        return [text]
    lines = []
    for start, end in zip([0, *starts], [*starts, len(text)], strict=True):
        piece = text[start:end].strip(" ;")
        items = _ITEMS_AFTER_COLON.search(piece)
        if items is None:
            lines.append(piece)
            continue
        lines.append(piece[: items.start() + 1])
        lines.extend(f"- {item}" for item in _RUN_DASH.split(piece[items.end() :]) if item)
    return [line for line in lines if line]


def _starts_with_verb(text: str) -> bool:
    """Whether a line starts with a verb («Выступают творческие коллективы района.»): a
    sentence about an activity, not the name of one («Пленарное заседание.», «Вручение …»)."""
    first = _FIRST_WORD.match(text)
    if first is None:
        return False
    found = parses(first.group())
    return bool(found) and found[0].tag.POS == "VERB"


def _is_venue_line(text: str) -> bool:
    """A programme's line naming where the activities below it are («Районный Дом культуры»,
    «парк Победы города Белореченска»): short, not a sentence, not a time frame, no time of day
    in it («Обязательно предоставить стенгазету до 17.00 часов» is a remark)."""
    return (
        len(text) <= SHORT_VENUE
        and not text.endswith((".", ";", ":", "!", "?"))
        and not reads_as_date(text)
        and not _TIME_FIRST.match(text)
        and not _TIME_INSIDE.search(text)
        and not _UNTIL_LINE.fullmatch(text)
    )


def _day_and_place(text: str) -> tuple[str, str] | None:
    """A date heading that names where its lines are, after a comma («8 мая, Петергоф», «7 мая,
    Васильевский остров»): the day and the place; None for other lines («26.08.2017, суббота» is
    a day alone, «1 октября, Концерт хора.» no place)."""
    day, comma, place = text.partition(",")
    place = place.strip()
    if not (comma and place and _DIGIT.search(day)) or not _is_venue_line(place):
        return None
    if _starts_with_verb(place) or reads_as_date(text):
        return None
    if not (_is_list_heading(day) and reads_as_date(day, finer_than_year=True)):
        return None
    return day, place


def _is_list_heading(text: str) -> bool:
    """A list plan's period heading: a short time frame alone, without a time of day (a date
    with a time above a list is the page's dateline: «04 июля 2023 года 08:31»)."""
    if len(text) > SHORT_HEADING or not reads_as_date(text):
        return False
    return timeframes.parse(text, default_year=2000).start_time is None


def _heading_period(text: str) -> str | None:
    """The period a heading line names: the line («09. 05. 2012г.», «28 февраля:»), or the line
    without its bullet («• 22 августа»); None for a line that is no period heading."""
    for period in (text, _BULLET.sub("", text, count=1)):
        if _is_list_heading(period):
            return _without_colon(period)
    return None


def _without_colon(text: str) -> str:
    return text.rstrip(": ")


def _at(time: str) -> str:
    """A time of day as a time frame: «12.10» alone is ten past twelve, «в 12.10», not a date."""
    return time if time[:1].lower() in ("с", "c", "в") else f"в {time}"


def _list_row(number: int, text: str) -> RawRow | None:
    """A list plan's line: a time frame, a dash or a colon, the activity («7 апреля — Всемирный
    день здоровья», «Апрель – май: экскурсии»: the longest time frame that starts the line;
    not the first day of a span the line starts with, «31.12.2007 – 01.01.2008 в 00.00 …»), or
    the activity and then its time frame, in brackets or after a dash, more precise than a year
    («Всемирный день здоровья — 7 апреля»). Days with their own hours joined by «;» are one
    time frame. The time frame may have its place after it, before the dash («1 октября в
    15:00 часов в городском доме культуры - концерт …») or closing the line («Гарцевское
    сельское поселение - 7 февраля в 14.00 Ковалевский СДК;»)."""
    best = None
    # days with their own hours joined by «;» («29 февраля - 14:00-20:00; 1-2 марта - …») are
    # one time frame, as long as they go on
    first_day = text.split(";", 1)[0]
    several = (
        len(first_day) < min(len(text), SHORT_LIST_DATE)
        and _DIGIT.search(first_day) is not None
        and reads_as_date(first_day)
    )
    reach = 3 * SHORT_LIST_DATE if several else SHORT_LIST_DATE
    for separator in _LIST_DASH.finditer(text[:reach]):
        head = text[: separator.start()].strip()
        if head and (
            all(reads_as_date(part.strip()) for part in head.split(";"))
            if several
            else reads_as_date(head)
        ):
            best = (head, text[separator.end() :].strip())
    if best is not None and best[1]:
        if best[1][0].isdigit() and _starts_longer_date(text, best[0]):
            return None  # «31.12.2007 – 01.01.2008 в 00.00 …»: a span, no dash after it
        return RawRow(number, {"when": best[0], "title": best[1]})
    if best is None:
        placed = _date_place_and_title(number, text)
        if placed is not None:
            return placed
    for title, when in _title_and_tail(text):
        if reads_as_date(when, finer_than_year=True):
            return RawRow(number, {"when": when, "title": title})
        placed_after = _date_and_place(when)
        if placed_after is not None:
            cells = {"when": placed_after[0], "title": title}
            return RawRow(number, {**cells, "place": placed_after[1]} if placed_after[1] else cells)
    return None


def _title_and_tail(text: str) -> list[tuple[str, str]]:
    """Where a line's title may end and its time frame follow: in brackets or after the first
    dash, or after a later dash («Открытие сезона» - горные лыжи - 29 декабря в 11.00, г/б
    «Снежинка»: the title holds a dash of its own)."""
    match = _TRAILING_DATE.fullmatch(text)
    splits = [(match.group(1).strip(), match.group(2).strip())] if match else []
    tail = max(0, len(text) - SHORT_LIST_DATE - SHORT_VENUE)
    for dash in _LATER_DASH.finditer(text, tail):
        title, when = text[: dash.start()].strip(), text[dash.end() :].strip(" .")
        if title and when and (title, when) not in splits:
            splits.append((title, when))
    return splits


def _starts_longer_date(text: str, head: str) -> bool:
    """Whether the line starts with a time frame longer than `head`, its first part."""
    leading = _leading_date(text)
    return leading is not None and len(leading[0]) > len(head)


def _date_place_and_title(number: int, text: str) -> RawRow | None:
    """A line of a time frame and a place, a dash, the activity («1 октября в 15:00 часов в
    городском доме культуры - концерт …», «1 октября библиотеке №2 - выставка …»). The place
    goes on in lower case: a capital after the date starts the activity («1 сентября День
    знаний - торжественная линейка»)."""
    if not _DATE_FIRST.match(text):
        return None
    separator = _LIST_DASH.search(text, 0, SHORT_LIST_DATE + SHORT_VENUE)
    title = text[separator.end() :].strip() if separator else ""
    placed = _date_and_place(text[: separator.start()]) if separator else None
    if placed is None or not title or _STARTS_ACTIVITY.match(placed[1]):
        return None
    cells = {"when": placed[0], "title": title}
    return RawRow(number, {**cells, "place": placed[1]} if placed[1] else cells)


def _date_and_place(text: str) -> tuple[str, str] | None:
    """A time frame finer than a year, then where («3 февраля в 16.00 Десятуховский СДК;»,
    «с 1 по 31 октября в городских школах»): the time frame and the place, short and no
    sentence («9 мая состоится …» is none). What goes on with «по» or «до» goes on with the
    time frame, whose end the parser does not read («С 15.04.2010 по окончание празднования»):
    no place."""
    leading = _leading_date(text)
    if leading is None:
        return None
    place = leading[1].strip(" ,;.")
    if not place or len(place) > SHORT_VENUE or _starts_with_verb(place):
        return None
    if _UNTIL.match(place):
        return text.strip(" ,;."), ""
    return leading[0], place


def _leading_date(text: str) -> tuple[str, str] | None:
    """The longest time frame finer than a year that starts a text, a day's or a span's, with
    a remark in brackets after it («27–30 апреля (последняя неделя апреля)»), and the rest;
    none that ends in a preposition («9 Мая во Всеволожске пройдет …» is a sentence)."""
    if not _DATE_FIRST.match(text):
        return None
    best = None
    for space in _SPACES.finditer(text[: SHORT_LIST_DATE + 1]):
        head = text[: space.start()]
        if (
            _DIGIT.search(head)
            and not _BEFORE_DATE.fullmatch(head.rsplit(" ", 1)[-1])
            and (reads_as_date(head, finer_than_year=True) or _is_date_with_remark(head))
        ):
            best = (head, text[space.end() :])
    return best


def _is_date_with_remark(text: str) -> bool:
    """A time frame with a remark in brackets after it («27–30 апреля (последняя неделя
    апреля)»), the remark no time frame the parser reads."""
    if not text.endswith(")") or "(" not in text:
        return False
    return reads_as_date(text[: text.rfind("(")].strip(), finer_than_year=True)


def _programme_row(number: int, text: str) -> RawRow | None:
    """A line that starts with a date or a time of day and goes on with the activity, perhaps
    after its number or bullet in the list («1. 11-00 часов – митинг …», «- 10:00. …»)."""
    numbered = _NUMBER_BEFORE_TIME.match(text)
    if numbered is not None:
        return _timed_row(number, text[numbered.end() :])
    return _dated_row(number, text) or _timed_row(number, text)


def _is_dated_sentence(text: str) -> bool:
    """A line that starts with its day and goes on with a sentence, no activity's title
    («26.05. в 15.00 на базе КДЦ … состоится …»)."""
    if not text or _TIME_FIRST.match(text) or text.endswith(":") or reads_as_date(text):
        return False
    leading = _leading_date(text)
    return (
        leading is not None
        and _FIRST_WORD.search(leading[1]) is not None
        and _dated_row(0, text) is None
    )


def _dated_row(number: int, text: str) -> RawRow | None:
    """A line that starts with a date and goes on with the activity, no dash between
    («05.05.2023г. Фестиваль …», «с 03.05.2023г Всероссийская акция …»): the longest date that
    starts the line, a day's or a span's, and after it a capital or a quote. A line that may
    start with a time of day is not one: «12.10 Урок» is ten past twelve, not 12 October; nor is
    a sentence the date starts («9 Мая во Всеволожске пройдет …»: the date ends in no
    preposition)."""
    if _TIME_FIRST.match(text):
        return None
    leading = _leading_date(text)
    if leading is None:
        return None
    when, title = leading
    if not (_STARTS_ACTIVITY.match(title) or _is_timed_title(when, title)):
        return None
    return RawRow(number, {"when": when, "title": title})


def _is_timed_title(when: str, title: str) -> bool:
    """Whether the text after a date and a time of day names an activity though it starts in
    lower case («25.12.2007-13.01.2008 в 10.00 и 13.00 проведение Новогодних утренников …»):
    not a place or a sentence («… в 13.00 в парке», «… в 13.00 состоится …»)."""
    return (
        _TIMES_OF_DAY.search(when) is not None
        and not _FUNCTION_WORD.match(title)
        and not _starts_with_verb(title)
    )


def _timed_row(number: int, text: str) -> RawRow | None:
    """A programme's line that starts with a time of day («11.30 Линейка», «15.30 —
    торжественное собрание», «с 04.00 – автопробег»), perhaps after the settlement it is in
    («Черусти. В 16.30 на площади …»: the place, and the title after the time), perhaps with
    its place after it: after a comma and then a dash, or a venue's abbreviation between
    dashes («11.00-12.00 – ГДК – Велопробег …»)."""
    settlement = _SETTLEMENT_FIRST.match(text)
    rest = text[settlement.end() :] if settlement else text
    placed = _TIME_PLACE_FIRST.fullmatch(rest) or _TIME_DASHED_PLACE.fullmatch(rest)
    if placed is not None:  # «10-30, аллея у пл. Ленина — открытая библиотечная площадка …»
        return RawRow(
            number,
            {"when": _at(placed["time"]), "title": placed["title"], "place": placed["place"]},
        )
    timed = _TIME_FIRST.match(rest)
    if timed is None or len(rest) <= timed.end():
        return None
    cells = {"when": _at(timed.group(1)), "title": rest[timed.end() :].strip()}
    if settlement:
        cells["place"] = cells["settlement"] = settlement.group(1)
    return RawRow(number, cells)


def _is_plain_line(text: str) -> bool:
    """A line of words that is no heading, time line, part or remark: what an activity's title
    under a period heading looks like («Акция «Георгиевская лента»»)."""
    return (text[:1].isupper() or text[:1] in '«"“') and not (
        text.endswith(":")
        or _TIME_FIRST.match(text)
        or _TIME_INSIDE.search(text)
        or reads_as_date(text)
        or _heading_period(text) is not None
        or _is_part_line(text)
    )


def _names_days(period: str) -> bool:
    """Whether a heading's period is a span of days («С 24 апреля по 9 мая», «1–3 мая»)."""
    frame = timeframes.parse(period, default_year=2000)
    return (
        frame.start is not None
        and frame.end is not None
        and frame.start < frame.end <= (frame.start + SPAN_DAYS)
    )


def _heads_numbered_items(text: str, following: str) -> bool:
    """Whether a line is a section's heading over numbered items («Справочно-библиографическое
    и информационное обслуживание», then «6. «Улыбнитесь!» – акция …»): a line of words with
    no number, date or time, the next line a numbered item."""
    return (
        _NUMBERED_ITEM.match(following) is not None
        and len(text) <= SHORT_SECTION
        and text[:1].isupper()
        and _DIGIT.search(text) is None
        and not text.endswith(":")
    )


def _town_of_place_label(text: str) -> str | None:
    """The one town a title line's place label names («Время: 18 февраля 2010 г. 11.30 Место:
    г. Москва, Поклонная гора»): the programme's town."""
    label = next(
        (found for found in _PART_LABEL.finditer(text) if not _is_when_label(found["label"])),
        None,
    )
    if label is None or label["label"].lower().startswith("ответствен"):
        return None
    return _town_of_place(text[label.end() :])


def _venue_before_title(row: RawRow) -> None:
    """A time line whose text is a venue, a dash and the activity («09.00. Мемориал «Вечный
    Огонь» - торжественно-памятное мероприятие …», «1 мая, 11.00 — 11.30, площадь перед
    районным домом культуры — Праздничное выступление …»): the venue is the place, the rest the
    title. The venue starts with the word of a place («Мемориал», «Стадион», «площадь», «ДК»)."""
    found = _VENUE_DASH_TITLE.fullmatch(row.cells["title"])
    if found is None or found["place"].count("«") != found["place"].count("»"):
        return  # «Детский праздник «Царство – государство …»»: a dash inside a name
    head = found["place"].split(maxsplit=1)[0].strip(',«"').lower()
    if head in _VENUE_HEADS:
        row.cells["place"], row.cells["title"] = found["place"].strip(" ,"), found["title"]


def _title_before_start(row: RawRow, start: re.Match[str]) -> None:
    """«Турнир по футболу. Начало в 9.00 на стадионе «Газовик» (п. Ростоши).»: the sentence
    before «Начало» is the title, and what follows the time, after «на»/«в», the place."""
    title = row.cells["title"]
    head = title[: start.start()].rstrip()
    if not head.endswith(".") or len(head) < 2 or head.count("(") > head.count(")"):
        return  # «(г. Черняховск, стадион «Прогресс». Начало …)»: a remark in brackets
    row.cells["title"] = head.rstrip(".").strip()
    rest = _PLACE_AFTER_START.match(title[start.end() :])
    if rest is not None and not row.cells.get("place"):
        row.cells["place"] = rest.group(1).strip(" .;")


def _town_of_place(text: str) -> str | None:
    place = read_place(text.strip(" ."))
    return place.cities[0].name if len(place.cities) == 1 else None


def _town_alone(text: str) -> str | None:
    """The town a heading line is, when it is nothing but a known town's name («Сергиев
    Посад», in capitals too); «Смоленск.» with its full stop opens a news item instead."""
    if text.rstrip().endswith("."):
        return None
    words = text.strip(" :").split()
    if not words or len(words) > 3:
        return None
    name = " ".join(words)
    place = read_place(name.title() if name.isupper() else name)
    if len(place.cities) == 1 and place.venue is None and not place.scope:
        return place.cities[0].name
    return None


def _title_time_place(number: int, text: str) -> RawRow | None:
    """A line that gives the title, a colon, the time and after a comma the venue («Кировский
    район: 17.00, парк "Молодёжный" (ул. Академика Павлова, 21).»), perhaps after its day
    («24 декабря откроется елка в Октябрьском районе: 17.00, сквер …»)."""
    found = _TITLE_TIME_PLACE.fullmatch(text)
    if found is None:
        return None
    when, title = _at(found["time"]), found["title"].strip()
    dated = _leading_date(title)
    if dated is not None:
        when, title = f"{dated[0]} {when}", dated[1]
    return RawRow(number, {"when": when, "title": title, "place": found["place"]})


def _party_after_slash(title: str) -> tuple[str, str] | None:
    """A title and the party after a slash closing it («Агитбригада «…»/БУК «ТЦКР»», «… /отдел
    культуры»): the slash's end names an organisation, a group or a person, never a word of
    the activity («вебинар/семинар»)."""
    head, slash, tail = title.rpartition("/")
    tail = tail.strip(" .;")
    if not slash or not head.strip() or not tail or len(tail) > 150:
        return None
    if classify(tail) == "other":
        return None
    return head.strip(), tail


def _title_place_time(number: int, text: str) -> RawRow | None:
    """A programme's line that gives the title, a dash, the venue and after a comma the time
    («"Победный май!" — парковая зона Вечного огня, 11.30 час.»)."""
    found = _TITLE_PLACE_TIME.fullmatch(text)
    if found is None:
        return None
    cells = {"when": _at(found["time"]), "title": found["title"], "place": found["place"]}
    return RawRow(number, cells)


def _title_dash_time(number: int, text: str) -> RawRow | None:
    """An afisha's line that ends in a dash and its time of day (`_TITLE_DASH_TIME`): the title
    is the text before the first dash, or after the venue and its colon; the venue is between
    the dashes or before the colon; of several sessions the first is the start."""
    found = _TITLE_DASH_TIME.fullmatch(text)
    if found is None:
        return None
    title, place = found["title"].strip(), (found["place"] or "").strip()
    opened = _VENUE_COLON.fullmatch(title)
    if opened is not None and not place:
        place, title = opened["place"].strip(), opened["title"].strip()
    cells = {"when": _at(found["time"]), "title": title}
    return RawRow(number, {**cells, "place": place} if place else cells)


def _labelled_row(number: int, text: str) -> RawRow | None:
    """A line of labelled parts («1) «Мини масленица», игровая программа: дата: 05 марта
    2022года, время: с 15-00 до 16-00 границы места проведения: площадь …»): the text before
    the first label is the title; it is an activity when a label gives its date or time."""
    labels = list(_PART_LABEL.finditer(text))
    if not any(_is_when_label(label["label"]) for label in labels):
        return None
    title = _BULLET.sub("", text[: labels[0].start()], count=1).strip(" :,;")
    if not title:
        return None
    when: list[str] = []
    dated = _list_row(number, title)  # «7 апреля — Лекция. Время: 10.00»
    if dated is not None:
        title = dated.cells["title"]
        when.append(dated.cells["when"])
    cells = {"title": title}
    for label, after in zip(labels, [*labels[1:], None], strict=True):
        value = text[label.end() : after.start() if after else len(text)].strip(" ,;")
        if _is_when_label(label["label"]):
            when.append(value)
        elif label["label"].lower().startswith("ответствен"):
            cells["responsible"] = value
        else:
            cells["place"] = value
    cells["when"] = " ".join(when)
    return RawRow(number, cells)


def _venue_and_time(text: str) -> tuple[str, str] | None:
    """A line of a venue and a time of day («Треуголка 10:00», «Кафе «Туманган» 20:00 –
    22:00», or only «Начало в 10:00»): the place and time of the activity on the line above."""
    alone = text.lstrip(" -–—")
    if alone != text.lstrip() and _TIME_ALONE.fullmatch(alone):
        return "", alone.rstrip(" .:")  # «— с 10.00 до 10.30» under «Выдача номеров …»
    match = _VENUE_AND_TIME.fullmatch(text)
    if match is None:
        return None
    venue = match["venue"].strip(" ,")
    if (
        len(venue) > SHORT_VENUE
        or _TIME_FIRST.match(text)
        or timeframes.parse(venue, default_year=2000).start is not None
    ):
        return None
    if _START_IN_LINE.match(text):
        return "", match["time"]  # «Начало в 10:00»: a time, no venue
    return venue, match["time"]


def _place_in_line(title: str) -> str:
    """The place a list line names besides its activity: a labelled one («…, место проведения
    - КОГОБУ Лицей г. Советска;», «… Место: Ротонда городского парка.»), a «по маршруту: …»
    route, a bracket at its end that names a settlement («(зал РДК с. Перемышль)»), a
    settlement closing it («… х. Челюскинец», «— в парке ст. Новоджерелиевской»: what follows
    the last dash) or the whole line («село Алтыновка;», «на станции Безменово»: a visit), or
    a place in a settlement («от Юбилейной площади г. Всеволожска …»). A settlement something
    comes from («(доставка Вечного огня из г. Боровск)») or that the activity is about («ко Дню
    освобождения г. Новоржева») is not one."""
    labelled = _PLACE_IN_LINE.search(title)
    if labelled:
        return labelled["place"].rstrip(" .;,")
    route = _ROUTE.search(title)
    if route:
        return route.group(1)
    bracket = _BRACKET_AT_END.search(title)
    if bracket and _names_settlement(bracket.group(1)):
        return bracket.group(1)
    if _SETTLEMENT_ALONE.fullmatch(title) or _is_address(title):
        return title.strip(" .;,!")
    at_end = _SETTLEMENT_AT_END.search(title)
    if at_end and at_end.start() > 0 and _is_where(title[: at_end.start()], at_end.group()):
        dash = _END_DASH.match(title[: at_end.start()])
        start = dash.end() if dash else at_end.start()
        return title[start:].strip(" .;,!")
    of_place = _SETTLEMENT_OF_PLACE.search(title)
    return of_place.group() if of_place else ""


def _is_address(title: str) -> bool:
    """Whether a line's activity is a visit to an address that names its settlement
    («Тюльганский район, п. Тюльган, ул. 8 Марта, 11;», «г. Соль-Илецк, ул. Ленинградская, 1
    (взрослые)/ул. Сорокинская, 10 (дети).»): its parts are a district, a settlement, a street
    and a house number."""
    parts = [part.strip() for part in title.strip(" .;,!").split(",")]
    return (
        len(parts) >= 2
        and all(_ADDRESS_PART.fullmatch(part) for part in parts)
        and any(_SETTLEMENT_LINE.match(part) for part in parts)
    )


def _is_where(before: str, settlement: str) -> bool:
    """Whether a settlement closing a line is where the activity is: not where something comes
    from («из г. Боровск»), nor, in an oblique case after a word that names no place, what the
    activity is about («ко Дню освобождения г. Новоржева»; but «в парке ст.
    Новоджерелиевской», «концертная программа х. Челюскинец»)."""
    if _FROM.search(before):
        return False
    if _AT.search(before) or re.match(r"(?:в|во|на)\s", settlement, re.IGNORECASE):
        return True
    written = settlement.rstrip(" .;,!").split(".")[-1].split()[-1]
    return not _OBLIQUE_ENDING.search(written) or _nominative(settlement) == written.lower()


@functools.lru_cache(maxsize=1024)
def _nominative(settlement: str) -> str:
    """The last word of the settlement's name in the nominative («г. Новоржева» → «новоржев»);
    "" for no settlement known."""
    cities = read_place(settlement).cities
    return cities[0].name.split()[-1].lower() if cities else ""


def _names_settlement(text: str) -> bool:
    """Whether a text names a settlement by its mark or its kind («парк … станицы
    Старощербиновская»), not as where something comes from."""
    return any(
        not _FROM.search(text[: mark.start()])
        for pattern in (_SETTLEMENT_NAMED, _SETTLEMENT_KIND)
        for mark in pattern.finditer(text)
    )


def _is_part_line(text: str) -> bool:
    """A line that gives a part of the activity above it: its parties, a labelled place, date or
    time, or its end («Ответственный: …», «Место проведения: …», «Продлится до 2 марта»)."""
    return bool(
        _WHO_LINE.match(text) or _LABELLED_LINE.fullmatch(text) or _UNTIL_LINE.fullmatch(text)
    )


def _timed_at_end(number: int, text: str) -> RawRow | None:
    """A line that ends with its time of day and no date (`_CLOSING_TIME`): the activity, at a
    venue in brackets before the time when the bracket names one."""
    found = _CLOSING_TIME.fullmatch(text.strip())
    if (
        found is None
        or reads_as_date(found["title"])
        or found["title"].rstrip().endswith(":")  # «Время: 18.00»: a part's label
        or _DEADLINE_WORD.search(found["title"]) is not None  # «… стенгазету до 17.00 часов»
        or _LABELLED_LINE.fullmatch(text.strip()) is not None
    ):
        return None
    frame = timeframes.parse(found["time"], default_year=2000)
    if frame.start is not None or frame.start_time is None or frame.warning is not None:
        return None
    title, place = found["title"].strip(" ,–—-"), found["place"]
    if place is not None and _VENUE_WORD.search(place) is None:
        title, place = f"{title} ({place})", None
    cells = {"when": found["time"], "title": title}
    return RawRow(number, {**cells, "place": place.strip()} if place else cells)


def _dated_at_end(number: int, text: str) -> RawRow | None:
    """A line that ends with its time frame after a space, no dash or bracket between («Рождество
    7 января», «Новый год (для взрослых и детей) 26-29 декабря», «Круглый стол систематически»):
    the longest time frame finer than a year, or a word of how often, that closes it."""
    split = _title_and_closing_date(text)
    if split is not None:
        return RawRow(number, {"when": split[1], "title": split[0]})
    head, comma, venue = text.rpartition(",")
    venue = venue.strip(" .;")
    if not comma or not _is_venue_line(venue) or _starts_with_verb(venue):
        return None
    split = _title_and_closing_date(head)  # «… 31 декабря в 11.00, освещенная трасса л/б …»
    if split is None or _TIMES_OF_DAY.search(split[1]) is None:
        return None
    return RawRow(number, {"when": split[1], "title": split[0], "place": venue})


@functools.lru_cache(maxsize=256)  # a line is asked about as itself and as the one before's next
def _title_and_closing_date(text: str) -> tuple[str, str] | None:
    """A line's title and the time frame closing it, as `_dated_at_end` reads them."""
    tail = max(0, len(text) - SHORT_LIST_DATE)
    starts = [word.start() for word in _WORD_WITH_DIGIT.finditer(text, tail)][-DATE_WORDS:]
    last = text.rstrip(" .;,").rsplit(" ", 1)
    if len(last) == 2 and _HOW_OFTEN.fullmatch(last[1]):
        starts.append(len(last[0]) + 1)
    for start in starts:
        before = _LAST_WORD.search(text, 0, start)
        if before and _ISSUED.fullmatch(before.group(1)):
            continue  # «Утверждено приказом от 12.01.2024»: a document's date
        if before and _BEFORE_DATE.fullmatch(before.group(1)):
            start = before.start(1)  # «… до 5 мая»
        title, when = _END_OF_TITLE.sub("", text[:start]), text[start:].rstrip(" .;,")
        often = _HOW_OFTEN.fullmatch(when) is not None
        if title and reads_as_date(when, finer_than_year=not often):
            return title, when
    return None


def _named_day(lines: list[str]) -> str:
    """The one day a programme's title and lead name («Завтра, 6 июня 2015 года, …», «28 мая в
    Березовой роще …», «Программа … 9 мая»): the day of its times of day. "" when they name
    none or several («24 и 25 июня»), not counting a span's ends, a deadline or a document's
    date («с 28 февраля по 3 марта», «до 15 мая», «от 12 января 2026 г.»). A day the lead's
    sentences name comes before a date alone on its line (a news page's «30 июля 2018»)."""
    in_sentences = [line for line in lines if not reads_as_date(line)]
    if len(in_sentences) < len(lines):
        day = _one_day_named(in_sentences)
        if day:
            return day
    return _one_day_named(lines)


def _named_span(lines: list[str]) -> str:
    """The one span of days the title and lead name when they name no one day («С 1 по 22 июня
    2024 года … будет функционировать летний лагерь»): the period of the activities listed with
    no day of their own (a camp's programme, its daily regime). "" when they name none or
    several."""
    spans = {found.group().lower() for line in lines for found in _SPAN_NAMED.finditer(line)}
    if len(spans) != 1:
        return ""
    span = spans.pop()
    frame = timeframes.parse(span, default_year=2000)
    return span if frame.precision == "days" and frame.warning is None else ""


def _one_day_named(lines: list[str]) -> str:
    days: dict[tuple[int, str], str] = {}
    for line in lines:
        for found in _DAYS_NAMED.finditer(line):
            if _NOT_THE_DAY.search(line[: found.start()]):
                continue
            if not found.group(1).isdigit():
                return ""  # «24 и 25 июня»: two days
            key = (int(found.group(1)), found.group(2).lower())
            if found.group(3) or key not in days:
                days[key] = found.group()
    return next(iter(days.values())) if len(days) == 1 else ""


def _day_of(when: str, frame: timeframes.Timeframe) -> str:
    """The day of a one-day time frame without its times of day («1 октября 15:30-17:30» → «1
    октября»); "" when what is left is no day."""
    if frame.start_time is None and frame.end_time is None:
        return when
    day = spaces(_TIMES_OF_DAY.sub(" ", when)).strip(" ,:;-–—")
    left = timeframes.parse(day, default_year=2000)
    return day if left.precision == "day" and left.warning is None else ""


def _is_when_label(label: str) -> bool:
    """«Дата», «время», «сроки»: a label of the activity's time frame, not of its place."""
    return re.fullmatch(_WHEN_LABEL, label, re.IGNORECASE) is not None
