"""Turn one article's Extraction into RDF quads in the article's own named graph.

Entities have global IRIs (GeoNames/Wikidata-based where known) and are described again in every
article graph that mentions them, so an article's graph can be replaced or removed without touching
the others. Everything extracted carries ckg:evidence to a Web Annotation text span of the article.
"""
from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from typing import Iterator, Union
from urllib.parse import quote as urlquote

import pyoxigraph as ox

from .lexicon import Lexicon, ancestors
from .model import Entity, Extraction, Span

CKG = "https://w3id.org/conflict-kg/ontology#"
KGK = "https://w3id.org/conflict-kg/kind/"
ARTICLE = "https://w3id.org/conflict-kg/article/"
VOCABULARY_GRAPH = "https://w3id.org/conflict-kg/graph/vocabulary"
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
XSD = "http://www.w3.org/2001/XMLSchema#"
SKOS = "http://www.w3.org/2004/02/skos/core#"
SEM = "http://semanticweb.cs.vu.nl/2009/11/sem/"
OA = "http://www.w3.org/ns/oa#"
SCHEMA = "https://schema.org/"
DCT = "http://purl.org/dc/terms/"
WGS84 = "http://www.w3.org/2003/01/geo/wgs84_pos#"
WD = "http://www.wikidata.org/entity/"

# schema.org type asserted on each entity, so consumers without a reasoner see it
SCHEMA_CLASS = {"person": "Person", "organization": "Organization", "country": "Country", "place": "Place"}

CATEGORY_CLASS = {"person": "Person", "organization": "Organization", "country": "Country", "place": "Place",
                  "weapon": "WeaponType"}
EVENT_CLASS = {"attack": "Attack", "communication": "Communication", "statement": "Statement",
               "interception": "Interception"}

# A statement is kept as plain Python values until it is written: an IRI is a str, a literal a tuple
# (lexical form, language tag, datatype IRI). Formatting these as N-Quads text costs a fraction of
# building pyoxigraph objects (issue 10: 0.14 us against 1.9-2.9 us a quad), and the text is what a
# build writes and what worker processes send back.
Literal = tuple[str, str, str]
Term = Union[str, Literal]
Statement = tuple[str, str, Term]


@dataclass(frozen=True)
class GraphStatements:
    """The statements of one named graph (an article's), in the order they were made."""

    graph: str
    statements: list[Statement]


def N(iri: str) -> ox.NamedNode:
    return ox.NamedNode(iri)


def article_iri(article_id: str) -> str:
    return ARTICLE + urlquote(article_id, safe="")


def _lit(value: str, lang: str | None = None) -> Literal:
    return (value, lang or "", "")


def _typed(value: object, datatype: str) -> Literal:
    return (str(value), "", XSD + datatype)


class _Writer:
    def __init__(self, graph: str, lexicon: Lexicon):
        self.graph = graph
        self.lexicon = lexicon
        self.statements: list[Statement] = []
        self.described: set[str] = set()

    def add(self, s: str, p: str, o: Term) -> None:
        self.statements.append((s, p, o))


def extraction_quads(x: Extraction, lexicon: Lexicon) -> list[ox.Quad]:
    """All quads of one article as pyoxigraph objects, in its named graph (the article's IRI).

    The object path, kept as the reference the N-Quads text of `extraction_nquads` is checked against.
    """
    return to_quads(extraction_statements(x, lexicon))


def extraction_nquads(x: Extraction, lexicon: Lexicon) -> str:
    """All statements of one article as N-Quads lines in its named graph, each statement once."""
    return to_nquads(extraction_statements(x, lexicon))


def to_quads(gs: GraphStatements) -> list[ox.Quad]:
    """The statements as pyoxigraph quads (repeats kept)."""
    g = ox.NamedNode(gs.graph)
    nodes: dict[str, ox.NamedNode] = {}

    def term(t: Term) -> ox.NamedNode | ox.Literal:
        if t.__class__ is str:
            node = nodes.get(t)  # type: ignore[arg-type]
            if node is None:
                node = nodes[t] = ox.NamedNode(t)  # type: ignore[index,arg-type]
            return node
        value, lang, datatype = t
        if lang:
            return ox.Literal(value, language=lang)
        return ox.Literal(value, datatype=ox.NamedNode(datatype)) if datatype else ox.Literal(value)

    return [ox.Quad(term(s), term(p), term(o), g) for s, p, o in gs.statements]  # type: ignore[arg-type]


