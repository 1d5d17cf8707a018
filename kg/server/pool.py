"""Query processes kept warm, and one-off processes for writes, driven from the server's event loop.

A warm query process is confined once when it starts (seccomp, memory cap, no inherited descriptors), opens
the store read-only, and then answers queries one at a time over a socket pair. A query past its time limit,
or whose client has gone, is stopped by killing its process, which is replaced. After a write (through this
server, or by another process such as `kg add`, seen by polling the store's files), the processes are
replaced so that every query sees the store as it now is.

`size` queries run at once; one still running after a grace period moves aside to a second pool of the same
size, at the lowest CPU priority (its process is retired when done), so runaway queries slow each other
down, not everyone else.
"""
from __future__ import annotations

import asyncio
import functools
import json
import multiprocessing as mp
import os
import select
import signal
import socket
import struct
import time
from collections import deque
from pathlib import Path
from typing import BinaryIO, Callable

from .answer import Answer, text
from .sandbox import confine, deprioritize
from .settings import Settings

_HEAD = struct.Struct("!II")
STORE_POLL = 1.0  # seconds between looks at the store's files for writes by other processes


# ---------------------------------------------------------------- frames: a JSON header and a payload

def encode(meta: dict, payload: bytes = b"") -> bytes:
    """A frame: lengths, the JSON header, the payload."""
    raw = json.dumps(meta).encode()
    return _HEAD.pack(len(raw), len(payload)) + raw + payload


def recv_frame(rfile: BinaryIO) -> tuple[dict, bytes]:
    """One frame from a buffered reader (one read system call for a small frame, not three)."""
    head = rfile.read(_HEAD.size)
    if len(head) < _HEAD.size:
        raise EOFError
    meta_len, payload_len = _HEAD.unpack(head)
    body = rfile.read(meta_len + payload_len)
    if len(body) < meta_len + payload_len:
        raise EOFError
    return json.loads(body[:meta_len]), body[meta_len:]


def answer_frame(answer: Answer) -> bytes:
    """An answer as a frame (in a query or write process)."""
    return encode({"status": answer.status, "media": answer.media, "truncated": answer.truncated,
                   "headers": [list(h) for h in answer.headers]}, answer.body)


def frame_answer(meta: dict, payload: bytes) -> Answer:
    """A frame as an answer (in the server)."""
    return Answer(int(meta["status"]), str(meta["media"]), payload, bool(meta.get("truncated")),
                  tuple((str(k), str(v)) for k, v in meta.get("headers", ())))


def memory_message(max_memory_mb: int) -> Answer:
    """503 for a query or update that ran out of memory."""
    return text(503, f"query stopped: it ran out of memory (each query may use {max_memory_mb} MB, "
                     f"see kg serve --max-memory) or of stack")


# ---------------------------------------------------------------- inside the processes

def _query_process(sock: socket.socket, settings: Settings) -> None:
    """A warm query process: confine, open the store read-only, answer queries until told to stop."""
    from .jobs import handle_read, open_store
    sandboxed = confine(settings.max_memory, settings.sandbox, sock.fileno())
    try:
        store = open_store(settings.store, write=False)
    except OSError as err:
        sock.sendall(encode({"ready": False, "error": str(err)}))
        return
    sock.sendall(encode({"ready": True}))
    rfile = sock.makefile("rb", buffering=65536)
    while True:
        try:
            req, _ = recv_frame(rfile)
        except (EOFError, OSError):
            return
        try:
            answer = handle_read(store, req, settings.max_rows, sandboxed)
        except MemoryError:
            sock.sendall(answer_frame(memory_message(settings.max_memory)))
            return  # a process that ran out of memory is not trusted with the next query
        except BaseException as err:  # noqa: BLE001 - any failure is an answer, never a silent death
            answer = text(500, f"failed: {type(err).__name__}: {err}")
        try:
            sock.sendall(answer_frame(answer))
        except MemoryError:
            sock.sendall(answer_frame(memory_message(settings.max_memory)))
            return


