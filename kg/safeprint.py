"""Text that is safe to print on a terminal: control characters and line breaks shown as escapes.

Article text, file names and ids come from untrusted input. Printed raw, an escape sequence could drive
the terminal, and a newline in a file name could forge a line of kg's own output.
"""
from __future__ import annotations

import re

# C0 and C1 controls, DEL, line/paragraph separators, bidirectional overrides and isolates, lone surrogates
_UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")
_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _escape(m: re.Match) -> str:
    c = m.group()
    if c in _NAMED:
        return _NAMED[c]
    code = ord(c)
    if 0xDC80 <= code <= 0xDCFF:  # a byte of a file name that is not UTF-8 (surrogateescape)
        return f"\\x{code - 0xDC00:02x}"
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def printable(text: str, keep_tabs: bool = False) -> str:
    """`text` with every control character escaped (`\\x1b`, `\\n`, `\\u202e`): one line, nothing hidden."""
    if text.isprintable():  # no control, format (bidi), separator or surrogate character: nothing to do
        return text
    out = _UNSAFE.sub(_escape, text)
    return out.replace("\\t", "\t") if keep_tabs else out
