"""Inside a lane: a confined query process that serves client connections itself.

The server accepts each connection and passes it here (SCM_RIGHTS over a SOCK_SEQPACKET pair), keeping its own
duplicate. This process reads requests with MSG_PEEK and takes a request off the connection only once it has
decided to answer it, so between requests everything unanswered is still in the kernel: a connection can go
back to the server (a request that needs it: an update, a Graph Store write, /health, a request not read whole
at once) or to another lane at any such moment, and it survives this process being killed.

What the server must see without being asked is in shared memory (`Shared`): the state (idle, running since,
sending), the connection being served, a request counter, and per connection a "revoked" flag the server sets
to take a connection away. The state changes under a lock (a POSIX semaphore) held for a few instructions,
never while a query runs: holding it, the server knows this process is between requests and cannot start one.
"""
from __future__ import annotations

import os
import select
import socket
import struct
import sys
import time
from dataclasses import dataclass
from typing import Any

from .answer import Answer, text
from .http import BadRequest, Request, parse_head, response_bytes
from .jobs import handle_read, open_store
from .pool import memory_message
from .sandbox import confine
from .settings import Settings

MAX_CONNS = 256  # connections one lane holds at most
STATE, SLOT, SEQ, QUERIES = 0, 1, 2, 3
REVOKED = 8  # ints[REVOKED + slot]: the server took that connection away
IDLE, RUNNING, SENDING = 0, 1, 2
PEEK = 65536  # a request (head and body) larger than this goes to the server's reader
SLOT_MSG = struct.Struct("!i")
_FD_SPACE = socket.CMSG_SPACE(4 * 4)
_GONE = select.POLLHUP | select.POLLERR | select.POLLNVAL | getattr(select, "POLLRDHUP", 0x2000)


@dataclass(frozen=True)
class LaneConfig:
    """What a lane needs besides the settings: the server's address (for base IRIs), the headers added to
    every answer (CORS), the X-Result-Truncated value, and whether to log."""

    address: str
    extra: tuple
    truncated_note: str
    log: bool
    idle_timeout: float  # seconds a connection may sit between requests (http.IDLE_TIMEOUT)


@dataclass
class Shared:
    """The memory a lane shares with the server: ints (see the index names above), the start time of the
    request being served (CLOCK_MONOTONIC, the same in every process), and the lock."""

    ints: Any
    started: Any
    lock: Any


def lane_process(ctl: socket.socket, settings: Settings, shared: Shared, config: LaneConfig) -> None:
    """A lane: confine, open the store read-only, then serve the connections the server passes in."""
    from .app import App
    sandboxed = confine(settings.max_memory, settings.sandbox, ctl.fileno())
    try:
        store = open_store(settings.store, write=False)
    except OSError as err:
        ctl.send(b"E" + str(err).encode()[:4000])
        return
    app = App(settings, None, config.address)  # type: ignore[arg-type]  # plan() needs no pool
    ctl.send(b"R")
    _Lane(ctl, settings, shared, config, store, app, sandboxed).run()


def first_request(data: bytes) -> tuple[Request, int] | None:
    """The first request in bytes read from a connection, and its size; None when the server's own reader
    must take it (stray line ends, a head or body not all here, chunked, Expect, anything malformed: it
    waits for the rest with its own time limit, or answers the error)."""
    if data[:1] in (b"\r", b"\n"):
        return None
    end, sep = data.find(b"\r\n\r\n"), 4
    lf = data.find(b"\n\n")
    if lf != -1 and (end == -1 or lf < end):
        end, sep = lf, 2
    if end == -1:
        return None
    try:
        method, target, version, headers, mode, length = parse_head(data[:end].decode("latin-1"))
    except BadRequest:
        return None
    size = end + sep + (length if mode == "length" else 0)
    if mode == "chunked" or size > len(data) or "expect" in headers:
        return None
    return Request(method, target, version, headers, data[end + sep:size]), size


