"""`kg serve`: a SPARQL 1.1 Protocol endpoint over a store, safe to expose to colleagues.

- Read-only by default: an update is refused (403) unless the server was started with a write token and
  the request carries it (`Authorization: Bearer TOKEN`).
- The server never fetches other URLs, by two independent guards. Every query and update runs in its own
  short-lived process, which first parses the text with rdflib's SPARQL 1.1 parser and refuses SERVICE and
  LOAD found in the parse tree (403), and anything rdflib cannot parse (400: fail closed); the parse is
  skipped only when neither word can be in the text, in any case or escape. Then, on Linux
  (x86-64, arm64), it runs under a seccomp filter that kills it if it opens a socket, so whatever the two
  parsers might disagree on, a SERVICE or LOAD cannot reach the network (the client gets 403).
- Each process has a time limit (503 at `timeout`, updates too, and an update killed at its timeout writes
  nothing), a memory cap (`max_memory`, on its data memory: RLIMIT_DATA) and no core dumps. SELECT rows
  and CONSTRUCT triples are capped (the response says so in `X-Result-Truncated`).
- `max_parallel` queries start at once; a query still running after a short grace period moves to a second
  pool of the same size at the lowest CPU priority, so a few runaway queries do not lock the others out.
  A request whose client has gone is dropped from the queue, and its running query is stopped.
- On shutdown (SIGTERM, Ctrl-C) the query processes are killed; if the server itself is killed, they get
  SIGKILL from the kernel (PR_SET_PDEATHSIG).
- Results: SPARQL JSON, XML, CSV, TSV; Turtle, N-Triples or RDF/XML for CONSTRUCT/DESCRIBE, by Accept header
  (or a `format` parameter). Malformed queries get 400 with the parser's message. Request bodies: a valid
  Content-Length or `Transfer-Encoding: chunked`; anything else gets 400 (or 501 for other codings).
"""
from __future__ import annotations

import ctypes
import hmac
import io
import multiprocessing as mp
import os
import platform
import re
import select
import signal
import socket
import struct
import sys
import threading
import time
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import pyoxigraph as ox

SELECT_TYPES = {
    "application/sparql-results+json": ox.QueryResultsFormat.JSON, "application/json": ox.QueryResultsFormat.JSON,
    "application/sparql-results+xml": ox.QueryResultsFormat.XML, "application/xml": ox.QueryResultsFormat.XML,
    "text/csv": ox.QueryResultsFormat.CSV, "text/tab-separated-values": ox.QueryResultsFormat.TSV,
}
GRAPH_TYPES = {
    "text/turtle": ox.RdfFormat.TURTLE, "application/n-triples": ox.RdfFormat.N_TRIPLES,
    "application/rdf+xml": ox.RdfFormat.RDF_XML, "text/plain": ox.RdfFormat.N_TRIPLES,
}
FORMAT_PARAM = {"json": "application/sparql-results+json", "xml": "application/sparql-results+xml",
                "csv": "text/csv", "tsv": "text/tab-separated-values", "turtle": "text/turtle",
                "ttl": "text/turtle", "nt": "application/n-triples", "ntriples": "application/n-triples",
                "rdfxml": "application/rdf+xml"}
MAX_BODY = 10 * 2**20
MAX_CHUNKS = 10_000
POLL = 0.1  # seconds between checks on a running process or a waiting request
NO_FETCH = "this endpoint never fetches other URLs"


@dataclass(frozen=True)
class Settings:
    store: str
    write_token: str | None = None
    timeout: float = 30.0
    max_rows: int = 100_000
    max_memory: int = 1024  # MB of data memory (RLIMIT_DATA) per query or update process; 0 for no cap
    sandbox: bool = True  # the seccomp filter; False only to test the parser check alone


# ---------------------------------------------------------------- SERVICE and LOAD, on the parse tree

class Unparsed(ValueError):
    """rdflib's SPARQL parser could not parse the text."""


