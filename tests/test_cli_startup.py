"""`kg --help` stays fast: building the argument parser imports no heavy library (networkx alone took ~150 ms).

Speed itself is measured outside the tests (NOTE/README: `python -X importtime -m kg --help`, paired runs);
here we check the cause: which modules the help of every command imports."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from kg.categories import CATEGORIES

ROOT = Path(__file__).resolve().parents[1]
HEAVY = ("networkx", "pyvis", "pyoxigraph", "rdflib", "numpy", "trafilatura", "dateparser", "yaml")


def imported_by(*args: str) -> tuple[subprocess.CompletedProcess, set[str]]:
    """Run `python -X importtime -m kg ARGS` from the tree; return the run and the top-level modules imported."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run([sys.executable, "-X", "importtime", "-m", "kg", *args], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=60)
    modules = {line.rsplit("|", 1)[-1].strip().split(".")[0] for line in done.stderr.splitlines()
               if line.startswith("import time:") and "|" in line}
    return done, modules


@pytest.mark.parametrize("args", [("--help",), ("viz", "--help"), ("export", "--help"), ("build", "--help")])
def test_help_imports_no_heavy_library(args):
    done, modules = imported_by(*args)
    assert done.returncode == 0 and "usage: kg" in done.stdout
    assert "kg" in modules and "argparse" in modules  # the import log was read
    assert not modules & set(HEAVY), sorted(modules & set(HEAVY))


def test_category_choices_come_from_the_light_module():
    done, _modules = imported_by("export", "--help")
    flat = " ".join(done.stdout.split())
    assert all(c in flat for c in CATEGORIES) and "canonical attack" in CATEGORIES
    bad, _ = imported_by("export", "g.trig", "-o", "g.gexf", "--category", "battle")
    assert bad.returncode == 2 and "invalid choice" in bad.stderr
