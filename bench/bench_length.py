"""Is extraction linear in article length? Time one long article made of the varied bench articles.

Prints seconds and microseconds per word for each length, and the ratio of each time to the smallest
length's time and to what a linear cost would give (10x the words should take about 10x the time). The
lengths alternate over --rounds rounds and the median time of each is used, since the machine is shared.

    python bench/bench_length.py [--words 20000 200000] [--rounds 3]
"""
from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from bench_build import corpus  # noqa: E402

from kg.build import article_quads  # noqa: E402
from kg.extract import default_resources  # noqa: E402
from kg.model import Article  # noqa: E402


def long_article(words: int) -> Article:
    """One article of about `words` words: varied bench articles one after another, as paragraphs."""
    parts, count = [], 0
    for a in corpus(max(1, words // 150)):
        if count >= words:
            break
        parts.append(a.text.strip())
        count += len(a.text.split())
    return Article(id=f"long-{words}", text="\n\n".join(parts) + "\n", title="", date=corpus(1)[0].date)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--words", type=int, nargs="+", default=[20000, 200000])
    ap.add_argument("--rounds", type=int, default=3)
    args = ap.parse_args()
    default_resources()  # loading the lexicon is start-up, not extraction
    article_quads(long_article(2000))  # and so is compiling the patterns on first use
    articles = [long_article(w) for w in args.words]
    times: dict[str, list[float]] = {a.id: [] for a in articles}
    statements = {}
    for r in range(args.rounds):
        for article in (articles if r % 2 == 0 else articles[::-1]):
            # CPU time of this process: on a shared machine it moves far less than the wall clock
            t0 = time.process_time()
            statements[article.id] = len(article_quads(article))
            times[article.id].append(time.process_time() - t0)
            print(f"round {r + 1}: {len(article.text.split()):8d} words {times[article.id][-1]:8.2f} s CPU", flush=True)
    first = None
    for article in articles:
        n, seconds = len(article.text.split()), statistics.median(times[article.id])
        if first is None:
            first = (n, seconds)
        print(f"{n:8d} words: median {seconds:8.2f} s CPU, {seconds / n * 1e6:7.1f} us/word, {statements[article.id]} "
              f"statements, x{seconds / first[1]:.1f} the time of {first[0]} words for x{n / first[0]:.1f} the words")
    return 0


if __name__ == "__main__":
    sys.exit(main())
