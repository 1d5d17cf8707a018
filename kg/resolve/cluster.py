"""Group article-level reports into canonical events. Deterministic and independent of input order.

Attacks are resolved in stages; each stage reads only what earlier stages decided, and every decision
is made on sets, so the result does not depend on the order of the reports:
  1. reports with a stated date at a settlement or site: one event per (date, place);
  2. reports whose date was taken without a date expression, and undated ones: they join the event of
     the same place within WINDOW days before (their publication window), the one told by the most
     articles when there are several (none on a tie), else stand alone;
  3. region-level reports join the one city event of that day inside the region that the same article
     does not report separately, else are a region-level event of their own;
  4. country-level reports are a nationwide barrage of their own, whose parts are that day's attacks
     in the country.
Finally an event whose reports name attackers that never overlap is split by attacker: an attacker that
is the attacked place's own country is not trusted (the other side's version often garbles it).
Communications join on the same date when they share at least two parties.
"""
from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import replace
from datetime import date, timedelta
from typing import Iterable

from .figures import summarise
from .model import CanonicalEvent, EventReport, Link

EVENT_NS = "https://w3id.org/conflict-kg/event/"
WINDOW = 3  # days a report dated without a date expression may look back (publication window)
SETTLEMENT_LEVELS = ("site", "district", "city")

Key = tuple  # (date | None, place IRI, discriminator): what defines a canonical event


def credible_actors(r: EventReport) -> frozenset[str]:
    """The report's attackers, less the attacked place's own country."""
    return frozenset(a for a in r.actors if a != r.country)


def resolve(reports: Iterable[EventReport]) -> list[CanonicalEvent]:
    """Canonical events of the reports, sorted by IRI; the same for any order of the input."""
    unique = sorted(set(reports), key=lambda r: r.event)
    attacks = [r for r in unique if r.type == "attack"]
    comms = [r for r in unique if r.type == "communication"]
    return sorted(_resolve_attacks(attacks) + _resolve_communications(comms), key=lambda c: c.iri)


