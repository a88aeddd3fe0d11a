"""What an activity is, read from its title: its kind and whether the association organises it."""

from __future__ import annotations

import functools
import re

# Word stems of each kind. The first one found in the title (outside «quoted names») wins, so
# "Организация сессии … на международной конференции" is a session.
_KIND_STEMS = (
    ("telethon", r"телемарафон|телетон"),
    ("conference", r"конференц"),
    ("forum", r"форум"),
    ("congress", r"конгресс|съезд"),
    ("contest", r"конкурс|олимпиад|чемпионат|премии|премия"),
    ("ceremony", r"церемони|награждени"),
    ("festival", r"фестивал"),
    ("session", r"сесси|кругл\w*\s+стол|панельн\w*\s+дискусси"),
    (
        "education",
        r"вебинар|семинар|образовательн|обучени|тренинг|лекци|мастер-класс|курс\w*\s+повышени|школ\w*\s+(?:здоровья|лидер|мэр)",
    ),
    ("publication", r"издани|публикаци|сборник|пособи|брошюр|выпуск"),
    ("meeting", r"совещани|собрани|заседани|встреч|совет[ае]?\b|совете\b|коллеги"),
    ("campaign", r"акци|кампани|флешмоб|марафон|декад[аы]\s|месячник|недел[ия]\s+здоровья"),
    ("project", r"проект|программ"),
)
_KIND_PATTERN = re.compile(
    "|".join(f"(?P<{kind}>\\b(?:{stems}))" for kind, stems in _KIND_STEMS), re.IGNORECASE
)
_QUOTED = re.compile(r"«[^«»]*»|\"[^\"]*\"|“[^”]*”")
_GENERIC = re.compile(r"\b(?:и\s+)?(?:другие|иные|прочие|др\.)\s+мероприяти", re.IGNORECASE)
_PARTICIPATION = re.compile(r"^\s*(?:участие|участвовать|выступление|посещение)\b", re.IGNORECASE)


@functools.lru_cache(maxsize=4096)
def read_kind(title: str) -> str:
    """The activity's kind; "other" for "конференции, форумы … и другие мероприятия" (kept for
    titles written again: a plan repeats its kinds of activity)."""
    text = _QUOTED.sub(" ", title)
    if _GENERIC.search(text):
        return "other"
    match = _KIND_PATTERN.search(text) or _KIND_PATTERN.search(title)
    return match.lastgroup if match and match.lastgroup else "other"


def read_involvement(title: str) -> str:
    """ "participant" when the association takes part ("Участие в …"), else "organiser"."""
    return "participant" if _PARTICIPATION.search(title) else "organiser"
