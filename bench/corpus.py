"""Benchmark: how much of real published plans the reader gets right, field by field (issue 12).

Reads every fixture of tests/data/corpus (real plans of Russian organisations with their
reading written by hand, listed in tests/data/corpus/SOURCES.md) and the 2024 seed, and prints
per field the corpus score next to the seed's and the target, then the documents refused and
the worst documents of each field with their first misses. The scoring is
tests/plandoc/corpus.py; tests/plandoc/test_corpus.py asserts the target.

    .venv/bin/python -m bench.corpus [--worst N] [--misses N]
"""

from __future__ import annotations

import argparse

from tests.plandoc.corpus import (
    FIELDS,
    HELD_OUT,
    TARGET,
    CorpusScore,
    DocumentScore,
    score_corpus,
    score_seed,
)


def _cell(score: CorpusScore, name: str) -> str:
    right, total = score.totals(name)
    return f"{score.ratio(name):6.1%} ({right}/{total})"


def _short(value: object, width: int = 70) -> str:
    text = repr(value)
    return text if len(text) <= width else text[: width - 1] + "…"


def print_table(corpus: CorpusScore, seed: CorpusScore, held_out: CorpusScore) -> None:
    print(f"{'field':<12} {'corpus':>18} {'seed':>18} {'held out':>18} {'target':>8}")
    for name in (*FIELDS, "year"):
        mark = "" if min(corpus.ratio(name), held_out.ratio(name)) >= TARGET else "  below target"
        print(
            f"{name:<12} {_cell(corpus, name):>18} {_cell(seed, name):>18}"
            f" {_cell(held_out, name):>18} {TARGET:>8.0%}{mark}"
        )
    refused = len(corpus.refused) + len(held_out.refused)
    print(
        f"{'refused':<12} {len(corpus.refused):>18} {len(seed.refused):>18}"
        f" {len(held_out.refused):>18} {0:>8}{'  above target' if refused else ''}"
    )
    print(
        "held out: real plans the reader was never tuned against (tests/data/corpus-held-out),"
        " the measure of plans it has not seen"
    )
    documents = corpus.documents
    print(
        f"\n{len(documents)} documents, "
        f"{sum(d.expected_activities for d in documents)} expected activities, "
        f"{sum(d.read_activities for d in documents)} read, "
        f"{sum(d.unaligned for d in documents)} expected ones not found, "
        f"{sum(d.extra for d in documents)} read ones matching none"
    )


def print_refused(corpus: CorpusScore) -> None:
    if not corpus.refused:
        return
    print("\nRefused:")
    for document in corpus.refused:
        print(f"  {document.name}: {document.refused}")


def print_worst(corpus: CorpusScore, worst: int, misses: int) -> None:
    read = [d for d in corpus.documents if d.refused is None]
    for name in FIELDS:
        ranked = sorted(
            (d for d in read if d.ratio(name) < 1.0), key=lambda d: (d.ratio(name), d.name)
        )
        if not ranked:
            continue
        print(f"\nWorst for {name}:")
        for document in ranked[:worst]:
            _print_document(document, name, misses)
    wrong_year = [d for d in read if not d.year_right]
    if wrong_year:
        print("\nYear wrong:")
        for document in wrong_year:
            print(
                f"  {document.name}: expected {document.year_expected}, read {document.year_read}"
            )


def _print_document(document: DocumentScore, name: str, misses: int) -> None:
    right, total = document.fields[name]
    print(
        f"  {document.name}: {right}/{total}"
        f" (read {document.read_activities} of {document.expected_activities} activities,"
        f" {document.unaligned} not found, {document.extra} extra)"
    )
    for miss in [m for m in document.misses if m.field == name][:misses]:
        print(f"    - {_short(miss.title, 60)}")
        print(f"        expected {_short(miss.expected)}")
        print(f"        read     {_short(miss.read) if miss.read is not None else '(not found)'}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--worst", type=int, default=5, help="documents shown per field")
    parser.add_argument("--misses", type=int, default=2, help="misses shown per document")
    args = parser.parse_args()
    corpus, seed, held_out = score_corpus(), score_seed(), score_corpus(HELD_OUT)
    print_table(corpus, seed, held_out)
    print_refused(corpus)
    print_refused(held_out)
    print_worst(corpus, args.worst, args.misses)


if __name__ == "__main__":
    main()
