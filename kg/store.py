"""A persistent store that grows article by article (pyoxigraph on RocksDB).

Each article is one named graph (its IRI). A new store is built aside with the bulk loader and renamed into
place; an existing one takes new articles in groups of whole articles, each group taken in by RocksDB in one
atomic step, and a corrected article replaces its graph in one transaction (DROP + INSERT DATA). A killed
`kg add` leaves no new store, or the existing one with whole articles only. Entities are described again
inside every article graph that names them, so replacing or removing one article never breaks the links of
another.
"""
from __future__ import annotations

import glob
import os
import re
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable, Iterator

import pyoxigraph as ox

from .articles import ArticleError, collect_articles
from .atomic import process_alive
from .build import ArticleQuads, parallel_articles
from .lexicon import ontology_dir
from .model import Article
from .rdf import VOCABULARY_GRAPH, article_iri, vocabulary_nquads, vocabulary_quads
from .resolve import incremental
from .resolve.spill import report_spill
from .storefile import StoreError, open_read_only, open_store, os_reason


@dataclass
class AddReport:
    added: list[str] = field(default_factory=list)
    replaced: list[str] = field(default_factory=list)  # ids that were already in the store (now replaced)
    removed: list[str] = field(default_factory=list)  # with sync: stored ids no longer found in the inputs
    sync_skipped: bool = False  # with sync: some input could not be read, so nothing was removed
    errors: list[ArticleError] = field(default_factory=list)
    words: int = 0


def _graph_update(graph: str, statements: list[ox.Quad] | str) -> str:
    if isinstance(statements, str):
        body = statements
    else:
        triples = [ox.Triple(q.subject, q.predicate, q.object) for q in statements]
        body = ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES).decode("utf-8")
    return f"DROP SILENT GRAPH <{graph}> ;\nINSERT DATA {{ GRAPH <{graph}> {{\n{body}}} }}"


def replace_graph(store: ox.Store, graph: str, statements: list[ox.Quad] | str, then: str = "") -> None:
    """Make `graph` hold exactly `statements` (quads, or N-Triples text), in one transaction (with the update
    `then`, when given)."""
    store.update(_graph_update(graph, statements) + (f" ;\n{then}" if then else ""))


# New articles go into an existing store in groups of whole articles of about this many statements, each
# group one set of sorted files that RocksDB takes in atomically (see write_articles). Kept under oxigraph's
# bulk-load batch (100,000 statements in its smallest setting), so that a group is never split in two; large
# enough that RocksDB does not keep merging small files (groups of 20,000 took 1.5x the disk).
BATCH_QUADS = 90_000
# Memtables (transactional writes: replaced articles) are flushed after this many statements, so the
# writer's memory stays flat however long the run.
FLUSH_QUADS = 400_000


@dataclass
class _Batch:
    """Whole articles (N-Quads text) waiting to be written together, with the days they touch."""

    texts: list[str] = field(default_factory=list)
    ids: list[str] = field(default_factory=list)
    days: set[str] = field(default_factory=set)
    quads: int = 0


def write_articles(store: ox.Store, texts: list[str], days: Iterable[str]) -> None:
    """Write these articles' N-Quads (whole graphs, new to the store) and mark `days` for event resolution,
    all at once: a reader or a killed run sees all of them or none.

    The bulk loader writes sorted files for every index and hands them to RocksDB in one call
    (IngestExternalFiles over all column families), which RocksDB records in its manifest atomically: after
    a crash all the files are in or none, and a reader opening the store sees them all or none. Nothing is
    deleted here, so it needs no transaction; it is twice as fast as one and its files are compressed.
    """
    body = "".join(texts) + incremental.pending_nquads(days)
    store.bulk_load(body.encode("utf-8"), format=ox.RdfFormat.N_QUADS)


def bulk_write(path: Path, nquads: Path) -> ox.Store:
    """Load an N-Quads file into a new, empty store at `path` with the bulk loader (sorted files handed to
    RocksDB; not transactional: only for a store nobody else can see yet). Returns the open store."""
    store = ox.Store(str(path))
    store.bulk_load(path=str(nquads), format=ox.RdfFormat.N_QUADS)
    return store