def forbidden_operation(sparql: str, update: bool = False) -> str | None:
    """'SERVICE' or 'LOAD' when rdflib's parse tree of the query (or update) has one, else None.

    Raises Unparsed when rdflib cannot parse the text (it lags behind pyoxigraph on RDF 1.2 syntax, and
    disagrees with it on a few escapes, e.g. `ex:a\\#b`): the caller refuses it.
    """
    from rdflib.plugins.sparql import parser as rdflib_sparql  # imported where needed: in the fork server
    from rdflib.plugins.sparql.parserutils import CompValue

    try:
        tree = rdflib_sparql.parseUpdate(sparql) if update else rdflib_sparql.parseQuery(sparql)
    except Exception as err:  # noqa: BLE001 - pyparsing, recursion, unicode errors: all mean "not parsed"
        raise Unparsed(str(err).splitlines()[0] if str(err) else type(err).__name__) from None
    stack, found = [tree], set()
    while stack:
        node = stack.pop()
        if isinstance(node, CompValue):
            found.add(node.name)
            stack.extend(dict.values(node))
        elif isinstance(node, (list, tuple)) or type(node).__name__ == "ParseResults":
            stack.extend(node)
        elif isinstance(node, dict):
            stack.extend(node.values())
    if "ServiceGraphPattern" in found:
        return "SERVICE"
    if "Load" in found:
        return "LOAD"
    return None


def may_name_a_fetch(sparql: str) -> bool:
    """False only when no SPARQL parser can find SERVICE or LOAD in the text: the keywords are not in it in
    any letter case, nor could they be spelt with \\u escapes. Parsing the rest with rdflib (10-80 ms for a
    page-long query) would tell nothing more, so it is skipped."""
    folded = sparql.casefold()
    return "service" in folded or "load" in folded or "\\u" in folded


def _check_operations(sparql: str, update: bool, sandboxed: bool):
    """In the child: an answer refusing SERVICE or LOAD, or a text rdflib cannot parse (fail closed); else None."""
    if not may_name_a_fetch(sparql):
        return None
    try:
        op = forbidden_operation(sparql, update)
    except Unparsed as err:
        if sandboxed:  # pyoxigraph's message is better when the text is malformed; the sandbox makes asking safe
            try:
                scratch = ox.Store()
                scratch.update(sparql) if update else scratch.query(sparql)
            except SyntaxError as bad:
                return 400, "text/plain", f"malformed SPARQL{' update' if update else ''}: {bad}\n".encode(), False
            except Exception:  # noqa: BLE001 - well-formed; refused below all the same
                pass
        return (400, "text/plain", f"refused: before running anything this server checks that it has no SERVICE "
                                   f"or LOAD with rdflib's SPARQL 1.1 parser, which cannot read this text ({err})\n"
                                   .encode(), False)
    if op:
        return 403, "text/plain", f"{op} is not allowed: {NO_FETCH}\n".encode(), False
    return None


# ---------------------------------------------------------------- the child process: limits and sandbox

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


def _libc():
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


def _install_sandbox() -> bool:
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


def _confine(max_memory_mb: int, sandbox: bool, keep_fd: int) -> bool:
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
    # Keep only stdio and the answer pipe. Gone: the listening socket and other clients' connections, and the
    # fork server's keep-alive pipe, which would keep the fork server (our parent) alive as long as we live,
    # and so keep PR_SET_PDEATHSIG from ever firing when the server dies.
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
    return _install_sandbox() if sandbox else False


def _context():
    """Processes forked from a clean process that has imported this module (multiprocessing's fork server):
    forking the server itself would copy whatever state its threads (or a store it opened) hold at that
    moment, and RocksDB does not survive that for writing."""
    if "forkserver" not in mp.get_all_start_methods():
        return mp.get_context("fork")
    ctx = mp.get_context("forkserver")
    ctx.set_forkserver_preload(["kg.server", "rdflib.plugins.sparql.parser"])
    return ctx


def _start_fork_server(ctx) -> None:
    """Start the fork server now, in the background, so that the first query does not wait for it."""
    if ctx.get_start_method() == "forkserver":
        from multiprocessing import forkserver
        threading.Thread(target=forkserver.ensure_running, daemon=True).start()


