"""Dask worker preload: a worker started by `kg build --engine dask` dies with the process that started it.

Loaded by name in each worker process of the LocalCluster (`LocalCluster(preload=[__name__])`). The
nannies live inside the kg process, so the worker is kg's direct child: once the kernel is asked to
SIGKILL it when its parent goes (PR_SET_PDEATHSIG), a `kill -9` of kg takes every worker with it even if
the worker's event loop is stuck in a long call. Dask's own parent-alive pipe stays as a second guard,
and is the only one on systems without prctl.
"""
from __future__ import annotations

import os
import signal
import sys
from typing import Any

PR_SET_PDEATHSIG = 1
PARENT_ENV = "KG_DASK_PARENT"  # the kg process's pid, set in the worker's environment by the nanny


def die_with_parent() -> bool:
    """Ask the kernel to SIGKILL this process when its parent exits; True if it was arranged."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        if libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0) != 0:
            return False
    except (OSError, AttributeError):
        return False
    return True


def dask_setup(worker: Any) -> None:
    """Dask's preload hook, called in the worker process before it takes tasks."""
    die_with_parent()
    # Ctrl-C goes to the whole terminal process group; the kg process stops the cluster, so the worker
    # must not print its own KeyboardInterrupt traceback meanwhile
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    parent = os.environ.get(PARENT_ENV, "")
    if parent.isdigit() and os.getppid() != int(parent):  # kg died before the prctl above took effect
        os._exit(1)
