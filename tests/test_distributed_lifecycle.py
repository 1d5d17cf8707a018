"""No Dask process outlives `kg build --engine dask`: normal exit, kill -9 of kg, and Ctrl-C (issues 10, 12).

Processes are followed through /proc (Linux only): every descendant of the kg process is recorded while it
runs, and each test then checks that none of them is still alive. Any survivor is killed in cleanup.
"""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Iterator

import pytest

pytest.importorskip("distributed", reason="dask/distributed are test extras (pip install .[test])")
pytestmark = pytest.mark.skipif(not Path("/proc/self/task").is_dir(), reason="follows processes through /proc")

ROOT = Path(__file__).resolve().parent.parent
TOWNS = ["Marrowfield", "Quillbrook", "Ostrava Vale", "Tennick"]


def children(pid: int) -> list[int]:
    found = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            found += [int(c) for c in (task / "children").read_text().split()]
        except OSError:
            pass
    return found


def descendants(pid: int) -> set[int]:
    seen, todo = set(), [pid]
    while todo:
        for c in children(todo.pop()):
            if c not in seen:
                seen.add(c)
                todo.append(c)
    return seen


def alive(pid: int) -> bool:
    """Running or sleeping (a zombie has already died, it only waits to be reaped)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"


def in_group(pgid: int) -> set[int]:
    found = set()
    for d in Path("/proc").iterdir():
        if d.name.isdigit():
            try:
                fields = (d / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[2]) == pgid and fields[0] != "Z":
                found.add(int(d.name))
    return found


def sigint_ignored(pid: int) -> bool:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("SigIgn:"):
            return bool(int(line.split()[1], 16) & (1 << (signal.SIGINT - 1)))
    return False


def cmdline(pid: int) -> bytes:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return b""


def parent(pid: int) -> int:
    try:
        return int(Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[1])
    except OSError:
        return 0


def is_forkserver(pid: int) -> bool:
    """multiprocessing's forkserver (its children, forked, carry the same command line)."""
    return b"multiprocessing.forkserver" in cmdline(pid) and not is_forkserver(parent(pid)) if pid > 1 else False


def sigint_shielded(pid: int) -> bool:
    """SIGINT ignored, or blocked (pending until the process ignores it: the forkserver as it starts)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("SigBlk:") and int(line.split()[1], 16) & (1 << (signal.SIGINT - 1)):
            return True
    return sigint_ignored(pid)


def is_worker(pid: int) -> bool:
    """A Dask worker: spawned (spawn_main), or forked by the forkserver."""
    return b"spawn_main" in cmdline(pid) or (b"multiprocessing.forkserver" in cmdline(pid) and is_forkserver(parent(pid)))


@pytest.fixture
def articles(tmp_path: Path) -> Path:
    folder = tmp_path / "articles"
    folder.mkdir()
    for i in range(24):
        town = TOWNS[i % len(TOWNS)]
        (folder / f"report{i:02d}.md").write_text(
            f"---\ntitle: Night report {i}\ndate: 2031-05-{i % 27 + 1:02d}\n---\n"
            f"Officials said a drone hit a grain store in {town} overnight. {i % 5 + 1} people were hurt.\n",
            encoding="utf-8")
    return folder


@pytest.fixture
def survivors() -> Iterator[set[int]]:
    """Processes to kill in cleanup, whatever the test's outcome."""
    pids: set[int] = set()
    yield pids
    for pid in pids:
        if alive(pid):
            try:
                os.kill(pid, signal.SIGKILL)
            except OSError:
                pass


def default_sigint() -> None:
    """In the child, before exec: Ctrl-C acts as in a terminal even if this test runs with SIGINT ignored."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def start_build(articles: Path, out: Path, survivors: set[int]) -> subprocess.Popen:
    # its own session: the process group is the kg process's, as when a shell starts it
    proc = subprocess.Popen([sys.executable, "-m", "kg", "build", str(articles), "-o", str(out), "--engine", "dask"],
                            cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True,
                            preexec_fn=default_sigint)
    survivors.add(proc.pid)
    return proc


def watch_until_workers(proc: subprocess.Popen, survivors: set[int], timeout: float = 120) -> set[int]:
    """Record the kg process's descendants until its two Dask workers run; returns what was seen."""
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        found = descendants(proc.pid)
        survivors |= found
        if sum(is_worker(p) for p in found) >= 2:
            return found
        assert proc.poll() is None, f"kg exited {proc.returncode} before its workers were seen"
        time.sleep(0.05)
    raise AssertionError("the Dask workers never started")


def still_alive(pids: set[int], within: float) -> set[int]:
    end = time.monotonic() + within
    while True:
        left = {p for p in pids if alive(p)}
        if not left or time.monotonic() > end:
            return left
        time.sleep(0.1)


def test_normal_exit_leaves_no_process(articles, tmp_path, survivors):
    proc = start_build(articles, tmp_path / "shards", survivors)
    seen, workers = set(), set()
    end = time.monotonic() + 300
    while proc.poll() is None:
        assert time.monotonic() < end, "the build did not end"
        found = descendants(proc.pid)
        seen |= found
        workers |= {p for p in found if is_worker(p)}
        survivors |= seen
        time.sleep(0.05)
    _out, err = proc.communicate(timeout=60)
    assert proc.returncode == 0, err
    assert len(workers) == 2, "the two Dask workers were not seen"
    assert len(list((tmp_path / "shards").glob("part-*.nq"))) >= 2
    assert still_alive(seen, within=2) == set()
    assert in_group(proc.pid) == set()