def sandbox_available() -> bool:
    """Whether this machine can run queries under the network sandbox (tried in a throw-away process)."""
    ctx = mp.get_context("fork")
    proc = ctx.Process(target=lambda: os._exit(0 if _install_sandbox() else 1))
    proc.start()
    proc.join(30)
    return proc.exitcode == 0


def _child(job, args: tuple, max_memory_mb: int, sandbox: bool, conn) -> None:
    """Entry point of a query or update process: confine it, run the job, send its answer."""
    try:
        sandboxed = _confine(max_memory_mb, sandbox, conn.fileno())
        answer = job(*args, sandboxed=sandboxed)
    except MemoryError:
        answer = (503, "text/plain", _memory_message(max_memory_mb), False)
    except BaseException as err:  # noqa: BLE001 - any failure is an answer, never a silent death
        answer = (500, "text/plain", f"failed: {type(err).__name__}: {err}\n".encode(), False)
    try:
        conn.send(answer)
    except MemoryError:
        conn.send((503, "text/plain", _memory_message(max_memory_mb), False))
    finally:
        conn.close()


def _memory_message(max_memory_mb: int) -> bytes:
    return (f"query stopped: it ran out of memory (each query may use {max_memory_mb} MB, "
            f"see kg serve --max-memory) or of stack\n").encode()


def _query_job(store_path: str, sparql: str, accept: str, max_rows: int, *, sandboxed: bool):
    """Run one query read-only; answer (status, content type, body, truncated)."""
    refused = _check_operations(sparql, False, sandboxed)
    if refused:
        return refused
    try:
        store = ox.Store.read_only(store_path)
        result = store.query(sparql, use_default_graph_as_union=True)
        if isinstance(result, ox.QueryTriples):
            media = _negotiate(accept, GRAPH_TYPES, "text/turtle")
            if media is None:
                return (406, "text/plain", b"CONSTRUCT/DESCRIBE results are available as text/turtle, "
                                           b"application/n-triples or application/rdf+xml\n", False)
            triples, truncated = [], False
            for t in result:
                if len(triples) >= max_rows:
                    truncated = True
                    break
                triples.append(t)
            return 200, media, ox.serialize(triples, format=GRAPH_TYPES[media]), truncated
        media = _negotiate(accept, SELECT_TYPES, "application/sparql-results+json")
        if media is None:
            return (406, "text/plain", b"results are available as application/sparql-results+json, "
                                       b"application/sparql-results+xml, text/csv or text/tab-separated-values\n", False)
        fmt = SELECT_TYPES[media]
        if isinstance(result, ox.QueryBoolean):
            out = io.BytesIO()
            result.serialize(out, format=fmt)
            return 200, media, out.getvalue(), False
        truncated = False
        variables = result.variables
        rows = []
        for sol in result:
            if len(rows) >= max_rows:
                truncated = True
                break
            rows.append(sol)
        return 200, media, _serialize_solutions(variables, rows, fmt), truncated
    except SyntaxError as err:
        return 400, "text/plain", f"malformed SPARQL: {err}\n".encode(), False
    except MemoryError:
        raise
    except Exception as err:  # noqa: BLE001 - report any engine error to the client, never crash the server
        return 500, "text/plain", f"query failed: {err}\n".encode(), False


def _update_job(store_path: str, sparql: str, *, sandboxed: bool):
    """Run one update on the store, opened for writing in this process (all or nothing)."""
    refused = _check_operations(sparql, True, sandboxed)
    if refused:
        return refused
    try:
        store = ox.Store(store_path)
        store.update(sparql)
        store.flush()
        return 204, "text/plain", b"", False
    except SyntaxError as err:
        return 400, "text/plain", f"malformed SPARQL update: {err}\n".encode(), False
    except MemoryError:
        raise
    except Exception as err:  # noqa: BLE001 - e.g. CREATE GRAPH of a graph that exists
        return 500, "text/plain", f"update failed: {err}\n".encode(), False


