"""Figures of one canonical event: the latest per claimant, the value per kind, and what was superseded."""
from __future__ import annotations

from datetime import date
from typing import Iterable

from .model import EventReport, Figure

KIND_ORDER = ("launched", "intercepted", "killed", "injured")

Summary = tuple[tuple[tuple[str, int, tuple[str, ...]], ...], tuple[str, ...], tuple[tuple[str, str], ...], tuple[str, ...]]


def _claimant_key(report: EventReport, figure: Figure) -> str:
    # an unattributed figure is the article's own claim: two outlets' bare figures are two claimants
    return figure.claimant or f"article:{report.article}"


def article_value(figures: list[Figure]) -> tuple[int, tuple[str, ...]]:
    """One article's figure of a kind from one claimant, and the counts it is made of. Counts of different
    weapons add up ("539 drones and 11 missiles" launched 550); a count that names no weapon is a total;
    of two counts of the same weapon the higher is the later one ("rose to 23")."""
    by_weapon: dict[str, Figure] = {}
    for f in sorted(figures, key=lambda f: (f.value, f.position, f.quantity)):
        by_weapon[f.weapon] = f  # the highest of each weapon
    total = by_weapon.pop("", None)
    parts = sorted(by_weapon.values(), key=lambda f: f.quantity)
    summed = sum(f.value for f in parts)
    if total is not None and total.value >= summed:
        return total.value, (total.quantity,)
    return summed, tuple(f.quantity for f in parts)


def summarise(reports: Iterable[EventReport]) -> Summary:
    """(figures, claims, superseded, claimants) of the reports of one event.

    A claimant's latest figure of a kind is the one from its most recently published article. Earlier
    figures of that claimant that differ are superseded by it, never dropped. The event's figure of a kind
    is the highest latest figure across claimants; a kind nobody reported is absent, never zero.
    """
    by_claim: dict[tuple[str, str], dict[tuple[date, str], list[Figure]]] = {}
    claims: set[str] = set()
    claimants: set[str] = set()
    for r in reports:
        for f in r.figures:
            claims.add(f.quantity)
            if f.claimant:
                claimants.add(f.claimant)
            articles = by_claim.setdefault((f.kind, _claimant_key(r, f)), {})
            articles.setdefault((r.published or date.min, r.article), []).append(f)
    best: dict[str, tuple[int, tuple[str, ...]]] = {}
    superseded: set[tuple[str, str]] = set()
    for (kind, _claimant), articles in by_claim.items():
        # the latest article; among articles of one day, the one with the highest figure
        values = {key: article_value(figs) for key, figs in articles.items()}
        latest_key = max(values, key=lambda key: (key[0], values[key][0], key[1]))
        value, parts = values[latest_key]
        current = {f.weapon: f for f in articles[latest_key] if f.quantity in parts}
        for key, figs in articles.items():
            for f in figs:
                newer = current.get(f.weapon) or (current.get("") if not f.weapon else None)
                # only a named claimant's figure is superseded: two bare figures of one article may count
                # different things (the extractor cannot always tell a subset), so neither replaces the other
                if (f.claimant and newer is not None and f.quantity not in parts and f.value != newer.value
                        and (key[0] < latest_key[0] or key == latest_key)):
                    superseded.add((f.quantity, newer.quantity))
        if kind not in best or (value, [-ord(c) for c in parts[0]]) > (best[kind][0], [-ord(c) for c in best[kind][1][0]]):
            best[kind] = (value, parts)
    figures = tuple((k, best[k][0], best[k][1]) for k in KIND_ORDER if k in best)
    return figures, tuple(sorted(claims)), tuple(sorted(superseded)), tuple(sorted(claimants))
