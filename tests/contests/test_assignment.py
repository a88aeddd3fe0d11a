"""The jury's assignment (contests.assignment, pure): never a conflicting entry, every entry to
min(N, its allowed jurors), loads as even as single moves can make them, the same output for
the same input in any order, kept pairs kept."""

from __future__ import annotations

import random

from hypothesis import given, settings
from hypothesis import strategies as st

from civicplan.contests.assignment import Party, allowed_jurors, assign, in_conflict, loads

ORGANISATIONS = ("череповец", "пермь", "мгу", "вшэ", "")
CITIES = ("череповец", "пермь", "москва", "")


def _parties(draw, count: int, start: int) -> list[Party]:
    found = []
    next_id = start
    for _number in range(count):
        next_id += draw(st.integers(1, 3))  # ids with gaps, as a database gives them
        organisation = draw(st.sampled_from(ORGANISATIONS))
        found.append(
            Party(
                id=next_id,
                people=frozenset({draw(st.sampled_from(("a@x.ru", "b@x.ru", "c@x.ru", "-")))})
                - {"-"},
                organisations=frozenset({organisation} - {""}),
                city=draw(st.sampled_from(CITIES)),
            )
        )
    return found


@st.composite
def contests(draw, conflicts: bool = True):
    entries = _parties(draw, draw(st.integers(0, 40)), 1)
    jurors = _parties(draw, draw(st.integers(0, 8)), 1000)
    if not conflicts:
        entries = [Party(entry.id) for entry in entries]
        jurors = [Party(juror.id) for juror in jurors]
    per_entry = draw(st.integers(1, 5))
    declined = set()
    if entries and jurors and conflicts:
        for _ in range(draw(st.integers(0, 10))):
            declined.add((draw(st.sampled_from(entries)).id, draw(st.sampled_from(jurors)).id))
    return entries, jurors, per_entry, declined


def _movable(assigned, entries, jurors, declined) -> list[tuple[int, int, int]]:
    """Moves of one pair that would bring two loads closer."""
    load = loads(assigned, [juror.id for juror in jurors])
    allowed = {entry.id: set(allowed_jurors(entry, jurors, declined)) for entry in entries}
    return [
        (entry_id, heavy, light)
        for entry_id, jurors_of in assigned.items()
        for heavy in jurors_of
        for light in allowed[entry_id] - set(jurors_of)
        if load[heavy] >= load[light] + 2
    ]


@settings(max_examples=300, deadline=None)
@given(contests())
def test_no_conflict_every_entry_served_balanced(contest) -> None:
    entries, jurors, per_entry, declined = contest
    assigned = assign(entries, jurors, per_entry, declined=declined)
    by_id = {juror.id: juror for juror in jurors}
    assert set(assigned) == {entry.id for entry in entries}
    for entry in entries:
        jurors_of = assigned[entry.id]
        assert len(set(jurors_of)) == len(jurors_of)
        for juror_id in jurors_of:
            assert not in_conflict(entry, by_id[juror_id])
            assert (entry.id, juror_id) not in declined
        allowed = allowed_jurors(entry, jurors, declined)
        assert len(jurors_of) == min(per_entry, len(allowed))
    assert _movable(assigned, entries, jurors, declined) == []


@settings(max_examples=200, deadline=None)
@given(contests(conflicts=False))
def test_without_conflicts_loads_differ_by_at_most_one(contest) -> None:
    entries, jurors, per_entry, _declined = contest
    assigned = assign(entries, jurors, per_entry)
    counted = loads(assigned, [juror.id for juror in jurors])
    if counted:
        assert max(counted.values()) - min(counted.values()) <= 1
    assert sum(counted.values()) == len(entries) * min(per_entry, len(jurors))


@settings(max_examples=200, deadline=None)
@given(contests(), st.randoms(use_true_random=False))
def test_the_same_input_gives_the_same_output_in_any_order(contest, shuffler: random.Random):
    entries, jurors, per_entry, declined = contest
    first = assign(entries, jurors, per_entry, declined=declined)
    shuffled_entries, shuffled_jurors = list(entries), list(jurors)
    shuffler.shuffle(shuffled_entries)
    shuffler.shuffle(shuffled_jurors)
    again = assign(shuffled_entries, shuffled_jurors, per_entry, declined=sorted(declined))
    assert again == first
    assert list(again) == list(first)


@settings(max_examples=200, deadline=None)
@given(contests(), st.data())
def test_kept_pairs_stay_while_allowed_and_are_topped_up(contest, data) -> None:
    entries, jurors, per_entry, declined = contest
    if not entries or not jurors:
        return
    kept = {
        (data.draw(st.sampled_from(entries)).id, data.draw(st.sampled_from(jurors)).id)
        for _ in range(data.draw(st.integers(0, 15)))
    }
    by_entry = {entry.id: entry for entry in entries}
    by_juror = {juror.id: juror for juror in jurors}
    assigned = assign(entries, jurors, per_entry, kept=kept, declined=declined)
    for entry_id, juror_id in kept:
        allowed = not in_conflict(by_entry[entry_id], by_juror[juror_id]) and (
            (entry_id, juror_id) not in declined
        )
        assert (juror_id in assigned[entry_id]) == allowed
    for entry in entries:
        jurors_of = assigned[entry.id]
        assert all(not in_conflict(entry, by_juror[juror_id]) for juror_id in jurors_of)
        assert len(jurors_of) >= min(per_entry, len(allowed_jurors(entry, jurors, declined)))


def test_a_juror_of_the_entrys_organisation_or_city_or_its_applicant_never_gets_it() -> None:
    entry = Party(1, frozenset({"anna@x.ru"}), frozenset({"мэрия череповца"}), "череповец")
    jurors = [
        Party(10, frozenset({"anna@x.ru"})),  # the applicant
        Party(11, organisations=frozenset({"мэрия череповца"})),
        Party(12, city="череповец"),
        Party(13, city="пермь"),
        Party(14),
    ]
    assert assign([entry], jurors, 3) == {1: (13, 14)}
    assert assign([entry], jurors, 3, declined={(1, 13)}) == {1: (14,)}


def test_sixty_entries_to_six_jurors_three_each() -> None:
    entries = [Party(number) for number in range(1, 61)]
    jurors = [Party(100 + number) for number in range(6)]
    assigned = assign(entries, jurors, 3)
    assert set(loads(assigned, [juror.id for juror in jurors]).values()) == {30}


def test_the_module_is_pure() -> None:
    import civicplan.contests.assignment as module

    with open(module.__file__, encoding="utf-8") as source:
        assert "django" not in source.read()
