"""Pathological inputs are read and extracted in time linear in their size (issue 12, "Hangs").

No clock here (bench/bench_hostile.py measures seconds per MB). These tests check the algorithm: the
number of Python and C function calls extraction makes (counted by cProfile, deterministic) grows
in proportion to the article, for the shapes of text that once made it quadratic; look-backs are bounded;
pages nested deeper than libxml2 reads are read; and an impossible date costs only that expression.
"""
from __future__ import annotations

import sys
from datetime import date
from pathlib import Path

import pytest

from kg.articles import ArticleError, flatten_html, read_inputs
from kg.extract import default_resources, extract
from kg.extract.times import resolve_sentence
from kg.model import Article

# invented sentences: titles and descriptions ("the mayor", "an adviser to ... said") that make the
# extractor look back for whom they mean, counts that look back for their place, and quotations
SENTENCES = [
    "Orla Fennick, the mayor of Quillbrook, said a drone hit a grain store.",
    "The mayor said {n} people were hurt and the ministry said it would send help.",
    "An adviser to the governor said the attack came at night.",
    "\"We counted {n} explosions,\" a spokesman for the council told reporters.",
    "Shelling damaged {n} houses, the statement said.",
    "The army said it had shot down {n} of {m} drones over the region.",
]


def one_line(sentences: int) -> str:
    """One paragraph (no line break) of `sentences` sentences: every look-back has the whole text behind it."""
    return " ".join(SENTENCES[i % len(SENTENCES)].format(n=i % 40 + 2, m=i % 40 + 9) for i in range(sentences)) + "\n"


def paragraphs(sentences: int) -> str:
    return "\n\n".join(" ".join(SENTENCES[(i + k) % len(SENTENCES)].format(n=k + 2, m=k + 9) for k in range(5))
                       for i in range(0, sentences, 5)) + "\n"


def calls(text: str) -> int:
    """Function calls (Python and C) that extracting `text` makes, counted by cProfile."""
    import cProfile
    import pstats

    article = Article(id="a", text=text, title="", date=date(2031, 5, 4))
    resources = default_resources()
    profile = cProfile.Profile()
    profile.enable()
    try:
        extract(article, resources)
    finally:
        profile.disable()
    return pstats.Stats(profile).total_calls


@pytest.mark.parametrize("shape", [one_line, paragraphs])
def test_extraction_work_grows_in_proportion_to_the_text(shape, monkeypatch):
    """Each further stretch of text costs the same work: the calls for sentences 2n..3n are about those for
    n..2n (a quadratic cost makes them 5/3 as many). The look-back bound is made small here, so that
    texts of a few thousand words are long against it, as megabytes are against the real one."""
    import kg.extract.context as context
    import kg.extract.quantities as quantities

    reach = 2_000
    monkeypatch.setattr(context, "REACH", reach)
    monkeypatch.setattr(quantities, "REACH", reach)
    default_resources()
    n = 150
    assert len(shape(n)) > 4 * reach
    c1, c2, c3 = (calls(shape(k * n)) for k in (1, 2, 3))
    assert (c3 - c2) / (c2 - c1) < 1.12, (c1, c2, c3)


def test_impossible_date_costs_only_that_expression():
    today = date(2031, 5, 7)
    found = resolve_sentence("The strike on December 36, 2030 and the raid on Monday killed two.", today)
    assert found is not None and found.value == date(2031, 5, 5) and found.expression == "on Monday"
    assert resolve_sentence("A drone hit the depot on 2030-02-30.", today) is None
    assert resolve_sentence("A drone hit the depot on 30 February 2030.", today) is None
    found = resolve_sentence("A drone hit the depot on 28 February 2030.", today)
    assert found is not None and found.value == date(2030, 2, 28)