# N-Quads escaping exactly as pyoxigraph writes it (checked code point by code point in
# tests/test_output_nquads.py): control characters, U+007F, U+FFFE and U+FFFF as \uXXXX (with the short
# forms \b \t \n \f \r), the quote and the backslash; everything else as UTF-8
_ESCAPES = {c: f"\\u{c:04X}" for c in (*range(0x20), 0x7F, 0xFFFE, 0xFFFF)}
_ESCAPES.update({0x08: "\\b", 0x09: "\\t", 0x0A: "\\n", 0x0C: "\\f", 0x0D: "\\r", 0x22: '\\"', 0x5C: "\\\\"})
_NEEDS_ESCAPE = re.compile("[\x00-\x1f\"\\\\\x7f\ufffe\uffff\ud800-\udfff]")
_SURROGATE = re.compile("[\ud800-\udfff]")
_LANGUAGE_TAG = re.compile(r"[A-Za-z]{1,8}(?:-[A-Za-z0-9]{1,8})*\Z")
# the fragments this module makes after an article IRI (#m12-20, #sentence-3, #event-2-target-1, ...):
# characters no IRI parser objects to, so these IRIs need no further check
_OWN_FRAGMENT = re.compile(r"[A-Za-z0-9=,._-]*\Z")


def _literal_text(lit: Literal) -> str:
    value, lang, datatype = lit
    if _NEEDS_ESCAPE.search(value):
        if _SURROGATE.search(value):  # not UTF-8: pyoxigraph refuses these values too
            raise ValueError(f"literal {value[:40]!r} holds a lone surrogate")
        value = value.translate(_ESCAPES)
    if lang:
        if not _LANGUAGE_TAG.match(lang):
            raise ValueError(f"invalid language tag {lang!r}")
        return f'"{value}"@{lang.lower()}'
    if datatype and datatype != XSD + "string":
        return f'"{value}"^^{_iri_text(datatype, "")}'
    return f'"{value}"'


def _iri_text(iri: str, own: str) -> str:
    """`<iri>`, after the same validation pyoxigraph applies (it raises ValueError on a bad IRI)."""
    if not (own and iri.startswith(own) and _OWN_FRAGMENT.match(iri, len(own))):
        ox.NamedNode(iri)
    return f"<{iri}>"


def to_nquads(gs: GraphStatements) -> str:
    """The statements as N-Quads text, each distinct statement once, in first-seen order.

    Byte for byte what pyoxigraph's N-Quads serialiser writes for the same quads.
    """
    own = gs.graph + "#"
    _iri_text(gs.graph, "")
    tail = f" <{gs.graph}> .\n"
    texts: dict = {}  # each distinct term is formatted (and checked) once per article
    get = texts.get
    lines: dict[str, None] = {}  # insertion-ordered set: a repeated statement is written once
    for s, p, o in gs.statements:  # a few hundred statements per article: plain dict reads, no calls
        ts = get(s)
        if ts is None:
            ts = texts[s] = _iri_text(s, own)
        tp = get(p)
        if tp is None:
            tp = texts[p] = _iri_text(p, own)
        to = get(o)
        if to is None:
            to = texts[o] = _iri_text(o, own) if o.__class__ is str else _literal_text(o)  # type: ignore[arg-type]
        lines[f"{ts} {tp} {to}{tail}"] = None
    return "".join(lines)


