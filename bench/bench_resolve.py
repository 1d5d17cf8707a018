"""Benchmark event resolution: `resolve` over many articles' reports, and what re-resolution adds to `kg add`.

Part 1 makes synthetic reports (N articles, 1-4 attack reports each, over two years, 40 cities in 8
regions of 2 countries, region- and country-level reports, attackers, weapons and figures), and times
`resolve` + `resolution_quads` against extracting the same number of articles' worth of text in this
run (the extraction of a sample of bench articles, scaled), so the figure is a ratio on this machine.
Part 2 builds a store of M bench articles (kg build, bulk-loaded), then adds one more article several
times, interleaving: the article's own transaction only (what `kg add` did before resolution) and the
whole `kg add` path (transaction + re-resolution of the affected days).

    python bench/bench_resolve.py [--articles 10000] [--store-articles 10000] [--repeats 5]
"""
from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from kg.resolve import EventReport, Figure, resolution_quads, resolve  # noqa: E402

COUNTRIES = ["urn:c:A", "urn:c:B"]


def synthetic_reports(n: int, seed: int = 11) -> list[EventReport]:
    """Reports of n articles about attacks on 40 cities (8 regions, 2 countries) over two years."""
    rng = random.Random(seed)
    start = date(2024, 1, 1)
    cities = [(f"urn:p:city-{k}", COUNTRIES[k % 2], f"{k % 2}.{k % 8}") for k in range(40)]
    regions = [(f"urn:p:region-{k}", COUNTRIES[k % 2], f"{k % 2}.{k}") for k in range(8)]
    attackers = ["urn:x:a", "urn:x:b", "urn:x:c"]
    reports = []
    for i in range(n):
        published = start + timedelta(days=rng.randrange(730))
        for k in range(rng.randint(1, 4)):
            day = published - timedelta(days=rng.choice([0, 0, 0, 1, 1, 2, 5, 40]))
            roll = rng.random()
            if roll < 0.75:
                place, country, admin1 = rng.choice(cities)
                level = "city"
            elif roll < 0.9:
                place, country, admin1 = rng.choice(regions)
                level = "region"
            else:
                country = rng.choice(COUNTRIES)
                place, admin1, level = country, "", "country"
            precision = rng.choice(["day", "day", "day", "inferred", "none"])
            figures = tuple(Figure(f"urn:a:{i}#q-{k}-{j}", kind, rng.randint(1, 60), rng.choice(["", "urn:x:gov"]),
                                   j * 40, rng.choice(["", "urn:w:drone", "urn:w:missile"]))
                            for j, kind in enumerate(rng.sample(["launched", "intercepted", "killed", "injured"], 2)))
            reports.append(EventReport(
                article=f"art-{i}", published=published, event=f"urn:a:{i}#event-{k + 1}", type="attack",
                date=None if precision == "none" else day, precision=precision, place=place, level=level,
                country=country, admin1=admin1, actors=(rng.choice(attackers),), weapons=("urn:w:drone",),
                families=("urn:w:drone",), figures=figures, labels=((place, place[-8:]),)))
    return reports


def part1(n: int, repeats: int) -> None:
    from bench_build import corpus
    from kg.build import article_quads

    reports = synthetic_reports(n)
    times, qtimes = [], []
    for _ in range(repeats):
        t = time.perf_counter()
        events = resolve(reports)
        times.append(time.perf_counter() - t)
        t = time.perf_counter()
        quads = resolution_quads(events)
        qtimes.append(time.perf_counter() - t)
    sample = corpus(60)
    article_quads(sample[0])  # load the lexicon and gazetteer outside the timing
    t = time.perf_counter()
    for a in sample[1:]:
        article_quads(a)
    per_article = (time.perf_counter() - t) / (len(sample) - 1)
    resolve_s, quads_s = statistics.median(times), statistics.median(qtimes)
    print(f"resolve: {n} articles, {len(reports)} reports -> {len(events)} canonical events, {len(quads)} quads")
    print(f"  resolve {resolve_s:.2f} s (median of {repeats}), resolution_quads {quads_s:.2f} s; "
          f"{1000 * (resolve_s + quads_s) / n:.3f} ms per article")
    print(f"  extraction + RDF in this run: {1000 * per_article:.2f} ms per article -> resolution adds "
          f"{100 * (resolve_s + quads_s) / n / per_article:.1f}% to a build")


def part2(m: int, repeats: int, workdir: Path | None) -> None:
    import pyoxigraph as ox

    from bench_build import corpus, write_jsonl
    from kg.build import build
    from kg.resolve import incremental
    from kg.store import add_articles, replace_graph
    from kg.build import article_quads
    from kg.rdf import article_iri

    with tempfile.TemporaryDirectory() as scratch:
        tmp = workdir or Path(scratch)
        tmp.mkdir(parents=True, exist_ok=True)
        articles = corpus(m + 1)
        if not (tmp / "store" / "CURRENT").exists():  # --workdir keeps the built store for the next run
            write_jsonl(articles[:m], tmp / "corpus.jsonl")
            t = time.perf_counter()
            build([tmp / "corpus.jsonl"], tmp / "all.nq", progress=False)
            print(f"store: built {m} articles in {time.perf_counter() - t:.1f} s")
            store = ox.Store(str(tmp / "store"))
            with (tmp / "all.nq").open("rb") as fh:
                store.bulk_load(fh, format=ox.RdfFormat.N_QUADS)
            store.flush()
        else:
            store = ox.Store(str(tmp / "store"))
        print(f"store: {m} articles, {len(store)} quads")
        extra = articles[m]
        write_jsonl([extra], tmp / "one.jsonl")
        result = article_quads(extra)
        quads, reports = list(result), result.reports
        only, full, refresh = [], [], []
        for _ in range(repeats):
            t = time.perf_counter()
            replace_graph(store, article_iri(extra.id), quads)
            only.append(time.perf_counter() - t)
            store.update(f"DROP GRAPH <{article_iri(extra.id)}>")
            t = time.perf_counter()
            days = {r.anchor.isoformat() for r in reports if r.anchor}
            replace_graph(store, article_iri(extra.id), quads, then=incremental.pending_update(days))
            incremental.refresh(store)
            full.append(time.perf_counter() - t)
            t = time.perf_counter()
            incremental.refresh(store, days)
            refresh.append(time.perf_counter() - t)
        del store
        t = time.perf_counter()
        add_articles([tmp / "one.jsonl"], tmp / "store", workers=1)
        whole = time.perf_counter() - t
    a, b, r = statistics.median(only), statistics.median(full), statistics.median(refresh)
    print(f"  one article into a {m}-article store: its transaction {1000 * a:.0f} ms, with re-resolution "
          f"{1000 * b:.0f} ms ({b / a:.1f}x; re-resolving its days alone {1000 * r:.0f} ms); "
          f"the whole kg add call in-process {whole:.2f} s")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--articles", type=int, default=10000)
    ap.add_argument("--store-articles", type=int, default=10000)
    ap.add_argument("--repeats", type=int, default=5)
    ap.add_argument("--workdir", type=Path, help="keep the built store here and reuse it in later runs")
    args = ap.parse_args()
    part1(args.articles, args.repeats)
    if args.store_articles:
        part2(args.store_articles, args.repeats, args.workdir)
    return 0


if __name__ == "__main__":
    sys.exit(main())
