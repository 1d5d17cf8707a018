"""Reading inputs: front matter, HTML, JSON lines, and clear errors for bad files."""
from __future__ import annotations

import json
from datetime import date

from kg.articles import ArticleError, read_inputs
from kg.model import Article


def only(results):
    results = list(results)
    assert len(results) == 1, results
    return results[0]


def test_front_matter_gives_title_date_url_and_body(tmp_path):
    p = tmp_path / "a1.txt"
    p.write_text("---\ntitle: Strike on Sumy\ndate: 2025-04-13\nurl: https://example.org/x\n---\nBody text.\n", encoding="utf-8")
    a = only(read_inputs([p]))
    assert isinstance(a, Article)
    assert (a.id, a.title, a.date, a.url, a.text) == ("a1", "Strike on Sumy", date(2025, 4, 13), "https://example.org/x", "Body text.\n")


def test_plain_text_without_front_matter(tmp_path):
    p = tmp_path / "plain.md"
    p.write_text("Just a body.", encoding="utf-8")
    a = only(read_inputs([p]))
    assert a.id == "plain" and a.date is None and a.text == "Just a body."


def test_bad_inputs_get_one_line_reason_naming_the_file(tmp_path):
    cases = {
        "empty.txt": b"",
        "binary.txt": b"\x00\x01\x02PNG",
        "latin1.txt": "Kyiv caf\xe9".encode("latin-1"),
        "unclosed.txt": b"---\ntitle: x\ndate: 2024-01-01\n",
        "noclose.txt": b"---\ntitle: x\nBody without a closing line\n",
        "badkey.txt": b"---\ntitle x\n---\nBody\n",
        "baddate.txt": b"---\ndate: yesterday\n---\nBody\n",
        "onlyfront.txt": b"---\ntitle: x\n---\n\n",
    }
    for name, data in cases.items():
        (tmp_path / name).write_bytes(data)
    errors = {e.path.rsplit("/", 1)[-1]: e for e in read_inputs([tmp_path])}
    assert set(errors) == set(cases)
    assert all(isinstance(e, ArticleError) for e in errors.values())
    assert "empty" in errors["empty.txt"].reason
    assert "binary" in errors["binary.txt"].reason
    assert "UTF-8" in errors["latin1.txt"].reason and "0xe9" in errors["latin1.txt"].reason
    assert "never closed" in errors["unclosed.txt"].reason
    assert errors["badkey.txt"].line == 2
    assert errors["noclose.txt"].line == 3 and "key: value" in errors["noclose.txt"].reason
    assert "ISO 8601" in errors["baddate.txt"].reason
    assert "no article text" in errors["onlyfront.txt"].reason
    assert all("\n" not in str(e) for e in errors.values())


def test_jsonl_reads_each_line_and_reports_bad_lines_with_line_numbers(tmp_path):
    p = tmp_path / "feed.jsonl"
    good = {"id": "x1", "title": "T", "date": "2024-01-02", "url": "", "text": "Drones hit Odesa."}
    p.write_text(json.dumps(good) + "\n{not json}\n" + json.dumps({"id": "x3", "text": ""}) + "\n\n"
                 + json.dumps({"text": "No id here."}) + "\n", encoding="utf-8")
    results = list(read_inputs([p]))
    articles = [r for r in results if isinstance(r, Article)]
    errors = [r for r in results if isinstance(r, ArticleError)]
    assert [a.id for a in articles] == ["x1", "feed-5"]
    assert articles[0].date == date(2024, 1, 2)
    assert [(e.line, "JSON" in e.reason or "text" in e.reason) for e in errors] == [(2, True), (3, True)]


def test_html_page_gives_readable_text_title_and_date(tmp_path):
    body = " ".join(["Russian drones struck the port of Izmail overnight, officials said."] * 6)
    html = f"""<!DOCTYPE html><html><head><title>Drones hit Izmail port</title>
    <meta property="article:published_time" content="2024-08-02T07:00:00Z"></head>
    <body><nav>Home | World | Sport</nav><article><h1>Drones hit Izmail port</h1><p>{body}</p>
    <p>Two people were injured, the regional governor said.</p></article>
    <script>var tracking = 1;</script><footer>Copyright</footer></body></html>"""
    p = tmp_path / "izmail.html"
    p.write_text(html, encoding="utf-8")
    a = only(read_inputs([p]))
    assert isinstance(a, Article), a
    assert "Izmail" in a.text and "tracking" not in a.text and "<p>" not in a.text
    assert a.title == "Drones hit Izmail port"
    assert a.date == date(2024, 8, 2)


def test_folders_are_searched_recursively_and_duplicate_ids_reported(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    (tmp_path / "a" / "same.txt").write_text("One.", encoding="utf-8")
    (tmp_path / "b" / "same.txt").write_text("Two.", encoding="utf-8")
    (tmp_path / "b" / "notes.csv").write_text("x,y", encoding="utf-8")
    results = list(read_inputs([tmp_path]))
    assert sum(isinstance(r, Article) for r in results) == 1
    assert any(isinstance(r, ArticleError) and "duplicate article id" in r.reason for r in results)


def test_missing_path_and_unsupported_file(tmp_path):
    csv = tmp_path / "x.csv"
    csv.write_text("a,b", encoding="utf-8")
    errors = list(read_inputs([tmp_path / "nope.txt", csv]))
    assert "no such file" in errors[0].reason
    assert "unsupported file type" in errors[1].reason
