"""The answer to one request, as it passes from a query or update process to the HTTP layer."""
from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Answer:
    """An HTTP answer: status, media type, body, whether the result was cut at the row cap, extra headers."""

    status: int
    media: str
    body: bytes
    truncated: bool = False
    headers: tuple[tuple[str, str], ...] = field(default=())


def text(status: int, message: str, *headers: tuple[str, str]) -> Answer:
    """A plain-text answer (error messages end with a newline)."""
    return Answer(status, "text/plain", (message if message.endswith("\n") or not message else message + "\n").encode(),
                  headers=tuple(headers))
