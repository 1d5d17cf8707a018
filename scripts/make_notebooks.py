"""Write the notebooks in notebooks/ (kept as code so their cells stay reviewable); outputs are left empty."""
from __future__ import annotations

from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

ROOT = Path(__file__).resolve().parent.parent
SETUP = '''from pathlib import Path
import tempfile

from kg import explore
from kg.build import build
from kg.network import project

# the repository root, whether the notebook runs from notebooks/ or from the root
ROOT = next(p for p in (Path.cwd(), *Path.cwd().parents) if (p / "data").is_dir() and (p / "kg").is_dir())
graph = Path(tempfile.mkdtemp()) / "graph.trig"
report = build([ROOT / "data"], graph, progress=False)
print(f"{report.articles} articles, {report.words} words -> {report.statements} statements in {graph}")'''

tour = new_notebook(cells=[
    new_markdown_cell("# A tour of conflict-kg\n\nWe build the knowledge graph of the sample articles in `data/`, ask it "
                      "the bundled questions, look at the network, and plot attacks over time and how many launched "
                      "weapons were intercepted. Every helper used here lives in `kg/explore.py`."),
    new_code_cell(SETUP),
    new_markdown_cell("## The bundled questions as DataFrames\n\n`kg queries` lists them; `explore.sparql_df` runs a "
                      "name, a `.rq` file or SPARQL text and returns numbers as numbers."),
    new_code_cell('explore.sparql_df(graph, "entities").groupby("category").size()'),
    new_code_cell('quantities = explore.sparql_df(graph, "quantities")\n'
                  'quantities[["source", "kind", "value", "weapon", "place", "object"]].head(15)'),
    new_code_cell('explore.sparql_df(graph, "casualties-by-place").head(10)'),
    new_code_cell('explore.sparql_df(graph, "quotes").head(10)'),
    new_markdown_cell("## The network\n\nActors, places, weapons and events, with the roles on the edges. Hover a node "
                      "for its identifiers, counts and the sentences it comes from; filter by category or article."),
    new_code_cell("network = project(explore.open_graph(graph))\n"
                  "print(network.number_of_nodes(), 'nodes,', network.number_of_edges(), 'edges')\n"
                  "explore.network_iframe(network, height=550)"),
    new_markdown_cell("## Attacks over time, and launched vs intercepted"),
    new_code_cell("%matplotlib inline\nexplore.plot_timeline(graph);"),
    new_code_cell("explore.plot_launched_vs_intercepted(graph);"),
    new_code_cell('explore.sparql_df(graph, "interception-rate")'),
])

analysis = new_notebook(cells=[
    new_markdown_cell("# Network analysis with networkx\n\nThe RDF graph projected onto actors, places, weapons and "
                      "events is an ordinary `networkx.MultiDiGraph`: centrality, communities and ego networks come "
                      "for free. The weapon scheme is SKOS, so attacks roll up into weapon families."),
    new_code_cell(SETUP + "\nnetwork = project(explore.open_graph(graph))"),
    new_markdown_cell("## Most central actors and places (betweenness)"),
    new_code_cell("import pandas as pd\n"
                  "pd.DataFrame(explore.central_nodes(network, top=12), columns=['label', 'category', 'betweenness'])"),
    new_markdown_cell("## Communities\n\nGroups of nodes more linked among themselves than to the rest."),
    new_code_cell("for i, group in enumerate(explore.communities(network, min_size=4), 1):\n"
                  "    print(i, ', '.join(group[:12]) + (' ...' if len(group) > 12 else ''))"),
    new_markdown_cell("## The ego network of a city\n\nEverything within two steps of Kyiv."),
    new_code_cell("kyiv = explore.ego_network(network, 'Kyiv', radius=2)\n"
                  "print(kyiv.number_of_nodes(), 'nodes around Kyiv')\n"
                  "explore.network_iframe(kyiv, height=450, title='Kyiv and its neighbours')"),
    new_markdown_cell("## Attacks per weapon family\n\nFollowing `skos:broader` from each weapon type (Shahed, Kh-101, "
                      "Iskander-M...) up to its family (drone, missile, bomb...)."),
    new_code_cell("%matplotlib inline\nfamilies = explore.attacks_per_weapon_family(graph)\n"
                  "families.plot.bar(x='family', y='attacks', legend=False, title='Attacks per weapon family');\n"
                  "families"),
])

for name, nb in (("01_tour.ipynb", tour), ("02_network_analysis.ipynb", analysis)):
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbformat.write(nb, ROOT / "notebooks" / name)
    print("wrote", name)
