"""Front matter as Hugo and Jekyll users write it (issue 11, section 3), and the dates in it.

Every article here is invented for the test: places and people are made up.
"""
from __future__ import annotations

import json
from datetime import date

import pytest

from kg.articles import ArticleError, ArticleWarning, collect_articles, read_inputs
from kg.model import Article
from kg.pubdate import DateError, read_date
from tests.conftest import run_kg

BODY = "Drones struck a grain terminal in Velmora overnight, injuring four workers, the port authority said.\n"


def _one(path):
    """(article or None, errors, warnings) of one input."""
    items = list(read_inputs([path]))
    arts = [i for i in items if isinstance(i, Article)]
    return (arts[0] if arts else None, [i for i in items if isinstance(i, ArticleError)],
            [i for i in items if isinstance(i, ArticleWarning)])


def test_hugo_yaml_with_lists_quotes_and_folded_values(tmp_path):
    p = tmp_path / "hugo-post.md"
    p.write_text('---\ntitle: "Night strike: the terminal burns"\ndate: July 4, 2025\n'
                 'tags:\n  - drones\n  - "air defence"\ncategories: [news, ports]\n'
                 'summary: >\n  Four workers hurt,\n  fire out by dawn.\ndraft: false\n'
                 'url: "/2025/07/night-strike/"\n---\n' + BODY, encoding="utf-8")
    art, errs, warns = _one(p)
    assert not errs and not warns
    assert art.title == "Night strike: the terminal burns"
    assert art.date == date(2025, 7, 4)
    assert art.url == "/2025/07/night-strike/"
    assert art.text == BODY


@pytest.mark.parametrize("written,day", [
    ("2025-6-9", date(2025, 6, 9)),
    ("2025-06-09T08:30:00+03:00", date(2025, 6, 9)),
    ("2025-06-09 08:30:00 +0300", date(2025, 6, 9)),          # Jekyll's own form
    ("'2025-06-09T23:30:00-05:00'", date(2025, 6, 9)),        # the day where it was written, not UTC's
    ("Mon, 09 Jun 2025 10:00:00 GMT", date(2025, 6, 9)),
    ("9 June 2025", date(2025, 6, 9)),
    ("Sept. 4, 2025", date(2025, 9, 4)),
    ("20250609", date(2025, 6, 9)),
    ("13/06/2025", date(2025, 6, 13)),                        # only one reading: no guess
    ("9 червня 2025", date(2025, 6, 9)),                      # a month name in another language
])
def test_dates_people_write_are_read_without_a_guess(tmp_path, written, day):
    p = tmp_path / "dated.md"
    p.write_text(f"---\ntitle: Dated\ndate: {written}\n---\n" + BODY, encoding="utf-8")
    art, errs, warns = _one(p)
    assert not errs and not warns, (errs, warns)
    assert art.date == day


def test_ambiguous_date_is_read_and_warned_about_naming_the_file(tmp_path):
    p = tmp_path / "amb.md"
    p.write_text("---\ndate: 04/07/2025\n---\n" + BODY, encoding="utf-8")
    art, errs, warns = _one(p)
    assert not errs and art.date == date(2025, 4, 7)
    (warn,) = warns
    assert warn.path.endswith("amb.md") and "04/07/2025" in warn.reason and "4 July 2025" in warn.reason
    assert "\n" not in str(warn)
    seen = []
    articles, errors = collect_articles([p], seen.append)
    assert len(articles) == 1 and errors == [] and seen == [warn]  # a warning is not an error


def test_two_digit_year_is_a_guess(tmp_path):
    found = read_date("13/06/25")
    assert found.value == date(2025, 6, 13) and "two-digit year" in found.guess


@pytest.mark.parametrize("written,words", [
    ("yesterday", "ISO 8601"), ("June 2025", "no day"), ("June 9", "no year"), ("Friday", "no year"),
    ("2025-02-30", "ISO 8601"), ("[2025, 6, 9]", "a list"),
])
def test_a_date_that_names_no_day_is_an_error_not_a_guess(tmp_path, written, words):
    p = tmp_path / "undated.md"
    p.write_text(f"---\ndate: {written}\n---\n" + BODY, encoding="utf-8")
    art, errs, _ = _one(p)
    assert art is None and len(errs) == 1
    assert words in errs[0].reason and errs[0].path.endswith("undated.md") and "\n" not in str(errs[0])


def test_relative_words_never_resolve_against_todays_clock():
    for text in ("today", "now", "3 days ago", "in two weeks", "вчора"):
        with pytest.raises(DateError):
            read_date(text)