def _negotiate(accept: str, choices: dict, default: str) -> str | None:
    if not accept or accept.strip() == "*/*":
        return default
    ranked = []
    for part in accept.split(","):
        bits = [b.strip() for b in part.split(";")]
        q = 1.0
        for b in bits[1:]:
            if b.startswith("q="):
                try:
                    q = float(b[2:])
                except ValueError:
                    q = 0.0
        ranked.append((q, bits[0].lower()))
    for q, media in sorted(ranked, key=lambda x: -x[0]):
        if q <= 0:
            continue
        if media in choices:
            return media
        if media in ("*/*", "application/*", "text/*"):
            return default
    return None


def _serialize_solutions(variables, rows, fmt) -> bytes:
    """Serialise kept rows in a W3C results format (re-evaluated from the kept solutions)."""
    store = ox.Store()
    values = " ".join(f"?{v.value}" for v in variables)
    if not rows:
        result = store.query(f"SELECT {values} WHERE {{ FILTER(false) }}") if variables else store.query("SELECT * {}")
        return result.serialize(format=fmt)
    subs = []
    for sol in rows:
        cells = []
        for v in variables:
            term = sol[v]
            cells.append("UNDEF" if term is None else _term(term))
        subs.append("(" + " ".join(cells) + ")")
    query = f"SELECT {values} WHERE {{ VALUES ({values}) {{ {' '.join(subs)} }} }}"
    return store.query(query).serialize(format=fmt)


def _term(term) -> str:
    if isinstance(term, ox.NamedNode):
        return f"<{term.value}>"
    if isinstance(term, ox.BlankNode):
        return f"<urn:x-blank:{term.value}>"
    return str(term)


# ---------------------------------------------------------------- the server process

GONE, BUSY = "gone", "busy"


def _wait_for(acquire, deadline: float, alive) -> str | None:
    """Call acquire(timeout) until it succeeds (None), the client has gone (GONE) or the deadline passes (BUSY)."""
    while True:
        left = deadline - time.monotonic()
        if acquire(max(0.0, min(POLL, left))):
            return None
        if not alive():
            return GONE
        if left <= 0:
            return BUSY


class _ReadWriteLock:
    """Many queries at once, or one update alone (a read-only view must not be opened while writing)."""

    def __init__(self) -> None:
        self._cond = threading.Condition()
        self._readers = 0
        self._writing = False

    def try_read(self, timeout: float) -> bool:
        with self._cond:
            if self._writing and not self._cond.wait_for(lambda: not self._writing, timeout):
                return False
            self._readers += 1
            return True

    def release_read(self) -> None:
        with self._cond:
            self._readers -= 1
            self._cond.notify_all()

    def try_write(self, timeout: float) -> bool:
        with self._cond:
            if not self._cond.wait_for(lambda: not (self._writing or self._readers), timeout):
                return False
            self._writing = True
            return True

    def release_write(self) -> None:
        with self._cond:
            self._writing = False
            self._cond.notify_all()


def _deprioritize(pid: int) -> None:
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


def _always() -> bool:
    return True


