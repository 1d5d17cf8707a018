"""Lanes: confined query processes that serve client connections themselves (lane_worker.py), run from the
server's event loop. The server only accepts connections, passes each to a lane (keeping a duplicate), and
watches the lanes' shared state every TICK seconds; it is not on the path of a request.

From what it sees it enforces the same rules as the query processes of pool.py:
- a request past the time limit: its lane is killed, the client gets 503 on the server's duplicate (or the
  connection is closed if the answer was being sent), the lane's other connections go to other lanes, and a
  new lane starts;
- a request whose client has gone: its lane is killed (the query stops), no answer;
- a query still running after the grace period: its lane moves aside (lowest CPU priority, no new
  connections, its other connections taken to other lanes, retired when done) and a new lane takes its place,
  up to `size` lanes aside, so that runaway queries slow each other down, not everyone else;
- a lane that ends on its own (out of memory, killed from outside) while answering: the answer its exit code
  means (as pool.died_answer);
- a write: run once every lane is between requests (the lanes are then stopped; their connections wait in
  the kernel) and fresh lanes, which open the store anew, take over after it; a store changed by another
  process: old lanes are retired between requests, fresh ones take the connections.
"""
from __future__ import annotations

import asyncio
import select
import socket
import time
from typing import Callable

from .answer import text
from .http import response_bytes
from .http import Request
from .lane_worker import (IDLE, MAX_CONNS, PEEK, QUERIES, REVOKED, RUNNING, SLOT, SLOT_MSG, STATE, LaneConfig, Shared,
                          first_request, lane_process)
from .pool import died_answer
from .sandbox import deprioritize
from .settings import Settings

TICK = 0.01  # seconds between looks at the lanes' state
GONE_CHECK = 0.05  # a request running this long has its client checked each tick
STUCK = 0.25  # requests waiting this long behind a running one move (see _look)
_GONE = select.POLLHUP | select.POLLERR | getattr(select, "POLLRDHUP", 0x2000)


class Lane:
    """One lane process, its control socket, shared memory, and the server's copies of its connections."""

    def __init__(self, proc, ctl: socket.socket, shared: Shared, generation: int) -> None:
        self.proc, self.ctl, self.shared, self.generation = proc, ctl, shared, generation
        self.conns: dict[int, socket.socket] = {}  # slot -> the server's duplicate
        self.free = list(range(MAX_CONNS - 1, -1, -1))
        self.ready = self.slow = self.dying = self.ended = False
        self.reason: object = "died"  # why we killed it: an Answer for the running request, None for none

    @property
    def state(self) -> int:
        """IDLE, RUNNING or SENDING."""
        return self.shared.ints[STATE]

    def usable(self) -> bool:
        """Whether it may take new connections."""
        return self.ready and not (self.slow or self.dying or self.ended) and bool(self.free)