def add_articles(inputs: Iterable[str | Path], store_path: str | Path, workers: int | None = None,
                 on_error: Callable[[ArticleError], None] | None = None,
                 on_added: Callable[[str], None] | None = None, sync: bool = False,
                 batch_quads: int = BATCH_QUADS) -> AddReport:
    """Read, extract and put each article into the store; a reader never sees part of an article.

    A new store is built aside and bulk loaded, then put in place in one rename: the run is whole or absent.
    An existing store takes new articles in groups of whole articles of about `batch_quads` statements, each
    group at once, and replaced ones one transaction each.
    With `sync`, the store then mirrors the inputs: articles whose ids no input has any more (a renamed or
    deleted file) are removed. Not when any input could not be read, since its ids are then unknown.
    """
    report = AddReport()
    articles, report.errors = collect_articles(inputs, on_error)
    workers = workers or os.cpu_count() or 1
    path = Path(store_path)
    if _is_new(path):
        _add_to_new_store(articles, path, workers, report, on_error, on_added)
        if sync and report.errors:
            report.sync_skipped = True
        return report
    store = open_store(path)
    try:
        replace_graph(store, VOCABULARY_GRAPH, list(vocabulary_quads(ontology_dir())))  # same content: no change
    except OSError as err:
        raise StoreError(f"{store_path}: cannot write ({os_reason(err)})") from None
    batch, since_flush = _Batch(), 0

    def write_batch() -> None:
        nonlocal batch
        if not batch.ids:
            return
        try:
            write_articles(store, batch.texts, batch.days)
        except OSError as err:
            raise StoreError(f"{store_path}: cannot write article {batch.ids[0]!r} ({os_reason(err)}); "
                             f"the store holds the {len(report.added)} article(s) added before it") from None
        for article_id in batch.ids:
            report.added.append(article_id)
            if on_added:
                on_added(article_id)
        batch = _Batch()

    for article, output in _extracted(articles, workers, report, on_error):
        # the days whose canonical events this article touches, before and after: resolved again at the end
        days = {r.anchor.isoformat() if r.anchor else "undated" for r in output.reports}
        report.words += len(article.text.split())
        if not store.contains_named_graph(ox.NamedNode(output.graph)):
            batch.texts.append(output.nquads)
            batch.ids.append(article.id)
            batch.days |= days
            batch.quads += len(output)
            if batch.quads >= batch_quads:
                write_batch()
            continue
        write_batch()
        report.replaced.append(article.id)
        days |= incremental.report_days(store, [article.id])
        try:
            replace_graph(store, output.graph, output.ntriples(), then=incremental.pending_update(days))
            since_flush += len(output)
            if since_flush >= FLUSH_QUADS:
                store.flush()
                since_flush = 0
        except OSError as err:
            raise StoreError(f"{store_path}: cannot write article {article.id!r} ({os_reason(err)}); "
                             f"the store holds the {len(report.added)} article(s) added before it") from None
        report.added.append(article.id)
        if on_added:
            on_added(article.id)
    write_batch()
    if sync:
        if report.errors:
            report.sync_skipped = True
        else:
            present = {a.id for a in articles}
            for old in article_ids(store):
                if old not in present:
                    _drop_article(store, old)
                    report.removed.append(old)
    try:
        incremental.refresh(store)
        store.flush()
    except OSError as err:
        raise StoreError(f"{store_path}: cannot write ({os_reason(err)})") from None
    store = None  # closed (the last reference), so that it can be opened once more
    _drop_spent_logs(path)
    return report


def _is_new(path: Path) -> bool:
    """No store there yet: the folder is missing or empty."""
    try:
        return not path.exists() or (path.is_dir() and not any(path.iterdir()))
    except OSError:
        return False