class Endpoint:
    """State shared by request handlers: settings, process pools, the read/write lock, live processes.

    `max_parallel` queries may start at once (the first pool). A query still running after `grace` seconds
    moves, if there is room, to a second pool of the same size at the lowest CPU priority, freeing its
    place for the next query: runaway queries slow each other down, not everyone else.
    """

    def __init__(self, settings: Settings, max_parallel: int = 4):
        self.settings = settings
        self.lock = _ReadWriteLock()
        self.slots = threading.BoundedSemaphore(max_parallel)
        self.slow_slots = threading.BoundedSemaphore(max_parallel)
        self.grace = min(1.0, settings.timeout / 4)
        self.ctx = _context()
        self._procs: set = set()
        self._procs_lock = threading.Lock()
        self.closed = False
        self.started = 0  # processes started so far

    def _refusal(self, why: str):
        if why == GONE:
            return None
        return 503, "text/plain", b"server busy: try again later\n", False

    def query(self, sparql: str, accept: str, alive=_always):
        """The answer (status, content type, body, truncated), or None when the client has gone."""
        deadline = time.monotonic() + self.settings.timeout
        why = _wait_for(lambda t: self.slots.acquire(timeout=t), deadline, alive)
        if why:
            return self._refusal(why)
        pool = [self.slots]
        try:
            why = _wait_for(self.lock.try_read, deadline, alive)
            if why:
                return self._refusal(why)
            try:
                s = self.settings
                return self._run(_query_job, (s.store, sparql, accept, s.max_rows), alive, pool)
            finally:
                self.lock.release_read()
        finally:
            pool[0].release()

    def update(self, sparql: str, authorization: str, alive=_always):
        token = self.settings.write_token
        given = authorization[7:] if authorization.startswith("Bearer ") else ""
        if not token or not hmac.compare_digest(given.encode(), token.encode()):
            return 403, "text/plain", b"updates are not allowed without the server's write token\n", False
        deadline = time.monotonic() + self.settings.timeout
        why = _wait_for(self.lock.try_write, deadline, alive)
        if why:
            return self._refusal(why)
        try:  # once running, an update is finished even if its client leaves
            return self._run(_update_job, (self.settings.store, sparql), _always, None, "update")
        finally:
            self.lock.release_write()

    def _run(self, job, args: tuple, alive, pool: list | None, what: str = "query"):
        """Run job(*args) in a confined process, up to the timeout; None if the client went away meanwhile."""
        s = self.settings
        parent, child = self.ctx.Pipe(duplex=False)
        proc = self.ctx.Process(target=_child, daemon=True,
                                args=(job, args, s.max_memory, s.sandbox, child))
        with self._procs_lock:
            if self.closed:
                parent.close()
                child.close()
                return 503, "text/plain", b"server shutting down\n", False
            try:
                proc.start()
            except OSError as err:  # out of processes or memory: say so, keep no descriptor
                parent.close()
                child.close()
                return 503, "text/plain", f"cannot start a {what} process: {err}\n".encode(), False
            self._procs.add(proc)
            self.started += 1
        child.close()
        started = time.monotonic()
        try:
            while True:
                if parent.poll(POLL):
                    try:
                        return parent.recv()
                    except (EOFError, OSError):
                        proc.join(5)
                        return self._died(proc)
                now = time.monotonic()
                if now - started >= s.timeout:
                    note = "; nothing was written" if what == "update" else ""
                    return 503, "text/plain", f"{what} timed out after {s.timeout:g} s{note}\n".encode(), False
                if not alive():
                    return None
                if pool and pool[0] is self.slots and now - started >= self.grace \
                        and self.slow_slots.acquire(blocking=False):
                    pool[0] = self.slow_slots
                    self.slots.release()
                    _deprioritize(proc.pid)
        finally:
            if proc.exitcode is None:
                proc.kill()
            proc.join(5)
            parent.close()
            with self._procs_lock:
                self._procs.discard(proc)

    def _died(self, proc):
        code = proc.exitcode
        if code == -signal.SIGSYS:
            return (403, "text/plain", f"SERVICE and LOAD are not allowed: the query tried to open a network "
                                       f"connection and was stopped; {NO_FETCH}\n".encode(), False)
        if code in (-signal.SIGABRT, -signal.SIGSEGV, -signal.SIGBUS):
            return 503, "text/plain", _memory_message(self.settings.max_memory), False
        return 500, "text/plain", f"query process ended without an answer (exit code {code})\n".encode(), False

    def close(self) -> None:
        """Refuse new work and kill every running query or update process."""
        with self._procs_lock:
            self.closed = True
            procs = list(self._procs)
        for proc in procs:
            try:
                proc.kill()
            except (OSError, ValueError):
                pass


