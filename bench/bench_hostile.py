"""Do pathological inputs finish in time linear in their size? (issue 12, "Hangs")

Generates each family of hostile input the issue names, at two sizes, and runs `kg build FILE -o OUT.nq`
on each in a fresh process with a generous kill timeout. The CPU time of that process (user + system, read
with wait4, which moves far less than the wall clock on a shared machine) less the CPU time of building a
one-sentence article in the same run (start-up: imports, lexicon, gazetteer) is the cost of the input.
Prints for each family the seconds per MB at both sizes and the ratio big/small of that cost next to the
ratio of the sizes: linear means the two ratios are about equal (per-MB cost flat). Sizes, families and
the kill timeout are options; the runs are interleaved over --rounds rounds and the median is used.

    python bench/bench_hostile.py [--sizes 0.5 2] [--rounds 1] [--only numbers prose] [--timeout 600]
"""
from __future__ import annotations

import argparse
import gzip
import json
import os
import random
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Callable

ROOT = Path(__file__).resolve().parent.parent
MB = 1_000_000
LIMIT = 20 * 2**20  # kg's size limit for one article

# invented text only (issue 12's rules): no sentence of any real report
TOWNS = ["Marrowfield", "Quillbrook", "Tennick", "Ostrava Vale", "Brindlemoor", "Carrow Heath", "Dunmere"]
PEOPLE = ["Ilse Varnow", "Teodor Makrin", "Oksana Drell", "Piet Halloran", "Mira Castellan"]
SENTENCES = [
    "A drone struck a grain store in {town} overnight and {n} people were hurt, regional officials said.",
    "{person}, the head of the {town} military administration, said air defence shot down {n} of {m} missiles.",
    "Shelling near {town} damaged {n} houses and a school on {day} morning, according to the local council.",
    "\"We heard three explosions before dawn,\" {person} told reporters in {town}.",
    "Rescuers pulled {n} bodies from the rubble of an apartment block in {town} after the attack on {date}.",
    "The army said it had repelled {n} assaults near {town} and lost {m} vehicles in the fighting.",
    "Power was cut to {n} homes in {town} after a missile hit a substation at about {hh}:{mm} local time.",
]
DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December"]
PUNCT = "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~«»„“”‘’–—…·•§¶"
CUES = ["drone strike", "missile attack", "shelling", "airstrike", "explosion", "killed", "wounded", "injured",
        "shot down", "intercepted", "attacked", "struck", "hit", "bombing", "artillery fire", "casualties"]
FRONT = "---\ntitle: A report\ndate: 2031-05-04\n"
BODY = "A drone struck a grain store in Marrowfield overnight, officials said.\n"


def sentence(rng: random.Random) -> str:
    return rng.choice(SENTENCES).format(
        town=rng.choice(TOWNS), person=rng.choice(PEOPLE), n=rng.randint(2, 400), m=rng.randint(2, 90),
        day=rng.choice(DAYS), date=f"{rng.randint(1, 28)} {rng.choice(MONTHS)}", hh=f"{rng.randint(0, 23):02d}",
        mm=f"{rng.randint(0, 59):02d}")


def fill(size: int, piece: Callable[[], str], sep: str = "") -> str:
    """Pieces joined by `sep` until `size` bytes (UTF-8), cut to size at a character boundary."""
    parts, n = [], 0
    while n < size:
        p = piece() + sep
        parts.append(p)
        n += len(p.encode("utf-8"))
    return "".join(parts).encode("utf-8")[:size].decode("utf-8", "ignore")


def prose(rng: random.Random, size: int, newline: str = "\n") -> str:
    """Paragraphs of invented report sentences (`newline` between paragraphs of about five sentences)."""
    return fill(size, lambda: " ".join(sentence(rng) for _ in range(5)), newline)


def place_names(rng: random.Random) -> list[str]:
    with gzip.open(ROOT / "ontology" / "gazetteer.tsv.gz", "rt", encoding="utf-8") as fh:
        names = [line.split("\t")[1] for line in fh if not line.startswith("#")]
    return names[:5000]


def numbers(rng: random.Random, size: int) -> str:
    def line() -> str:
        return " ".join(rng.choice([str(rng.randint(0, 10**rng.randint(1, 9))), f"{rng.randint(0, 999)},{rng.randint(0, 999):03d}",
                                    f"{rng.random() * 1000:.2f}", str(rng.randint(1, 31))]) for _ in range(12))
    return fill(size, line, "\n")