class Lanes:
    """The lanes of a server (see the module doc)."""

    def __init__(self, settings: Settings, size: int, ctx, config: LaneConfig,
                 fallback: Callable[[socket.socket], None], plan: Callable[[Request], object]) -> None:
        """fallback(sock): the server reads that connection itself from now on; plan: App.plan."""
        self.settings, self.size, self.ctx, self.config, self.fallback = settings, max(1, size), ctx, config, fallback
        self.plan = plan
        self.grace = min(1.0, settings.timeout / 4)
        self.lanes: list[Lane] = []
        self.parked: list[socket.socket] = []
        self.generation = 0
        self.spawning = 0
        self.stopped = self.closed = False
        self.broken: str | None = None
        self.retry_at = 0.0  # after a lane failed to start: no new one before then (no tight loop)
        self.stats = {"queries": 0, "timeouts": 0, "started": 0}
        self._ticker: asyncio.Task | None = None

    # ------------------------------------------------------------ life cycle

    def start(self) -> None:
        """Start the lanes and the watch over them."""
        self._top_up()
        self._ticker = asyncio.create_task(self._watch())

    def close(self) -> None:
        """Kill every lane and close every connection."""
        self.closed = True
        if self._ticker:
            self._ticker.cancel()
        for lane in self.lanes:
            self._kill(lane, None)
            for sock in lane.conns.values():
                sock.close()
            lane.conns.clear()
        for sock in self.parked:
            sock.close()
        self.parked.clear()

    def pids(self) -> set[int]:
        """The ids of the live lane processes."""
        return {lane.proc.pid for lane in self.lanes if lane.proc.pid and not lane.ended}

    def fast_running(self) -> int:
        """Requests running in lanes that are not aside (they hold query slots, as pool.py counts them)."""
        return sum(1 for lane in self.lanes if not (lane.slow or lane.ended) and lane.ready and lane.state != IDLE)

    def counts(self) -> dict:
        """Lanes alive, requests running in them, queries answered (for /health)."""
        live = [lane for lane in self.lanes if lane.ready and not lane.ended]
        return {"lanes": len(live), "running": sum(1 for lane in live if lane.state != IDLE),
                "queries": self.stats["queries"] + sum(lane.shared.ints[QUERIES] for lane in self.lanes)}

    def _top_up(self) -> None:
        if self.closed or self.stopped or time.monotonic() < self.retry_at:
            return
        fast = sum(1 for lane in self.lanes if lane.generation == self.generation and not lane.slow and not lane.dying)
        for _ in range(self.size - fast - self.spawning):
            self.spawning += 1
            asyncio.create_task(self._spawn(self.generation))

    async def _spawn(self, generation: int) -> None:
        loop = asyncio.get_running_loop()
        ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        ints = self.ctx.RawArray("q", REVOKED + MAX_CONNS)
        shared = Shared(ints, self.ctx.RawValue("d", 0.0), self.ctx.Lock())
        try:
            proc = self.ctx.Process(target=lane_process, args=(theirs, self.settings, shared, self.config), daemon=True)
            await loop.run_in_executor(None, proc.start)
        except Exception as err:  # noqa: BLE001 - out of processes or memory: say so, try again later
            ours.close()
            self.broken = f"cannot start a query process: {err}"
            self.spawning -= 1
            await asyncio.sleep(1.0)
            self._top_up()
            return
        finally:
            theirs.close()
        self.spawning -= 1
        ours.setblocking(False)
        lane = Lane(proc, ours, shared, generation)
        self.lanes.append(lane)
        self.stats["started"] += 1
        loop.add_reader(ours.fileno(), self._on_message, lane)
        if self.closed or generation != self.generation or self.stopped:
            self._kill(lane, None)

    # ------------------------------------------------------------ connections

    def place(self, sock: socket.socket) -> None:
        """Give a connection to the lane with the fewest (idle lanes first); wait for one if none can take it."""
        if self.broken and not any(lane.ready for lane in self.lanes):
            self.fallback(sock)  # the store cannot be opened: the server's reader answers (503, why)
            return
        candidates = [lane for lane in self.lanes if lane.usable() and lane.generation == self.generation]
        if self.stopped or self.closed or not candidates:
            self.parked.append(sock)
            self._top_up()
            return
        lane = min(candidates, key=lambda c: (c.state != IDLE, len(c.conns)))
        slot = lane.free.pop()
        lane.shared.ints[REVOKED + slot] = 0
        try:
            socket.send_fds(lane.ctl, [SLOT_MSG.pack(slot)], [sock.fileno()])
        except OSError:
            lane.free.append(slot)
            self.parked.append(sock)
            return
        lane.conns[slot] = sock

    def _unpark(self) -> None:
        parked, self.parked = self.parked, []
        for sock in parked:
            self.place(sock)

    def _on_message(self, lane: Lane) -> None:
        """Messages from a lane: ready, could not open the store, a connection closed or handed back; or its end."""
        while True:
            try:
                msg = lane.ctl.recv(8192)
            except BlockingIOError:
                return
            except OSError:
                msg = b""
            if not msg:
                if not lane.ready and not lane.dying:  # died while starting: try again, slowly
                    self.retry_at = time.monotonic() + 1.0
                    asyncio.get_running_loop().call_later(1.05, self._top_up)
                self._kill(lane, lane.reason if lane.dying else "died")
                return
            kind, rest = msg[:1], msg[1:]
            if kind == b"R":
                lane.ready = True
                self.broken = None
                self._unpark()
            elif kind == b"E":
                self.broken = rest.decode("utf-8", "replace")
                self.retry_at = time.monotonic() + 1.0
                self._kill(lane, None)
                asyncio.get_running_loop().call_later(1.05, self._top_up)  # try again, slowly
            elif kind in (b"C", b"H", b"D"):
                slot = SLOT_MSG.unpack(rest[:SLOT_MSG.size])[0]
                sock = lane.conns.pop(slot, None)
                lane.free.append(slot)
                if sock is None:
                    continue
                if kind == b"C":
                    sock.close()
                else:
                    self.fallback(sock)

    # ------------------------------------------------------------ the watch

    async def _watch(self) -> None:
        while not self.closed:
            await asyncio.sleep(TICK)
            now = time.monotonic()
            for lane in list(self.lanes):
                if lane.ready and not lane.dying:
                    self._look(lane, now)

    def _look(self, lane: Lane, now: float) -> None:
        ints = lane.shared.ints
        state = ints[STATE]
        if state == IDLE:
            if lane.slow or lane.generation != self.generation:
                self._retire_if_idle(lane)
            return
        elapsed = now - lane.shared.started.value
        if elapsed > self.settings.timeout:
            self.stats["timeouts"] += 1
            self._kill(lane, text(503, f"query timed out after {self.settings.timeout:g} s"))
            return
        if state != RUNNING or elapsed < GONE_CHECK:
            return
        current = lane.conns.get(ints[SLOT])
        if current is not None and _gone(current):
            self._kill(lane, None)
            return
        if elapsed > self.grace and not lane.slow and sum(1 for c in self.lanes if c.slow and not c.ended) < self.size:
            lane.slow = True  # aside: lowest priority, its other connections to other lanes, a new lane in its place
            deprioritize(lane.proc.pid)
            self._top_up()
        if len(lane.conns) > 1:
            if lane.slow:
                self._take(lane, [slot for slot in lane.conns if slot != ints[SLOT]], self.place)
            elif elapsed > STUCK:  # requests waiting behind a long one: /health, say, or a cheap query
                idle = any(c.usable() and c.state == IDLE and c.generation == self.generation for c in self.lanes)
                waiting = [slot for slot, sock in lane.conns.items() if slot != ints[SLOT]
                           and (self.needs_server(sock) if not idle else _pending(sock))]
                if waiting:
                    # to an idle lane; with none, only those the server answers itself (queries wait
                    # their turn here, as they would for a free query process)
                    self._take(lane, waiting, self.place if idle else self.fallback)

    def needs_server(self, sock: socket.socket) -> bool:
        """Whether the request waiting on a connection is one the server answers itself (no query: /health,
        an update, an error), read without taking it off the connection."""
        try:
            data = sock.recv(PEEK, socket.MSG_PEEK | socket.MSG_DONTWAIT)
        except OSError:
            return False
        if not data:
            return False
        head = first_request(data)
        return head is None or not isinstance(self.plan(head[0]), dict)

    def _take(self, lane: Lane, slots: list[int], to: Callable[[socket.socket], None]) -> None:
        """Take connections away from a lane (under its lock, so that it cannot start on one meanwhile; tried
        again next tick if the lock is held). The lane lets go of them when it next looks (message D)."""
        lock, ints = lane.shared.lock, lane.shared.ints
        if not lock.acquire(False):
            return
        try:
            keep = ints[SLOT] if ints[STATE] != IDLE else -1
            taken = [slot for slot in slots if slot != keep and slot in lane.conns]
            for slot in taken:
                ints[REVOKED + slot] = 1
        finally:
            lock.release()
        for slot in taken:
            to(lane.conns.pop(slot))

    def _retire_if_idle(self, lane: Lane) -> None:
        """Kill a lane that is between requests (its connections then go to other lanes, untouched)."""
        if lane.shared.lock.acquire(False):  # held until it dies: it cannot start a request
            if lane.state == IDLE:
                self._kill(lane, None)
            else:
                lane.shared.lock.release()

    def stop_if_idle(self) -> bool:
        """For a write: when every lane is between requests, stop them all (connections wait) and say True."""
        if self.spawning:
            return False  # a lane opening the store now: let it finish first
        held: list[Lane] = []
        for lane in [lane for lane in self.lanes if not lane.ended]:
            if not lane.shared.lock.acquire(False):
                break
            held.append(lane)
            if lane.state != IDLE:
                break
        else:
            self.stopped = True
            for lane in held:  # killed holding their locks: none starts a request before it dies
                self._kill(lane, None)
            return True
        for lane in held:
            lane.shared.lock.release()
        return False

    def resume(self) -> None:
        """After a write: fresh lanes (they open the store anew) take the connections."""
        self.stopped = False
        self.generation += 1
        self._top_up()

    def renew(self) -> None:
        """The store was changed by another process: fresh lanes from now on, old ones retired when idle."""
        self.generation += 1
        self._top_up()

    # ------------------------------------------------------------ ends

    def _kill(self, lane: Lane, reason: object) -> None:
        """SIGKILL a lane; once it is dead, answer for its running request by `reason` (an Answer; None for no
        answer; "died" for the answer its exit code means) and give its other connections to other lanes."""
        if lane.ended:
            return
        if not lane.dying:
            lane.dying, lane.reason = True, reason
            try:
                lane.proc.kill()
            except (OSError, ValueError, AttributeError):
                pass
        lane.ended = True
        loop = asyncio.get_running_loop()
        loop.remove_reader(lane.ctl.fileno())
        loop.create_task(self._bury(lane))
        self._top_up()

    async def _bury(self, lane: Lane) -> None:
        loop = asyncio.get_running_loop()
        await loop.run_in_executor(None, lane.proc.join, 5)  # its last writes to the shared state are in
        lane.ctl.close()
        ints = lane.shared.ints
        if lane in self.lanes:  # (its queries are counted here from now on)
            self.lanes.remove(lane)
            self.stats["queries"] += ints[QUERIES]
        state, slot = ints[STATE], ints[SLOT]
        current = lane.conns.pop(slot, None) if state != IDLE else None
        if current is not None:
            reason = lane.reason
            if reason == "died":
                reason = died_answer(lane.proc.exitcode, self.settings.max_memory)
            if state == RUNNING and reason is not None and not self.closed:
                try:
                    current.send(response_bytes(reason.status, reason, False, True, self.config.extra),
                                 socket.MSG_DONTWAIT)
                except OSError:
                    pass
            try:
                current.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            current.close()
        others = [sock for s, sock in lane.conns.items() if not ints[REVOKED + s]]
        lane.conns.clear()
        for sock in others:
            if self.closed:
                sock.close()
            else:
                self.place(sock)
        self._top_up()


def _pending(sock: socket.socket) -> bool:
    """Whether a connection has bytes waiting to be read."""
    p = select.poll()
    try:
        p.register(sock.fileno(), select.POLLIN)
    except (OSError, ValueError):
        return False
    return bool(p.poll(0))


def _gone(sock: socket.socket) -> bool:
    """Whether the client of a connection has gone (closed or shut its side)."""
    p = select.poll()
    try:
        p.register(sock.fileno(), _GONE)
    except (OSError, ValueError):
        return True
    return bool(p.poll(0))