def test_plain_values_stay_text(tmp_path):
    # YAML 1.1 would read these as false, a number and a date object
    p = tmp_path / "typed.md"
    p.write_text("---\ntitle: No\nid: typed\nurl: 1984\n---\n" + BODY, encoding="utf-8")
    art, errs, _ = _one(p)
    assert not errs and (art.title, art.url) == ("No", "1984")


def test_toml_front_matter(tmp_path):
    p = tmp_path / "toml-post.md"
    p.write_text('+++\ntitle = "Depot fire"\ndate = 2025-06-09T08:30:00+03:00\ntags = ["a", "b"]\n'
                 '[params]\nauthor = "Desk"\n+++\n' + BODY, encoding="utf-8")
    art, errs, _ = _one(p)
    assert not errs and (art.title, art.date, art.text) == ("Depot fire", date(2025, 6, 9), BODY)


def test_broken_toml_names_the_file_line(tmp_path):
    p = tmp_path / "badtoml.md"
    p.write_text('\n+++\ntitle = "ok"\ndate = \n+++\n' + BODY, encoding="utf-8")
    _, errs, _ = _one(p)
    assert len(errs) == 1 and "TOML" in errs[0].reason and errs[0].line == 4


def test_broken_yaml_structure_names_the_file_line(tmp_path):
    p = tmp_path / "badyaml.md"
    p.write_text("---\ntitle: Fine\ntags:\n  - one\n - two\n---\n" + BODY, encoding="utf-8")
    _, errs, _ = _one(p)
    assert len(errs) == 1 and "YAML" in errs[0].reason and errs[0].line == 5


def test_python_tags_are_refused_and_never_run(tmp_path):
    marker = tmp_path / "ran"
    p = tmp_path / "tagged.md"
    p.write_text(f'---\ntitle: !!python/object/apply:os.system ["touch {marker}"]\n---\n' + BODY, encoding="utf-8")
    _, errs, _ = _one(p)
    assert len(errs) == 1 and "python/object" in errs[0].reason and errs[0].line == 2
    assert not marker.exists()


def test_a_list_where_text_is_expected_is_an_error(tmp_path):
    p = tmp_path / "listed.md"
    p.write_text("---\ntitle:\n  - one\n  - two\n---\n" + BODY, encoding="utf-8")
    _, errs, _ = _one(p)
    assert len(errs) == 1 and "'title' is a list" in errs[0].reason


def test_aliases_do_not_blow_up(tmp_path):
    lines = ["---", 'a0: &a0 ["x", "x", "x", "x", "x", "x", "x", "x"]']
    lines += [f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 8) + "]" for i in range(1, 25)]
    p = tmp_path / "laughs.md"
    p.write_text("\n".join(lines + ["title: Calm", "---", BODY]), encoding="utf-8")
    art, errs, _ = _one(p)
    assert not errs and art.title == "Calm"


def test_publish_date_key_and_line_separators_in_yaml_values(tmp_path):
    p = tmp_path / "sep.md"
    # the list needs YAML (flat 'key: value' lines cannot hold it), and YAML counts U+2028 as a line break
    p.write_text("---\ntitle: Fire\u2028at the depot\u0085again\npublishDate: 2025-06-10\ntags:\n  - a\u2028b\n---\n"
                 + BODY, encoding="utf-8")
    art, errs, _ = _one(p)
    assert not errs and art.title == "Fire\u2028at the depot\u0085again" and art.date == date(2025, 6, 10)


def test_jsonl_dates_are_read_the_same_way(tmp_path):
    p = tmp_path / "feed.jsonl"
    p.write_text(json.dumps({"id": "j1", "date": "June 9, 2025", "text": BODY}) + "\n"
                 + json.dumps({"id": "j2", "date": "09.06.2025", "text": BODY}) + "\n", encoding="utf-8")
    items = list(read_inputs([p]))
    arts = {i.id: i for i in items if isinstance(i, Article)}
    warns = [i for i in items if isinstance(i, ArticleWarning)]
    assert arts["j1"].date == date(2025, 6, 9) and arts["j2"].date == date(2025, 9, 6)
    assert [w.line for w in warns] == [2]


def test_kg_build_warns_in_one_line_and_still_succeeds(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    (src / "guess.md").write_text("---\ndate: 05/06/2025\n---\n" + BODY, encoding="utf-8")
    out = tmp_path / "g.trig"
    proc = run_kg("build", str(src), "-o", str(out))
    assert proc.returncode == 0, proc.stderr
    warn = [line for line in proc.stderr.splitlines() if "warning" in line]
    assert len(warn) == 1 and "guess.md" in warn[0] and "05/06/2025" in warn[0]
    table = run_kg("query", str(out), "articles", check=True).stdout
    assert "2025-05-06" in table