def _one_off_process(sock: socket.socket, job: Callable[..., Answer], args: tuple, max_memory_mb: int, sandbox: bool) -> None:
    """A one-off process (a write): confine it, run job(*args, sandboxed=...), send its answer."""
    try:
        sandboxed = confine(max_memory_mb, sandbox, sock.fileno())
        answer = job(*args, sandboxed=sandboxed)
    except MemoryError:
        answer = memory_message(max_memory_mb)
    except BaseException as err:  # noqa: BLE001
        answer = text(500, f"failed: {type(err).__name__}: {err}")
    try:
        sock.sendall(answer_frame(answer))
    except MemoryError:
        sock.sendall(answer_frame(memory_message(max_memory_mb)))


# ---------------------------------------------------------------- in the server

def context() -> mp.context.BaseContext:
    """Processes forked from a clean process that has imported this package (multiprocessing's fork server):
    forking the server itself would copy its event loop, connections and threads."""
    if "forkserver" not in mp.get_all_start_methods():
        return mp.get_context("fork")
    ctx = mp.get_context("forkserver")
    ctx.set_forkserver_preload(["kg.server.pool", "kg.server.jobs", "kg.server.app", "kg.server.lane_worker",
                                "rdflib.plugins.sparql.parser"])
    return ctx


class _Link(asyncio.Protocol):
    """The server's end of a process's socket pair: frames in, one future at a time."""

    def __init__(self) -> None:
        self.buf = bytearray()
        self.waiting: asyncio.Future | None = None
        self.pending: deque = deque()  # frames that came while nobody waited (kept for the next expect)
        self.closed = asyncio.get_running_loop().create_future()
        self.transport = None

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        """The link is up."""
        self.transport = transport

    def data_received(self, data: bytes) -> None:
        """Bytes from the process: complete frames go to the waiting future (or wait for the next one)."""
        self.buf += data
        while len(self.buf) >= _HEAD.size:
            meta_len, payload_len = _HEAD.unpack_from(self.buf)
            end = _HEAD.size + meta_len + payload_len
            if len(self.buf) < end:
                return
            meta = json.loads(bytes(self.buf[_HEAD.size:_HEAD.size + meta_len]))
            payload = bytes(self.buf[_HEAD.size + meta_len:end])
            del self.buf[:end]
            if self.waiting is not None and not self.waiting.done():
                self.waiting.set_result((meta, payload))
            else:
                self.pending.append((meta, payload))
            self.waiting = None

    def connection_lost(self, exc: Exception | None) -> None:
        """The process closed its end (it ended): whoever waits gets EOFError."""
        if not self.closed.done():
            self.closed.set_result(None)
        if self.waiting is not None and not self.waiting.done():
            self.waiting.set_exception(EOFError())

    def expect(self) -> asyncio.Future:
        """A future for the next frame."""
        fut = asyncio.get_running_loop().create_future()
        if self.pending:
            fut.set_result(self.pending.popleft())
        elif self.closed.done():
            fut.set_exception(EOFError())
        else:
            self.waiting = fut
        return fut

    def send(self, data: bytes) -> None:
        """One frame to the process."""
        self.transport.write(data)


class Process:
    """One child process and its link."""

    def __init__(self, proc: mp.process.BaseProcess, link: _Link, generation: int) -> None:
        self.proc, self.link, self.generation = proc, link, generation
        self.slow = False
        self.died = False  # ended under a query, without an answer

    @property
    def pid(self) -> int:
        """The process id."""
        return self.proc.pid

    def usable(self) -> bool:
        """Whether an idle process can take a query: its link is open and has nothing to read (an idle
        process sends nothing, so a readable link is its end of file, seen before the event loop sees it)."""
        if self.link.closed.done() or self.link.transport is None or self.link.transport.is_closing():
            return False
        sock = self.link.transport.get_extra_info("socket")
        if sock is None:
            return False
        try:
            readable, _, _ = select.select([sock.fileno()], [], [], 0)
        except (OSError, ValueError):
            return False
        return not readable

    def kill(self) -> None:
        """SIGKILL, and close the link."""
        try:
            self.proc.kill()
        except (OSError, ValueError, AttributeError):
            pass
        if self.link.transport is not None:
            self.link.transport.close()


