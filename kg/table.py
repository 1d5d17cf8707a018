"""The `kg query --format table` view: a SELECT answer as aligned text, with labels instead of IRIs.

A reader scans a table for names, so an IRI cell shows its node's label, looked up in the store the query
ran on with one batched query. The table must never hide what tells rows apart: two IRIs that share a
label get their short form added, and a long cell is cut in the middle (its end, where IRIs and event
names carry their distinguishing part, is kept), unless cutting would make two distinct cells equal.
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

import pyoxigraph as ox

from .output import PREFIXES
from .safeprint import printable

MAX_WIDTH = 60  # widest a column gets before its long cells are cut in the middle
ELLIPSIS = "…"

# Label properties in order of preference: the SKOS label the lexicon gives, then RDFS, then schema.org.
LABEL_PROPERTIES: tuple[str, ...] = (
    "http://www.w3.org/2004/02/skos/core#prefLabel",
    "http://www.w3.org/2000/01/rdf-schema#label",
    "https://schema.org/name",
)
# Longest namespace first, so an IRI gets the most specific prefix (and a prefixed name maps back to one IRI).
_NAMESPACES: tuple[tuple[str, str], ...] = tuple(sorted(((ns, p) for p, ns in PREFIXES.items()),
                                                        key=lambda item: -len(item[0])))

Term = ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple | None


def short_form(iri: str) -> str:
    """A readable name of an IRI that still identifies it: a prefixed name (`kgp:kyiv`) when one of the
    project's prefixes covers it, else the IRI itself."""
    for namespace, prefix in _NAMESPACES:
        if iri.startswith(namespace) and len(iri) > len(namespace):
            return f"{prefix}:{iri[len(namespace):]}"
    return iri


def _label_rank(literal: ox.Literal) -> tuple[int, str]:
    # English or untagged text first (the lexicon's preferred labels), then any other language; ties by text
    lang = literal.language or ""
    return (0 if lang in ("", "en") or lang.startswith("en-") else 1, literal.value)


def lookup_labels(store: ox.Store, iris: Iterable[str]) -> dict[str, str]:
    """IRI -> its label in `store` (skos:prefLabel, else rdfs:label, else schema:name, over all graphs),
    found by one query with a VALUES block; IRIs without a label are left out."""
    wanted = sorted(set(iris))
    if not wanted:
        return {}
    # The IRIs come from the store itself and NamedNode validated them, so str() is a well-formed <...>.
    values = " ".join(str(ox.NamedNode(i)) for i in wanted)
    branches = " UNION ".join(f"{{ ?s <{p}> ?l BIND({rank} AS ?rank) }}" for rank, p in enumerate(LABEL_PROPERTIES))
    sparql = f"SELECT ?s ?l ?rank WHERE {{ VALUES ?s {{ {values} }} {branches} }}"
    best: dict[str, tuple[int, tuple[int, str]]] = {}
    for sol in store.query(sparql, use_default_graph_as_union=True):
        label = sol["l"]
        if not isinstance(label, ox.Literal) or not label.value.strip():
            continue
        key = (int(sol["rank"].value), _label_rank(label))
        iri = sol["s"].value
        if iri not in best or key < best[iri]:
            best[iri] = key
    return {iri: key[1][1] for iri, key in best.items()}


def _raw_text(term: Term, labels: Mapping[str, str] | None) -> str:
    """What a cell says before escaping: a label (or short form) for an IRI unless `labels` is None."""
    if term is None:
        return ""
    if isinstance(term, ox.NamedNode) and labels is not None:
        return labels.get(term.value) or short_form(term.value)
    return term.value


def column_texts(terms: Sequence[Term], labels: Mapping[str, str] | None) -> list[str]:
    """The escaped text of each cell of one column. Distinct terms that would read the same get the IRI's
    short form added (`Kyiv (kgp:kyiv)`), so a column never shows two different nodes as one."""
    texts = {t: printable(_raw_text(t, labels)) for t in set(terms)}
    if labels is not None:
        by_text: dict[str, list[Term]] = {}
        for term, text in texts.items():
            by_text.setdefault(text, []).append(term)
        for text, same in by_text.items():
            if len(same) > 1:
                for term in same:
                    if isinstance(term, ox.NamedNode):
                        short = printable(short_form(term.value))
                        # an unlabelled IRI already shows its short form: only the whole IRI tells it apart
                        texts[term] = f"{text} ({short})" if short != text else f"<{printable(term.value)}>"
    return [texts[t] for t in terms]


def cut_middle(text: str, width: int) -> str:
    """`text` in at most `width` characters: its start, an ellipsis, and its (longer) end."""
    if len(text) <= width:
        return text
    keep = max(width - len(ELLIPSIS), 2)
    head = keep // 3  # the end tells IRIs and numbered names apart, so it gets two thirds
    return text[:head] + ELLIPSIS + text[len(text) - (keep - head):]


def fit_column(cells: Sequence[str], width: int = MAX_WIDTH) -> list[str]:
    """Cells cut to `width` in the middle, except those whose cut would equal another distinct cell's."""
    cut = {c: cut_middle(c, width) for c in set(cells)}
    owners: dict[str, set[str]] = {}
    for full, short in cut.items():
        owners.setdefault(short, set()).add(full)
    keep_whole = {full for fulls in owners.values() if len(fulls) > 1 for full in fulls}
    return [c if c in keep_whole else cut[c] for c in cells]


def render_table(variables: Sequence[str], rows: Sequence[Sequence[Term]],
                 labels: Mapping[str, str] | None, width: int = MAX_WIDTH) -> str:
    """Aligned text of a SELECT answer: header, rule, one line per row, row count. `labels` None shows
    IRIs as they are; otherwise IRI cells show labels (short forms where a node has none)."""
    columns = [fit_column(column_texts([r[i] for r in rows], labels), width) for i in range(len(variables))]
    header = [printable(v) for v in variables]
    widths = [max([len(header[i])] + [len(c) for c in col]) for i, col in enumerate(columns)]

    def line(cells: Sequence[str]) -> str:
        return "  ".join(c.ljust(widths[i]) for i, c in enumerate(cells)).rstrip()

    text = [line(header), line(["-" * w for w in widths])]
    text += [line([col[r] for col in columns]) for r in range(len(rows))]
    text.append(f"({len(rows)} row{'s' if len(rows) != 1 else ''})")
    return "\n".join(text) + "\n"


def table_of(result: ox.QuerySolutions, store: ox.Store | None, iris: bool = False) -> str:
    """The table view of a SELECT answer; IRI labels come from `store` (None: short forms only), or the
    IRIs themselves with `iris`."""
    variables = [v.value for v in result.variables]
    rows = [[sol[v] for v in variables] for sol in result]
    if iris:
        labels = None
    else:
        named = {t.value for row in rows for t in row if isinstance(t, ox.NamedNode)}
        labels = lookup_labels(store, named) if store is not None else {}
    return render_table(variables, rows, labels)