def punctuation(rng: random.Random, size: int) -> str:
    return fill(size, lambda: "".join(rng.choice(PUNCT) for _ in range(200)), "\n")


def one_line(rng: random.Random, size: int) -> str:
    return prose(rng, size, " ")


def nested_html(rng: random.Random, size: int) -> str:
    """Prose inside <div>s nested ever deeper (thousands of levels), as a page."""
    text = prose(rng, size // 2)
    depth = (size - len(text)) // 11
    paras = "".join(f"<p>{p}</p>" for p in text.split("\n") if p)
    return ("<!DOCTYPE html><html><head><title>Report</title></head><body>" + "<div>" * depth + paras
            + "</div>" * depth + "</body></html>\n")


def nested_json(rng: random.Random, size: int) -> str:
    """A JSON-lines file: one good record, one line of ever deeper arrays, one good record."""
    good = json.dumps({"id": "good", "text": BODY, "date": "2031-05-04"})
    depth = (size - 2 * len(good)) // 2
    return good.replace('"good"', '"good1"') + "\n" + '{"id": "deep", "text": ' + "[" * depth + "]" * depth + "}\n" + good + "\n"


def long_words(rng: random.Random, size: int) -> str:
    """Letters with no space: words of thousands of characters, one sentence end now and then."""
    def word() -> str:
        return "".join(rng.choice("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ") for _ in range(rng.randint(1000, 20000))) + rng.choice([".", "", "-"])
    return fill(size, word, "\n")


def quotes(rng: random.Random, size: int) -> str:
    """Thousands of quotation marks: quoted speech, unbalanced quotes, quotes in quotes."""
    def piece() -> str:
        s = sentence(rng)
        return rng.choice([f"\"{s}\"", f"“{s}", f"'{s}' he said \"", f"«{s}» — “{s}”", "\"" * rng.randint(1, 40), f"\"{s}"])
    return fill(size, lambda: " ".join(piece() for _ in range(4)), "\n")


def attack_cues(rng: random.Random, size: int) -> str:
    def line() -> str:
        return " ".join(rng.choice(CUES) for _ in range(15)) + rng.choice([".", "", ","])
    return fill(size, line, "\n")


def dates_times(rng: random.Random, size: int) -> str:
    def piece() -> str:
        return rng.choice([f"on {rng.randint(1, 28)} {rng.choice(MONTHS)} {rng.randint(1990, 2040)}",
                           f"at {rng.randint(0, 23):02d}:{rng.randint(0, 59):02d}", rng.choice(DAYS),
                           "last night", "yesterday", f"{rng.choice(MONTHS)} {rng.randint(1, 40)}",
                           f"{rng.randint(2000, 2040)}-{rng.randint(1, 12):02d}-{rng.randint(1, 31):02d}",
                           "early on " + rng.choice(DAYS), f"{rng.randint(1, 12)} days ago"])
    return fill(size, lambda: ", ".join(piece() for _ in range(10)) + ".", "\n")


def place_list(rng: random.Random, size: int) -> str:
    names = place_names(rng)
    return fill(size, lambda: ", ".join(rng.choice(names) for _ in range(12)) + rng.choice([".", ",", " and"]), "\n")


def front_matter(rng: random.Random, size: int) -> str:
    """Front matter of thousands of keys, long values and lists, then one short paragraph."""
    def plain() -> str:  # a sentence that is a plain YAML value (no quotation marks, no ': ')
        return sentence(rng).replace('"', "").replace(": ", " ")

    def key() -> str:
        k = f"key{rng.randint(0, 10**9)}"
        return rng.choice([f"{k}: {plain()}", f"{k}:\n  - {plain()}\n  - {rng.randint(0, 99)}",
                           f"{k}: >\n  {plain()}\n  {plain()}", f"{k}: {json.dumps(sentence(rng))}"])
    return FRONT + fill(size - len(FRONT) - 200, key, "\n") + "\n---\n" + BODY


FAMILIES: dict[str, tuple[str, Callable[[random.Random, int], str]]] = {
    "numbers": (".txt", numbers),
    "punctuation": (".txt", punctuation),
    "one-line": (".txt", one_line),
    "prose": (".txt", prose),
    "nested-html": (".html", nested_html),
    "nested-json": (".jsonl", nested_json),
    "long-words": (".txt", long_words),
    "quotes": (".txt", quotes),
    "attack-cues": (".txt", attack_cues),
    "dates-times": (".txt", dates_times),
    "place-names": (".txt", place_list),
    "front-matter": (".md", front_matter),
}


def run_build(path: Path, out: Path, timeout: float) -> tuple[float, float, int, str]:
    """CPU seconds and wall seconds of `kg build path -o out` in a fresh process, its exit code and last
    stderr line; exit -9 when it was killed at the timeout."""
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    t0 = time.monotonic()
    proc = subprocess.Popen([sys.executable, "-m", "kg", "build", str(path), "-o", str(out)], cwd=ROOT, env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True)
    killed = False
    while True:
        pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
        if pid:
            break
        if time.monotonic() - t0 > timeout and not killed:
            os.killpg(proc.pid, signal.SIGKILL)
            killed = True
        time.sleep(0.02)
    wall = time.monotonic() - t0
    err = proc.stderr.read().decode("utf-8", "replace").strip().splitlines()
    proc.stderr.close()
    code = -9 if killed else os.waitstatus_to_exitcode(status)
    return usage.ru_utime + usage.ru_stime, wall, code, (err[-1] if err else "")[:100]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--sizes", type=float, nargs=2, default=[0.5, 2.0], metavar=("SMALL", "BIG"),
                    help="sizes in MB (10^6 bytes); at most 20 MiB")
    ap.add_argument("--only", nargs="*", choices=sorted(FAMILIES), help="these families only")
    ap.add_argument("--rounds", type=int, default=1)
    ap.add_argument("--timeout", type=float, default=600, help="kill a build after this many seconds")
    args = ap.parse_args()
    names = args.only or list(FAMILIES)
    sizes = [min(int(s * MB), LIMIT - 4096) for s in args.sizes]
    with tempfile.TemporaryDirectory(prefix="kg-hostile-") as tmp:
        folder = Path(tmp)
        files: dict[tuple[str, int], Path] = {}
        for name in names:
            suffix, make = FAMILIES[name]
            for size in sizes:
                path = folder / f"{name}-{size}{suffix}"
                path.write_text(make(random.Random(f"{name}{size}"), size), encoding="utf-8")
                files[name, size] = path
        tiny = folder / "tiny.md"
        tiny.write_text(FRONT + "---\n" + BODY, encoding="utf-8")
        cpu: dict[object, list[float]] = {}
        info: dict[object, tuple[float, int, str]] = {}
        for r in range(args.rounds):
            order = [("tiny", 0)] + [(n, s) for n in names for s in (sizes if r % 2 == 0 else sizes[::-1])]
            for key in order:
                path = tiny if key[0] == "tiny" else files[key]
                seconds, wall, code, last = run_build(path, folder / "out.nq", args.timeout)
                cpu.setdefault(key, []).append(seconds)
                info[key] = (wall, code, last)
                mib = path.stat().st_size / MB
                print(f"round {r + 1}: {key[0]:12s} {mib:6.2f} MB  {seconds:7.2f} s CPU  {wall:7.2f} s wall  "
                      f"exit {code}  {last}", file=sys.stderr, flush=True)
        base = statistics.median(cpu["tiny", 0])
        print(f"start-up (one-sentence article): {base:.2f} s CPU; subtracted below")
        small, big = sizes
        print(f"{'family':13s} {'exit':>9s} {'s/MB @' + f'{small / MB:g}':>10s} {'s/MB @' + f'{big / MB:g}':>10s} "
              f"{'time ratio':>10s} {'size ratio':>10s}")
        for name in names:
            cost = {s: max(0.0, statistics.median(cpu[name, s]) - base) for s in sizes}
            mb = {s: files[name, s].stat().st_size / MB for s in sizes}
            codes = "/".join(str(info[name, s][1]) for s in sizes)
            ratio = cost[big] / cost[small] if cost[small] > 0.05 else float("nan")
            print(f"{name:13s} {codes:>9s} {cost[small] / mb[small]:10.2f} {cost[big] / mb[big]:10.2f} "
                  f"{ratio:10.2f} {mb[big] / mb[small]:10.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