def _resolve_attacks(reports: list[EventReport]) -> list[CanonicalEvent]:
    groups: dict[Key, list[EventReport]] = {}
    trusted: dict[Key, frozenset[str]] = {}  # trusted attackers of each group so far

    def join(key: Key, r: EventReport) -> None:
        groups.setdefault(key, []).append(r)
        trusted[key] = trusted.get(key, frozenset()) | credible_actors(r)

    def compatible(key: Key, r: EventReport) -> bool:
        mine, theirs = credible_actors(r), trusted.get(key, frozenset())
        return not mine or not theirs or bool(mine & theirs)

    located = [r for r in reports if r.place]
    # stage 1: stated dates at settlements and sites
    for r in located:
        if r.precision == "day" and r.level not in ("region", "country"):
            join((r.date, r.place, ""), r)
    stated = set(groups)
    # stage 2 decides on what stage 1 found only, so no decision depends on which report came first
    told_by = {k: len({r.article for r in groups[k]}) for k in stated}
    stated_trust = dict(trusted)

    def compatible_stated(key: Key, r: EventReport) -> bool:
        mine, theirs = credible_actors(r), stated_trust.get(key, frozenset())
        return not mine or not theirs or bool(mine & theirs)

    stated_by_place: dict[str, list[Key]] = {}
    for k in sorted(stated):
        stated_by_place.setdefault(k[1], []).append(k)
    # stage 2: dates taken without an expression, and undated reports, within their publication window
    for r in located:
        if r.precision == "day" or r.level in ("region", "country"):
            continue
        if r.date is not None and (r.date, r.place, "") in stated:
            join((r.date, r.place, ""), r)
            continue
        end = r.date or r.published
        if end is None:
            join((None, r.place, r.event), r)
            continue
        start = end - timedelta(days=WINDOW)
        last = end - timedelta(days=1) if r.date is not None else end
        near = _best_attested([k for k in stated_by_place.get(r.place, ()) if start <= k[0] <= last
                               and compatible_stated(k, r)], told_by)
        if near is not None:
            join(near, r)
        elif r.date is not None:
            join((r.date, r.place, ""), r)
        else:
            join((None, r.place, r.event), r)
    by_day: dict[date, list[Key]] = {}
    for k in sorted(k for k in groups if k[0] is not None):
        by_day.setdefault(k[0], []).append(k)
    # stage 3: a region-level report is the one city attack of its day inside the region
    for r in located:
        if r.level != "region":
            continue
        if r.date is None:
            join((None, r.place, r.event), r)
            continue
        inside = [k for k in by_day.get(r.date, ()) if r.admin1
                  and any(o.admin1 == r.admin1 for o in groups[k])
                  and all(o.article != r.article for o in groups[k]) and compatible(k, r)]
        if len(inside) == 1:
            join(inside[0], r)
        else:
            join((r.date, r.place, ""), r)
    # stage 4: a country-level report is a nationwide barrage, an event of its own
    for r in located:
        if r.level == "country":
            join((r.date, r.place, "") if r.date is not None else (None, r.place, r.event), r)
    for r in reports:
        if not r.place:
            join((r.date, "", r.event), r)
    final: dict[Key, list[EventReport]] = {}
    for key, members in groups.items():
        for split, part in _split_by_attacker(members):
            final[(key[0], key[1], key[2] or split)] = part
    events = {key: _canonical("attack", key, members) for key, members in final.items()}
    on_day: dict[date, list[CanonicalEvent]] = {}
    for key, ev in events.items():
        if key[0] is not None and ev.level != "country":
            on_day.setdefault(key[0], []).append(ev)
    out = []
    for key, ev in events.items():
        if ev.level == "country" and key[0] is not None:
            parts = tuple(sorted(other.iri for other in on_day.get(key[0], ()) if other.country == ev.place
                                 and (not ev.actors or not other.actors or set(ev.actors) & set(other.actors))))
            ev = _with_parts(ev, parts)
        out.append(ev)
    return out


def _best_attested(keys: list[Key], told_by: dict[Key, int]) -> Key | None:
    """The event told by strictly more articles than any other candidate (None on a tie or no candidate)."""
    if not keys:
        return None
    counts = sorted(((told_by[k], k) for k in keys), reverse=True)
    if len(counts) > 1 and counts[0][0] == counts[1][0]:
        return None
    return counts[0][1]


def _split_by_attacker(members: list[EventReport]) -> list[tuple[str, list[EventReport]]]:
    """Reports whose trusted attackers never overlap are different attacks; others join the largest."""
    parts: list[tuple[set[str], list[EventReport]]] = []
    loose = []
    for r in sorted(members, key=lambda r: (sorted(credible_actors(r)), r.event)):
        actors = credible_actors(r)
        if not actors:
            loose.append(r)
            continue
        hits = [p for p in parts if p[0] & actors]
        if not hits:
            parts.append((set(actors), [r]))
            continue
        merged = (set(actors).union(*(p[0] for p in hits)), [r] + [x for p in hits for x in p[1]])
        parts = [p for p in parts if p not in hits] + [merged]
    if len(parts) <= 1:
        return [("", members)]
    parts.sort(key=lambda p: (-len(p[1]), sorted(p[0])))
    parts[0][1].extend(loose)
    return [("by:" + " ".join(sorted(actors)), sorted(rs, key=lambda r: r.event)) for actors, rs in parts]


