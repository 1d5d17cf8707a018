"""Per-article fingerprints of what extraction writes: to check that a change leaves the output alone.

For every article of the inputs, one line: its id, how many N-Quads lines `kg build` writes for it, how many
event reports it gives event resolution, and the sha256 of both (the article's N-Quads text exactly as
written, and its reports). A speed change must leave every line as it was.

    python scripts/snapshot_extraction.py                       # print the fingerprints of data/ + tests/heldout
    python scripts/snapshot_extraction.py --write               # regenerate tests/extraction_snapshot.tsv
    python scripts/snapshot_extraction.py --check               # compare with it (exit 1 on a difference)
    python scripts/snapshot_extraction.py --tree base=/old/checkout IN... [--bench 300]
        # the same articles through another checkout's code (a fresh process with that tree on the path),
        # then through this one: lists every article whose output differs, exit 1 if any does

The checked-in snapshot covers our own texts only (data/ and tests/heldout/*.txt). Third-party development
articles can be compared between two trees with --tree, which prints ids and counts, never their text.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SNAPSHOT = ROOT / "tests" / "extraction_snapshot.tsv"
HEADER = "# article\tstatements\tsha256 of its N-Quads\treports\tsha256 of its event reports"


def default_inputs(root: Path = ROOT) -> list[Path]:
    """Our own articles: the samples in data/ and the held-out texts (not their gold .json files)."""
    return [root / "data"] + sorted((root / "tests" / "heldout").glob("*.txt"))


def fingerprints(inputs: list[Path], bench: int = 0) -> list[str]:
    """One tab-separated line per article (sorted by id) with the code on the current import path."""
    from kg.articles import read_inputs
    from kg.build import article_quads
    from kg.model import Article

    articles = [a for a in read_inputs(inputs) if isinstance(a, Article)]
    if bench:
        sys.path.insert(0, str(Path(os.environ.get("KG_BENCH_ROOT", ROOT)) / "bench"))
        from bench_build import corpus
        articles += corpus(bench)
    lines = []
    for a in articles:
        result = article_quads(a)
        reports = "\n".join(repr(r) for r in result.reports)
        lines.append(f"{a.id}\t{len(result)}\t{_sha(result.nquads)}\t{len(result.reports)}\t{_sha(reports)}")
    return sorted(lines)


def _sha(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _in_tree(tree: Path, inputs: list[Path], bench: int) -> list[str]:
    """The fingerprints computed by another checkout's code, in a fresh process."""
    code = ("import json, sys; sys.path.insert(0, sys.argv[1]); from snapshot_extraction import fingerprints; "
            "print(json.dumps(fingerprints([__import__('pathlib').Path(p) for p in sys.argv[3:]], int(sys.argv[2]))))")
    env = {**os.environ, "PYTHONPATH": str(tree), "PYTHONHASHSEED": "0", "KG_BENCH_ROOT": str(ROOT)}
    proc = subprocess.run([sys.executable, "-c", code, str(ROOT / "scripts"), str(bench), *map(str, inputs)],
                          cwd=tree, env=env, capture_output=True, text=True)
    if proc.returncode:
        raise SystemExit(f"{tree}: {proc.stderr.strip().splitlines()[-1:]}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def _by_id(lines: list[str]) -> dict[str, str]:
    # two inputs may give the same id (a sample copied into another folder): number the repeats
    out: dict[str, str] = {}
    for line in lines:
        key = line.split("\t", 1)[0]
        n = 1
        while key in out:
            n += 1
            key = f"{line.split(chr(9), 1)[0]}#{n}"
        out[key] = line
    return out


def diff(old: list[str], new: list[str]) -> list[str]:
    """Lines saying which articles differ (by id), are missing or are new."""
    a, b = _by_id(old), _by_id(new)
    out = [f"missing: {k}" for k in sorted(a.keys() - b.keys())] + [f"new: {k}" for k in sorted(b.keys() - a.keys())]
    for k in sorted(a.keys() & b.keys()):
        if a[k] != b[k]:
            _, s1, _, r1, _ = a[k].split("\t")
            _, s2, _, r2, _ = b[k].split("\t")
            out.append(f"differs: {k} (statements {s1} -> {s2}, reports {r1} -> {r2})")
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("inputs", nargs="*", type=Path, help="files or folders (default: data/ and tests/heldout/*.txt)")
    ap.add_argument("--write", action="store_true", help=f"write {SNAPSHOT.relative_to(ROOT)}")
    ap.add_argument("--check", action="store_true", help=f"compare with {SNAPSHOT.relative_to(ROOT)}")
    ap.add_argument("--tree", metavar="NAME=PATH", help="compare with another checkout's code on the same inputs")
    ap.add_argument("--bench", type=int, default=0, metavar="N", help="add N articles of the bench corpus")
    args = ap.parse_args()
    sys.path.insert(0, str(ROOT))
    inputs = args.inputs or default_inputs()
    if args.tree:
        name, path = args.tree.split("=", 1)
        old = _in_tree(Path(path).resolve(), inputs, args.bench)
        new = _in_tree(ROOT, inputs, args.bench)
        problems = diff(old, new)
        print("\n".join(problems) if problems else
              f"{len(new)} articles, {sum(int(x.split(chr(9))[1]) for x in new)} statements: identical to {name}")
        return 1 if problems else 0
    lines = fingerprints(inputs, args.bench)
    if args.write:
        SNAPSHOT.write_text("\n".join([HEADER, *lines]) + "\n", encoding="utf-8")
        print(f"wrote {len(lines)} articles to {SNAPSHOT}")
        return 0
    if args.check:
        old = [x for x in SNAPSHOT.read_text(encoding="utf-8").splitlines() if not x.startswith("#")]
        problems = diff(old, lines)
        print("\n".join(problems) if problems else f"{len(lines)} articles: identical to the snapshot")
        return 1 if problems else 0
    print("\n".join([HEADER, *lines]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
