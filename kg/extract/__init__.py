"""Extraction pipeline: one article in, typed records out (kg.model.Extraction).

Components run in order, each a pure function of the analysed document and what earlier ones found:
mentions -> times -> quantities -> events -> quotes. `extract` is a pure function of one article, so it
can run in worker processes or on a cluster.
"""
from __future__ import annotations

import functools

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
    mentions = find_mentions(doc)
    times = resolve_times(doc)
    focus = focus_place(doc, mentions)  # where the article's main attack is: counts and events default to it
    quantities = find_quantities(doc, mentions, focus)
    events = find_events(doc, mentions, quantities, times, focus)
    quotes = find_quotes(doc, mentions)
    sentences = [doc.span(s.start, s.end) for s in doc.sentences]
    return Extraction(article=article, mentions=mentions, quantities=quantities, events=events, quotes=quotes,
                      sentences=sentences)
