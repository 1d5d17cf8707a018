"""Start-up of `kg --help`: this tree against a baseline tree, paired and interleaved runs (the machine is shared).

    python bench/bench_startup.py [BASELINE_TREE] [RUNS]

Bytecode is cached (as after `pip install`) under a prefix in /tmp. Prints the median wall time of `python -m kg --help` in each tree, the ratio, and the bare interpreter's
start (`python -c pass`) for scale.
"""
from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parents[1]


def once(tree: Path, args: list[str]) -> float:
    """Wall seconds of one `python ARGS` run with `tree` first on the path."""
    # as installed (pip writes .pyc): bytecode cached, here under a prefix so the trees are not written to
    env = {**os.environ, "PYTHONPATH": str(tree), "PYTHONPYCACHEPREFIX": "/tmp/kg-bench-pycache"}
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    start = time.perf_counter()
    subprocess.run([sys.executable, *args], cwd=tree, env=env, stdout=subprocess.DEVNULL, check=True)
    return time.perf_counter() - start


def main() -> None:
    """Interleave the runs (baseline, this tree, bare python) and report medians and the ratio."""
    base = Path(sys.argv[1]) if len(sys.argv) > 1 else Path("/work/main")
    runs = int(sys.argv[2]) if len(sys.argv) > 2 else 21
    for tree in (base, HERE):  # warm the bytecode cache
        once(tree, ["-m", "kg", "--help"])
    times: dict[str, list[float]] = {"baseline": [], "this tree": [], "python -c pass": []}
    for _ in range(runs):
        times["baseline"].append(once(base, ["-m", "kg", "--help"]))
        times["this tree"].append(once(HERE, ["-m", "kg", "--help"]))
        times["python -c pass"].append(once(HERE, ["-c", "pass"]))
    med = {k: statistics.median(v) for k, v in times.items()}
    for k, v in med.items():
        print(f"{k:>15}: median {v * 1000:6.1f} ms over {runs} runs")
    print(f"this tree / baseline: {med['this tree'] / med['baseline']:.2f}")


if __name__ == "__main__":
    main()
