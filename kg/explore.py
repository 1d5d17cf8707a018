"""Helpers for exploring a graph in a notebook: SPARQL to DataFrame, the network inline, standard plots,
and network measures. Notebooks import these instead of carrying code in cells.
"""
from __future__ import annotations

import html
import warnings
from pathlib import Path

import networkx as nx
import pyoxigraph as ox

from .query import load_graph, resolve_query, run_query

_INTEGER = {"http://www.w3.org/2001/XMLSchema#integer", "http://www.w3.org/2001/XMLSchema#nonNegativeInteger",
            "http://www.w3.org/2001/XMLSchema#int", "http://www.w3.org/2001/XMLSchema#long"}
_DECIMAL = {"http://www.w3.org/2001/XMLSchema#decimal", "http://www.w3.org/2001/XMLSchema#double",
            "http://www.w3.org/2001/XMLSchema#float"}


def open_graph(graph: str | Path | ox.Store) -> ox.Store:
    """A store from a graph file (or the store itself)."""
    return graph if isinstance(graph, ox.Store) else load_graph(graph)


def _value(term):
    if term is None:
        return None
    if isinstance(term, ox.Literal):
        dt = term.datatype.value if term.datatype is not None else ""
        if dt in _INTEGER:
            return int(term.value)
        if dt in _DECIMAL:
            return float(term.value)
    return term.value


def sparql_df(graph: str | Path | ox.Store, query: str):
    """Run a bundled question, a .rq file or SPARQL text; integers and decimals come back as numbers."""
    import pandas as pd

    result = run_query(open_graph(graph), resolve_query(query))
    if isinstance(result, ox.QueryBoolean):
        return pd.DataFrame({"boolean": [bool(result)]})
    if isinstance(result, ox.QueryTriples):
        return pd.DataFrame([(t.subject.value, t.predicate.value, _value(t.object)) for t in result],
                            columns=["subject", "predicate", "object"])
    columns = [v.value for v in result.variables]
    return pd.DataFrame([[_value(sol[c]) for c in columns] for sol in result], columns=columns)


def network_iframe(g: nx.MultiDiGraph, height: int = 600, title: str = "conflict-kg network"):
    """The interactive network inside the notebook, as an iframe with the page inline (works in Jupyter,
    JupyterLab and VS Code, where pyvis's notebook mode is often blank)."""
    from IPython.display import HTML

    from .viz import render_html

    page = render_html(g, title=title)
    with warnings.catch_warnings():  # IPython suggests IFrame, which needs a URL; srcdoc keeps it self-contained
        warnings.simplefilter("ignore")
        return HTML(f'<iframe srcdoc="{html.escape(page, quote=True)}" style="width:100%;height:{int(height)}px;'
                f'border:1px solid #ddd" sandbox="allow-scripts"></iframe>')


def plot_timeline(graph: str | Path | ox.Store, ax=None):
    """Attacks per day, coloured by attacker."""
    import matplotlib.pyplot as plt
    import pandas as pd

    df = sparql_df(graph, "timeline")
    df = df[df["date"] != ""].copy()
    ax = ax or plt.subplots(figsize=(9, 3.5))[1]
    if df.empty:
        ax.set_title("no dated attacks")
        return ax
    df["date"] = pd.to_datetime(df["date"])
    df["attacker"] = df["attacker"].fillna("unknown")
    for attacker, part in df.groupby("attacker"):
        per_day = part.groupby("date").size()
        ax.scatter(per_day.index, per_day.values, label=attacker, s=40)
    ax.set_ylabel("attacked places")
    ax.set_title("Attacks over time")
    ax.legend(title="attacker")
    ax.figure.autofmt_xdate()
    return ax


def plot_launched_vs_intercepted(graph: str | Path | ox.Store, ax=None, top: int = 15):
    """Launched and intercepted per attack, largest first."""
    import matplotlib.pyplot as plt

    df = sparql_df(graph, "interception-rate").head(top)
    ax = ax or plt.subplots(figsize=(9, 3.5))[1]
    if df.empty:
        ax.set_title("no launch or interception counts")
        return ax
    names = [f"{p} {d}".strip() for p, d in zip(df["place"].fillna(""), df["date"].fillna(""))]
    xs = range(len(df))
    ax.bar([x - 0.2 for x in xs], df["launched"], width=0.4, label="launched")
    ax.bar([x + 0.2 for x in xs], df["intercepted"], width=0.4, label="intercepted")
    ax.set_xticks(list(xs))
    ax.set_xticklabels(names, rotation=30, ha="right")
    ax.set_title("Launched vs intercepted per attack")
    ax.legend()
    return ax


def central_nodes(g: nx.MultiDiGraph, categories: tuple[str, ...] = ("person", "organization", "country", "place"),
                  top: int = 10) -> list[tuple[str, str, float]]:
    """(label, category, betweenness) of the most central actors and places."""
    und = nx.Graph(g)
    scores = nx.betweenness_centrality(und) if und.number_of_nodes() > 2 else {n: 0.0 for n in und}
    ranked = sorted((n for n in g if g.nodes[n]["category"] in categories), key=lambda n: (-scores[n], n))
    return [(g.nodes[n]["label"], g.nodes[n]["category"], round(scores[n], 4)) for n in ranked[:top]]


def communities(g: nx.MultiDiGraph, min_size: int = 3) -> list[list[str]]:
    """Groups of nodes more linked to each other than to the rest (greedy modularity), as labels."""
    und = nx.Graph(g)
    if und.number_of_edges() == 0:
        return []
    groups = nx.community.greedy_modularity_communities(und)
    return [sorted(g.nodes[n]["label"] for n in c) for c in groups if len(c) >= min_size]


def ego_network(g: nx.MultiDiGraph, label: str, radius: int = 2) -> nx.MultiDiGraph:
    """Everything within `radius` steps of the node with this label (e.g. a city)."""
    centre = next((n for n, a in g.nodes(data=True) if a["label"] == label), None)
    if centre is None:
        raise KeyError(f"no node labelled {label!r}")
    return g.subgraph(nx.ego_graph(nx.Graph(g), centre, radius=radius).nodes).copy()


WEAPON_FAMILIES = """PREFIX ckg: <https://w3id.org/conflict-kg/ontology#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT ?family (COUNT(DISTINCT ?attack) AS ?attacks) WHERE { GRAPH ?g {
  ?attack a ckg:Attack ; ckg:weapon ?w .
  ?w skos:broader* ?f .
  ?f skos:prefLabel ?family .
  FILTER NOT EXISTS { ?f skos:broader ?up }
} }
GROUP BY ?family ORDER BY DESC(?attacks)"""


def attacks_per_weapon_family(graph: str | Path | ox.Store):
    """Attacks per top weapon family, following skos:broader up the weapon scheme."""
    return sparql_df(graph, WEAPON_FAMILIES)
