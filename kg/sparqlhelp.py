"""Plain-language messages for SPARQL the parser refused, and "did you mean" suggestions.

The parser's own message gives a position and, for a prefixed name, the Unicode ranges a name may hold.
What a user needs is the undeclared prefix by name, or that `SELEC` is not a query form. The text is
scanned only as far as that needs: comments, strings and IRIs are skipped whole, so a colon inside
them is not taken for a prefix. Nothing here runs or fetches anything.
"""
from __future__ import annotations

import difflib
import re
from typing import Iterable

QUERY_FORMS = ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE")
UPDATE_WORDS = ("INSERT", "DELETE", "LOAD", "CLEAR", "CREATE", "DROP", "COPY", "MOVE", "ADD", "WITH")
_TOKEN = re.compile(r"""
    (?P<comment>\#[^\r\n]*)
  | (?P<string>"{3}(?:[^"\\]|\\.|"(?!""))*(?:"{3}|\Z)
              | '{3}(?:[^'\\]|\\.|'(?!''))*(?:'{3}|\Z)
              | "(?:[^"\\\r\n]|\\.)*"?
              | '(?:[^'\\\r\n]|\\.)*'?)
  | (?P<iri><[^<>"{}|^`\\\x00-\x20]*>)
  | (?P<var>[?$]\w+)
  | (?P<pname>(?<![\w.:\-])(?:[^\W\d_][\w.\-]*)?:(?:[\w:%.\-]|\\.)*)
  | (?P<word>[^\W\d][\w\-]*)
  | (?P<space>\s+)
  | (?P<other>.)
""", re.X | re.S)
_POSITION = re.compile(r"^error at (\d+):(\d+):\s*")
# the parser lists the characters a name may hold as Unicode ranges: three words say it better
_CHAR_RANGES = re.compile(r"\[[^\[\]]*\.\.=[^\[\]]*\]")


def close_matches(word: str, choices: Iterable[str], n: int = 3) -> list[str]:
    """The choices closest to `word`, ignoring case and '-' against '_' (difflib ratio 0.6 or more)."""
    key = lambda s: s.lower().replace("_", "-")  # noqa: E731
    by_key = {key(c): c for c in choices}
    return [by_key[k] for k in difflib.get_close_matches(key(word), list(by_key), n=n, cutoff=0.6)]


def explain_syntax_error(sparql: str, message: str, predeclared: Iterable[str] = ()) -> str:
    """One line saying what is wrong with `sparql`, which the parser refused with `message`.

    In order: a prefix neither declared nor predeclared (named, with the closest known one); a text
    that does not start with a query form (with the closest form); else the parser's position and
    message with its character ranges shortened, and the text near the position."""
    tokens = [(m.lastgroup or "", m.group(), m.start()) for m in _TOKEN.finditer(sparql)
              if m.lastgroup not in ("space", "comment")]
    known = set(predeclared)
    for k, (kind, text, _) in enumerate(tokens):
        if kind == "word" and text.upper() == "PREFIX" and k + 1 < len(tokens) and tokens[k + 1][0] == "pname":
            known.add(tokens[k + 1][1].split(":", 1)[0])
    for kind, text, pos in tokens:
        prefix = text.split(":", 1)[0]
        if kind == "pname" and prefix not in known:
            line, col = _line_col(sparql, pos)
            close = close_matches(prefix, known, n=1) if prefix else []
            return (f"unknown prefix '{prefix}:' at line {line}, column {col}"
                    + (f" (did you mean '{close[0]}:'?)" if close else "")
                    + f"; declare it with PREFIX {prefix}: <IRI>"
                    + (f", or use a predeclared one: {', '.join(sorted(predeclared))}" if predeclared else ""))
    form = _query_form(tokens)
    if form is not None and form[0].upper() not in QUERY_FORMS:
        word, pos = form
        line, col = _line_col(sparql, pos)
        if word.upper() in UPDATE_WORDS:
            return (f"malformed SPARQL: {word!r} at line {line}, column {col} starts an update; "
                    "kg query only reads (SELECT, ASK, CONSTRUCT or DESCRIBE)")
        close = close_matches(word, QUERY_FORMS, n=1)
        return (f"malformed SPARQL: {word!r} at line {line}, column {col} is not a query form"
                + (f" (did you mean {close[0]}?)" if close else "")
                + "; a query starts with SELECT, ASK, CONSTRUCT or DESCRIBE, after any PREFIX and BASE lines")
    return _parser_message(sparql, message)


def _parser_message(sparql: str, message: str) -> str:
    where = _POSITION.match(message)
    detail = " ".join(_CHAR_RANGES.sub("a name character", message[where.end():] if where else message).split())
    detail = re.sub(r"(?:a name character, )+a name character", "a name character", detail)
    if len(detail) > 200:
        detail = detail[:197] + "..."
    if not where:
        return f"malformed SPARQL: {detail}"
    line, col = int(where.group(1)), int(where.group(2))
    lines = sparql.splitlines()
    near = lines[line - 1][max(0, col - 1):col + 29].strip() if 0 < line <= len(lines) else ""
    return (f"malformed SPARQL at line {line}, column {col}: {detail}"
            + (f"; near {near!r}" if near else " (at the end of a line or of the query)"))


def _query_form(tokens: list[tuple[str, str, int]]) -> tuple[str, int] | None:
    """The first word after the prologue (PREFIX p: <iri>, BASE <iri>): the query form."""
    k = 0
    while k < len(tokens):
        kind, text, pos = tokens[k]
        if kind == "word" and text.upper() == "PREFIX":
            k += 3
        elif kind == "word" and text.upper() == "BASE":
            k += 2
        elif kind == "word":
            return text, pos
        else:
            return None
    return None


def _line_col(text: str, pos: int) -> tuple[int, int]:
    return text.count("\n", 0, pos) + 1, pos - (text.rfind("\n", 0, pos) + 1) + 1
