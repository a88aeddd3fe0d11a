"""Which juror reviews which entry (pure Python: no Django, so it is tested with hypothesis).

Each entry goes to `per_entry` jurors, or to every juror it may go to when fewer may; never to a
juror in conflict with it: one of its people (the applicant's account or address), one of its
organisations or its city; nor to a juror who declared a conflict with it. Pairs already made
(`kept`) stay while they are allowed — a juror's work is never taken away by a new run — and new
pairs top them up.

How: the entries with the fewest allowed jurors are served first, each from the least loaded of
its allowed jurors (ties by id); then, while a juror has two or more entries more than another
who may take one of them, such a new pair moves to the lighter juror (each move lowers the sum
of squared loads, so this ends). Without conflicts the loads end at most one apart; with them,
no single move of a new pair can bring two loads closer. Entries and jurors are read in id
order, so the same input gives the same output whatever order it came in.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass

Pair = tuple[int, int]  # (entry id, juror id)


@dataclass(frozen=True)
class Party:
    """An entry or a juror as a conflict of interest sees them: folded keys of their people
    (accounts, addresses), their organisations, and their city ("" when unknown)."""

    id: int
    people: frozenset[str] = frozenset()
    organisations: frozenset[str] = frozenset()
    city: str = ""


def in_conflict(entry: Party, juror: Party) -> bool:
    """The juror is the applicant, or of the entry's organisation or city."""
    return bool(
        entry.people & juror.people
        or entry.organisations & juror.organisations
        or (entry.city and entry.city == juror.city)
    )


def allowed_jurors(
    entry: Party, jurors: Iterable[Party], declined: Collection[Pair] = ()
) -> list[int]:
    return [
        juror.id
        for juror in jurors
        if not in_conflict(entry, juror) and (entry.id, juror.id) not in declined
    ]


def assign(
    entries: Iterable[Party],
    jurors: Iterable[Party],
    per_entry: int,
    kept: Collection[Pair] = (),
    declined: Collection[Pair] = (),
) -> dict[int, tuple[int, ...]]:
    """Each entry's jurors (in id order), the allowed kept pairs included."""
    entries = sorted(entries, key=lambda party: party.id)
    jurors = sorted(jurors, key=lambda party: party.id)
    declined = set(declined)
    allowed = {entry.id: allowed_jurors(entry, jurors, declined) for entry in entries}
    chosen: dict[int, set[int]] = {entry.id: set() for entry in entries}
    load = {juror.id: 0 for juror in jurors}
    for entry_id, juror_id in sorted(set(kept)):
        if juror_id in allowed.get(entry_id, ()):
            chosen[entry_id].add(juror_id)
            load[juror_id] += 1
    new: set[Pair] = set()
    # The most constrained entries first: they have the fewest jurors to choose from.
    for entry in sorted(entries, key=lambda party: (len(allowed[party.id]), party.id)):
        wanted = min(per_entry, len(allowed[entry.id])) - len(chosen[entry.id])
        free = [juror for juror in allowed[entry.id] if juror not in chosen[entry.id]]
        for juror_id in sorted(free, key=lambda juror: (load[juror], juror))[: max(wanted, 0)]:
            chosen[entry.id].add(juror_id)
            load[juror_id] += 1
            new.add((entry.id, juror_id))
    _balance(chosen, allowed, load, new)
    return {entry_id: tuple(sorted(jurors_of)) for entry_id, jurors_of in chosen.items()}


def _balance(
    chosen: dict[int, set[int]],
    allowed: dict[int, list[int]],
    load: dict[int, int],
    new: set[Pair],
) -> None:
    """Move new pairs from the heavier juror to a lighter one while one can move."""
    while (move := _a_move(chosen, allowed, load, new)) is not None:
        entry_id, heavy, light = move
        chosen[entry_id].discard(heavy)
        chosen[entry_id].add(light)
        new.discard((entry_id, heavy))
        new.add((entry_id, light))
        load[heavy] -= 1
        load[light] += 1


def _a_move(
    chosen: dict[int, set[int]],
    allowed: dict[int, list[int]],
    load: dict[int, int],
    new: set[Pair],
) -> tuple[int, int, int] | None:
    """The first move (entry, from, to) that brings two loads closer, or None: from the
    heaviest jurors, to the lightest."""
    light_first = sorted(load, key=lambda juror: (load[juror], juror))
    for entry_id, heavy in sorted(new, key=lambda pair: (-load[pair[1]], pair[1], pair[0])):
        for light in light_first:
            if load[light] + 2 > load[heavy]:
                break
            if light not in chosen[entry_id] and light in allowed[entry_id]:
                return entry_id, heavy, light
    return None


def loads(assigned: dict[int, tuple[int, ...]], juror_ids: Iterable[int]) -> dict[int, int]:
    """How many entries each juror has."""
    counted = dict.fromkeys(juror_ids, 0)
    for jurors_of in assigned.values():
        for juror_id in jurors_of:
            counted[juror_id] = counted.get(juror_id, 0) + 1
    return counted
