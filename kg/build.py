"""`kg build`: read articles, extract, convert to RDF and write one dataset atomically."""
from __future__ import annotations

import gc
import os
import signal
import sys
from collections import deque
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path
from typing import Callable, Iterable, Iterator

import pyoxigraph as ox

from .articles import ArticleError, ArticleWarning, read_inputs
from .extract import default_resources, extract
from .lexicon import ontology_dir
from .model import Article
from .output import NothingToWrite, OutputError, rdf_format, write_graphs
from .rdf import article_iri, extraction_nquads, vocabulary_nquads
from .resolve import EventReport, event_reports
from .resolve.spill import report_spill

# articles per task sent to a worker process, and tasks in flight per worker: enough to keep every worker
# busy while the parent writes, few enough that memory does not grow with the corpus
CHUNK = 8
IN_FLIGHT = 4


@dataclass
class BuildReport:
    """What a build did: articles read, skipped (with reasons), statements written."""

    articles: int = 0
    words: int = 0
    statements: int = 0
    errors: list[ArticleError] = field(default_factory=list)


@dataclass(frozen=True)
class ArticleQuads:
    """What one article gives the graph: its named graph and its statements as N-Quads lines (each once).

    This is what worker processes send back (text pickles as one copy). It iterates as pyoxigraph quads
    for callers that want objects. A further per-article result can ride along as another field.
    """

    graph: str
    nquads: str
    reports: tuple[EventReport, ...] = ()  # its attacks and communications, for event resolution

    def __iter__(self) -> Iterator[ox.Quad]:
        return iter(ox.parse(self.nquads.encode("utf-8"), format=ox.RdfFormat.N_QUADS, lenient=True))

    def ntriples(self) -> str:
        """The statements as N-Triples lines, for an update of the article's own graph (`kg add`): every line
        ends with the graph term, and no literal holds a raw line break, so cutting that term is exact."""
        return self.nquads.replace(f" <{self.graph}> .\n", " .\n")

    def __len__(self) -> int:
        return self.nquads.count("\n")  # one line per statement (newlines in literals are escaped)


def article_quads(article: Article) -> ArticleQuads:
    """Extraction and RDF for one article: a pure function of the article (safe in worker processes)."""
    resources = default_resources()
    x = extract(article, resources)
    return ArticleQuads(article_iri(article.id), extraction_nquads(x, resources.lexicon), tuple(event_reports(x)))


def _safe(article: Article) -> ArticleQuads | ArticleError:
    # one unexpected failure must not sink a build of thousands of articles: report it and go on
    try:
        return article_quads(article)
    except Exception as err:  # noqa: BLE001
        return ArticleError(article.source_path or article.id, f"extraction failed ({type(err).__name__}: {err})")


def _safe_chunk(articles: list[Article]) -> list[ArticleQuads | ArticleError]:
    return [_safe(a) for a in articles]


def parallel_articles(articles: Iterable[Article], workers: int) -> Iterator[ArticleQuads | ArticleError]:
    """Each article's statements (or why it failed), in input order, extracted in `workers` processes.

    `articles` is read as the work goes: at most workers * IN_FLIGHT chunks are held at any time.
    """
    if workers <= 1:
        for a in articles:
            yield _safe(a)
        return
    # load the lexicon and gazetteer once here: forked workers share them instead of each loading its own
    # (on a busy machine, that load is most of what a second worker costs)
    default_resources()
    pool = ProcessPoolExecutor(max_workers=workers, initializer=_worker_init, initargs=(os.getpid(),))
    try:
        # workers are forked at the first submissions: frozen, what exists now is left alone by their garbage
        # collectors, so its memory pages stay shared (the parent's collector is restored below)
        gc.freeze()
        chunks = _chunks(articles, CHUNK)
        pending: deque[Future] = deque(pool.submit(_safe_chunk, c) for c in islice(chunks, workers * IN_FLIGHT))
        while pending:
            done = pending.popleft().result()
            for c in islice(chunks, 1):
                pending.append(pool.submit(_safe_chunk, c))
            yield from done
    except BaseException:
        # Ctrl-C, a failed write, a consumer that stops early: stop the workers now, not after their queue
        _stop_pool(pool)
        raise
    else:
        pool.shutdown(wait=True)
    finally:
        _stop_pool(pool)
        gc.unfreeze()


