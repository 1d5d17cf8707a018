"""Faults (issue 12): kill -9 and Ctrl-C with workers, stale temporary files, full disk, odd arguments."""
from __future__ import annotations

import errno
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from kg.atomic import atomic_write
from tests.conftest import DATA, SEED, ROOT, run_kg

linux_only = pytest.mark.skipif(not Path("/proc/self/task").exists(), reason="reads /proc (Linux)")


def _feed(tmp_path: Path, n: int = 400) -> Path:
    texts = [p.read_text(encoding="utf-8").split("---\n", 2)[-1] for p in sorted(DATA.glob("*.txt"))]
    feed = tmp_path / "feed.jsonl"
    with feed.open("w", encoding="utf-8") as fh:
        for i in range(n):
            fh.write(json.dumps({"id": f"a{i:04d}", "date": "2025-07-04", "text": texts[i % len(texts)]}) + "\n")
    return feed


def _children(pid: int) -> set[int]:
    found = set()
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            found |= {int(c) for c in (task / "children").read_text().split()}
        except OSError:
            continue
    return found


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as fh:
            return fh.read().split(") ", 1)[1][0] != "Z"
    except OSError:
        return False


def _start_add(tmp_path: Path) -> tuple[subprocess.Popen, Path]:
    store = tmp_path / "store"
    # an existing store, so articles show up as they are written (a new one appears whole at the end)
    run_kg("add", str(SEED), "--store", str(store), "--workers", "1", check=True)
    proc = subprocess.Popen([sys.executable, "-m", "kg", "add", str(_feed(tmp_path, 1500)), "--store", str(store),
                             "--workers", "2"], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
                            cwd=ROOT, start_new_session=True)
    return proc, store


def _wait_for_workers(proc: subprocess.Popen, store: Path) -> set[int]:
    """Wait (bounded) until both workers run and at least one article is written."""
    deadline = time.time() + 120
    workers: set[int] = set()
    while time.time() < deadline and proc.poll() is None:
        workers = {c for c in _children(proc.pid) if _alive(c)}
        if len(workers) >= 2 and any(store.glob("*.log")) and _stored(store):
            break
        time.sleep(0.2)
    assert proc.poll() is None and len(workers) >= 2, "kg add should still be running with two workers"
    return workers


def _stored(store: Path) -> bool:
    try:
        from kg.store import article_ids, open_read_only

        return len(article_ids(open_read_only(store))) >= 3
    except Exception:  # the writer may be mid-flush: look again
        return False


@linux_only
def test_kill_9_of_add_leaves_no_worker_running(tmp_path):
    proc, store = _start_add(tmp_path)
    workers = _wait_for_workers(proc, store)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    deadline = time.time() + 30
    while time.time() < deadline and any(_alive(w) for w in workers):
        time.sleep(0.1)
    survivors = [w for w in workers if _alive(w)]
    for w in survivors:  # do not leave them behind whatever the outcome
        os.kill(w, signal.SIGKILL)
    assert not survivors


@linux_only
def test_ctrl_c_stops_add_cleanly(tmp_path):
    proc, store = _start_add(tmp_path)
    workers = _wait_for_workers(proc, store)
    os.killpg(proc.pid, signal.SIGINT)  # what the terminal does: the whole foreground group
    try:
        _, err = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 130, err
    assert err.strip().splitlines() == ["kg: error: interrupted"], err
    deadline = time.time() + 30
    while time.time() < deadline and any(_alive(w) for w in workers):
        time.sleep(0.1)
    assert not any(_alive(w) for w in workers)


def test_stale_part_files_are_removed_by_the_next_write(tmp_path):
    out = tmp_path / "g.trig"
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True,
                          text=True).stdout.strip()  # a process id that has exited
    stale = [tmp_path / f".g.trig.{dead}.abcd1234.part", tmp_path / ".g.trig.oldstyle.part"]
    for p in stale:
        p.write_bytes(b"x" * 1000)
    os.utime(stale[1], (time.time() - 7200, time.time() - 7200))
    live = tmp_path / f".g.trig.{os.getppid()}.live0000.part"  # a writer that is still running
    live.write_bytes(b"x")
    other = tmp_path / f".other.trig.{dead}.abcd1234.part"  # another output's file
    other.write_bytes(b"x")
    atomic_write(out, lambda fh: fh.write(b"data"))
    assert out.read_bytes() == b"data"
    assert not any(p.exists() for p in stale)
    assert live.exists() and other.exists()


