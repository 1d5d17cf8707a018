"""Is extraction linear in article length? Time one long article made of the varied bench articles.

Prints seconds and microseconds per word for each length, and the ratio of each time to the smallest
length's time and to what a linear cost would give (10x the words should take about 10x the time).

    python bench/bench_length.py [--words 20000 200000]
"""
from __future__ import annotations

import argparse
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
    args = ap.parse_args()
    default_resources()  # loading the lexicon is start-up, not extraction
    first = None
    for words in args.words:
        article = long_article(words)
        n = len(article.text.split())
        t0 = time.perf_counter()
        statements = len(article_quads(article))
        seconds = time.perf_counter() - t0
        if first is None:
            first = (n, seconds)
        print(f"{n:8d} words: {seconds:8.2f} s, {seconds / n * 1e6:7.1f} us/word, {statements} statements, "
              f"x{seconds / first[1]:.1f} the time of {first[0]} words for x{n / first[0]:.1f} the words", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