async def _start(ctx: mp.context.BaseContext, target: Callable, args: tuple) -> tuple:
    """Start target(child_socket, *args) in a new process; (process, link)."""
    loop = asyncio.get_running_loop()
    ours, theirs = socket.socketpair()
    try:
        proc = ctx.Process(target=target, args=(theirs, *args), daemon=True)
        await loop.run_in_executor(None, proc.start)
    finally:
        theirs.close()
    _, link = await loop.create_unix_connection(_Link, sock=ours)
    return proc, link


def _store_signature(path: str) -> tuple:
    """What changes when a process writes to the store: its data, log and manifest files (not RocksDB's info
    log, which opening it read-only may write)."""
    out = []
    try:
        with os.scandir(path) as entries:
            for e in entries:
                name = e.name
                if name == "CURRENT" or name.startswith("MANIFEST") or name.endswith((".sst", ".log")):
                    st = e.stat()
                    out.append((name, st.st_size, st.st_mtime_ns))
    except OSError:
        pass
    return tuple(sorted(out))


class _Late(Exception):
    """A timer went off before the answer came."""


def _expire(fut: asyncio.Future, exc: type) -> None:
    if not fut.done():
        fut.set_exception(exc())


def _expire_quietly(fut: asyncio.Future) -> None:
    if not fut.done():
        fut.set_result(None)


def _on_gone(fut: asyncio.Future, _gone: asyncio.Future) -> None:
    _expire(fut, Gone)


class Busy(Exception):
    """No room before the deadline."""


class Gone(Exception):
    """The client went away."""


