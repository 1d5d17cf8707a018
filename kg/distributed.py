"""Beyond one machine: extraction on a Dask cluster, and pushing graphs into any SPARQL 1.1 store.

The extractor is a pure function of one article, so a Dask bag maps it over partitions of articles on
any cluster (a LocalCluster by default). Workers return N-Quads text; the client writes one shard per
partition atomically, so no shared filesystem is needed. `push` loads a graph file or store into another
SPARQL store through the Graph Store Protocol, one named graph per article (HTTP PUT replaces it).
"""
from __future__ import annotations

import base64
import logging
import multiprocessing
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
    from distributed import Client

    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    articles, errors = collect_articles(inputs, on_error)
    if not articles:
        return 0, errors, []
    cluster = None
    try:
        if scheduler:
            client = Client(scheduler)
        else:
            cluster = _start_local_cluster(n_workers)
            client = Client(cluster)
    except BaseException:
        if cluster is not None:
            _close(None, cluster)
        raise
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
        _close(client, cluster)
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


def _start_local_cluster(n_workers: int) -> Any:
    """A LocalCluster whose workers ignore SIGINT from their first instruction, while this process handles it.

    A terminal's Ctrl-C reaches the whole process group. The workers are forked by multiprocessing's
    forkserver, which ignores SIGINT from before it runs any code of its own (see _start_forkserver): it
    and every worker it forks print no KeyboardInterrupt traceback. This process never ignores SIGINT: the
    slow steps (importing Dask's packages, starting the cluster) run in helper threads that block it, so a
    Ctrl-C always reaches the main thread, which waits for the step under way to end, closes what was
    started and goes on as KeyboardInterrupt. The forkserver is started by the main thread itself: the
    kernel's PDEATHSIG follows the thread that forked, and the main thread lasts as long as kg.
    """
    import dask
    import distributed  # noqa: F401 - sets up Dask's logging, silenced next

    # kg reports what happens in its own lines: Dask's INFO and WARNING lines (a plugin registered, a stream
    # dropped by an interrupted start) would break the one line an interruption gets
    _silence_dask()
    method = "forkserver" if "forkserver" in multiprocessing.get_all_start_methods() else "spawn"
    with dask.config.set({"distributed.worker.multiprocessing-method": method}):
        if method == "forkserver":
            _in_helper(_forkserver_preload)
            forker = _start_forkserver()
        else:
            forker = os.getpid()
        return _in_helper(_new_local_cluster, n_workers, forker)


def _in_helper(func: Callable[..., Any], *args: Any) -> Any:
    """`func(*args)` run to its end in a thread that blocks SIGINT, while the main thread stays interruptible.

    On KeyboardInterrupt the main thread waits for `func` to end (ignoring a second Ctrl-C), closes the
    cluster it returned if any, and raises KeyboardInterrupt."""
    done: dict[str, Any] = {}

    def run() -> None:
        signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})  # inherited by the threads it starts
        try:
            done["result"] = func(*args)
        except BaseException as err:  # handed to the main thread
            done["error"] = err

    helper = threading.Thread(target=run, name=f"kg-dask-{func.__name__}", daemon=True)
    helper.start()
    try:
        while helper.is_alive():
            helper.join(0.05)
    except KeyboardInterrupt:
        previous = _ignore_sigint()  # a second Ctrl-C must not leave the cluster half started
        try:
            helper.join()
            if hasattr(done.get("result"), "close"):
                _close_now(None, done["result"])
        finally:
            _restore_sigint(previous)
        raise
    if "error" in done:
        raise done["error"]
    return done.get("result")


def _new_local_cluster(n_workers: int, forker: int) -> Any:
    from distributed import LocalCluster

    # no dashboard; the scheduler's HTTP server (health checks) on a free loopback port: the default, 8787
    # on every interface, prints a warning when another cluster holds it
    return LocalCluster(n_workers=n_workers, threads_per_worker=1, processes=True, dashboard_address=None,
                        scheduler_kwargs={"dashboard_address": "127.0.0.1:0"},
                        silence_logs=logging.CRITICAL, preload=[dask_preload.__name__],
                        env={dask_preload.PARENT_ENV: str(forker)})


def _forkserver_preload() -> None:
    """Dask's preload list for the forkserver (it imports Dask's packages here first), kg.dask_preload first,
    and the resource tracker started (it unblocks SIGINT in the thread that starts it)."""
    from multiprocessing import forkserver, resource_tracker

    from distributed.utils import get_mp_context

    ctx = get_mp_context()
    preload = [m for m in forkserver._forkserver._preload_modules if m != dask_preload.__name__]  # noqa: SLF001
    ctx.set_forkserver_preload([dask_preload.__name__] + preload)
    resource_tracker.ensure_running()


def _start_forkserver() -> int:
    """Start multiprocessing's forkserver from this thread so that it ignores SIGINT; returns its pid.

    This thread blocks SIGINT for the instant of the start (a Ctrl-C then stays pending and is delivered
    right after, or reaches the process through another thread), and the forkserver inherits the block.
    Its first preload, kg.dask_preload, ignores SIGINT and unblocks it, before multiprocessing records the
    handlers that every forked worker gets."""
    from multiprocessing import forkserver

    os.environ[dask_preload.FORKSERVER_ENV] = str(os.getpid())
    blocked = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    try:
        forkserver.ensure_running()
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, blocked)
        del os.environ[dask_preload.FORKSERVER_ENV]
    return forkserver._forkserver._forkserver_pid  # noqa: SLF001 - no public getter


def _close(client: Any, cluster: Any = None) -> None:
    """Close the client and the cluster in a helper thread: a Ctrl-C meanwhile lets the close end (a second
    one cannot cut it short), then goes on as KeyboardInterrupt."""
    _in_helper(_close_now, client, cluster)


def _close_now(client: Any, cluster: Any = None) -> None:
    # the cluster gives Dask's log level back when it closes, and an interrupted start then logs warnings
    # about the streams it drops ("Closing dangling stream"): kg reports the interruption in one line
    _silence_dask()
    try:
        if client is not None:
            client.close()
        if cluster is not None:
            cluster.close()
    finally:
        _silence_dask()


def _silence_dask() -> None:
    """Dask's own logs off (its handlers and its loggers' level), as LocalCluster(silence_logs=...) does."""
    logger = logging.getLogger("distributed")
    logger.setLevel(logging.CRITICAL)
    for handler in logger.handlers:
        handler.setLevel(logging.CRITICAL)


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
