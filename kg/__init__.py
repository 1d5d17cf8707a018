"""conflict-kg: turn conflict-news articles into an RDF knowledge graph you can question with SPARQL.

The pipeline, one module a stage:

    articles.read_inputs   files/folders -> Article               (kg/articles.py)
    extract.extract        Article -> Extraction (typed records)  (kg/extract/)
    rdf.extraction_quads   Extraction -> RDF quads                (kg/rdf.py)
    output.write_dataset   quads -> .trig/.nq/.ttl/.nt/.jsonld    (kg/output.py)
    query.run_query        SPARQL over a written graph            (kg/query.py)
"""
from __future__ import annotations

__version__ = "0.1.0"

__all__ = ["__version__"]
