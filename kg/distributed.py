"""Beyond one machine: extraction on a Dask cluster, and pushing graphs into any SPARQL 1.1 store.

The extractor is a pure function of one article, so a Dask bag maps it over partitions of articles on
any cluster (a LocalCluster by default). Workers return N-Quads text; the client writes one shard per
partition atomically, so no shared filesystem is needed. `push` loads a graph file or store into another
SPARQL store through the Graph Store Protocol, one named graph per article (HTTP PUT replaces it).
"""
from __future__ import annotations

import base64
import logging
import os
import signal
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any, Callable, Iterable
from urllib.parse import quote

import pyoxigraph as ox

from . import dask_preload
from .atomic import atomic_write
from .articles import ArticleError, collect_articles
from .lexicon import ontology_dir
from .model import Article
from .rdf import VOCABULARY_GRAPH, vocabulary_nquads


def _partition_nquads(articles: list[Article]) -> tuple[bytes, list]:
    """A partition's N-Quads and its event reports (resolved across all partitions by the client)."""
    from .build import article_quads

    # each article's N-Quads text, as kg build writes it (each statement once per article graph)
    results = [article_quads(a) for a in articles]
    return "".join(r.nquads for r in results).encode("utf-8"), [e for r in results for e in r.reports]


def build_dask(inputs: Iterable[str | Path], out_dir: str | Path, scheduler: str | None = None,
               partitions: int | None = None, on_error: Callable[[ArticleError], None] | None = None,
               n_workers: int = 2) -> tuple[int, list[ArticleError], list[Path]]:
    """Extract on a Dask cluster and write N-Quads shards `part-NNNNN.nq` (plus `vocabulary.nq`) to out_dir."""
    import dask.bag as db
    from distributed import Client, LocalCluster

    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    articles, errors = collect_articles(inputs, on_error)
    if not articles:
        return 0, errors, []
    cluster = None
    # SIGINT is ignored here while the workers start, and a spawned process keeps an ignored SIGINT (Python
    # then installs no KeyboardInterrupt handler in it): a terminal's Ctrl-C, which reaches the whole process
    # group, is handled by this process alone, which stops the cluster. The price: a Ctrl-C pressed during
    # the few seconds of the start is lost (the workers' preload ignores SIGINT too, once they run).
    previous = _ignore_sigint()
    try:
        if scheduler:
            client = Client(scheduler)
        else:
            cluster = LocalCluster(n_workers=n_workers, threads_per_worker=1, processes=True,
                                   dashboard_address=None, silence_logs=logging.CRITICAL,
                                   preload=[dask_preload.__name__],
                                   env={dask_preload.PARENT_ENV: str(os.getpid())})
            client = Client(cluster)
    except BaseException:
        if cluster is not None:
            cluster.close()
        raise
    finally:
        _restore_sigint(previous)
    try:
        nparts = partitions or max(1, min(len(articles), 4 * sum(client.nthreads().values())))
        bag = db.from_sequence(articles, npartitions=nparts)
        future = client.compute(bag.map_partitions(lambda part: [_partition_nquads(list(part))]))
        # wait here, not inside the client's event loop: a Ctrl-C then leaves no half-run coroutine there to
        # fail (and print its traceback) when the client closes
        while not future.done():
            time.sleep(0.05)
        shards = future.result()
    finally:
        previous = _ignore_sigint()  # a second Ctrl-C must not cut the cluster's shutdown short
        try:
            client.close()
            if cluster is not None:
                cluster.close()
        finally:
            _restore_sigint(previous)
    written = []
    for k, (data, _reports) in enumerate(shards):
        path = out / f"part-{k:05d}.nq"
        atomic_write(path, lambda fh, data=data: fh.write(data))
        written.append(path)
    from .resolve import resolve
    from .resolve.quads import resolution_graphs

    events = "".join(text for _g, text in resolution_graphs(resolve([r for _d, rs in shards for r in rs])))
    path = out / "events.nq"  # canonical events across all partitions
    atomic_write(path, lambda fh: fh.write(events.encode("utf-8")))
    written.append(path)
    vocab = out / "vocabulary.nq"
    atomic_write(vocab, lambda fh: fh.write(vocabulary_nquads(ontology_dir()).encode("utf-8")))
    return len(articles), errors, written + [vocab]


def _ignore_sigint() -> Any:
    """Ignore SIGINT (only the main thread may change it); returns the handler to restore, or None."""
    if threading.current_thread() is not threading.main_thread():
        return None
    return signal.signal(signal.SIGINT, signal.SIG_IGN)


def _restore_sigint(previous: Any) -> None:
    if previous is not None:
        signal.signal(signal.SIGINT, previous)


def named_graphs(store: ox.Store) -> list[str]:
    return sorted(g.value for g in store.named_graphs() if isinstance(g, ox.NamedNode))


def push(store: ox.Store, endpoint: str, token: str | None = None, user: str | None = None,
         include_vocabulary: bool = True, on_graph: Callable[[str], None] | None = None) -> int:
    """PUT every named graph of `store` to a Graph Store Protocol endpoint (replacing graphs of the same
    name there); returns how many graphs were sent."""
    sent = 0
    for g in named_graphs(store):
        if g == VOCABULARY_GRAPH and not include_vocabulary:
            continue
        if g.startswith("urn:x-conflict-kg:"):
            continue
        triples = [ox.Triple(q.subject, q.predicate, q.object) for q in store.quads_for_pattern(None, None, None, ox.NamedNode(g))]
        body = ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES)
        sep = "&" if "?" in endpoint else "?"
        req = urllib.request.Request(f"{endpoint}{sep}graph={quote(g, safe='')}", data=body, method="PUT",
                                     headers={"Content-Type": "application/n-triples"})
        if token:
            req.add_header("Authorization", f"Bearer {token}")
        elif user:
            req.add_header("Authorization", "Basic " + base64.b64encode(user.encode()).decode())
        try:
            with urllib.request.urlopen(req, timeout=120) as r:
                if r.status not in (200, 201, 204):
                    raise RuntimeError(f"{endpoint}: graph {g} answered {r.status}")
        except urllib.error.HTTPError as err:
            detail = err.read()[:300].decode("utf-8", "replace").strip()
            raise RuntimeError(f"{endpoint}: graph {g} refused with {err.code} {err.reason}: {detail}") from None
        except urllib.error.URLError as err:
            raise RuntimeError(f"{endpoint}: cannot connect ({err.reason})") from None
        sent += 1
        if on_graph:
            on_graph(g)
    return sent
