"""Extraction pipeline: one article in, typed records out (kg.model.Extraction).

Components run in order, each a pure function of the analysed document and what earlier ones found:
mentions -> times -> quantities -> events -> quotes. `extract` is a pure function of one article, so it
can run in worker processes or on a cluster.
"""
from __future__ import annotations

import functools
import sys

from ..gazetteer import default_gazetteer
from ..lexicon import default_lexicon
from ..model import Article, Extraction
from .doc import Resources, analyse


@functools.lru_cache(maxsize=1)
def default_resources() -> Resources:
    """The shipped lexicon and gazetteer (loaded once per process, read-only)."""
    return Resources(default_lexicon(), default_gazetteer())


def extract(article: Article, resources: Resources | None = None) -> Extraction:
    """Read one article: its entity mentions, counts, events and quotes."""
    from .events import find_events
    from .context import focus_place
    from .mentions import find_mentions
    from .quantities import find_quantities
    from .quotes import find_quotes
    from .times import resolve_times

    doc = analyse(article, resources or default_resources())
    stage = _Stages(article)
    mentions = stage("mentions", [], find_mentions, doc)
    times = stage("times", [None] * len(doc.sentences), resolve_times, doc)
    # where the article's main attack is: counts and events default to it
    focus = stage("focus place", None, focus_place, doc, mentions)
    quantities = stage("quantities", [], find_quantities, doc, mentions, focus)
    events = stage("events", [], find_events, doc, mentions, quantities, times, focus)
    quotes = stage("quotes", [], find_quotes, doc, mentions)
    sentences = [doc.span(s.start, s.end) for s in doc.sentences]
    return Extraction(article=article, mentions=mentions, quantities=quantities, events=events, quotes=quotes,
                      sentences=sentences)


class _Stages:
    """Runs one stage; a stage that raises costs only its own results, with one line on stderr."""

    def __init__(self, article: Article):
        self.article = article
        self.failed: list[str] = []

    def __call__(self, name, fallback, func, *args):
        try:
            return func(*args)
        except RecursionError as err:
            return self._failed(name, fallback, err)
        except Exception as err:  # noqa: BLE001 - one faulty stage must not lose the whole article
            return self._failed(name, fallback, err)

    def _failed(self, name, fallback, err):
        from ..safeprint import printable

        self.failed.append(name)
        where = self.article.source_path or self.article.id
        print(printable(f"kg: warning: {where}: the {name} stage failed ({type(err).__name__}: {err}); "
                        f"the article is kept without its {name}"), file=sys.stderr)
        return fallback