@pytest.mark.parametrize("existing", [False, True])
def test_full_disk_during_add_is_one_line(tmp_path, monkeypatch, capsys, existing):
    import kg.store as store_mod
    from kg.cli import main

    def full(*args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")

    store = tmp_path / "s"
    if existing:  # whole articles in transactions
        main(["add", str(DATA / "sumy_2025_04_13.md"), "--store", str(store), "--workers", "1", "-q"])
        monkeypatch.setattr(store_mod, "write_articles", full)
    else:  # a new store, bulk loaded aside
        monkeypatch.setattr(store_mod, "bulk_write", full)
    capsys.readouterr()
    assert main(["add", str(SEED), "--store", str(store), "--workers", "1", "-q"]) == 2
    err = capsys.readouterr().err
    assert len(err.strip().splitlines()) == 1 and "No space left on device" in err and "Traceback" not in err
    assert existing == store.exists() and not list(tmp_path.glob(".s.*"))


def test_remove_with_bytes_that_are_not_utf8_is_one_line(tmp_path):
    store = tmp_path / "s"
    run_kg("add", str(SEED), "--store", str(store), "--workers", "1", check=True)
    proc = subprocess.run([os.fsencode(sys.executable), b"-m", b"kg", b"remove", b"\xff", b"--store",
                           os.fsencode(store)], capture_output=True, cwd=ROOT)
    err = proc.stderr.decode("utf-8", "replace")
    assert proc.returncode == 1 and "Traceback" not in err and "\\xff" in err, err


def test_remove_hints_at_a_similar_stored_id(tmp_path):
    store = tmp_path / "s"
    (tmp_path / "report_1.txt").write_text(SEED.read_text(encoding="utf-8"), encoding="utf-8")
    run_kg("add", str(tmp_path / "report_1.txt"), "--store", str(store), "--workers", "1", check=True)
    proc = run_kg("remove", "report 1", "--store", str(store))
    assert proc.returncode == 1 and "did you mean 'report_1'" in proc.stderr


def test_missing_output_folder_is_reported_before_extraction(tmp_path, monkeypatch):
    import kg.build as build_mod
    from kg.output import OutputError

    def no_extraction(article):
        raise AssertionError("extraction ran before the output folder was checked")

    monkeypatch.setattr(build_mod, "article_quads", no_extraction)
    with pytest.raises(OutputError, match="does not exist"):
        build_mod.build([SEED], tmp_path / "nope" / "g.trig", progress=False)


def test_store_held_by_another_process_is_one_clear_line(tmp_path):
    import pyoxigraph as ox

    holder = ox.Store(str(tmp_path / "s"))  # this process holds the lock
    try:
        proc = run_kg("add", str(SEED), "--store", str(tmp_path / "s"), "--workers", "1")
    finally:
        del holder
    assert proc.returncode == 2 and len(proc.stderr.strip().splitlines()) == 1
    assert "in use by another process" in proc.stderr


def test_add_sync_removes_articles_of_renamed_files(tmp_path):
    src, store = tmp_path / "in", tmp_path / "s"
    src.mkdir()
    text = SEED.read_text(encoding="utf-8")
    (src / "a.txt").write_text(text, encoding="utf-8")
    (src / "b.txt").write_text(text, encoding="utf-8")
    run_kg("add", str(src), "--store", str(store), "--workers", "1", check=True)
    (src / "b.txt").rename(src / "c.txt")
    (src / "bad.txt").write_bytes(b"\xff\xfe\x00")
    proc = run_kg("add", str(src), "--store", str(store), "--workers", "1", "--sync")
    assert proc.returncode == 3 and "removed nothing" in proc.stderr  # an unreadable input: nothing removed
    (src / "bad.txt").unlink()
    proc = run_kg("add", str(src), "--store", str(store), "--workers", "1", "--sync")
    assert proc.returncode == 0 and "1 removed" in proc.stderr and "'b'" in proc.stderr
    from kg.store import article_ids, open_read_only

    assert article_ids(open_read_only(store)) == ["a", "c"]
