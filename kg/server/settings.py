"""What `kg serve` was started with."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Settings:
    """The store and the limits every query and update runs under."""

    store: str
    write_token: str | None = None
    timeout: float = 30.0
    max_rows: int = 100_000
    max_memory: int = 1024  # MB of data memory (RLIMIT_DATA) per query or update process; 0 for no cap
    sandbox: bool = True  # the seccomp filter; False only to test the parser check alone
    cors: bool = False  # Access-Control-Allow-Origin: * on every answer, and preflight answers