def _peer_alive(sock) -> bool:
    """False once the client has closed its connection (or it broke); pipelined data counts as alive."""
    try:
        poller = select.poll()
        poller.register(sock, select.POLLIN | select.POLLPRI | select.POLLHUP | select.POLLERR)
        events = poller.poll(0)
        if not events:
            return True
        if events[0][1] & (select.POLLHUP | select.POLLERR | select.POLLNVAL):
            return False
        return sock.recv(1, socket.MSG_PEEK | socket.MSG_DONTWAIT) != b""
    except (BlockingIOError, InterruptedError):
        return True
    except (OSError, ValueError):
        return False


class _BadRequest(Exception):
    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status = status


class _ClientGone(Exception):
    pass


def make_handler(endpoint: Endpoint):
    class Handler(BaseHTTPRequestHandler):
        server_version = "conflict-kg"
        protocol_version = "HTTP/1.1"

        def log_message(self, fmt, *args):  # quiet by default; the CLI can turn it on
            if getattr(self.server, "verbose", False):
                super().log_message(fmt, *args)

        def _alive(self) -> bool:
            return _peer_alive(self.connection)

        def _send(self, status: int, media: str, body: bytes, truncated: bool = False) -> None:
            try:
                self.send_response(status)
                self.send_header("Content-Type", media + ("; charset=utf-8" if media.startswith("text/") else ""))
                self.send_header("Content-Length", str(len(body)))
                self.send_header("X-Content-Type-Options", "nosniff")
                if truncated:
                    self.send_header("X-Result-Truncated", f"true; max {endpoint.settings.max_rows}")
                if self.close_connection:
                    self.send_header("Connection", "close")
                self.end_headers()
                if self.command != "HEAD":
                    self.wfile.write(body)
            except OSError:  # the client has gone
                self.close_connection = True

        def _answer(self, answer) -> None:
            if answer is None:  # the client went away while its request waited or ran
                self.close_connection = True
                return
            self._send(*answer)

        def _fail(self, status: int, message: str) -> None:
            """An error after which the request stream cannot be trusted: answer, then close, reading what the
            client still sends for a moment (closing on unread data resets the connection, and the client
            may lose the answer)."""
            self.close_connection = True
            self._send(status, "text/plain", message.encode() + b"\n")
            try:
                self.wfile.flush()
                self.connection.shutdown(socket.SHUT_WR)
                self.connection.settimeout(0.5)
                end, drained = time.monotonic() + 1.0, 0
                while time.monotonic() < end and drained < 2**20:
                    data = self.connection.recv(65536)
                    if not data:
                        break
                    drained += len(data)
            except OSError:
                pass

        def _accept(self, params: dict) -> str:
            fmt = (params.get("format") or [""])[0].lower()
            return FORMAT_PARAM.get(fmt, fmt) if fmt else self.headers.get("Accept", "")

        def _read_body(self) -> bytes:
            """The request body, by Content-Length or chunked; _BadRequest or _ClientGone otherwise."""
            te = self.headers.get_all("Transfer-Encoding") or []
            cl = [v.strip() for value in self.headers.get_all("Content-Length") or [] for v in value.split(",")]
            if te:
                codings = [c.strip().lower() for value in te for c in value.split(",") if c.strip()]
                if cl:
                    raise _BadRequest(400, "a request cannot have both Content-Length and Transfer-Encoding")
                if codings != ["chunked"]:
                    raise _BadRequest(501, "the only transfer coding understood here is chunked")
                return self._read_chunked()
            if not cl:
                return b""
            if len(set(cl)) != 1 or not re.fullmatch(r"[0-9]{1,12}", cl[0]):
                raise _BadRequest(400, "Content-Length must be one non-negative decimal number")
            length = int(cl[0])
            if length > MAX_BODY:
                raise _BadRequest(413, "request too large")
            data = self.rfile.read(length)
            if len(data) != length:
                raise _ClientGone
            return data

        def _read_chunked(self) -> bytes:
            body = bytearray()
            for _ in range(MAX_CHUNKS + 1):
                line = self.rfile.readline(1024)
                if not line:
                    raise _ClientGone
                if not line.endswith(b"\n"):
                    raise _BadRequest(400, "malformed chunked body: chunk size line too long")
                size = line.rstrip(b"\r\n").split(b";", 1)[0].rstrip(b" \t")
                if not re.fullmatch(rb"[0-9A-Fa-f]{1,8}", size):
                    raise _BadRequest(400, "malformed chunked body: bad chunk size")
                n = int(size, 16)
                if n == 0:
                    break
                if len(body) + n > MAX_BODY:
                    raise _BadRequest(413, "request too large")
                chunk = self.rfile.read(n)
                if len(chunk) != n:
                    raise _ClientGone
                body += chunk
                if self.rfile.readline(3) not in (b"\r\n", b"\n"):
                    raise _BadRequest(400, "malformed chunked body: chunk data longer than its size")
            else:  # a body in a million one-byte chunks would hold the interpreter for seconds
                raise _BadRequest(413, f"more than {MAX_CHUNKS} chunks")
            for _ in range(64):  # trailer fields, ignored, up to the empty line
                line = self.rfile.readline(8192)
                if line in (b"\r\n", b"\n"):
                    return bytes(body)
                if not line:
                    raise _ClientGone
            raise _BadRequest(400, "malformed chunked body: too many trailer fields")

        def _guarded(self, handle) -> None:
            try:
                handle()
            except _BadRequest as err:
                self._fail(err.status, str(err))
            except _ClientGone:
                self.close_connection = True
            except Exception as err:  # noqa: BLE001 - an answer, never a dropped connection
                self._fail(500, f"internal error: {type(err).__name__}")

        def do_GET(self) -> None:  # noqa: N802 - http.server naming
            self._guarded(self._get)

        def do_POST(self) -> None:  # noqa: N802
            self._guarded(self._post)

        do_HEAD = do_GET

        def do_PUT(self) -> None:  # noqa: N802
            self._guarded(lambda: (self._read_body(), self._send(501, "text/plain", b"not implemented\n")))

        do_DELETE = do_PATCH = do_PUT

        def _get(self) -> None:
            self._read_body()  # a GET with a body: read it, so that it is not taken for the next request
            url = urlparse(self.path)
            params = parse_qs(url.query)
            if url.path in ("/", "/index.html") and "query" not in params:
                self._send(200, "text/html", QUERY_PAGE.encode())
                return
            if url.path not in ("/query", "/sparql", "/"):
                self._send(404, "text/plain", b"not found; use /query\n")
                return
            if "query" not in params:
                self._send(400, "text/plain", b"missing 'query' parameter\n")
                return
            self._answer(endpoint.query(params["query"][0], self._accept(params), self._alive))

        def _post(self) -> None:
            url = urlparse(self.path)
            raw = self._read_body().decode("utf-8", "replace")
            ctype = (self.headers.get("Content-Type") or "").split(";")[0].strip().lower()
            params = parse_qs(url.query)
            if ctype == "application/x-www-form-urlencoded":
                params.update(parse_qs(raw))
                query = (params.get("query") or [None])[0]
                update = (params.get("update") or [None])[0]
            else:
                query = raw if ctype == "application/sparql-query" else None
                update = raw if ctype == "application/sparql-update" else None
            if update is not None and url.path in ("/update", "/sparql", "/query", "/"):
                self._answer(endpoint.update(update, self.headers.get("Authorization", ""), self._alive))
            elif query is not None and url.path in ("/query", "/sparql", "/"):
                self._answer(endpoint.query(query, self._accept(params), self._alive))
            else:
                self._send(400, "text/plain", b"send a 'query' or 'update' (form field, or application/sparql-query "
                                              b"/ application/sparql-update body)\n")

    return Handler


