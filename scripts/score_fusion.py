"""Score event fusion: pairwise precision/recall and B-cubed F1 of `attack-reports` against gold clusters.

    python scripts/score_fusion.py ARTICLES_DIR CLUSTERS_JSON [--kg "python -m kg"] [--verbose]

Builds the articles (the .txt/.md/.html/.jsonl files of ARTICLES_DIR, never INDEX.md), then matches each
gold report (article, cluster place and date) to the tool's attack event of that article at that place
(by normalised label: the gold place or its spelling in the article), preferring the same date, then a
date one day off, then an undated event. A gold report without a match counts as a cluster of its own.
Scores are over gold reports only: B-cubed precision and recall per report, pairwise over report pairs.
"""
from __future__ import annotations

import argparse
import csv
import io
import json
import re
import shlex
import subprocess
import sys
import tempfile
import unicodedata
from datetime import date
from difflib import SequenceMatcher
from pathlib import Path

INPUT_SUFFIXES = (".txt", ".md", ".html", ".jsonl")


def norm(text: str) -> str:
    """Casefolded letters and digits, accents dropped ("Petaẖ Tiqva" -> "petahtiqva")."""
    ascii_ = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", "", ascii_.casefold())


def place_matches(tool: str, names: list[str]) -> bool:
    """Same place by label: equal after normalising, or close spellings (LeZion / LeTsiyyon)."""
    t = norm(tool)
    if not t:
        return False
    for name in names:
        n = norm(name)
        if n and (n == t or SequenceMatcher(None, n, t).ratio() >= 0.75):
            return True
    return False


def run_kg(kg: list[str], *args: str) -> str:
    proc = subprocess.run([*kg, *args], capture_output=True, text=True)
    if proc.returncode not in (0, 3):
        sys.exit(f"kg {' '.join(args)} failed: {proc.stderr.strip()}")
    return proc.stdout


def rows(kg: list[str], graph: Path, question: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(run_kg(kg, "query", str(graph), question, "--format", "csv"))))


def candidates(gold_report: dict, cluster: dict, events: list[dict[str, str]],
               published: dict[str, str]) -> list[tuple[int, int, str]]:
    """(rank, distance, event) of the tool events that could stand for a gold report, best first. An
    undated event goes to the gold report whose attack is nearest the article's publication date."""
    names = [cluster["place"], gold_report.get("place_as_written", "")]
    day = date.fromisoformat(cluster["date"])
    found = [e for e in events if e["source"] == gold_report["article"] and e["type"] == "attack"
                  and place_matches(e["place"], names)]

    pub = published.get(gold_report["article"], "")
    distance = abs((date.fromisoformat(pub) - day).days) if pub else 0

    def rank(e: dict[str, str]) -> int | None:
        if not e["date"]:
            return 2
        gap = abs((date.fromisoformat(e["date"]) - day).days)
        return {0: 0, 1: 1}.get(gap)

    return sorted({(rank(e), distance, e["event"]) for e in found if rank(e) is not None})