def test_kill_9_takes_every_dask_process_with_it(articles, tmp_path, survivors):
    proc = start_build(articles, tmp_path / "shards", survivors)
    seen = watch_until_workers(proc, survivors)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=30)
    assert still_alive(seen, within=10) == set()
    assert in_group(proc.pid) == set()


def test_ctrl_c_exits_130_with_one_line(articles, tmp_path, survivors):
    for i in range(150):  # more work, so that the build is still running once the workers have started
        (articles / f"more{i:03d}.md").write_text((articles / f"report{i % 24:02d}.md").read_text() * 3)
    proc = start_build(articles, tmp_path / "shards", survivors)
    seen = watch_until_workers(proc, survivors)
    # kg ignores SIGINT while its workers start (and so do they): wait until it handles SIGINT again
    end = time.monotonic() + 60
    while sigint_ignored(proc.pid) and proc.poll() is None and time.monotonic() < end:
        time.sleep(0.02)
    os.killpg(proc.pid, signal.SIGINT)  # as a terminal does: the whole foreground group gets it
    _out, err = proc.communicate(timeout=60)
    assert proc.returncode == 130, err
    lines = err.decode("utf-8", "replace").strip().splitlines()
    assert len(lines) == 1 and "interrupted" in lines[0], lines
    assert still_alive(seen, within=5) == set()
    assert in_group(proc.pid) == set()
    assert not list((tmp_path / "shards").glob("*.nq"))


def test_die_with_parent_kills_an_orphan(tmp_path, survivors):
    """The mechanism itself, without Dask: a grandchild that asked for it dies when its parent is killed."""
    grandchild = ("import signal, sys, time; from kg.dask_preload import die_with_parent; "
                  "ok = die_with_parent(); signal.signal(signal.SIGTERM, signal.SIG_IGN); "
                  "print(int(ok), flush=True); time.sleep(60)")
    parent = ("import subprocess, sys, time; "
              f"g = subprocess.Popen([sys.executable, '-c', {grandchild!r}], stdout=subprocess.PIPE); "
              "print(g.pid, g.stdout.readline().decode().strip(), flush=True); time.sleep(60)")
    proc = subprocess.Popen([sys.executable, "-c", parent], cwd=ROOT, stdout=subprocess.PIPE)
    survivors.add(proc.pid)
    pid, ok = proc.stdout.readline().split()
    survivors.add(int(pid))
    assert ok == b"1" and alive(int(pid))
    proc.kill()
    proc.wait(timeout=10)
    assert still_alive({int(pid)}, within=5) == set()


def watch_until(proc: subprocess.Popen, survivors: set[int], ready, timeout: float = 120) -> set[int]:
    """Record the kg process's descendants until `ready(descendants)` holds; returns what was seen."""
    end = time.monotonic() + timeout
    seen: set[int] = set()
    while time.monotonic() < end:
        found = descendants(proc.pid)
        seen |= found
        survivors |= found
        if ready(found):
            return seen
        assert proc.poll() is None, f"kg exited {proc.returncode} before the moment came"
        time.sleep(0.01)
    raise AssertionError("the moment never came")


MOMENTS = {
    # as soon as the forkserver exists (it is still importing Dask; no worker yet)
    "forkserver": lambda found: any(is_forkserver(p) for p in found),
    # as soon as the first worker is forked (it is still starting; it has not joined the cluster)
    "first worker": lambda found: sum(is_worker(p) for p in found) >= 1,
    # both workers forked, the cluster not yet handed to the client
    "second worker": lambda found: sum(is_worker(p) for p in found) >= 2,
}


@pytest.mark.parametrize("moment", sorted(MOMENTS))
def test_one_ctrl_c_during_the_start_stops_the_build(articles, tmp_path, survivors, moment):
    """Issue 12: a Ctrl-C in the seconds while the workers start is not lost: exit 130, one line, no process
    left, nothing written. kg itself never ignores SIGINT; the forkserver and the workers always do."""
    proc = start_build(articles, tmp_path / "shards", survivors)
    seen = watch_until(proc, survivors, MOMENTS[moment])
    servers = [p for p in seen if is_forkserver(p) and alive(p)]
    assert not sigint_ignored(proc.pid)
    assert servers and all(sigint_shielded(p) for p in servers)
    os.killpg(proc.pid, signal.SIGINT)  # once, as a terminal does: the whole foreground group gets it
    _out, err = proc.communicate(timeout=120)
    lines = err.decode("utf-8", "replace").strip().splitlines()
    assert proc.returncode == 130, lines
    assert len(lines) == 1 and "interrupted" in lines[0], lines
    seen |= set(survivors)
    assert still_alive(seen, within=10) == set()
    assert in_group(proc.pid) == set()
    assert not list((tmp_path / "shards").glob("*.nq"))


def test_workers_ignore_sigint_and_kg_does_not(articles, tmp_path, survivors):
    """The arrangement itself, seen in /proc while the build runs: SIGINT blocked or ignored in the forkserver
    and in every worker from its first instruction (forked, the workers never run a line with SIGINT
    handled), and handled by kg at every moment (sampled until the build ends)."""
    proc = start_build(articles, tmp_path / "shards", survivors)
    workers: set[int] = set()
    end = time.monotonic() + 300
    while proc.poll() is None and time.monotonic() < end:
        found = descendants(proc.pid)
        survivors |= found
        try:
            assert not sigint_ignored(proc.pid), "kg ignored SIGINT"
        except OSError:
            break  # kg has just exited
        for p in found:
            if is_worker(p) or is_forkserver(p):
                try:
                    assert sigint_shielded(p), f"process {p} handles SIGINT"
                except OSError:
                    continue
                workers.add(p)
        time.sleep(0.02)
    assert proc.wait(timeout=60) == 0
    assert len(workers) >= 3  # the forkserver and two workers were seen