def _add_to_new_store(articles: list[Article], path: Path, workers: int, report: AddReport,
                      on_error: Callable[[ArticleError], None] | None,
                      on_added: Callable[[str], None] | None) -> None:
    """Extract into an N-Quads file beside the store with the canonical events (as kg build does), bulk load
    it into a hidden store, then rename that store into place. Killed or failed at any point, there is no
    store at `path` (and the next run removes what the dead one left)."""
    if not path.parent.is_dir():
        raise StoreError(f"{path}: cannot create store ({path.parent} is not a folder)")
    _remove_stale_staging(path)
    staging = path.parent / f".{path.name}.{os.getpid()}.staging"  # the new store and its N-Quads, hidden
    try:
        staging.mkdir()
        nq = staging / "articles.nq"
        # collect_articles refuses an id seen twice: every article is new here
        with nq.open("wb") as fh, report_spill(nq) as spill:
            fh.write(vocabulary_nquads(ontology_dir()).encode("utf-8"))
            for article, output in _extracted(articles, workers, report, on_error):
                spill.add(output.reports)
                report.words += len(article.text.split())
                fh.write(output.nquads.encode("utf-8"))
                report.added.append(article.id)
                if on_added:
                    on_added(article.id)
            # the canonical events, as kg build writes them: resolved a block of days at a time from disk
            for _, text in spill.graphs():
                fh.write(text.encode("utf-8"))
        store = bulk_write(staging / "store", nq)
        nq.unlink()
        store.flush()
        del store
        _drop_spent_logs(staging / "store")
        try:
            os.rename(staging / "store", path)  # replaces an empty folder; fails if another run put a store there
        except OSError:
            raise StoreError(f"{path}: another process created a store here meanwhile; "
                             "run kg add again to add these articles to it") from None
    except OSError as err:
        raise StoreError(f"{path}: cannot write ({os_reason(err)}); no store was created") from None
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def _extracted(articles: list[Article], workers: int, report: AddReport,
               on_error: Callable[[ArticleError], None] | None) -> Iterator[tuple[Article, ArticleQuads]]:
    """Each article with its extraction, in input order; an article whose extraction failed is reported
    (in `report` and through `on_error`) and left out."""
    for article, output in zip(articles, parallel_articles(articles, workers)):
        if isinstance(output, ArticleError):
            report.errors.append(output)
            if on_error:
                on_error(output)
        else:
            yield article, output


def _remove_stale_staging(path: Path) -> None:
    """Remove hidden stores that killed runs left beside `path` (their process is gone)."""
    pattern = re.compile(re.escape(f".{path.name}.") + r"(\d+)\.staging")
    for old in path.parent.glob(f".{glob.escape(path.name)}.*.staging"):
        m = pattern.fullmatch(old.name)
        if m and not process_alive(int(m.group(1))):
            shutil.rmtree(old, ignore_errors=True)


def _drop_spent_logs(path: Path) -> None:
    """Open and close the store once more: RocksDB keeps its spent write-ahead logs (to reuse them) until
    the next open, which deletes them; without this a store just written holds its data twice on disk."""
    if any(p.stat().st_size for p in path.glob("*.log")):
        ox.Store(str(path))  # dropped at once, which closes it


def _drop_article(store: ox.Store, article_id: str) -> None:
    """Drop an article's graph and mark the days of its events for resolution, in one transaction."""
    days = incremental.report_days(store, [article_id])
    then = incremental.pending_update(days)
    store.update(f"DROP GRAPH <{article_iri(article_id)}>" + (f" ;\n{then}" if then else ""))


def unquote_id(iri: str) -> str:
    """The article id of an article IRI."""
    from urllib.parse import unquote

    return unquote(iri[len(article_iri("")):])


def remove_articles(ids: Iterable[str], store_path: str | Path) -> tuple[list[str], list[str]]:
    """Drop the named graphs of these article ids; returns (removed, not found)."""
    store = open_store(store_path)
    removed, missing = [], []
    for article_id in ids:
        try:
            g = ox.NamedNode(article_iri(article_id))
        except (UnicodeEncodeError, ValueError):  # not UTF-8 (a byte such as \xff on the command line)
            missing.append(article_id)
            continue
        if not store.contains_named_graph(g) and "%" in article_id:
            from urllib.parse import unquote  # the id as it appears in an IRI (report%201)

            g = ox.NamedNode(article_iri(unquote(article_id)))
        if store.contains_named_graph(g):
            _drop_article(store, unquote_id(g.value))
            removed.append(article_id)
        else:
            missing.append(article_id)
    incremental.refresh(store)
    store.flush()
    return removed, missing


def similar_ids(article_id: str, store_path: str | Path, limit: int = 3) -> list[str]:
    """Stored ids that look like `article_id` (same letters and digits, case aside): a hint for typos."""
    import re

    key = lambda s: re.sub(r"[\W_]+", "", s, flags=re.UNICODE).casefold()  # noqa: E731
    try:
        store = open_read_only(store_path)
    except StoreError:
        return []
    wanted = key(article_id.encode("utf-8", "replace").decode("utf-8"))
    return [i for i in article_ids(store) if key(i) == wanted][:limit]


def article_ids(store: ox.Store) -> list[str]:
    from urllib.parse import unquote

    prefix = article_iri("")  # article IRIs percent-encode the id (one-to-one): decode it back
    return sorted(unquote(g.value[len(prefix):]) for g in store.named_graphs()
                  if isinstance(g, ox.NamedNode) and g.value.startswith(prefix))
