"""Hostile inputs (issue 12): every case is generated here, with the outcome expected of it.

Outcomes: `built` (the article is read, with the checks given), `skipped: WORDS` (one ArticleError whose
reason contains WORDS, naming the file and, for JSON lines, the line), and the rest of the input still read.
"""
from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from kg.articles import ArticleError, read_inputs
from kg.model import Article
from tests.conftest import read, run_kg

PROSE = "Russian drones struck Kharkiv overnight, killing two people, the regional governor said on Monday.\n"


def _read(paths) -> tuple[dict[str, Article], list[ArticleError]]:
    arts, errs = {}, []
    for item in read_inputs(paths):
        if isinstance(item, ArticleError):
            errs.append(item)
        else:
            arts[item.id] = item
    return arts, errs


# ---- JSON lines: one bad line costs only that line ------------------------------------------------------

def _jsonl_cases() -> list[tuple[str, str]]:
    """(line text, expected outcome) pairs."""
    ok = lambda i, **kw: json.dumps({"id": f"ok{i}", "text": PROSE, **kw})  # noqa: E731
    return [
        (ok(1), "built"),
        ("[" * 100_000 + "]" * 100_000, "skipped: nested too deeply"),
        ('{"id": "big", "text": "x", "n": ' + "9" * 5000 + "}", "skipped: bad JSON line"),
        ('{"id": "sur", "title": "Fire \\ud800", "url": "https://e.x/\\udfff", "text": "' + PROSE.strip() + '"}',
         "built"),
        ('{"id": "num", "text": 42}', "skipped: 'text' must be a string"),
        ('{"id": "d", "date": "yesterday", "text": "' + PROSE.strip() + '"}', "skipped: 'date'"),
        ('{"id": "lonesur\\udc80", "text": "' + PROSE.strip() + '"}', "skipped: not valid Unicode"),
        ("{not json}", "skipped: bad JSON line"),
        (ok(2), "built"),
    ]


def test_each_bad_json_line_costs_only_that_line(tmp_path):
    cases = _jsonl_cases()
    feed = tmp_path / "feed.jsonl"
    feed.write_text("\n".join(line for line, _ in cases) + "\n", encoding="utf-8")
    arts, errs = _read([feed])
    by_line = {e.line: e for e in errs}
    for lineno, (_, outcome) in enumerate(cases, start=1):
        if outcome == "built":
            assert lineno not in by_line, (lineno, by_line.get(lineno))
        else:
            assert lineno in by_line, (lineno, outcome)
            assert outcome.split(": ", 1)[1] in by_line[lineno].reason, (lineno, by_line[lineno].reason)
            assert str(by_line[lineno]).startswith(f"{feed}:{lineno}: ")
    assert {"ok1", "ok2", "sur"} <= set(arts)
    assert arts["sur"].title == "Fire \ufffd" and arts["sur"].url.endswith("\ufffd")


def test_bad_json_line_build_exits_3_and_writes_the_rest(tmp_path):
    feed = tmp_path / "feed.jsonl"
    feed.write_text("\n".join(line for line, _ in _jsonl_cases()) + "\n", encoding="utf-8")
    out = tmp_path / "g.trig"
    proc = run_kg("build", str(feed), "-o", str(out), "--no-vocabulary")
    assert proc.returncode == 3, proc.stderr
    assert "Traceback" not in proc.stderr
    assert f"{feed}:2: " in proc.stderr and f"{feed}:3: " in proc.stderr
    assert "ok1" in out.read_text(encoding="utf-8") and "ok2" in out.read_text(encoding="utf-8")


# ---- article ids: one-to-one, non-Latin file names, no take-over ----------------------------------------

def test_article_ids_map_one_to_one_from_file_names(tmp_path):
    names = ["report 1.txt", "report_1.txt", "атака-2025.txt", "удар-2025.txt", "київ.txt", "a.b.txt"]
    for n in names:
        (tmp_path / n).write_text(PROSE, encoding="utf-8")
    arts, errs = _read([tmp_path])
    assert not errs, errs
    assert set(arts) == {"report 1", "report_1", "атака-2025", "удар-2025", "київ", "a.b"}


def test_front_matter_id_cannot_take_over_another_article(tmp_path):
    (tmp_path / "genuine.txt").write_text(PROSE, encoding="utf-8")
    (tmp_path / "forger.txt").write_text("---\nid: genuine\n---\n" + PROSE, encoding="utf-8")
    (tmp_path / "same.txt").write_text("---\nid: same\n---\n" + PROSE, encoding="utf-8")
    arts, errs = _read([tmp_path])
    assert set(arts) == {"genuine", "same"}
    assert len(errs) == 1 and errs[0].path.endswith("forger.txt") and "file name" in errs[0].reason


def test_store_says_which_articles_were_replaced(tmp_path):
    a, b = tmp_path / "a", tmp_path / "b"
    a.mkdir(), b.mkdir()
    (a / "x.txt").write_text(PROSE, encoding="utf-8")
    (b / "x.txt").write_text(PROSE.replace("two", "three"), encoding="utf-8")
    store = tmp_path / "store"
    assert run_kg("add", str(a), "--store", str(store), "--workers", "1").returncode == 0
    proc = run_kg("add", str(b), "--store", str(store), "--workers", "1")
    assert proc.returncode == 0 and "replaced" in proc.stderr and "'x'" in proc.stderr


