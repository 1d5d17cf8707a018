"""The confinement of query and update processes: no network system calls (seccomp), a data-memory cap, no core
dumps, no inherited descriptors, death with the server."""
from __future__ import annotations

import ctypes
import multiprocessing as mp
import os
import platform
import signal
import struct
import sys

# Linux audit architecture and the system calls that could reach a network: socket, socketpair, connect,
# and io_uring_setup (io_uring can open sockets without a socket() call).
_SECCOMP = {
    "x86_64": (0xC000003E, (41, 53, 42, 425)),
    "amd64": (0xC000003E, (41, 53, 42, 425)),
    "aarch64": (0xC00000B7, (198, 199, 203, 425)),
    "arm64": (0xC00000B7, (198, 199, 203, 425)),
}
_PR_SET_PDEATHSIG, _PR_SET_SECCOMP, _PR_SET_NO_NEW_PRIVS = 1, 22, 38
_SECCOMP_MODE_FILTER, _RET_ALLOW, _RET_KILL_PROCESS = 2, 0x7FFF0000, 0x80000000


def _libc() -> ctypes.CDLL:
    libc = ctypes.CDLL(None, use_errno=True)
    libc.prctl.argtypes = [ctypes.c_int, ctypes.c_ulong, ctypes.c_ulong, ctypes.c_ulong, ctypes.c_ulong]
    libc.prctl.restype = ctypes.c_int
    return libc


def _seccomp_program() -> bytes | None:
    """A classic-BPF seccomp filter: kill the process on any network system call (or a foreign ABI)."""
    entry = _SECCOMP.get(platform.machine().lower())
    if entry is None or not sys.platform.startswith("linux"):
        return None
    arch, calls = entry
    kill = 5 + len(calls)  # index of the final "kill" instruction
    prog = [(0x20, 0, 0, 4),                    # A = seccomp_data.arch
            (0x15, 0, kill - 2, arch),          # foreign architecture (e.g. int 0x80) -> kill
            (0x20, 0, 0, 0),                    # A = seccomp_data.nr
            (0x35, kill - 4, 0, 0x40000000)]    # x32 ABI numbers -> kill
    for i, nr in enumerate(calls):
        prog.append((0x15, kill - (4 + i) - 1, 0, nr))
    prog += [(0x06, 0, 0, _RET_ALLOW), (0x06, 0, 0, _RET_KILL_PROCESS)]
    return b"".join(struct.pack("HBBI", *insn) for insn in prog)


class _SockFprog(ctypes.Structure):
    _fields_ = [("len", ctypes.c_ushort), ("filter", ctypes.c_void_p)]


def install_sandbox() -> bool:
    """Forbid network system calls to this process from now on (irrevocably). False if not possible here."""
    code = _seccomp_program()
    if code is None:
        return False
    try:
        libc = _libc()
        buf = ctypes.create_string_buffer(code, len(code))
        prog = _SockFprog(len(code) // 8, ctypes.cast(buf, ctypes.c_void_p))
        if libc.prctl(_PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0:
            return False
        return libc.prctl(_PR_SET_SECCOMP, _SECCOMP_MODE_FILTER, ctypes.addressof(prog), 0, 0) == 0
    except (OSError, AttributeError):
        return False


def confine(max_memory_mb: int, sandbox: bool, keep_fd: int) -> bool:
    """First thing in a query or update process: die with the server, cap memory, close inherited files,
    and (if asked and possible) install the network sandbox. Returns whether the sandbox is on."""
    if sys.platform.startswith("linux"):
        parent = os.getppid()
        try:
            _libc().prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
        except (OSError, AttributeError):
            pass
        if parent == 1 or os.getppid() != parent:  # the parent died before the line above
            os._exit(1)
    import resource
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    if max_memory_mb > 0:
        want = max_memory_mb * 2**20
        _soft, hard = resource.getrlimit(resource.RLIMIT_DATA)
        cap = want if hard == resource.RLIM_INFINITY else min(want, hard)
        resource.setrlimit(resource.RLIMIT_DATA, (cap, cap))
    # Keep only stdio and the channel to the server. Gone: the listening socket and other clients'
    # connections, and the fork server's keep-alive pipe, which would keep the fork server (our parent) alive
    # as long as we live, and so keep PR_SET_PDEATHSIG from ever firing when the server dies.
    try:
        fds = [int(name) for name in os.listdir("/proc/self/fd")]
    except OSError:
        fds = []
    for fd in fds:
        if fd > 2 and fd != keep_fd:
            try:
                os.close(fd)
            except OSError:
                pass
    return install_sandbox() if sandbox else False


def _try_sandbox() -> None:
    os._exit(0 if install_sandbox() else 1)


def sandbox_available() -> bool:
    """Whether this machine can run queries under the network sandbox (tried in a throw-away process)."""
    proc = mp.get_context("fork").Process(target=_try_sandbox)
    proc.start()
    proc.join(30)
    return proc.exitcode == 0


def deprioritize(pid: int) -> None:
    """Lowest CPU priority for every thread of a process (threads it starts later inherit it)."""
    try:
        tids = [int(t) for t in os.listdir(f"/proc/{pid}/task")]
    except OSError:
        tids = [pid]
    for tid in tids:
        try:
            os.setpriority(os.PRIO_PROCESS, tid, 19)
        except OSError:
            pass