def extraction_statements(x: Extraction, lexicon: Lexicon) -> GraphStatements:
    """All statements of one article, in its named graph (the article's IRI)."""
    art = article_iri(x.article.id)
    w = _Writer(art, lexicon)
    a = x.article
    w.add(art, RDF + "type", CKG + "Article")
    w.add(art, RDF + "type", SCHEMA + "NewsArticle")
    w.add(art, DCT + "identifier", _lit(a.id))
    if a.title:
        w.add(art, SCHEMA + "headline", _lit(a.title))
    if a.date:
        w.add(art, SCHEMA + "datePublished", _typed(a.date.isoformat(), "date"))
    if a.url:
        w.add(art, SCHEMA + "url", _typed(a.url, "anyURI"))
    w.add(art, CKG + "textLength", _typed(len(a.text), "integer"))

    sentence_starts = [sent.start for sent in x.sentences]

    def sentence_of(sp: Span) -> str | None:
        k = bisect.bisect_right(sentence_starts, sp.start) - 1
        if k >= 0 and x.sentences[k].start <= sp.start < x.sentences[k].end:
            sent = x.sentences[k]
            iri = f"{art}#sentence-{k + 1}"
            if iri not in w.described:
                w.described.add(iri)
                w.add(iri, RDF + "type", CKG + "Sentence")
                w.add(iri, OA + "hasSource", art)
                w.add(iri, OA + "start", _typed(sent.start, "nonNegativeInteger"))
                w.add(iri, OA + "end", _typed(sent.end, "nonNegativeInteger"))
                w.add(iri, OA + "exact", _lit(sent.text))
            return iri
        return None

    def span(sp: Span) -> str:
        iri = f"{art}#m{sp.start}-{sp.end}"
        if iri not in w.described:
            w.described.add(iri)
            sentence = sentence_of(sp)
            if sentence:
                w.add(iri, CKG + "sentence", sentence)
            # two selectors, each its own node, that select the same text (Web Annotation 4.2)
            pos = f"{art}#char={sp.start},{sp.end}"
            quote = f"{iri}-quote"
            w.add(iri, RDF + "type", CKG + "Mention")
            w.add(iri, OA + "hasSource", art)
            w.add(iri, OA + "hasSelector", pos)
            w.add(iri, OA + "hasSelector", quote)
            w.add(pos, RDF + "type", OA + "TextPositionSelector")
            w.add(pos, OA + "start", _typed(sp.start, "nonNegativeInteger"))
            w.add(pos, OA + "end", _typed(sp.end, "nonNegativeInteger"))
            w.add(quote, RDF + "type", OA + "TextQuoteSelector")
            w.add(quote, OA + "exact", _lit(sp.text))
            # the annotation Web Annotation clients read: this span identifies its bodies
            ann = f"{iri}-annotation"
            w.add(ann, RDF + "type", OA + "Annotation")
            w.add(ann, OA + "motivatedBy", OA + "identifying")
            w.add(ann, OA + "hasTarget", iri)
        return iri

    def evidence(node: str, sp: Span) -> None:
        m = span(sp)
        w.add(node, CKG + "evidence", m)
        w.add(m + "-annotation", OA + "hasBody", node)

    def claim(node: str, predicate: str, obj, claimant: Entity) -> None:
        """Who holds a claim: a sem:View (an RDF reification, SEM's pattern) per claimed node."""
        describe_entity(w, claimant)
        v = f"{node}-view"
        w.add(v, RDF + "type", SEM + "View")
        w.add(v, RDF + "type", RDF + "Statement")
        w.add(v, RDF + "subject", node)
        w.add(v, RDF + "predicate", predicate)
        w.add(v, RDF + "object", obj)
        w.add(v, SEM + "accordingTo", claimant.iri)

    for m in x.mentions:
        describe_entity(w, m.entity)
        if m.kind in ("name", "alias", "metonym"):
            evidence(m.entity.iri, m.span)
            if m.span.text != m.entity.label:
                w.add(m.entity.iri, CKG + "surfaceForm", _lit(m.span.text))
    for i, e in enumerate(x.events):
        ev = f"{art}#event-{i + 1}"
        w.add(ev, RDF + "type", CKG + EVENT_CLASS[e.type])
        if e.subtype and e.subtype not in EVENT_CLASS.values():
            w.add(ev, RDF + "type", CKG + e.subtype)
        w.add(ev, CKG + "article", art)
        evidence(ev, e.span)
        w.add(ev, RDFS + "label", _lit(event_label(e)))
        for p in e.places:
            describe_entity(w, p)
            w.add(ev, CKG + "place", p.iri)
        role = {"attack": "attacker", "communication": "participant", "interception": "interceptor"}.get(e.type, "speaker")
        if e.part_of is not None:
            w.add(ev, SEM + "subEventOf", f"{art}#event-{e.part_of + 1}")
        for who in e.participants:
            describe_entity(w, who)
            w.add(ev, CKG + role, who.iri)
        for weapon in e.weapons:
            describe_entity(w, weapon)
            w.add(ev, CKG + "weapon", weapon.iri)
        if e.time is not None:
            if e.time.value:
                w.add(ev, CKG + "date", _typed(e.time.value.isoformat(), "date"))
            if e.time.expression:
                w.add(ev, CKG + "dateExpression", _lit(e.time.expression))
        if e.claimant:
            claim(ev, RDF + "type", CKG + EVENT_CLASS[e.type], e.claimant)
        for k, t in enumerate(e.targets):
            ti = f"{ev}-target-{k + 1}"
            w.add(ev, CKG + "target", ti)
            w.add(ti, RDF + "type", CKG + "Target")
            w.add(ti, RDFS + "label", _lit(t.label))
            w.add(ti, CKG + "article", art)
            evidence(ti, t.span)
            if t.owner:
                describe_entity(w, t.owner)
                w.add(ti, CKG + "owner", t.owner.iri)
            if t.object_iri:
                w.add(ti, CKG + "objectType", t.object_iri)
                w.add(t.object_iri, RDF + "type", CKG + "ObjectType")
                w.add(t.object_iri, RDF + "type", SKOS + "Concept")
                w.add(t.object_iri, SKOS + "prefLabel", _lit(lexicon.concepts[t.object_iri].label, "en"))
    for i, q in enumerate(x.quantities):
        qi = f"{art}#q-{i + 1}"
        w.add(qi, RDF + "type", CKG + "Quantity")
        w.add(qi, CKG + "kind", KGK + q.kind)
        w.add(qi, CKG + "value", _typed(q.value, "integer"))
        w.add(qi, CKG + "article", art)
        evidence(qi, q.span)
        label = f"{q.kind} {q.qualifier + ' ' if q.qualifier else ''}{q.value}"
        if q.qualifier:
            w.add(qi, CKG + "qualifier", _lit(q.qualifier))
        if q.weapon:
            describe_entity(w, q.weapon)
            w.add(qi, CKG + "weapon", q.weapon.iri)
            label += f" {q.weapon.label}"
        if q.object_label:
            w.add(qi, CKG + "objectLabel", _lit(q.object_label))
            label += f" {q.object_label}"
        if q.object_iri:
            w.add(qi, CKG + "objectType", q.object_iri)
            w.add(q.object_iri, RDF + "type", CKG + "ObjectType")
            w.add(q.object_iri, RDF + "type", SKOS + "Concept")
            w.add(q.object_iri, SKOS + "prefLabel", _lit(lexicon.concepts[q.object_iri].label, "en"))
        if q.place:
            describe_entity(w, q.place)
            w.add(qi, CKG + "place", q.place.iri)
            label += f" ({q.place.label})"
        if q.claimant:
            claim(qi, CKG + "value", _typed(q.value, "integer"), q.claimant)
        if q.subset_of is not None:
            w.add(qi, CKG + "subsetOf", f"{art}#q-{q.subset_of + 1}")
        w.add(qi, RDFS + "label", _lit(label))
        if q.event is not None:
            w.add(f"{art}#event-{q.event + 1}", CKG + "quantity", qi)
    n_events = len(x.events)
    for i, qt in enumerate(x.quotes):
        qi = f"{art}#quote-{i + 1}"
        w.add(qi, RDF + "type", CKG + "Quote")
        w.add(qi, RDF + "type", SCHEMA + "Quotation")
        w.add(qi, CKG + "text", _lit(qt.text))
        w.add(qi, CKG + "article", art)
        evidence(qi, qt.span)
        st = f"{art}#event-{n_events + i + 1}"
        w.add(st, RDF + "type", CKG + "Statement")
        w.add(st, CKG + "article", art)
        w.add(st, CKG + "quote", qi)
        evidence(st, qt.span)
        if qt.speaker:
            describe_entity(w, qt.speaker)
            w.add(qi, CKG + "speaker", qt.speaker.iri)
            w.add(st, CKG + "speaker", qt.speaker.iri)
            claim(st, CKG + "quote", qi, qt.speaker)
            w.add(st, RDFS + "label", _lit(f"statement by {qt.speaker.label}"))
        else:
            w.add(st, RDFS + "label", _lit("statement"))
    _summary(w, art)
    return GraphStatements(art, w.statements)


