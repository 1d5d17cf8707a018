"""HTTP/1.1 on asyncio: requests read strictly (a malformed length or chunked body gets 400 and the connection
is closed, never misparsed), keep-alive and pipelining, each response written in one send (with TCP_NODELAY,
which asyncio sets), a log line per request."""
from __future__ import annotations

import asyncio
import re
import time
from dataclasses import dataclass, field
from email.utils import formatdate
from typing import Awaitable, Callable

from .answer import Answer

MAX_BODY = 10 * 2**20
MAX_HEAD = 64 * 1024
MAX_HEADERS = 200
MAX_CHUNKS = 10_000
IDLE_TIMEOUT = 60.0  # seconds a connection may sit between requests, or take to send one
REASONS = {100: "Continue", 200: "OK", 201: "Created", 204: "No Content", 400: "Bad Request", 403: "Forbidden",
           404: "Not Found", 405: "Method Not Allowed", 406: "Not Acceptable", 411: "Length Required",
           413: "Content Too Large", 415: "Unsupported Media Type", 431: "Request Header Fields Too Large",
           500: "Internal Server Error", 501: "Not Implemented", 503: "Service Unavailable",
           505: "HTTP Version Not Supported"}
_TOKEN = re.compile(r"[!#$%&'*+.^_`|~0-9A-Za-z-]+")
_CL = re.compile(r"[0-9]{1,12}")
_CHUNK_SIZE = re.compile(rb"[0-9A-Fa-f]{1,8}")


@dataclass
class Request:
    """One parsed request."""

    method: str
    target: str
    version: str
    headers: dict[str, list[str]]
    body: bytes = b""
    gone: asyncio.Future | None = field(default=None, repr=False)  # done when the client has gone

    def header(self, name: str, default: str = "") -> str:
        """The first value of a header field (names in lower case)."""
        values = self.headers.get(name)
        return values[0] if values else default


class _Bad(Exception):
    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status = status


BadRequest = _Bad  # (public name, for the lanes' reader)


class _Incomplete(Exception):
    pass


Handler = Callable[[Request], Awaitable["Answer | None"]]


class _Date:
    """The Date header, formatted once a second."""

    second, value = 0, ""

    @classmethod
    def now(cls) -> str:
        """Now, as an HTTP date."""
        t = int(time.time())
        if t != cls.second:
            cls.second, cls.value = t, formatdate(t, usegmt=True)
        return cls.value


def response_bytes(status: int, answer: Answer, head_only: bool, close: bool, extra: tuple = ()) -> bytes:
    """Status line, headers and body, ready for one send."""
    media = answer.media + ("; charset=utf-8" if answer.media.startswith("text/") else "")
    lines = [f"HTTP/1.1 {status} {REASONS.get(status, 'Status')}", "Server: conflict-kg", f"Date: {_Date.now()}"]
    if status != 204:
        lines += [f"Content-Type: {media}", f"Content-Length: {len(answer.body)}"]
    lines.append("X-Content-Type-Options: nosniff")
    lines += [f"{k}: {v}" for k, v in (*answer.headers, *extra)]
    if close:
        lines.append("Connection: close")
    head = ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1", "replace")
    return head if head_only or status == 204 else head + answer.body


def parse_head(text: str) -> tuple:
    """A request head (without its blank line) as (method, target, version, headers, body mode, length);
    _Bad for anything malformed or refused."""
    lines = text.replace("\r\n", "\n").split("\n")
    parts = lines[0].split(" ")
    if len(parts) != 3 or not _TOKEN.fullmatch(parts[0]) or not parts[1]:
        raise _Bad(400, "malformed request line")
    method, target, version = parts
    if version not in ("HTTP/1.1", "HTTP/1.0"):
        raise _Bad(505 if version.startswith("HTTP/") else 400, "only HTTP/1.0 and HTTP/1.1 are spoken here")
    if len(lines) > MAX_HEADERS:
        raise _Bad(431, "too many header fields")
    headers: dict[str, list[str]] = {}
    for line in lines[1:]:
        name, colon, value = line.partition(":")
        if not colon or not _TOKEN.fullmatch(name):  # also refuses obsolete line folding and "Name :"
            raise _Bad(400, "malformed header field")
        headers.setdefault(name.lower(), []).append(value.strip(" \t"))
    te = headers.get("transfer-encoding") or []
    cl = [v.strip() for value in headers.get("content-length") or [] for v in value.split(",")]
    if te:
        codings = [c.strip().lower() for value in te for c in value.split(",") if c.strip()]
        if cl:
            raise _Bad(400, "a request cannot have both Content-Length and Transfer-Encoding")
        if codings != ["chunked"]:
            raise _Bad(501, "the only transfer coding understood here is chunked")
        return method, target, version, headers, "chunked", 0
    if not cl:
        return method, target, version, headers, "none", 0
    if len(set(cl)) != 1 or not _CL.fullmatch(cl[0]):
        raise _Bad(400, "Content-Length must be one non-negative decimal number")
    length = int(cl[0])
    if length > MAX_BODY:
        raise _Bad(413, "request too large")
    return method, target, version, headers, "length", length