def _stop_on_sigterm(signum, frame):
    raise KeyboardInterrupt


class SparqlServer(ThreadingHTTPServer):
    """The HTTP server; closing it (or SIGTERM while it serves) also kills its query processes."""

    daemon_threads = True
    request_queue_size = 128  # listen backlog: with the default 5, a burst of clients waits for SYN retries
    endpoint: Endpoint

    def serve_forever(self, poll_interval: float = 0.5) -> None:
        main = threading.current_thread() is threading.main_thread()
        previous = signal.signal(signal.SIGTERM, _stop_on_sigterm) if main else None
        try:
            super().serve_forever(poll_interval)
        finally:
            if main:
                signal.signal(signal.SIGTERM, previous)

    def server_close(self) -> None:
        self.endpoint.close()
        super().server_close()


def make_server(settings: Settings, host: str = "127.0.0.1", port: int = 7878, max_parallel: int = 4) -> SparqlServer:
    """A ready-to-run HTTP server (call serve_forever)."""
    if not (Path(settings.store) / "CURRENT").exists():
        raise FileNotFoundError(f"{settings.store}: not a conflict-kg store (create it with kg add)")
    endpoint = Endpoint(settings, max_parallel)
    server = SparqlServer((host, port), make_handler(endpoint))
    server.endpoint = endpoint
    _start_fork_server(endpoint.ctx)
    return server