class _Lane:
    def __init__(self, ctl, settings, shared, config, store, app, sandboxed) -> None:
        self.ctl, self.settings, self.shared, self.config = ctl, settings, shared, config
        self.store, self.app, self.sandboxed = store, app, sandboxed
        self.poll = select.poll()
        self.poll.register(ctl.fileno(), select.POLLIN)
        self.conns: dict[int, tuple[socket.socket, int, str]] = {}  # fd -> (socket, slot, peer)
        self.active: dict[int, float] = {}  # fd -> when its last request was answered (or it came)
        self.known: dict[bytes, tuple[Request, int, object]] = {}  # a request head -> (request, size, plan)

    def run(self) -> None:
        ctl_fd = self.ctl.fileno()
        idle = self.config.idle_timeout
        wake = max(0.05, min(1.0, idle / 4))
        sweep = time.monotonic() + wake
        while True:
            for fd, events in self.poll.poll(wake * 1000):
                if fd == ctl_fd:
                    if not self._receive():
                        return
                elif fd in self.conns:
                    self._serve(fd, events)
            now = time.monotonic()
            if now >= sweep:  # connections idle too long are let go
                sweep = now + wake
                for fd in [fd for fd, t in self.active.items() if now - t > idle]:
                    self._drop(fd, b"C")

    def _receive(self) -> bool:
        """Connections passed in by the server; False when the server has gone."""
        while True:
            try:  # (socket.recv_fds ignores its flags before Python 3.12)
                msg, ancdata, _flags, _addr = self.ctl.recvmsg(64, _FD_SPACE, socket.MSG_DONTWAIT)
            except BlockingIOError:
                return True
            except OSError:
                return False
            if not msg:
                return False
            fds = [int.from_bytes(data[i:i + 4], sys.byteorder) for level, kind, data in ancdata
                   if level == socket.SOL_SOCKET and kind == socket.SCM_RIGHTS for i in range(0, len(data) - 3, 4)]
            if not fds:
                continue
            for extra in fds[1:]:  # (one a message is sent; never keep what is not ours)
                os.close(extra)
            slot = SLOT_MSG.unpack(msg[:SLOT_MSG.size])[0]
            sock = socket.socket(fileno=fds[0])
            sock.setblocking(True)
            try:
                peer = sock.getpeername()
                peer = peer[0] if isinstance(peer, tuple) else "-"
            except OSError:
                peer = "-"
            self.conns[sock.fileno()] = (sock, slot, peer)
            self.active[sock.fileno()] = time.monotonic()
            self.poll.register(sock.fileno(), select.POLLIN | _GONE)

    def _drop(self, fd: int, tell: bytes) -> None:
        """Let go of a connection: b"C" (closed: the server closes its copy too), b"H" (handed back: the server
        reads it from now on), b"D" (taken away by the server: its slot is free again)."""
        sock, slot, _ = self.conns.pop(fd)
        self.active.pop(fd, None)
        self.poll.unregister(fd)
        if tell == b"C":
            try:
                sock.shutdown(socket.SHUT_RDWR)  # the server's duplicate keeps it open otherwise
            except OSError:
                pass
        sock.close()
        self.ctl.send(tell + SLOT_MSG.pack(slot))

    def _serve(self, fd: int, events: int) -> None:
        sock, slot, peer = self.conns[fd]
        ints, lock = self.shared.ints, self.shared.lock
        lock.acquire()
        if ints[REVOKED + slot]:
            lock.release()
            self._drop(fd, b"D")
            return
        # the start time before the state: the server reads the state without the lock, then the time
        self.shared.started.value = time.monotonic()
        ints[SLOT] = slot
        ints[SEQ] += 1
        ints[STATE] = RUNNING
        lock.release()
        try:
            tell = self._request(sock, peer, events)
        finally:
            lock.acquire()
            ints[STATE] = IDLE
            lock.release()
        if tell is not None:
            self._drop(fd, tell)
        else:
            self.active[fd] = time.monotonic()

    def _request(self, sock: socket.socket, peer: str, events: int) -> bytes | None:
        """Answer one request; b"C" to close the connection, b"H" to hand it back, None to keep it."""
        if events & _GONE:
            return b"C"  # the client has gone (or shut its side): what it queued is never run
        try:
            data = sock.recv(PEEK, socket.MSG_PEEK | socket.MSG_DONTWAIT)
        except BlockingIOError:
            return None
        except OSError:
            return b"C"
        if not data:
            return b"C"
        t0 = time.perf_counter()
        # What a request means depends on its bytes alone (and this server's settings): the same request
        # again (a monitor, a dashboard, a client polling) is not parsed and planned again.
        cut = data.find(b"\r\n\r\n")
        known = self.known.get(data[:cut + 4]) if cut != -1 and not data.startswith(b"POST") else None
        if known is None:
            head = first_request(data)
            if head is None:
                return b"H"
            req, size = head
            plan = self.app.plan(req)
            if plan is None:
                return b"H"
            if size == cut + 4 and size <= 4096:
                if len(self.known) >= 512:
                    self.known.clear()
                self.known[data[:size]] = (req, size, plan)
        else:
            req, size, plan = known
        method, target, version, headers = req.method, req.target, req.version, req.headers
        got = 0
        while got < size:  # take the request off the connection: it is ours to answer now
            chunk = sock.recv(size - got)
            if not chunk:
                return b"C"
            got += len(chunk)
        self.shared.ints[QUERIES] += 1 if isinstance(plan, dict) else 0
        died = False
        if isinstance(plan, Answer):
            answer = plan
        else:
            try:
                answer = handle_read(self.store, plan, self.settings.max_rows, self.sandboxed)
            except MemoryError:
                answer, died = memory_message(self.settings.max_memory), True
            except BaseException as err:  # noqa: BLE001 - any failure is an answer, never a silent death
                answer = text(500, f"failed: {type(err).__name__}: {err}")
        tokens = {t.strip().lower() for v in headers.get("connection", []) for t in v.split(",")}
        close = died or "close" in tokens or (version == "HTTP/1.0" and "keep-alive" not in tokens)
        extra = self.config.extra
        if version == "HTTP/1.0" and not close:
            extra = (*extra, ("Connection", "keep-alive"))
        if answer.truncated:
            extra = (*extra, ("X-Result-Truncated", self.config.truncated_note))
        try:
            out = response_bytes(answer.status, answer, method == "HEAD", close, extra)
        except MemoryError:
            out, close, died = response_bytes(503, memory_message(self.settings.max_memory), False, True, extra), True, True
        self.shared.ints[STATE] = SENDING  # (a plain store: only this process writes it while running)
        try:
            sock.sendall(out)
        except OSError:
            return b"C"
        if self.config.log:
            path = target.split("?", 1)[0][:200].encode("ascii", "backslashreplace").decode()
            try:
                sys.stderr.write(f'{peer} "{method} {path}" {answer.status} {len(answer.body)} '
                                 f'{(time.perf_counter() - t0) * 1000:.1f}ms\n')
                sys.stderr.flush()
            except (OSError, ValueError):
                pass
        if died:
            try:
                sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            raise SystemExit(0)  # a process that ran out of memory is not trusted with the next query
        return b"C" if close else None
