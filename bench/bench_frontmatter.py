"""What reading front matter with YAML/TOML and dates with dateutil/dateparser costs.

    python bench/bench_frontmatter.py [--texts 2000] [--rounds 5] [--python-frontmatter DIR]

Import cost: `python -X importtime` of each library in a fresh process, rounds interleaved, median.
Parse cost: the same invented front matters read by the flat `key: value` reader (what kg used before
YAML) and by kg.frontmatter (YAML/TOML), rounds interleaved, with the ratio. Dates: the ISO fast path,
python-dateutil and dateparser on the forms each one reads. With --python-frontmatter DIR (a folder
where `pip install --target DIR python-frontmatter` put it), python-frontmatter's `loads` is timed too.
"""
from __future__ import annotations

import argparse
import random
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from kg.frontmatter import _LINE, _read_lines, split_front_matter  # noqa: E402
from kg.pubdate import read_date  # noqa: E402

BODY = "Drones struck a depot in Velmora overnight, the governor said.\n"
MODULES = ["yaml", "dateutil.parser", "dateparser", "tomllib"]


def import_ms(module: str, extra_path: str | None) -> float:
    """Cumulative import time of `module` in a fresh interpreter, in ms."""
    code = (f"import sys; sys.path.insert(0, {extra_path!r}); " if extra_path else "") + f"import {module}"
    err = subprocess.run([sys.executable, "-X", "importtime", "-c", code], capture_output=True, text=True).stderr
    top = module.split(".")[0]
    rows = [line for line in err.splitlines() if line.rstrip().endswith((f"| {module}", f"| {top}"))]
    return int(rows[-1].split("|")[1]) / 1000 if rows else float("nan")


def texts(n: int, seed: int = 7) -> tuple[list[str], list[str]]:
    """`n` flat front matters (which both readers read) and `n` Hugo-style ones with lists and blocks."""
    rnd = random.Random(seed)
    flat, hugo = [], []
    for i in range(n):
        day = f"2025-{rnd.randint(1, 12):02d}-{rnd.randint(1, 28):02d}"
        flat.append(f"---\ntitle: Report {i} from the front\ndate: {day}\nurl: https://example.org/{i}\n---\n" + BODY)
        hugo.append(f'---\ntitle: "Report {i}: the front"\ndate: {day}T08:30:00+03:00\ndraft: false\n'
                    f"tags:\n  - drones\n  - report-{i % 7}\ncategories: [news, war]\n"
                    f"summary: >\n  Line one of {i},\n  line two.\n---\n" + BODY)
    return flat, hugo


def old_reader(text: str) -> dict[str, str]:
    """The flat reader alone (kg before YAML): the block between the fences as 'key: value' lines."""
    lines = _LINE.findall(text)
    end = next(i for i in range(1, len(lines)) if lines[i].strip() == "---")
    return _read_lines(lines[1:end], 2)


def timed(fn, items) -> float:
    t0 = time.perf_counter()
    for item in items:
        fn(item)
    return time.perf_counter() - t0


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--texts", type=int, default=2000)
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--python-frontmatter", metavar="DIR", help="folder holding python-frontmatter, to time it too")
    args = ap.parse_args()
    extra = args.python_frontmatter
    modules = MODULES + (["frontmatter"] if extra else [])
    imports: dict[str, list[float]] = {m: [] for m in modules}
    for _ in range(args.rounds):
        for m in modules:
            imports[m].append(import_ms(m, extra))
    print("import (fresh process, median of rounds):")
    for m in modules:
        print(f"  {m:16} {statistics.median(imports[m]):6.1f} ms")

    flat, hugo = texts(args.texts)
    runs: dict[str, list[float]] = {"flat reader, flat": [], "kg.frontmatter, flat": [], "kg.frontmatter, Hugo": []}
    fm_loads = None
    if extra:
        sys.path.insert(0, extra)
        import frontmatter  # type: ignore[import-not-found]

        fm_loads = frontmatter.loads
        runs["python-frontmatter, Hugo"] = []
    for _ in range(args.rounds):  # interleaved: the machine is shared
        runs["flat reader, flat"].append(timed(old_reader, flat))
        runs["kg.frontmatter, flat"].append(timed(split_front_matter, flat))
        runs["kg.frontmatter, Hugo"].append(timed(split_front_matter, hugo))
        if fm_loads:
            runs["python-frontmatter, Hugo"].append(timed(fm_loads, hugo))
    base = statistics.median(runs["flat reader, flat"])
    print(f"parse {args.texts} front matters (median of {args.rounds} interleaved rounds):")
    for name, values in runs.items():
        med = statistics.median(values)
        print(f"  {name:26} {med * 1e6 / args.texts:7.1f} us each  ({med / base:4.1f}x the flat reader)")

    dates = {"ISO 8601": ["2025-06-09", "2025-06-09T08:30:00+03:00"],
             "dateutil": ["July 4, 2025", "2025-6-9", "04/07/2025", "Mon, 09 Jun 2025 10:00:00 GMT"],
             "dateparser": ["9 червня 2025", "4 juillet 2025"]}
    read_date("9 червня 2025")  # dateparser's first call loads its language data: timed apart below
    print("dates (median per date, after a warm-up):")
    for name, values in dates.items():
        per = [timed(read_date, values * 50) / (len(values) * 50) for _ in range(args.rounds)]
        print(f"  {name:12} {statistics.median(per) * 1e6:8.1f} us")
    t0 = time.perf_counter()
    subprocess.run([sys.executable, "-c", f"import sys; sys.path.insert(0, {str(ROOT)!r}); "
                    "from kg.pubdate import read_date; read_date('9 червня 2025')"], check=True)
    print(f"  a fresh process reading one date in another language: {time.perf_counter() - t0:.2f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