QUERY_PAGE = """<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>conflict-kg SPARQL</title>
<meta http-equiv="Content-Security-Policy" content="default-src 'self'; script-src 'unsafe-inline'; style-src 'unsafe-inline'">
<style>body{font:14px system-ui,sans-serif;margin:20px;max-width:1100px}textarea{width:100%;height:170px;font:13px monospace}
table{border-collapse:collapse;margin-top:10px}td,th{border:1px solid #ccc;padding:3px 6px;font-size:12px;text-align:left}
#msg{color:#a00;white-space:pre-wrap}</style></head><body>
<h1>conflict-kg SPARQL endpoint</h1>
<p>SPARQL 1.1 Protocol at <code>/query</code> (GET or POST). Read-only unless the server has a write token.</p>
<textarea id="q">PREFIX ckg: <https://w3id.org/conflict-kg/ontology#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT ?place (COUNT(DISTINCT ?attack) AS ?attacks) WHERE { GRAPH ?g {
  ?attack a ckg:Attack ; ckg:place/skos:prefLabel ?place } }
GROUP BY ?place ORDER BY DESC(?attacks) LIMIT 20</textarea>
<p><button id="run">Run</button> <span id="info"></span></p><div id="msg"></div><div id="out"></div>
<script>
document.getElementById("run").addEventListener("click", function () {
  var msg = document.getElementById("msg"), out = document.getElementById("out"), info = document.getElementById("info");
  msg.textContent = ""; out.textContent = ""; info.textContent = "running...";
  fetch("query", {method: "POST", headers: {"Content-Type": "application/sparql-query", "Accept": "application/sparql-results+json, text/turtle;q=0.5"},
                  body: document.getElementById("q").value})
  .then(function (r) { return r.text().then(function (t) { return {r: r, t: t}; }); })
  .then(function (x) {
    info.textContent = x.r.status + (x.r.headers.get("X-Result-Truncated") ? " (truncated)" : "");
    if (!x.r.ok) { msg.textContent = x.t; return; }
    if ((x.r.headers.get("Content-Type") || "").indexOf("json") < 0) { var pre = document.createElement("pre"); pre.textContent = x.t; out.appendChild(pre); return; }
    var j = JSON.parse(x.t);
    if (j.boolean !== undefined) { out.textContent = String(j.boolean); return; }
    var table = document.createElement("table"), head = document.createElement("tr");
    j.head.vars.forEach(function (v) { var th = document.createElement("th"); th.textContent = v; head.appendChild(th); });
    table.appendChild(head);
    j.results.bindings.forEach(function (b) { var tr = document.createElement("tr");
      j.head.vars.forEach(function (v) { var td = document.createElement("td"); td.textContent = b[v] ? b[v].value : ""; tr.appendChild(td); });
      table.appendChild(tr); });
    out.appendChild(table); info.textContent += " \u00b7 " + j.results.bindings.length + " rows";
  }).catch(function (e) { msg.textContent = String(e); });
});
</script></body></html>
"""