def _resolve_communications(reports: list[EventReport]) -> list[CanonicalEvent]:
    parent = {r.event: r.event for r in reports}

    def find(x: str) -> str:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    by_date: dict[date, list[EventReport]] = {}
    for r in reports:
        if r.date is not None:
            by_date.setdefault(r.date, []).append(r)
    for day_reports in by_date.values():
        for i, a in enumerate(day_reports):
            for b in day_reports[i + 1:]:
                if len(set(a.actors) & set(b.actors)) >= 2:
                    ra, rb = find(a.event), find(b.event)
                    if ra != rb:
                        parent[max(ra, rb)] = min(ra, rb)
    groups: dict[str, list[EventReport]] = {}
    for r in reports:
        groups.setdefault(find(r.event), []).append(r)
    out = []
    for root, members in groups.items():
        first = members[0]
        parties = " ".join(sorted({a for m in members for a in m.actors}))
        key = (first.date, parties, "" if first.date is not None else root)
        out.append(_canonical("communication", key, members))
    return out


def _canonical(kind: str, key: Key, members: list[EventReport]) -> CanonicalEvent:
    day, place, discriminator = key
    members = sorted(members, key=lambda r: r.event)
    at_place = [r for r in members if r.place == place] or members
    head = at_place[0]
    labels = dict(pair for r in members for pair in r.labels)
    if kind == "attack":
        actors = sorted(frozenset().union(*(credible_actors(r) for r in members)))
    else:
        actors = sorted({a for r in members for a in r.actors})
    weapons = sorted({w for r in members for w in r.weapons})
    families = [set(r.families) for r in members]
    links = []
    for i, r in enumerate(members):
        signals = ["sameType"]
        if len(members) == 1:
            signals.append("onlyReport")
        if r.date is not None and r.date == day:
            signals.append("sameDate")
        elif r.date is not None or r.published is not None:
            signals.append("publicationWindow")
        if kind == "attack":
            if r.place == place:
                signals.append("samePlace")
            elif r.level == "region":
                signals.append("placeWithin")
            if len(members) > 1 and credible_actors(r) & set(actors):
                signals.append("sameAttacker")
            if any(families[i] & families[j] for j in range(len(members)) if j != i):
                signals.append("sameWeaponFamily")
            if _figures_agree(r, [o for o in members if o is not r]):
                signals.append("consistentFigures")
        else:
            shared = [o for o in members if o is not r and len(set(o.actors) & set(r.actors)) >= 2]
            if shared:
                signals.append("sameParties")
        links.append(Link(r.event, r.article, tuple(signals)))
    figures, claims, superseded, claimants = summarise(members)
    precision = "day" if any(r.precision == "day" for r in members) else ("inferred" if day else "none")
    anchor = day or min((r.published for r in members if r.published), default=None)
    label = labels.get(place, "") if kind == "attack" else ""
    digest = hashlib.sha1(f"{kind}|{day}|{place}|{discriminator}".encode("utf-8")).hexdigest()[:10]
    iri = f"{EVENT_NS}{kind}-{day.isoformat() if day else 'undated'}-{_slug(label) + '-' if label else ''}{digest}"
    return CanonicalEvent(
        iri=iri, type=kind, date=day, precision=precision, day=anchor.isoformat() if anchor else "undated",
        place=place if kind == "attack" else "", level=head.level if kind == "attack" else "",
        country=head.country if kind == "attack" else "", admin1=head.admin1 if kind == "attack" else "",
        actors=tuple(actors), weapons=tuple(weapons), links=tuple(links), figures=figures, claims=claims,
        superseded=superseded, claimants=claimants, labels=tuple(sorted(labels.items())),
        lat=head.lat if kind == "attack" else None, lon=head.lon if kind == "attack" else None)


def _with_parts(ev: CanonicalEvent, parts: tuple[str, ...]) -> CanonicalEvent:
    return replace(ev, parts=parts)


def _figures_agree(r: EventReport, others: list[EventReport]) -> bool:
    mine = {(f.kind, f.value) for f in r.figures}
    return bool(mine & {(f.kind, f.value) for o in others for f in o.figures})


def _slug(label: str) -> str:
    ascii_ = unicodedata.normalize("NFKD", label).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", "-", ascii_.lower()).strip("-")[:40]
