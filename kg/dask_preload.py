"""Dask worker preload: a worker started by `kg build --engine dask` dies with the process that started it.

Loaded by name in each worker process of the LocalCluster (`LocalCluster(preload=[__name__])`), and
imported first by the multiprocessing forkserver that forks the workers (kg starts it with SIGINT ignored,
see kg.distributed). The forkserver is kg's child and the workers are its children: once the kernel is
asked to SIGKILL each when its parent goes (PR_SET_PDEATHSIG), a `kill -9` of kg takes the forkserver and
every worker with it, even a worker whose event loop is stuck in a long call. Dask's own parent-alive pipe
stays as a second guard, and is the only one on systems without prctl.
"""
from __future__ import annotations

import os
import signal
import sys
from typing import Any

PR_SET_PDEATHSIG = 1
PARENT_ENV = "KG_DASK_PARENT"  # the pid of the process that forks the worker, set by the nanny
FORKSERVER_ENV = "KG_DASK_FORKSERVER_OF"  # the kg pid, in the environment of the forkserver it starts


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


def guard_forkserver() -> bool:
    """In the forkserver kg starts to fork its workers, which imports this module first: ignore SIGINT, and
    die with kg. Anywhere else (kg itself, a worker) this does nothing; True when it acted.

    The forkserver starts with SIGINT blocked (kg.distributed._start_forkserver); ignored here before it is
    unblocked, a Ctrl-C never reaches it, and multiprocessing then hands the ignored SIGINT to every worker
    it forks. The forkserver is kg's child and the workers are its children: PDEATHSIG on both levels takes
    every worker down with kg, even one stuck in a long call."""
    if os.environ.get(FORKSERVER_ENV) != str(os.getppid()) or "multiprocessing.forkserver" not in sys.modules:
        return False
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})
    die_with_parent()
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


guard_forkserver()  # the forkserver's preload is an import: this line is how it runs
