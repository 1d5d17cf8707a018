"""Score the extractor on an evaluation folder, overall and per group of articles.

The shared scorer (shared/eval/score.py) scores one folder. The development set mixes three kinds of
article (the first Russia-Ukraine reports, Russia-Ukraine in other journalistic forms, other conflicts),
and a fix that helps one group can hurt another, so this copies each group's files to a folder of its own
and runs the scorer on each, then on the whole set.

    python scripts/score_groups.py ../shared/eval/dev [--kg ".venv/bin/kg"] [--scorer PATH]
        [--group NAME=GLOB[,GLOB...] ...]

Default groups: first (dev*, seed*), forms (d1*), conflicts (c2*). Prints one line per group and the
scorer's part table for the whole set.
"""
from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

DEFAULT_GROUPS = {"first": ["dev*", "seed*"], "forms": ["d1*"], "conflicts": ["c2*"]}


def parse_groups(specs: list[str]) -> dict[str, list[str]]:
    """'name=glob,glob' specifications -> {name: [glob, ...]} (the defaults when none are given)."""
    if not specs:
        return dict(DEFAULT_GROUPS)
    groups: dict[str, list[str]] = {}
    for spec in specs:
        name, sep, globs = spec.partition("=")
        if not sep or not name or not globs:
            raise SystemExit(f"--group {spec!r}: expected NAME=GLOB[,GLOB...]")
        groups[name] = [g for g in globs.split(",") if g]
    return groups


def score(scorer: Path, folder: Path, kg: str) -> str:
    """The scorer's output for one folder (it exits 2 when kg failed: that is an error here too)."""
    proc = subprocess.run([sys.executable, str(scorer), str(folder), "--kg", kg], capture_output=True, text=True)
    if proc.returncode != 0:
        raise SystemExit(f"scorer failed on {folder}: {proc.stderr.strip() or proc.stdout.strip()}")
    return proc.stdout


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("folder", type=Path, help="articles NAME.txt with gold NAME.json")
    ap.add_argument("--kg", default="kg", help="how to call kg (default: kg)")
    ap.add_argument("--scorer", type=Path, help="score.py (default: score.py next to the folder's parent)")
    ap.add_argument("--group", action="append", default=[], help="NAME=GLOB[,GLOB...] over file stems")
    args = ap.parse_args(argv)
    scorer = args.scorer or args.folder.resolve().parent / "score.py"
    if not scorer.is_file():
        raise SystemExit(f"{scorer}: scorer not found (give --scorer)")
    with tempfile.TemporaryDirectory() as tmp:
        for name, globs in parse_groups(args.group).items():
            folder = Path(tmp) / name
            folder.mkdir()
            for pattern in globs:
                for path in args.folder.glob(pattern):
                    if path.suffix in (".txt", ".json"):
                        shutil.copy(path, folder / path.name)
            if not any(folder.glob("*.json")):
                print(f"{name:<10} no articles")
                continue
            last = score(scorer, folder, args.kg).strip().splitlines()[-1]
            print(f"{name:<10} {last}")
    print(score(scorer, args.folder, args.kg).rstrip())
    return 0


if __name__ == "__main__":
    sys.exit(main())