_COUNTED_EVENTS = frozenset(CKG + c for c in ("Attack", "Communication", "Statement"))


def _summary(w: _Writer, art: str) -> None:
    """Summary facts of the article (ckg:eventCount, ckg:quantityCount, ckg:quoteCount), counted from the
    statements just made, so that the `articles` question reads three values per article instead of joining
    every event, count and quote of the corpus (issue 10). They live in the article's own graph, so
    build, add and remove keep them right with no extra step."""
    events: set[str] = set()
    quantities: set[str] = set()
    quotes: set[str] = set()
    about_article = {s for s, p, o in w.statements if p == CKG + "article" and o == art}
    for s, p, o in w.statements:
        if p != RDF + "type" or s not in about_article:
            continue
        if o in _COUNTED_EVENTS:
            events.add(s)
        elif o == CKG + "Quantity":
            quantities.add(s)
        elif o == CKG + "Quote":
            quotes.add(s)
    w.add(art, CKG + "eventCount", _typed(len(events), "integer"))
    w.add(art, CKG + "quantityCount", _typed(len(quantities), "integer"))
    w.add(art, CKG + "quoteCount", _typed(len(quotes), "integer"))


def event_label(e) -> str:
    if e.type == "attack":
        where = ", ".join(p.label for p in e.places)
        when = f", {e.time.value.isoformat()}" if e.time and e.time.value else ""
        return f"attack on {where}{when}"
    if e.type == "interception":
        return "interception over " + ", ".join(p.label for p in e.places)
    if e.type == "communication":
        return f"{e.subtype.lower().replace('phonecall', 'phone call')} of " + ", ".join(p.label for p in e.participants)
    return e.type


