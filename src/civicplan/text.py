"""Text as CivicPlan compares it, for every layer (pure Python: no Django)."""

from __future__ import annotations


def fold(text: str) -> str:
    """Case folded, ё as е, runs of white space as one space, no space at the ends: two
    spellings that differ only in these are the same name, title or search word."""
    return " ".join(text.casefold().replace("ё", "е").split())