def _chunks(items: Iterable[Article], size: int) -> Iterator[list[Article]]:
    it = iter(items)
    while chunk := list(islice(it, size)):
        yield chunk


def _worker_init(parent: int) -> None:
    """In each worker: die with the parent (even on kill -9), and leave Ctrl-C to the parent."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if sys.platform.startswith("linux"):
        try:
            import ctypes

            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(1, signal.SIGKILL, 0, 0, 0)  # PR_SET_PDEATHSIG
        except (OSError, AttributeError):
            pass
    if os.getppid() != parent:  # the parent died before the line above took effect
        os._exit(1)


def _stop_pool(pool: ProcessPoolExecutor) -> None:
    processes = list((getattr(pool, "_processes", None) or {}).values())
    manager = getattr(pool, "_executor_manager_thread", None)
    call_queue = getattr(pool, "_call_queue", None)
    if call_queue is not None:
        call_queue.cancel_join_thread()  # its feeder may be blocked on a pipe that killed workers no longer read
    pool.shutdown(wait=False, cancel_futures=True)
    for p in processes:
        if p.is_alive():
            p.kill()
    for p in processes:
        p.join(timeout=5)
    if manager is not None and manager.is_alive():
        # let the pool's own thread finish closing its pipes now, not while the interpreter exits (where
        # it races concurrent.futures' exit hook and prints "Bad file descriptor" tracebacks)
        manager.join(timeout=10)


def build(inputs: Iterable[str | Path], output: str | Path, workers: int = 1, include_vocabulary: bool = True,
          on_error: Callable[[ArticleError | ArticleWarning], None] | None = None, progress: bool | None = None) -> BuildReport:
    """Build the graph of every readable article in `inputs` and write it to `output`.

    Articles are read, extracted and written as a stream, so memory does not grow with the corpus.
    Unreadable inputs are reported through `on_error` (and in the report) and skipped. `output` is
    written only when the whole build succeeded, by rename, so it is never half written; when no article
    could be read it is left as it was.
    """
    rdf_format(output)  # fail on a bad extension or a missing folder before doing any work
    folder = Path(output).parent if str(Path(output).parent) else Path(".")
    if not folder.is_dir():
        raise OutputError(f"{output}: folder {folder} does not exist")
    report = BuildReport()

    def failed(err: ArticleError) -> None:
        report.errors.append(err)
        if on_error:
            on_error(err)

    def readable() -> Iterator[Article]:
        for item in read_inputs(inputs):
            if isinstance(item, ArticleWarning):
                if on_error:  # read with a guess: said once, the article is still built
                    on_error(item)
            elif isinstance(item, ArticleError):
                failed(item)
            else:
                report.articles += 1
                report.words += len(item.text.split())
                yield item

    def graphs() -> Iterator[tuple[str, str]]:
        stream: Iterable[ArticleQuads | ArticleError] = parallel_articles(readable(), workers)
        if show:
            from tqdm import tqdm
            stream = tqdm(stream, unit="article", desc="kg build", file=sys.stderr)
        # each article's event reports wait on disk, by day, for resolution after the last article; opened
        # here, once the output's stale scratch files have been cleared, so it is not taken for one of them
        with report_spill(output) as spill:
            for result in stream:
                if isinstance(result, ArticleError):
                    report.articles -= 1
                    failed(result)
                else:
                    spill.add(result.reports)
                    yield result.graph, result.nquads
            # one node per real-world event across the articles, resolved a block of days at a time
            yield from spill.graphs()

    show = sys.stderr.isatty() if progress is None else progress
    vocabulary = vocabulary_nquads(ontology_dir()) if include_vocabulary else ""
    try:
        report.statements = write_graphs(graphs(), output, vocabulary)
    except NothingToWrite:
        pass  # nothing could be read: leave any previous OUT untouched
    return report