def describe_entity(w: _Writer, e: Entity) -> None:
    """Type, label and identifiers of an entity, once per article graph."""
    if e.iri in w.described:
        return
    w.described.add(e.iri)
    w.add(e.iri, RDF + "type", CKG + CATEGORY_CLASS[e.category])
    if e.category in SCHEMA_CLASS:
        w.add(e.iri, RDF + "type", SCHEMA + SCHEMA_CLASS[e.category])
    else:
        w.add(e.iri, RDF + "type", SKOS + "Concept")
    w.add(e.iri, SKOS + "prefLabel", _lit(e.label, "en"))
    w.add(e.iri, RDFS + "label", _lit(e.label, "en"))
    if e.wikidata:
        w.add(e.iri, CKG + "wikidata", e.wikidata if e.wikidata.startswith("http") else WD + e.wikidata)
    if e.geonames:
        w.add(e.iri, CKG + "geonames", e.geonames)
    if e.lat is not None and e.lon is not None:
        w.add(e.iri, WGS84 + "lat", _typed(e.lat, "decimal"))
        w.add(e.iri, WGS84 + "long", _typed(e.lon, "decimal"))
    if e.country_code:
        w.add(e.iri, CKG + "countryCode", _lit(e.country_code))
    if e.feature_type:
        w.add(e.iri, CKG + "featureType", _lit(e.feature_type))
    if e.category == "weapon":
        lex = w.lexicon
        w.add(e.iri, SKOS + "inScheme", "https://w3id.org/conflict-kg/weapon/scheme")
        chain = ancestors(lex, e.iri)
        concept = lex.concepts.get(e.iri)
        for b in (concept.broader if concept else []):
            w.add(e.iri, SKOS + "broader", b)
        if chain:
            w.add(e.iri, CKG + "weaponFamily", chain[-1])
        for b in chain:
            if b not in w.described:
                w.described.add(b)
                w.add(b, RDF + "type", CKG + "WeaponType")
                w.add(b, RDF + "type", SKOS + "Concept")
                w.add(b, SKOS + "prefLabel", _lit(lex.concepts[b].label, "en"))
                w.add(b, RDFS + "label", _lit(lex.concepts[b].label, "en"))
                for bb in lex.concepts[b].broader:
                    w.add(b, SKOS + "broader", bb)
        if not chain:
            w.add(e.iri, CKG + "weaponFamily", e.iri)


def vocabulary_quads(directory) -> Iterator[ox.Quad]:
    """The ontology and the weapon and object schemes, in their own named graph."""
    g = N(VOCABULARY_GRAPH)
    for name in ("ckg.ttl", "weapons.ttl", "objects.ttl"):
        with (directory / name).open("rb") as fh:
            for t in ox.parse(fh, format=ox.RdfFormat.TURTLE, base_iri="file:///" + name):
                yield ox.Quad(t.subject, t.predicate, t.object, g)


def vocabulary_nquads(directory) -> str:
    """The vocabulary graph as N-Quads lines, each statement once."""
    return ox.serialize(list(dict.fromkeys(vocabulary_quads(directory))), format=ox.RdfFormat.N_QUADS).decode("utf-8")
