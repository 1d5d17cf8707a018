"""Figures of one canonical event: the latest per claimant, the value per kind, and what was superseded."""
from __future__ import annotations

from datetime import date
from typing import Iterable

from .model import EventReport, Figure

KIND_ORDER = ("launched", "intercepted", "killed", "injured")


def _claimant_key(report: EventReport, figure: Figure) -> str:
    # an unattributed figure is the article's own claim: two outlets' bare figures are two claimants
    return figure.claimant or f"article:{report.article}"


def summarise(reports: Iterable[EventReport]) -> tuple[tuple[tuple[str, int, str], ...], tuple[str, ...],
                                                       tuple[tuple[str, str], ...], tuple[str, ...]]:
    """(figures, claims, superseded, claimants) of the reports of one event.

    A claimant's latest figure of a kind is the one from its most recently published article (within one
    article, the highest: a toll that rises is written "rose to 23 from 19"). Earlier figures of that
    claimant that differ are superseded by it, never dropped. The event's figure of a kind is the highest
    latest figure across claimants; a kind nobody reported is absent, never zero.
    """
    by_claim: dict[tuple[str, str], list[tuple[date, str, int, Figure]]] = {}
    claims: set[str] = set()
    claimants: set[str] = set()
    for r in reports:
        for f in r.figures:
            claims.add(f.quantity)
            if f.claimant:
                claimants.add(f.claimant)
            by_claim.setdefault((f.kind, _claimant_key(r, f)), []).append((r.published or date.min, r.article,
                                                                          f.position, f))
    best: dict[str, tuple[int, str]] = {}
    superseded: set[tuple[str, str]] = set()
    for (kind, _claimant), items in by_claim.items():
        newest = max(day for day, *_ in items)
        latest = max((it for it in items if it[0] == newest), key=lambda it: (it[3].value, it[1], it[2]))[3]
        for day, article, _pos, f in items:
            # only a named claimant's figure is superseded: two bare figures of one article may count
            # different things (the extractor cannot always tell a subset), so neither replaces the other
            if f.claimant and f.value != latest.value and (day < newest or article == _article(items, latest)):
                superseded.add((f.quantity, latest.quantity))
        current = best.get(kind)
        if current is None or (latest.value, _neg(latest.quantity)) > (current[0], _neg(current[1])):
            best[kind] = (latest.value, latest.quantity)
    figures = tuple((k, best[k][0], best[k][1]) for k in KIND_ORDER if k in best)
    return figures, tuple(sorted(claims)), tuple(sorted(superseded)), tuple(sorted(claimants))


def _article(items: list[tuple[date, str, int, Figure]], figure: Figure) -> str:
    return next(article for _d, article, _p, f in items if f is figure)


def _neg(iri: str) -> tuple[int, ...]:
    # ties between equal values go to the smallest IRI, whatever the input order
    return tuple(-ord(c) for c in iri)