class HttpConnection(asyncio.Protocol):
    """One client connection."""

    def __init__(self, handle: Handler, log: Callable[[str], None] | None, extra: tuple = (),
                 truncated_note: str = "") -> None:
        self.handle, self.log, self.extra, self.truncated_note = handle, log, extra, truncated_note
        self.buf = bytearray()
        self.transport = None
        self.busy = self.closing = False
        self.head: tuple | None = None  # the parsed head of the request being read
        self.chunk_state: list | None = None
        self.sent_continue = False
        self.gone: asyncio.Future | None = None
        self.peer = "-"
        self.idle = None  # the timer that closes a connection with no complete request in IDLE_TIMEOUT

    # ------------------------------------------------------------ asyncio callbacks

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        """A client connected: note who, start the idle timer."""
        self.transport = transport
        self.gone = asyncio.get_running_loop().create_future()
        peer = transport.get_extra_info("peername")
        self.peer = peer[0] if isinstance(peer, tuple) else "-"
        self._arm()

    def _arm(self) -> None:
        """(Re)start the idle timer: a client that sends nothing, or trickles a request, is let go."""
        if self.idle is not None:
            self.idle.cancel()
        self.idle = asyncio.get_running_loop().call_later(IDLE_TIMEOUT, self._idle_out)

    def _idle_out(self) -> None:
        if not self.busy:
            self.transport.close()

    def connection_lost(self, exc: Exception | None) -> None:
        """The connection is closed: a request still running learns that its client has gone."""
        if self.idle is not None:
            self.idle.cancel()
        if not self.gone.done():
            self.gone.set_result(None)

    def eof_received(self) -> bool:
        """The client closed its side: taken as gone (as before), and the connection is closed."""
        if not self.gone.done():
            self.gone.set_result(None)
        return False

    def data_received(self, data: bytes) -> None:
        """Bytes from the client: read the next request when none is being answered."""
        if self.closing:
            return  # after an error: read and drop what the client still sends
        self.buf += data
        if self.busy:
            if len(self.buf) > MAX_BODY + MAX_HEAD:
                self.transport.pause_reading()
            return
        self._next()

    # ------------------------------------------------------------ reading requests

    def _next(self) -> None:
        try:
            req = self._parse()
        except _Incomplete:
            return
        except _Bad as err:
            self._fail(err.status, str(err))
            return
        self.busy = True
        asyncio.get_running_loop().create_task(self._serve(req))

    def _parse(self) -> Request:
        if self.head is None:
            while self.buf[:2] == b"\r\n" or self.buf[:1] == b"\n":  # stray line ends between requests
                del self.buf[:2 if self.buf[:2] == b"\r\n" else 1]
            end, sep = self.buf.find(b"\r\n\r\n"), 4
            lf = self.buf.find(b"\n\n")
            if lf != -1 and (end == -1 or lf < end):
                end, sep = lf, 2
            if end == -1:
                if len(self.buf) > MAX_HEAD:
                    raise _Bad(431, "request head too large")
                raise _Incomplete
            if end > MAX_HEAD:
                raise _Bad(431, "request head too large")
            text = bytes(self.buf[:end]).decode("latin-1")
            del self.buf[:end + sep]
            self.head = parse_head(text)
            self.sent_continue = False
        method, target, version, headers, mode, length = self.head
        if mode == "length":
            if len(self.buf) < length:
                self._continue(headers)
                raise _Incomplete
            body = bytes(self.buf[:length])
            del self.buf[:length]
        elif mode == "chunked":
            body = self._read_chunked(headers)
        else:
            body = b""
        self.head = None
        return Request(method, target, version, headers, body, self.gone)

    def _continue(self, headers: dict) -> None:
        """Tell a client that waits for it (curl does, for bodies over 1 kB) to send the body."""
        if not self.sent_continue and "100-continue" in (headers.get("expect") or [""])[0].lower():
            self.sent_continue = True
            self.transport.write(b"HTTP/1.1 100 Continue\r\n\r\n")

    def _read_chunked(self, headers: dict) -> bytes:
        """The body, read incrementally: [position, body, chunks, stage] survive between calls."""
        if self.chunk_state is None:
            self.chunk_state = [0, bytearray(), 0, "size"]
        state = self.chunk_state
        buf = self.buf
        while True:
            pos, body, chunks, stage = state
            if stage == "size":
                nl = buf.find(b"\n", pos)
                if nl == -1:
                    if len(buf) - pos > 1024:
                        raise _Bad(400, "malformed chunked body: chunk size line too long")
                    self._continue(headers)
                    raise _Incomplete
                if nl - pos > 1024:
                    raise _Bad(400, "malformed chunked body: chunk size line too long")
                size = bytes(buf[pos:nl]).rstrip(b"\r").split(b";", 1)[0].rstrip(b" \t")
                if not _CHUNK_SIZE.fullmatch(size):
                    raise _Bad(400, "malformed chunked body: bad chunk size")
                n = int(size, 16)
                if chunks >= MAX_CHUNKS:
                    raise _Bad(413, f"more than {MAX_CHUNKS} chunks")
                if n == 0:
                    state[:] = [nl + 1, body, chunks, "trailer"]
                    continue
                if len(body) + n > MAX_BODY:
                    raise _Bad(413, "request too large")
                state[:] = [nl + 1, body, chunks + 1, ("data", n)]
            elif stage == "trailer":
                for _ in range(64):
                    nl = buf.find(b"\n", pos)
                    if nl == -1:
                        raise _Incomplete
                    line = bytes(buf[pos:nl + 1])
                    pos = nl + 1
                    state[0] = pos
                    if line in (b"\r\n", b"\n"):
                        del buf[:pos]
                        self.chunk_state = None
                        return bytes(body)
                raise _Bad(400, "malformed chunked body: too many trailer fields")
            else:
                n = stage[1]
                if len(buf) < pos + n + 1:
                    self._continue(headers)
                    raise _Incomplete
                end = pos + n
                if buf[end:end + 2] == b"\r\n":
                    after = end + 2
                elif buf[end:end + 1] == b"\n":
                    after = end + 1
                elif buf[end:end + 1] == b"\r" and len(buf) == end + 1:
                    raise _Incomplete
                else:
                    raise _Bad(400, "malformed chunked body: chunk data longer than its size")
                body += buf[pos:end]
                state[:] = [after, body, chunks, "size"]

    # ------------------------------------------------------------ answering

    async def _serve(self, req: Request) -> None:
        started = time.perf_counter()
        try:
            answer = await self.handle(req)
        except Exception as err:  # noqa: BLE001 - an answer, never a dropped connection
            answer = Answer(500, "text/plain", f"internal error: {type(err).__name__}\n".encode())
        if answer is None or self.transport.is_closing():  # the client has gone
            self.transport.close()
            self._log(req, 499, 0, started)
            return
        tokens = {t.strip().lower() for v in req.headers.get("connection", []) for t in v.split(",")}
        close = "close" in tokens or (req.version == "HTTP/1.0" and "keep-alive" not in tokens)
        extra = self.extra
        if req.version == "HTTP/1.0" and not close:  # an HTTP/1.0 client keeps the connection only if told so
            extra = (*extra, ("Connection", "keep-alive"))
        if answer.truncated:
            extra = (*extra, ("X-Result-Truncated", self.truncated_note))
        self.transport.write(response_bytes(answer.status, answer, req.method == "HEAD", close, extra))
        self._log(req, answer.status, len(answer.body), started)
        if close:
            self.transport.close()
            return
        self.busy = False
        self._arm()
        self.transport.resume_reading()
        if self.buf:
            self._next()

    def _log(self, req: Request, status: int, size: int, started: float) -> None:
        if self.log is not None:
            path = req.target.split("?", 1)[0][:200].encode("ascii", "backslashreplace").decode()
            self.log(f'{self.peer} "{req.method} {path}" {status} {size} {(time.perf_counter() - started) * 1000:.1f}ms')

    def _fail(self, status: int, message: str) -> None:
        """An error after which the request stream cannot be trusted: answer, close our side, and read what the
        client still sends for a moment (closing on unread data resets the connection, and the client may
        lose the answer)."""
        self.closing = True
        self.buf.clear()
        answer = Answer(status, "text/plain", message.encode() + b"\n")
        self.transport.write(response_bytes(status, answer, False, True, self.extra))
        if self.log is not None:
            self.log(f'{self.peer} "- -" {status} {len(answer.body)} 0.0ms ({message})')
        if self.transport.can_write_eof():
            self.transport.write_eof()
        self.transport.resume_reading()
        asyncio.get_running_loop().call_later(1.0, self.transport.close)
