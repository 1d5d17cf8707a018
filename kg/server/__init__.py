"""`kg serve`: a SPARQL 1.1 Protocol and Graph Store endpoint over a store, safe to expose to colleagues.

- Read-only by default: an update or a Graph Store write is refused (403) unless the server was started
  with a write token and the request carries it (`Authorization: Bearer TOKEN`).
- The server never fetches other URLs, by two independent guards: each query and update is parsed with
  rdflib's SPARQL 1.1 parser and SERVICE and LOAD in the parse tree are refused (403), as is anything rdflib
  cannot parse when it could name them (400: fail closed); and every query and update runs in a process
  under a seccomp filter that kills it if it opens a socket (Linux, x86-64 and arm64).
- Queries run in warm processes that keep the store open read-only (pool.py): each has a time limit (503;
  the process is killed and replaced), a memory cap (RLIMIT_DATA) and no core dumps; rows and triples are
  capped (`X-Result-Truncated`). A query still running after a grace period moves aside, at the lowest CPU
  priority, so a few runaway queries do not lock the others out. A request whose client has gone is dropped
  from the queue, and its running query is stopped. Writes run alone, each in a process of its own.
- HTTP on asyncio (http.py): strict request reading, keep-alive, one send per response, a log line per
  request. On SIGTERM or Ctrl-C every query process is killed; if the server itself is killed, they die
  with the fork server they came from (PR_SET_PDEATHSIG).
"""
from __future__ import annotations

import asyncio
import functools
import signal
import socket
import sys
import threading
from typing import Callable

from .answer import Answer
from .app import App
from .guard import Unparsed, forbidden_operation, may_name_a_fetch
from . import http
from .http import HttpConnection
from .lane_worker import LaneConfig
from .lanes import Lanes
from .pool import Pool, store_exists
from .sandbox import install_sandbox, sandbox_available
from .settings import Settings

__all__ = ["Answer", "Pool", "Settings", "SparqlServer", "Unparsed", "forbidden_operation", "install_sandbox",
           "make_server", "may_name_a_fetch", "sandbox_available"]


def _stderr_line(line: str) -> None:
    try:
        sys.stderr.write(line + "\n")
    except (OSError, ValueError):
        pass


class SparqlServer:
    """The listening socket, the pool of query processes and the event loop that serves them."""

    def __init__(self, settings: Settings, sock: socket.socket, max_parallel: int,
                 log: Callable[[str], None] | None, lanes: bool = True) -> None:
        self.settings, self.sock, self.log, self.lanes = settings, sock, log, lanes
        self.server_address = sock.getsockname()[:2]
        self.pool = Pool(settings, max_parallel)
        host, port = self.server_address
        self.app = App(settings, self.pool, f"[{host}]:{port}" if ":" in host else f"{host}:{port}")
        self._loop: asyncio.AbstractEventLoop | None = None
        self._stop: asyncio.Event | None = None
        self._stopped = threading.Event()

    def serve_forever(self, poll_interval: float = 0.5) -> None:
        """Serve until SIGTERM, Ctrl-C or shutdown(); then kill every query process."""
        try:
            asyncio.run(self._serve())
        finally:
            self._stopped.set()

    async def _serve(self) -> None:
        self._loop = asyncio.get_running_loop()
        self._stop = asyncio.Event()
        if threading.current_thread() is threading.main_thread():
            for sig in (signal.SIGTERM, signal.SIGINT):
                self._loop.add_signal_handler(sig, self._stop.set)
        extra = (("Access-Control-Allow-Origin", "*"), ("Access-Control-Expose-Headers", "X-Result-Truncated, Location")) \
            if self.settings.cors else ()
        note = f"true; max {self.settings.max_rows}"
        connection = functools.partial(HttpConnection, self.app.handle, self.log, extra, note)
        loop = self._loop

        def read_here(sock: socket.socket) -> None:
            """A connection the server reads itself (pool.py's processes answer its reads)."""
            def failed(task: asyncio.Task) -> None:
                if not task.cancelled() and task.exception() is not None:
                    sock.close()
            loop.create_task(loop.connect_accepted_socket(connection, sock=sock)).add_done_callback(failed)

        lanes = None
        if self.lanes:
            lanes = Lanes(self.settings, self.pool.size, self.pool.ctx,
                          LaneConfig(self.app.address, extra, note, self.log is not None, http.IDLE_TIMEOUT), read_here,
                          self.app.plan)
            self.pool.lanes = lanes
        await self.pool.start()
        if lanes is not None:
            lanes.start()
        place = lanes.place if lanes is not None else read_here

        def accept() -> None:
            for _ in range(64):
                try:
                    sock, _addr = self.sock.accept()
                except (BlockingIOError, InterruptedError):
                    return
                except OSError:  # out of descriptors, say: the client waits in the backlog
                    return
                sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
                place(sock)

        loop.add_reader(self.sock.fileno(), accept)
        try:
            await self._stop.wait()
        finally:
            loop.remove_reader(self.sock.fileno())
            self.pool.close()

    def shutdown(self) -> None:
        """Stop serve_forever (from another thread) and wait for it."""
        if self._loop is not None and self._stop is not None:
            self._loop.call_soon_threadsafe(self._stop.set)
            self._stopped.wait(30)

    def server_close(self) -> None:
        """Kill the query processes and close the listening socket."""
        self.pool.close()
        self.sock.close()


def make_server(settings: Settings, host: str = "127.0.0.1", port: int = 7878, max_parallel: int = 4,
                log: Callable[[str], None] | None = _stderr_line) -> SparqlServer:
    """A ready-to-run server (call serve_forever); the socket is bound and listening already."""
    if not store_exists(settings.store):
        raise FileNotFoundError(f"{settings.store}: not a conflict-kg store (create it with kg add)")
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((host, port))
        sock.listen(1024)
        sock.setblocking(False)
    except OSError as err:
        sock.close()
        raise OSError(f"cannot listen on {host}:{port}: {err.strerror or err}") from None
    return SparqlServer(settings, sock, max_parallel, log)
