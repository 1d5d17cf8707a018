"""Write a file whole or not at all: into a temporary file beside it, flushed to disk, then renamed."""
from __future__ import annotations

import os
import re
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO, Callable, Iterator

_STALE_AFTER = 3600  # seconds: a temporary file of an older kg (no process id in its name) left that long is dead


def atomic_write(path: str | Path, fill: Callable[[BinaryIO], None]) -> None:
    """Call `fill` with a binary file handle, then put the result at `path` in one rename.

    On any error (or interruption) the temporary file is removed and `path` is left as it was. A temporary
    file that a killed run (kill -9, power loss) left beside `path` is removed by the next write of `path`.
    """
    with atomic_file(path) as fh:
        fill(fh)


@contextmanager
def atomic_file(path: str | Path) -> Iterator[BinaryIO]:
    """A binary file handle whose content appears at `path` in one rename when the block ends normally.

    An exception in the block (or an interruption) removes the temporary file and leaves `path` as it was.
    """
    path = Path(path)
    remove_stale_parts(path)
    with scratch_file(path) as (fh, tmp):
        yield fh
        fh.flush()
        os.fsync(fh.fileno())
        fh.close()
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)


@contextmanager
def scratch_file(path: str | Path) -> Iterator[tuple[BinaryIO, Path]]:
    """A temporary file beside `path` (named as its temporary files are, so a killed run's is cleaned up
    by the next write of `path`), open for writing; removed when the block ends, whatever happens."""
    path = Path(path)
    directory = path.parent if str(path.parent) else Path(".")
    fd, name = tempfile.mkstemp(prefix=f".{path.name}.{os.getpid()}.", suffix=".part", dir=directory)
    tmp = Path(name)
    try:
        with os.fdopen(fd, "wb") as fh:
            yield fh, tmp
    finally:
        tmp.unlink(missing_ok=True)


def remove_stale_parts(path: Path) -> list[Path]:
    """Remove temporary files of `path` whose writer is gone; returns what was removed."""
    directory = path.parent if str(path.parent) else Path(".")
    pattern = re.compile(re.escape(f".{path.name}.") + r"(?:(\d+)\.)?[A-Za-z0-9_]+\.part")
    removed = []
    try:
        candidates = [p for p in directory.iterdir() if p.name.startswith(f".{path.name}.") and p.name.endswith(".part")]
    except OSError:
        return removed
    for part in candidates:
        m = pattern.fullmatch(part.name)
        if not m:
            continue
        try:
            if m.group(1):
                if _alive(int(m.group(1))):
                    continue
            elif time.time() - part.stat().st_mtime < _STALE_AFTER:
                continue
            part.unlink()
            removed.append(part)
        except OSError:
            continue
    return removed


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return False  # this process writes one file at a time: an older part of ours is left over
    return process_alive(pid)


def process_alive(pid: int) -> bool:
    """Whether a process with this id exists (one we may not signal counts as alive)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OverflowError):
        return True
    return True
