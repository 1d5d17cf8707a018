"""Opening a conflict-kg store (pyoxigraph on RocksDB), with one-line errors.

Kept apart from kg/store.py, which imports the whole build pipeline, so that `kg query` on a store starts
without it.
"""
from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox


class StoreError(Exception):
    """The store cannot be opened or changed."""


def open_store(path: str | Path, create: bool = False) -> ox.Store:
    """Open a store for writing (creating the folder when asked)."""
    path = Path(path)
    if path.exists() and not path.is_dir():
        raise StoreError(f"{path}: not a store folder")
    if not path.exists():
        if not create:
            raise StoreError(f"{path}: no such store")
        path.mkdir(parents=True)
    elif create and any(path.iterdir()) and not (path / "CURRENT").exists():
        raise StoreError(f"{path}: folder exists and is not a conflict-kg store")
    try:
        return ox.Store(str(path))
    except OSError as err:
        if "lock" in str(err).lower():
            raise StoreError(f"{path}: the store is in use by another process (kg add, kg serve or kg remove); "
                             "try again when it has finished") from None
        raise StoreError(f"{path}: cannot open store ({os_reason(err)})") from None


def open_read_only(path: str | Path) -> ox.Store:
    """Open a store to query it (no other process may be writing to it meanwhile)."""
    path = Path(path)
    if not (path / "CURRENT").exists():
        raise StoreError(f"{path}: not a conflict-kg store (no database found)")
    try:
        return ox.Store.read_only(str(path))
    except OSError as err:
        raise StoreError(f"{path}: cannot open store ({err})") from None


def os_reason(err: OSError) -> str:
    """The first line of an OS or RocksDB error ("No space left on device")."""
    text = err.strerror or str(err) or type(err).__name__
    return text.strip().splitlines()[0][:200] if text.strip() else type(err).__name__
