"""Benchmark `kg build` and the bundled questions on a synthetic corpus, and compare RDF engines.

The corpus is made from the sample articles in data/ by swapping cities, people, numbers and dates, so
it has the shape of real reports without copying anyone's text. Prints articles/s, words/s, triples
written, peak memory, the latency of each bundled question, and pyoxigraph-vs-rdflib ratios measured in
this run.

    python bench/bench_build.py [--articles 2000] [--workers 1]
"""
from __future__ import annotations

import argparse
import random
import re
import resource
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from kg.articles import read_inputs  # noqa: E402
from kg.build import build  # noqa: E402
from kg.model import Article  # noqa: E402
from kg.query import bundled_queries, load_graph, run_query  # noqa: E402

CITIES = ["Kharkiv", "Odesa", "Dnipro", "Zaporizhzhia", "Sumy", "Poltava", "Chernihiv", "Mykolaiv", "Kherson",
          "Vinnytsia", "Lviv", "Kryvyi Rih", "Kramatorsk", "Sloviansk", "Pavlohrad", "Izmail", "Bila Tserkva",
          "Zhytomyr", "Cherkasy", "Kropyvnytskyi", "Uman", "Nikopol", "Kupiansk", "Pokrovsk", "Ternopil", "Rivne"]
GIVEN = ["Olena", "Andrii", "Iryna", "Serhiy", "Mykola", "Tetiana", "Oleksandr", "Yulia", "Vasyl", "Kateryna"]
SURNAMES = ["Bondarenko", "Tkachenko", "Kravchenko", "Shevchuk", "Melnychuk", "Hrytsenko", "Lytvyn", "Marchenko",
            "Savchenko", "Rudenko", "Moroz", "Koval"]


def corpus(n: int, seed: int = 7) -> list[Article]:
    """n articles varied from the samples: other cities, people, numbers and dates."""
    rng = random.Random(seed)
    base = [a for a in read_inputs([ROOT / "data"]) if isinstance(a, Article)]
    out = []
    for i in range(n):
        a = base[i % len(base)]
        text = a.text
        for city in ("Kyiv", "Sumy", "Chernihiv", "Odesa", "Belgorod", "Anchorage"):
            if city in text and rng.random() < 0.8:
                text = text.replace(city, rng.choice(CITIES))
        for name in re.findall(r"\b(?:Maria Hilchenko|Olena Hrytsenko|Artem Kobzar|Roman Pohorily|Svitlana Onyshchenko)\b", text):
            text = text.replace(name, f"{rng.choice(GIVEN)} {rng.choice(SURNAMES)}")
        text = re.sub(r"\b(\d{2,3})\b", lambda m: str(max(2, int(int(m.group(1)) * rng.uniform(0.5, 1.5)))), text)
        published = (a.date or date(2024, 1, 1)) + timedelta(days=rng.randint(-400, 400))
        out.append(Article(id=f"bench-{i:05d}", text=text, title=a.title, date=published))
    return out


def write_jsonl(articles: list[Article], path: Path) -> None:
    import json
    with path.open("w", encoding="utf-8") as fh:
        for a in articles:
            fh.write(json.dumps({"id": a.id, "title": a.title, "date": a.date.isoformat(), "url": "", "text": a.text}) + "\n")


def corpus_file(n: int, folder: str | Path) -> tuple[Path, int]:
    """A JSON-lines corpus of n varied articles in `folder`: (its path, how many words it holds)."""
    articles = corpus(n)
    path = Path(folder) / "corpus.jsonl"
    write_jsonl(articles, path)
    return path, sum(len(a.text.split()) for a in articles)


def peak_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--articles", type=int, default=2000)
    ap.add_argument("--workers", type=int, default=1)
    ap.add_argument("--no-rdflib", action="store_true", help="skip the rdflib comparison")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        src, words = corpus_file(args.articles, tmp)
        out = Path(tmp) / "graph.nq"
        t0 = time.perf_counter()
        report = build([src], out, workers=args.workers, progress=False)
        build_s = time.perf_counter() - t0
        print(f"corpus: {report.articles} articles, {words} words, {out.stat().st_size / 2**20:.1f} MiB of N-Quads")
        print(f"build ({args.workers} worker{'s' if args.workers > 1 else ''}): {build_s:.2f} s, "
              f"{report.articles / build_s:.0f} articles/s, {words / build_s:.0f} words/s, "
              f"{report.statements} triples written, peak memory {peak_mib():.0f} MiB")
        t0 = time.perf_counter()
        store = load_graph(out)
        load_s = time.perf_counter() - t0
        print(f"pyoxigraph load: {load_s:.2f} s")
        timings = {}
        for name, sparql in sorted(bundled_queries().items()):
            t0 = time.perf_counter()
            rows = run_query(store, sparql)
            n = sum(1 for _ in rows)
            timings[name] = time.perf_counter() - t0
            print(f"  query {name:22} {timings[name] * 1000:8.1f} ms  {n:7d} rows")
        if not args.no_rdflib:
            import rdflib
            t0 = time.perf_counter()
            ds = rdflib.Dataset(default_union=True)
            ds.parse(out, format="nquads")
            rl_load = time.perf_counter() - t0
            print(f"rdflib load: {rl_load:.2f} s  (pyoxigraph {rl_load / load_s:.1f}x faster)")
            for name in ("casualties-by-place", "interception-rate", "quantities"):
                t0 = time.perf_counter()
                n = len(list(ds.query(bundled_queries()[name])))
                rl = time.perf_counter() - t0
                print(f"  rdflib {name:22} {rl * 1000:8.1f} ms  {n:7d} rows  (pyoxigraph {rl / timings[name]:.1f}x faster)")
            print(f"peak memory after rdflib: {peak_mib():.0f} MiB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