# ---- text files: front matter, quotes, HTML look-alikes, line separators --------------------------------

@pytest.mark.parametrize("name,data,title", [
    ("blank-first.txt", "\n---\ntitle: Strike\n---\n" + PROSE, "Strike"),
    ("two-boms.txt", "\ufeff\ufeff---\ntitle: Strike\n---\n" + PROSE, "Strike"),
    ("quotes.txt", '---\ntitle: "Fire" in Lviv, says "Sadovyi"\n---\n' + PROSE, '"Fire" in Lviv, says "Sadovyi"'),
    ("quoted.txt", "---\ntitle: 'Strike on Lviv'\n---\n" + PROSE, "Strike on Lviv"),
    ("nel.txt", "---\ntitle: Strike\u0085on\u2028Lviv\n---\n" + PROSE, "Strike\u0085on\u2028Lviv"),
])
def test_front_matter_variants_are_read(tmp_path, name, data, title):
    (tmp_path / name).write_text(data, encoding="utf-8")
    arts, errs = _read([tmp_path / name])
    assert not errs, errs
    (art,) = arts.values()
    assert art.title == title
    assert art.text == PROSE


def test_txt_with_body_tag_is_still_text(tmp_path):
    p = tmp_path / "html-talk.txt"
    p.write_text("Engineers said the <body> tag of the page </p> was fine.\n" + PROSE, encoding="utf-8")
    arts, errs = _read([p])
    assert not errs and "<body>" in arts["html-talk"].text


def test_utf16_is_named_as_such(tmp_path):
    p = tmp_path / "u16.txt"
    p.write_bytes(PROSE.encode("utf-16"))
    _, errs = _read([p])
    assert len(errs) == 1 and "UTF-16" in errs[0].reason


def test_broken_link_in_folder_is_reported(tmp_path):
    (tmp_path / "good.txt").write_text(PROSE, encoding="utf-8")
    (tmp_path / "gone.txt").symlink_to(tmp_path / "missing.txt")
    arts, errs = _read([tmp_path])
    assert set(arts) == {"good"} and len(errs) == 1 and "broken" in errs[0].reason


# ---- HTML: publication dates only, navigation is not an article -----------------------------------------

BODY = "<p>" + PROSE * 3 + "</p>"


def test_html_copyright_year_is_not_a_publication_date(tmp_path):
    p = tmp_path / "page.html"
    p.write_text(f"<html><head><title>Strike</title></head><body><article><h1>Strike</h1>{BODY}</article>"
                 "<footer>Copyright (c) 2019 News Corp</footer></body></html>", encoding="utf-8")
    arts, errs = _read([p])
    assert not errs and arts["page"].date is None


def test_html_stated_publication_date_is_kept(tmp_path):
    p = tmp_path / "page.html"
    p.write_text("<html><head><title>Strike</title><meta property='article:published_time' "
                 f"content='2024-05-06T10:00:00Z'></head><body><article>{BODY}</article></body></html>",
                 encoding="utf-8")
    arts, _ = _read([p])
    assert arts["page"].date == date(2024, 5, 6)


@pytest.mark.parametrize("body", [
    "<div>" + " | ".join(f"<a href='/s{i}'>Section {i}</a>" for i in range(50)) + "</div>"
    "<div>Home About Contact Privacy Terms Subscribe Login Register Search Menu</div>",
    "".join(f"<div>Kharkiv region latest headlines number {i}</div>" for i in range(30)),
])
def test_navigation_only_page_is_not_an_article(tmp_path, body):
    p = tmp_path / "nav.html"
    p.write_text(f"<html><head><title>Home</title></head><body>{body}</body></html>", encoding="utf-8")
    arts, errs = _read([p])
    assert not arts and len(errs) == 1 and "navigation" in errs[0].reason


# ---- extractors: a failing stage loses only its own results ---------------------------------------------

def test_failing_stage_loses_only_that_stage(monkeypatch, capsys):
    import kg.extract.times as times

    def boom(doc):
        raise ValueError("day is out of range for month")

    monkeypatch.setattr(times, "resolve_times", boom)
    ex = read("Russian drones hit Kharkiv on December 36, killing two people, Mayor Ihor Terekhov said.")
    assert ex.mentions and ex.quantities  # the other stages still ran
    err = capsys.readouterr().err
    assert "times stage failed" in err and "ValueError" in err and len(err.strip().splitlines()) == 1


def test_deeply_nested_html_is_still_read(tmp_path):
    p = tmp_path / "deep.html"
    p.write_text("<html><head><title>T</title></head><body>" + "<div>" * 300 + BODY + "</div>" * 300
                 + "</body></html>", encoding="utf-8")
    arts, errs = _read([p])
    assert not errs and "Kharkiv" in arts["deep"].text