def test_impossible_date_in_an_article_keeps_its_other_dates(capsys):
    text = ("A drone struck a grain store in Kharkiv on 2030-02-30, officials said.\n\n"
            "On Monday a missile hit a depot in Odesa, killing two people, the governor said.\n")
    ex = extract(Article(id="a", text=text, title="", date=date(2031, 5, 7)), default_resources())
    assert "stage failed" not in capsys.readouterr().err
    assert date(2031, 5, 5) in {e.time.value for e in ex.events if e.time}


@pytest.mark.parametrize("depth", [300, 3000, 50_000])
def test_html_nested_deeper_than_the_parser_reads_is_still_an_article(tmp_path, depth):
    """libxml2 reads 2,048 levels at most, even as a huge tree; deeper text is read all the same."""
    para = ("<p>A drone struck a grain store in Quillbrook overnight and five people were hurt, officials "
            "said on Monday.</p>")
    p = tmp_path / "deep.html"
    p.write_text("<!DOCTYPE html><html><head><title>Night raid</title></head><body>" + "<div>" * depth
                 + para * 3 + "</div>" * depth + "</body></html>", encoding="utf-8")
    items = list(read_inputs([p]))
    assert not [i for i in items if isinstance(i, ArticleError)], items
    (article,) = items
    assert article.text.count("grain store in Quillbrook") == 3 and article.title == "Night raid"


def test_flatten_html_drops_only_tags_below_the_depth():
    html = ("<html><body>" + "<div class='x'>" * 6 + "<p>one</p><br><span>two</span><!-- <div> -->"
            "<script>if (a<b) { x = '<div>'; }</script>" + "</div>" * 6 + "</body></html>")
    flat = flatten_html(html, 4)
    # html, body and two divs are kept; the four deeper divs and the span are dropped, p and br kept
    assert flat.count("<div class='x'>") == 2 and flat.count("</div>") == 2
    assert "<span>" not in flat and "two" in flat and "<p>one</p>" in flat and "<br>" in flat
    # a comment and a script are text: what looks like a tag inside is kept as it was
    assert "<!-- <div> -->" in flat and "x = '<div>'" in flat
    assert flatten_html(html, 100) == html


def test_flatten_html_is_one_pass_over_unclosed_comments_and_tags():
    """Thousands of unclosed comments or '<' without '>' do not rescan the rest of the page each time."""
    import kg.articles as articles

    scans: list[int] = []
    real = articles._RAW_CLOSE
    spy = {k: _Spy(v, scans) for k, v in real.items()}
    html = "<p>text</p>" + "<!-- " * 20_000 + "<a <b <c" * 20_000
    try:
        articles._RAW_CLOSE = spy
        out = flatten_html(html, 1)
    finally:
        articles._RAW_CLOSE = real
    assert len(scans) == 1 and out.endswith("<a <b <c")  # one search for a closer, which runs to the end


class _Spy:
    def __init__(self, pattern, log: list[int]):
        self.pattern, self.log = pattern, log

    def search(self, text: str, pos: int):
        self.log.append(pos)
        return self.pattern.search(text, pos)


def test_bench_families_are_all_read(tmp_path):
    """Every family bench/bench_hostile.py times, at a small size, gives the outcome expected of it."""
    bench = Path(__file__).resolve().parent.parent / "bench"
    sys.path.insert(0, str(bench))
    try:
        import bench_hostile
    finally:
        sys.path.remove(str(bench))
    import random

    for name, (suffix, make) in bench_hostile.FAMILIES.items():
        path = tmp_path / f"{name}{suffix}"
        path.write_text(make(random.Random(name), 30_000), encoding="utf-8")
        items = list(read_inputs([path]))
        errors = [i for i in items if isinstance(i, ArticleError)]
        articles = [i for i in items if isinstance(i, Article)]
        if name == "nested-json":  # the deep line is skipped with its reason, the two good lines read
            assert len(articles) == 2 and len(errors) == 1 and "nested too deeply" in errors[0].reason
        else:
            assert len(articles) == 1 and not errors, (name, errors)