def score(gold: dict[str, str], predicted: dict[str, str]) -> dict[str, float]:
    """B-cubed and pairwise scores of predicted cluster ids against gold cluster ids (same items)."""
    items = sorted(gold)
    p_sum = r_sum = 0.0
    for i in items:
        same_pred = {j for j in items if predicted[j] == predicted[i]}
        same_gold = {j for j in items if gold[j] == gold[i]}
        both = len(same_pred & same_gold)
        p_sum += both / len(same_pred)
        r_sum += both / len(same_gold)
    bp, br = p_sum / len(items), r_sum / len(items)
    pairs = [(a, b) for k, a in enumerate(items) for b in items[k + 1:]]
    tp = sum(1 for a, b in pairs if gold[a] == gold[b] and predicted[a] == predicted[b])
    fp = sum(1 for a, b in pairs if gold[a] != gold[b] and predicted[a] == predicted[b])
    fn = sum(1 for a, b in pairs if gold[a] == gold[b] and predicted[a] != predicted[b])
    pp = tp / (tp + fp) if tp + fp else 1.0
    pr = tp / (tp + fn) if tp + fn else 1.0
    return {"bcubed_precision": bp, "bcubed_recall": br, "bcubed_f1": 2 * bp * br / (bp + br) if bp + br else 0.0,
            "pairwise_precision": pp, "pairwise_recall": pr,
            "pairwise_f1": 2 * pp * pr / (pp + pr) if pp + pr else 0.0}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("articles", type=Path)
    ap.add_argument("clusters", type=Path)
    ap.add_argument("--kg", default=f"{sys.executable} -m kg", help="command that runs kg")
    ap.add_argument("--graph", type=Path, help="score this built graph instead of building the articles")
    ap.add_argument("--baseline", action="store_true",
                    help="also score the same matches without resolution (every article event its own attack)")
    ap.add_argument("--verbose", action="store_true", help="list gold reports that were not matched or misplaced")
    args = ap.parse_args()
    kg = shlex.split(args.kg)
    gold_data = json.loads(args.clusters.read_text(encoding="utf-8"))
    with tempfile.TemporaryDirectory() as tmp:
        graph = args.graph
        if graph is None:
            graph = Path(tmp) / "fusion.trig"
            inputs = sorted(str(p) for p in args.articles.iterdir() if p.suffix in INPUT_SUFFIXES
                            and p.name != "INDEX.md")
            run_kg(kg, "build", *inputs, "-o", str(graph))
        events = rows(kg, graph, "events")
        canonical = {r["event"]: r["attack"] for r in rows(kg, graph, "attack-reports")}
        published = {r["source"]: r["published"] for r in rows(kg, graph, "articles")}
    gold: dict[str, str] = {}
    options: list[tuple[int, int, str, str]] = []  # (rank, distance, item, event)
    for cluster in gold_data["clusters"]:
        if cluster.get("type", "attack") != "attack":
            continue
        for rep in cluster["reports"]:
            item = f"{cluster['id']}|{rep['article']}"
            gold[item] = cluster["id"]
            options += [(rank, dist, item, event) for rank, dist, event in candidates(rep, cluster, events, published)]
    # each tool event stands for one gold report at most: best-ranked pairs first (same date, then a day off)
    chosen: dict[str, str] = {}
    used: set[str] = set()
    for _rank, _dist, item, event in sorted(options):
        if item not in chosen and event not in used and event in canonical:
            chosen[item] = event
            used.add(event)
    predicted = {item: canonical[chosen[item]] if item in chosen else "unmatched:" + item for item in gold}
    unmatched = sorted(item for item in gold if item not in chosen)
    result = score(gold, predicted)
    print(f"gold reports {len(gold)}, matched to an event {len(gold) - len(unmatched)}, "
          f"gold clusters {len(set(gold.values()))}, predicted clusters {len(set(predicted.values()))}")
    print(" ".join(f"{k}={v:.3f}" for k, v in result.items()))
    if args.baseline:
        alone = {item: chosen.get(item, "unmatched:" + item) for item in gold}
        print("without resolution: " + " ".join(f"{k}={v:.3f}" for k, v in score(gold, alone).items()))
    if args.verbose:
        for item in unmatched:
            print("unmatched:", item)
        by_pred: dict[str, list[str]] = {}
        for item, p in predicted.items():
            by_pred.setdefault(p, []).append(item)
        for p, members in sorted(by_pred.items()):
            if len({gold[m] for m in members}) > 1:
                print("merged:", p.rsplit("/", 1)[-1], sorted(members))
        by_gold: dict[str, set[str]] = {}
        for item, g in gold.items():
            by_gold.setdefault(g, set()).add(predicted[item])
        for g, preds in sorted(by_gold.items()):
            if len(preds) > 1:
                print("split:", g, sorted(x.rsplit("/", 1)[-1] for x in preds))


if __name__ == "__main__":
    main()
