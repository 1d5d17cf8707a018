"""What the server decides from the text of a query or update before running it: SERVICE and LOAD refused on
rdflib's parse tree (never on the text), and the dataset clauses (FROM, USING, WITH) found by a small lexer."""
from __future__ import annotations

import re
from typing import Iterator

from .answer import Answer, text

NO_FETCH = "this endpoint never fetches other URLs"


class Unparsed(ValueError):
    """rdflib's SPARQL parser could not parse the text."""


def forbidden_operation(sparql: str, update: bool = False) -> str | None:
    """'SERVICE' or 'LOAD' when rdflib's parse tree of the query (or update) has one, else None.

    Raises Unparsed when rdflib cannot parse the text (it lags behind pyoxigraph on RDF 1.2 syntax, and
    disagrees with it on a few escapes, e.g. `ex:a\\#b`): the caller refuses it.
    """
    from rdflib.plugins.sparql import parser as rdflib_sparql  # imported where needed: in the query processes
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


def check_operations(sparql: str, update: bool, sandboxed: bool) -> Answer | None:
    """An answer refusing SERVICE or LOAD, or a text rdflib cannot parse (fail closed); else None."""
    if not may_name_a_fetch(sparql):
        return None
    try:
        op = forbidden_operation(sparql, update)
    except Unparsed as err:
        if sandboxed:  # pyoxigraph's message is better when the text is malformed; the sandbox makes asking safe
            import pyoxigraph as ox
            try:
                scratch = ox.Store()
                scratch.update(sparql) if update else scratch.query(sparql)
            except SyntaxError as bad:
                return text(400, f"malformed SPARQL{' update' if update else ''}: {bad}")
            except Exception:  # noqa: BLE001 - well-formed; refused below all the same
                pass
        return text(400, f"refused: before running anything this server checks that it has no SERVICE or LOAD "
                         f"with rdflib's SPARQL 1.1 parser, which cannot read this text ({err})")
    if op:
        return text(403, f"{op} is not allowed: {NO_FETCH}")
    return None


# ---------------------------------------------------------------- dataset clauses, by a lexer

# Tokens that may hold a brace, a keyword or a '#' without meaning one: strings, IRIs, comments, variables,
# prefixed names (with their backslash escapes). An IRI cannot hold a brace or a quote, so taking `<` in
# `?a < ?b` for the start of one never hides a brace.
_TOKEN = re.compile(r'''
    (?P<space>\s+) | (?P<comment>\#[^\n]*) |
    (?P<string>"""(?:[^"\\]|\\.|"(?!""))*"""|\'\'\'(?:[^'\\]|\\.|'(?!''))*\'\'\'|"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*') |
    (?P<iri><[^<>"{}|^`\\\x00-\x20]*>) | (?P<var>[?$]\w+) |
    (?P<pname>[\w.\-]*:(?:[\w.\-:%]|\\.)*) | (?P<word>[A-Za-z_]\w*) |
    (?P<open>[{(\[]) | (?P<close>[})\]]) | (?P<other>.)''', re.S | re.X)


def _tokens(sparql: str) -> Iterator[tuple[int, str, str, int]]:
    """(position, kind, upper-cased text, brace depth) for each token that is not space or a comment."""
    depth = 0
    for m in _TOKEN.finditer(sparql):
        kind = m.lastgroup
        if kind in ("space", "comment"):
            continue
        if kind == "close":
            depth = max(0, depth - 1)
        yield m.start(), kind, m.group().upper(), depth
        if kind == "open":
            depth += 1


def _top_words(sparql: str) -> set[str]:
    return {word for _, kind, word, depth in _tokens(sparql) if kind == "word" and depth == 0}


def has_from(query: str) -> bool:
    """Whether a query names its own dataset (FROM or FROM NAMED)."""
    return "from" in query.casefold() and "FROM" in _top_words(query)


def has_using_or_with(update: str) -> bool:
    """Whether an update names its own dataset (USING, USING NAMED or WITH)."""
    return bool({"USING", "WITH"} & _top_words(update))


def add_using(update: str, default: list[str], named: list[str]) -> str:
    """The update with `USING <g>` and `USING NAMED <g>` before the WHERE of every DELETE/INSERT operation
    (the protocol's using-graph-uri and using-named-graph-uri; DELETE WHERE takes none)."""
    clause = " ".join([f"USING <{g}>" for g in default] + [f"USING NAMED <{g}>" for g in named]) + " "
    out, last, previous = [], 0, ""
    for pos, kind, word, depth in _tokens(update):
        if kind == "word" and depth == 0 and word == "WHERE" and previous != "DELETE":
            out.append(update[last:pos])
            out.append(clause)
            last = pos
        previous = word
    out.append(update[last:])
    return "".join(out)
