"""conflict-kg: turn conflict-news articles into an RDF knowledge graph you can question with SPARQL.

The pipeline, one module a stage:

    articles.read_inputs     files/folders -> Article                     (kg/articles.py, frontmatter.py, pubdate.py)
    extract.extract          Article -> Extraction (typed records)        (kg/extract/)
    rdf.extraction_nquads    Extraction -> one article graph, N-Quads     (kg/rdf.py)
    resolve.resolve          article events -> real-world events          (kg/resolve/)
    output.write_graphs      graphs -> .trig/.nq/.ttl/.nt/.jsonld, streamed (kg/output.py)
    query.run_query          SPARQL over a written graph or store         (kg/query.py, queries/*.rq, table.py)
"""
from __future__ import annotations

__version__ = "0.1.0"

__all__ = ["__version__"]
