"""`kg build`: read articles, extract, convert to RDF and write one dataset atomically."""
from __future__ import annotations

import os
import signal
import sys
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable, Iterator

import pyoxigraph as ox

from .articles import ArticleError, collect_articles
from .extract import default_resources, extract
from .lexicon import ontology_dir
from .model import Article
from .output import rdf_format, write_dataset
from .rdf import extraction_quads, vocabulary_quads
from .resolve import EventReport, event_reports, resolution_quads, resolve


@dataclass
class BuildReport:
    """What a build did: articles read, skipped (with reasons), statements written."""

    articles: int = 0
    words: int = 0
    statements: int = 0
    errors: list[ArticleError] = field(default_factory=list)


def article_quads(article: Article) -> list[ox.Quad]:
    """Extraction and RDF for one article: a pure function of the article (safe in worker processes)."""
    return article_output(article)[0]


def article_output(article: Article) -> tuple[list[ox.Quad], list[EventReport]]:
    """The article's quads and its event reports (for event resolution), from one extraction."""
    resources = default_resources()
    x = extract(article, resources)
    return extraction_quads(x, resources.lexicon), event_reports(x)


ArticleOutput = tuple[list[ox.Quad], list[EventReport]]


def _safe(article: Article) -> ArticleOutput | ArticleError:
    # one unexpected failure must not sink a build of thousands of articles: report it and go on
    try:
        return article_output(article)
    except Exception as err:  # noqa: BLE001
        return ArticleError(article.source_path or article.id, f"extraction failed ({type(err).__name__}: {err})")


def parallel_quads(articles: Iterable[Article], workers: int) -> Iterator[ArticleOutput | ArticleError]:
    """Quads and event reports of each article (or why it failed), in input order, from `workers` processes."""
    if workers <= 1:
        for a in articles:
            yield _safe(a)
        return
    # quads are not picklable; workers return N-Quads text, parsed back here in input order
    pool = ProcessPoolExecutor(max_workers=workers, initializer=_worker_init, initargs=(os.getpid(),))
    try:
        for result in pool.map(_article_nquads, articles, chunksize=16):
            yield result if isinstance(result, ArticleError) else (list(
                ox.parse(result[0].encode("utf-8"), format=ox.RdfFormat.N_QUADS)), result[1])
    except BaseException:
        # Ctrl-C, a failed write, a consumer that stops early: stop the workers now, not after their queue
        _stop_pool(pool)
        raise
    else:
        pool.shutdown(wait=True)
    finally:
        _stop_pool(pool)


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


def _article_nquads(article: Article) -> tuple[str, list[EventReport]] | ArticleError:
    result = _safe(article)
    if isinstance(result, ArticleError):
        return result
    return ox.serialize(result[0], format=ox.RdfFormat.N_QUADS).decode("utf-8"), result[1]


def build(inputs: Iterable[str | Path], output: str | Path, workers: int = 1, include_vocabulary: bool = True,
          on_error: Callable[[ArticleError], None] | None = None, progress: bool | None = None) -> BuildReport:
    """Build the graph of every readable article in `inputs` and write it to `output`.

    Unreadable inputs are reported through `on_error` (and in the report) and skipped. `output` is
    written only when the whole build succeeded, by rename, so it is never half written.
    """
    rdf_format(output)  # fail on a bad extension or a missing folder before doing any work
    folder = Path(output).parent if str(Path(output).parent) else Path(".")
    if not folder.is_dir():
        from .output import OutputError

        raise OutputError(f"{output}: folder {folder} does not exist")
    report = BuildReport()
    articles, report.errors = collect_articles(inputs, on_error)
    report.articles = len(articles)
    if not articles:
        return report  # nothing to write: leave any previous OUT untouched
    report.words = sum(len(a.text.split()) for a in articles)
    show = sys.stderr.isatty() if progress is None else progress
    quads: list[ox.Quad] = []
    reports: list[EventReport] = []
    stream = parallel_quads(articles, workers)
    if show and len(articles) > 1:
        from tqdm import tqdm
        stream = tqdm(stream, total=len(articles), unit="article", desc="kg build", file=sys.stderr)
    for part in stream:
        if isinstance(part, ArticleError):
            report.errors.append(part)
            report.articles -= 1
            if on_error:
                on_error(part)
            continue
        quads.extend(part[0])
        reports.extend(part[1])
    if report.articles == 0:
        return report
    quads.extend(resolution_quads(resolve(reports)))  # one node per real-world event across the articles
    if include_vocabulary:
        quads.extend(vocabulary_quads(ontology_dir()))
    report.statements = write_dataset(quads, output)
    return report
