"""`kg export --format acled`: canonical attacks as an ACLED-shaped CSV that pandas loads like ACLED data."""
from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from conftest import ROOT, run_kg
from kg.export_acled import ACLED_COLUMNS, AcledRow, csv_text, sub_event_types

ARTICLES = ROOT / "tests" / "fusion" / "articles"


@pytest.fixture(scope="module")
def acled(tmp_path_factory) -> list[dict[str, str]]:
    folder = tmp_path_factory.mktemp("acled")
    graph = folder / "g.trig"
    run_kg("build", str(ARTICLES), "-o", str(graph), check=True)
    out = folder / "attacks.csv"
    proc = run_kg("export", str(graph), "-o", str(out), "--format", "acled", check=True)
    assert "attacks ->" in proc.stderr
    return list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8"))))


def test_one_row_per_canonical_attack_in_acled_columns(acled):
    assert list(acled[0])[:len(ACLED_COLUMNS)] == list(ACLED_COLUMNS)
    assert {"launched", "intercepted", "injured", "claimants", "reports"} <= set(acled[0])
    kharkiv = [r for r in acled if r["location"] == "Kharkiv"]
    assert [(r["event_date"], r["fatalities"], r["reports"]) for r in kharkiv] == [
        ("2025-03-11", "7", "4"), ("2025-03-13", "", "1")]  # unknown fatalities stay empty, never 0
    first = kharkiv[0]
    assert (first["event_type"], first["sub_event_type"]) == ("Explosions/Remote violence", "Air/drone strike")
    assert (first["country"], first["admin1"], first["time_precision"], first["geo_precision"]) == (
        "Ukraine", "Kharkiv", "1", "1")
    assert first["event_id_cnty"].startswith("UA") and len({r["event_id_cnty"] for r in acled}) == len(acled)
    assert set(first["source"].split("; ")) == {"k1_kharkiv_wire", "k2_kharkiv_toll", "k3_moscow_version",
                                                "k4_kharkiv_next_night"}
    assert "Kharkiv" in first["notes"] and first["actor1"] == "Russia"
    barrage = next(r for r in acled if r["location"] == "Ukraine")
    assert (barrage["geo_precision"], barrage["launched"], barrage["intercepted"]) == ("3", "79", "68")


def test_pandas_loads_it_like_acled_data(acled, tmp_path):
    import pandas as pd

    path = tmp_path / "a.csv"
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(acled[0]))
        writer.writeheader()
        writer.writerows(acled)
    df = pd.read_csv(path, parse_dates=["event_date"])
    assert str(df["event_date"].dtype).startswith("datetime64") and df["latitude"].dtype.kind == "f"
    assert df["fatalities"].sum() >= 7 and df["fatalities"].isna().any()


def test_alignment_comes_from_the_ontology_and_cells_cannot_be_formulas():
    kinds = sub_event_types()
    assert kinds["https://w3id.org/conflict-kg/ontology#DroneStrike"] == "Air/drone strike"
    text = csv_text([AcledRow(("=cmd()", "-12", "+x", "@a") + ("",) * 19)])
    row = next(csv.reader(io.StringIO(text.splitlines()[1])))
    assert row[:4] == ["'=cmd()", "-12", "'+x", "'@a"]


def test_bad_graph_is_one_line_and_nothing_written(tmp_path):
    out = tmp_path / "attacks.csv"
    proc = run_kg("export", str(tmp_path / "missing.trig"), "-o", str(out), "--format", "acled")
    assert proc.returncode == 2 and len(proc.stderr.strip().splitlines()) == 1 and "missing.trig" in proc.stderr
    assert not out.exists()