class Pool:
    """Warm query processes, one-off write processes, and the rules between them (see the module doc)."""

    def __init__(self, settings: Settings, size: int = 4) -> None:
        self.settings, self.size = settings, max(1, size)
        self.grace = min(1.0, settings.timeout / 4)
        self.ctx = context()
        self.generation = 0
        self.idle: list[Process] = []
        self.busy: set[Process] = set()
        self.spawning = 0
        self.waiters: deque[asyncio.Future] = deque()
        self.fast_free, self.slow_free = self.size, self.size
        self.slot_waiters: deque[asyncio.Future] = deque()
        # Many reads at once, or one write alone. A waiting write does not hold new reads back: were it to,
        # one runaway query and one update would lock every reader out until the timeout.
        self.readers, self.writing = 0, False
        self._lock_waiters: list[asyncio.Future] = []
        self.closed = False
        self.broken: str | None = None  # why the last query process could not open the store
        self.one_offs: set[Process] = set()
        self.stats = {"queries": 0, "updates": 0, "timeouts": 0, "started": 0}
        self._signature: tuple = ()
        self._poller: asyncio.Task | None = None
        # Lanes (lanes.py) serve most reads; then this pool's warm processes start only when first needed,
        # for reads on connections the server reads itself (after an update on the same connection, say).
        self.lanes = None

    # ------------------------------------------------------------ life cycle

    async def start(self) -> None:
        """Start the fork server and the first query processes, and watch the store for other writers."""
        if self.ctx.get_start_method() == "forkserver":
            from multiprocessing import forkserver
            await asyncio.get_running_loop().run_in_executor(None, forkserver.ensure_running)
        self._signature = _store_signature(self.settings.store)
        if self.lanes is None:
            self._top_up()
        self._poller = asyncio.create_task(self._watch_store())

    def close(self) -> None:
        """Refuse new work and kill every process."""
        self.closed = True
        if self._poller:
            self._poller.cancel()
        if self.lanes is not None:
            self.lanes.close()
        for p in [*self.idle, *self.busy, *self.one_offs]:
            p.kill()
        self.idle.clear()
        for w in [*self.waiters, *self.slot_waiters]:
            if not w.done():
                w.set_exception(Busy())

    def pids(self) -> set[int]:
        """The ids of every live process of the pool."""
        lanes = self.lanes.pids() if self.lanes is not None else set()
        return {p.pid for p in [*self.idle, *self.busy, *self.one_offs] if p.pid} | lanes

    def counts(self) -> dict:
        """For /health: query processes alive and running (those of the lanes too), queries, updates, timeouts
        and processes started."""
        out = {"query_processes": len(self.idle) + len(self.busy), "running": len(self.busy), "lanes": 0,
               **self.stats}
        if self.lanes is not None:
            lanes = self.lanes.counts()
            out["query_processes"] += lanes["lanes"]
            out["lanes"] = lanes["lanes"]
            out["running"] += lanes["running"]
            out["queries"] += lanes["queries"]
            out["timeouts"] += self.lanes.stats["timeouts"]
            out["started"] += self.lanes.stats["started"]
        return out

    async def _watch_store(self) -> None:
        while not self.closed:
            await asyncio.sleep(STORE_POLL)
            if self.writing:
                continue
            sig = _store_signature(self.settings.store)
            if sig != self._signature:
                self._signature = sig
                self.renew()
                if self.lanes is not None:
                    self.lanes.renew()

    def renew(self) -> None:
        """From now on, queries go to processes that open the store anew."""
        self.generation += 1
        for p in self.idle:
            p.kill()
        self.idle.clear()
        self._top_up()

    def _top_up(self, need: bool = False) -> None:
        if self.closed or self.writing:
            return
        if self.lanes is not None and not (need or self.idle or self.busy):
            return  # the lanes serve the reads: these processes start when a read needs one
        fast_busy = sum(1 for p in self.busy if not p.slow)
        for _ in range(self.size - (len(self.idle) + fast_busy + self.spawning)):
            self.spawning += 1
            asyncio.create_task(self._spawn(self.generation))

    async def _spawn(self, generation: int) -> None:
        p = None
        try:
            proc, link = await _start(self.ctx, _query_process, (self.settings,))
            p = Process(proc, link, generation)
            self.stats["started"] += 1
            try:
                meta, _ = await asyncio.wait_for(link.expect(), 60)
            except (EOFError, asyncio.TimeoutError):
                meta = {"ready": False, "error": "a query process died while starting"}
        except Exception as err:  # noqa: BLE001 - out of processes or memory, a fork server gone: say so
            meta = {"ready": False, "error": f"cannot start a query process: {err}"}
        finally:
            self.spawning -= 1
        if not meta.get("ready"):
            self.broken = str(meta.get("error"))
            if p:
                p.kill()
            for w in list(self.waiters):
                if not w.done():
                    w.set_result(None)  # wakes a waiter, who reads self.broken
            self.waiters.clear()
            await asyncio.sleep(1.0)  # and try again, slowly, should the cause pass
            self._top_up()
            return
        self.broken = None
        if self.closed or generation != self.generation or self.writing:
            p.kill()
            self._top_up()
            return
        self._idle(p)

    def _idle(self, p: Process) -> None:
        while self.waiters:
            w = self.waiters.popleft()
            if not w.done():
                w.set_result(p)
                return
        self.idle.append(p)

    def _retire(self, p: Process, killed: bool = False) -> None:
        self.busy.discard(p)
        if killed or p.slow or p.generation != self.generation or self.closed or self.writing:
            p.kill()
        else:
            self._idle(p)
        self._top_up()

    # ------------------------------------------------------------ waiting, with a deadline and a client

    @staticmethod
    async def _wait(fut: asyncio.Future, deadline: float, gone: asyncio.Future | None) -> object:
        """fut's result; Busy at the deadline, Gone when the client goes first."""
        left = deadline - time.monotonic()
        if left <= 0 and not fut.done():
            fut.cancel()
            raise Busy
        waits = {fut} if gone is None else {fut, gone}
        done, _ = await asyncio.wait(waits, timeout=max(0.0, left), return_when=asyncio.FIRST_COMPLETED)
        if fut in done:
            return fut.result()
        fut.cancel()
        if gone is not None and gone.done():
            raise Gone
        raise Busy

    async def _slot(self, deadline: float, gone: asyncio.Future | None) -> None:
        # Requests running in lanes hold slots too; lanes do not say when they end, so a reader waiting
        # for them looks again every 10 ms (reads come here rarely when there are lanes).
        while self.fast_free - (self.lanes.fast_running() if self.lanes is not None else 0) <= 0:
            fut = asyncio.get_running_loop().create_future()
            self.slot_waiters.append(fut)
            if self.lanes is not None and self.fast_free > 0:
                asyncio.get_running_loop().call_later(0.01, _expire_quietly, fut)
            await self._wait(fut, deadline, gone)
        self.fast_free -= 1

    def _release_slot(self, slow: bool) -> None:
        if slow:
            self.slow_free += 1
            return
        self.fast_free += 1
        while self.slot_waiters:
            w = self.slot_waiters.popleft()
            if not w.done():
                w.set_result(None)
                return

    def _lock_event(self) -> asyncio.Future:
        fut = asyncio.get_running_loop().create_future()
        self._lock_waiters.append(fut)
        return fut

    def _lock_notify(self) -> None:
        for w in self._lock_waiters:
            if not w.done():
                w.set_result(None)
        self._lock_waiters = []

    async def _worker(self, deadline: float, gone: asyncio.Future | None) -> Process:
        while True:
            while self.idle:
                p = self.idle.pop()
                if p.usable():
                    return p
                p.kill()  # died while idle (killed from outside, out of memory): never hand it a query
            if self.broken and not self.spawning:
                raise OSError(self.broken)
            self._top_up(need=True)
            fut = asyncio.get_running_loop().create_future()
            self.waiters.append(fut)
            p = await self._wait(fut, deadline, gone)
            if p is not None:
                return p

    # ------------------------------------------------------------ queries

    async def read(self, req: dict, gone: asyncio.Future | None = None) -> Answer | None:
        """Run a read request (a query or a graph read) in a warm process; None when the client has gone."""
        if self.closed:
            return text(503, "server shutting down")
        deadline = time.monotonic() + self.settings.timeout
        try:
            await self._slot(deadline, gone)
        except Busy:
            return text(503, "server busy: try again later")
        except Gone:
            return None
        slow = False
        try:
            while self.writing:
                await self._wait(self._lock_event(), deadline, gone)
            self.readers += 1
            try:
                p = await self._worker(deadline, gone)
                self.busy.add(p)
                self.stats["queries"] += 1
                answer, slow = await self._ask(p, req, deadline, gone)
                if p.died and not slow and time.monotonic() < deadline:
                    # a warm process died under this query, maybe of something else (killed from outside
                    # while idle): run it once more in another process, under the same guards, so that a
                    # death the query did not cause is not its answer (a query that kills processes dies
                    # again, and that second death is the answer). Whatever killed it may have killed the
                    # other idle processes too: the retry goes to a freshly started one.
                    self.renew()
                    p = await self._worker(deadline, gone)
                    self.busy.add(p)
                    answer, slow = await self._ask(p, req, deadline, gone)
                return answer
            finally:
                self.readers -= 1
                if not self.readers:
                    self._lock_notify()
        except Busy:
            return text(503, "server busy: try again later")
        except Gone:
            return None
        except OSError as err:
            return text(503, str(err))
        finally:
            self._release_slot(slow)

    async def _ask(self, p: Process, req: dict, deadline: float,
                   gone: asyncio.Future | None) -> tuple[Answer | None, bool]:
        """Send one request to a process and wait for its answer; past the grace period the query moves
        aside (if there is room there). Returns the answer (None if the client went) and whether it moved."""
        loop = asyncio.get_running_loop()
        p.link.send(encode(req))
        aside = False
        limit = min(deadline, time.monotonic() + self.grace)
        while True:
            fut = p.link.expect()
            # Timers and a callback on the client instead of asyncio.wait: this is the path of every query.
            timer = loop.call_at(loop.time() + max(0.0, limit - time.monotonic()), _expire, fut, _Late)
            on_gone = None
            if gone is not None:
                on_gone = functools.partial(_on_gone, fut)
                gone.add_done_callback(on_gone)
            try:
                meta, payload = await fut
            except EOFError:
                p.died = True
                self._retire(p, killed=True)
                return await self._died(p), aside
            except Gone:
                self._retire(p, killed=True)
                return None, aside
            except _Late:
                if time.monotonic() >= deadline:
                    self.stats["timeouts"] += 1
                    self._retire(p, killed=True)
                    return text(503, f"query timed out after {self.settings.timeout:g} s"), aside
                limit = deadline
                if not aside and self.slow_free > 0:  # past the grace period: aside, if there is room there
                    self.slow_free -= 1
                    aside = p.slow = True
                    deprioritize(p.pid)
                    self._release_slot(False)
                    self._top_up()
                continue
            finally:
                timer.cancel()
                if on_gone is not None:
                    gone.remove_done_callback(on_gone)
            self._retire(p)
            return frame_answer(meta, payload), aside

    async def _died(self, p: Process) -> Answer:
        loop = asyncio.get_running_loop()
        await loop.run_in_executor(None, p.proc.join, 5)
        return died_answer(p.proc.exitcode, self.settings.max_memory)

    # ------------------------------------------------------------ writes

    async def write(self, job: Callable[..., Answer], args: tuple, gone: asyncio.Future | None = None, what: str = "update") -> Answer | None:
        """Run job(*args) alone in a one-off process, once no query runs (the query processes are closed
        meanwhile, and renewed after). Once running, a write is finished even if its client leaves."""
        if self.closed:
            return text(503, "server shutting down")
        deadline = time.monotonic() + self.settings.timeout
        try:
            while True:
                while self.writing or self.readers:
                    await self._wait(self._lock_event(), deadline, gone)
                if self.lanes is None or self.lanes.stop_if_idle():
                    break
                # a lane is answering: look again soon (new reads are not held back meanwhile)
                await self._wait(asyncio.ensure_future(asyncio.sleep(0.005)), deadline, gone)
        except Busy:
            return text(503, "server busy: try again later")
        except Gone:
            return None
        self.writing = True
        while self.spawning and time.monotonic() < deadline:  # a process opening the store now: let it finish
            await asyncio.sleep(0.01)
        for p in self.idle:  # no read-only view stays open while the store is written
            p.kill()
        self.idle.clear()
        self.stats["updates"] += 1
        try:
            return await self.run_one_off(job, args, deadline, what)
        finally:
            self.writing = False
            self._signature = _store_signature(self.settings.store)
            self.generation += 1
            self._lock_notify()
            if self.lanes is not None:
                self.lanes.resume()
            self._top_up()

    async def run_one_off(self, job: Callable[..., Answer], args: tuple, deadline: float, what: str = "update") -> Answer:
        """job(*args, sandboxed=...) in a confined process of its own, stopped at the deadline."""
        s = self.settings
        try:
            proc, link = await _start(self.ctx, _one_off_process, (job, args, s.max_memory, s.sandbox))
        except Exception as err:  # noqa: BLE001
            return text(503, f"cannot start an {what} process: {err}")
        p = Process(proc, link, self.generation)
        self.one_offs.add(p)
        try:
            fut = link.expect()
            try:
                meta, payload = await asyncio.wait_for(fut, max(0.0, deadline - time.monotonic()))
                return frame_answer(meta, payload)
            except asyncio.TimeoutError:
                self.stats["timeouts"] += 1
                note = "; nothing was written" if what == "update" else ""
                return text(503, f"{what} timed out after {s.timeout:g} s{note}")
            except EOFError:
                await asyncio.get_running_loop().run_in_executor(None, proc.join, 5)
                return died_answer(proc.exitcode, s.max_memory)
        finally:
            p.kill()
            await asyncio.get_running_loop().run_in_executor(None, proc.join, 5)
            self.one_offs.discard(p)


def died_answer(code: int | None, max_memory_mb: int) -> Answer:
    """The answer for a process that ended without one, by how it ended."""
    from .guard import NO_FETCH
    if code == -signal.SIGSYS:
        return text(403, f"SERVICE and LOAD are not allowed: the query tried to open a network connection and "
                         f"was stopped; {NO_FETCH}")
    if code in (-signal.SIGABRT, -signal.SIGSEGV, -signal.SIGBUS):
        return memory_message(max_memory_mb)
    return text(500, f"query process ended without an answer (exit code {code})")


def store_exists(path: str) -> bool:
    """Whether the folder holds a store (RocksDB's CURRENT file)."""
    return (Path(path) / "CURRENT").exists()
