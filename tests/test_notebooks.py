"""Every notebook runs top to bottom on the sample data."""
from __future__ import annotations

from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

NOTEBOOKS = sorted((Path(__file__).resolve().parent.parent / "notebooks").glob("*.ipynb"))


def test_there_are_notebooks():
    assert len(NOTEBOOKS) >= 2


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_runs(path):
    nb = nbformat.read(path, as_version=4)
    NotebookClient(nb, timeout=300, kernel_name="python3", resources={"metadata": {"path": str(path.parent)}}).execute()
    errors = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs if o.output_type == "error"]
    assert errors == []
    html = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs
            if o.output_type in ("display_data", "execute_result") and "text/html" in o.get("data", {})]
    assert any("iframe srcdoc" in o["data"]["text/html"] for o in html), "the network is not shown inline"


def test_explore_helpers(sample_graph):
    import matplotlib
    matplotlib.use("Agg")
    from kg import explore
    from kg.network import project

    df = explore.sparql_df(sample_graph, "quantities")
    assert df["value"].dtype.kind == "i" and {"launched", "killed"} <= set(df["kind"])
    g = project(explore.open_graph(sample_graph))
    assert explore.central_nodes(g, top=3)[0][1] in ("country", "place", "person", "organization")
    ego = explore.ego_network(g, "Kyiv", radius=1)
    assert any(a["label"] == "Kyiv" for _, a in ego.nodes(data=True)) and ego.number_of_nodes() > 3
    fams = explore.attacks_per_weapon_family(sample_graph)
    assert set(fams["family"]) <= {"drone", "missile", "bomb", "artillery", "rocket", "military aircraft"} and len(fams)
    assert explore.plot_timeline(sample_graph).get_title() == "Attacks over time"
    assert len(explore.plot_launched_vs_intercepted(sample_graph).patches) >= 2
