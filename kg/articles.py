"""Read articles from .txt/.md (optional front matter), .html and .jsonl files, or folders of them.

Every problem with one input becomes an `ArticleError` naming the file (and line) and the reason;
the caller reports it and goes on with the other articles.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Callable, Iterable, Iterator

from .model import Article

TEXT_SUFFIXES = {".txt", ".md", ".markdown"}
HTML_SUFFIXES = {".html", ".htm"}
JSONL_SUFFIXES = {".jsonl", ".ndjson"}
SUFFIXES = TEXT_SUFFIXES | HTML_SUFFIXES | JSONL_SUFFIXES
MAX_BYTES = 20 * 1024 * 1024  # one article; a .jsonl may hold many, so its limit is per line
MAX_JSONL_BYTES = 2 * 1024 * 1024 * 1024
_ID_OK = re.compile(r"[^A-Za-z0-9._~-]+")


@dataclass(frozen=True)
class ArticleError:
    """Why one input (or one line of it) could not be read."""

    path: str
    reason: str
    line: int | None = None

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        return f"{where}: {self.reason}"


class InputError(Exception):
    """Raised for a problem with one input; carries the line where known."""

    def __init__(self, reason: str, line: int | None = None):
        super().__init__(reason)
        self.reason = reason
        self.line = line


def find_inputs(paths: Iterable[str | Path]) -> Iterator[Path | ArticleError]:
    """Files named directly, and article files found recursively in folders, in a stable order."""
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            found = sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in SUFFIXES
                           and not any(part.startswith(".") for part in p.relative_to(path).parts))
            if not found:
                yield ArticleError(str(path), "folder holds no .txt, .md, .html or .jsonl articles")
            yield from found
        elif path.is_file():
            if path.suffix.lower() not in SUFFIXES:
                yield ArticleError(str(path), f"unsupported file type '{path.suffix or '(none)'}'; "
                                              "use .txt, .md, .html or .jsonl")
            else:
                yield path
        elif path.exists():
            yield ArticleError(str(path), "not a regular file")
        else:
            yield ArticleError(str(path), "no such file or folder")


def read_inputs(paths: Iterable[str | Path]) -> Iterator[Article | ArticleError]:
    """Yield every article in `paths`, or an ArticleError for each one that cannot be read."""
    seen: dict[str, str] = {}
    for item in find_inputs(paths):
        if isinstance(item, ArticleError):
            yield item
            continue
        for result in read_file(item):
            if isinstance(result, Article):
                if result.id in seen:
                    yield ArticleError(result.source_path, f"duplicate article id '{result.id}' "
                                                           f"(already read from {seen[result.id]})")
                    continue
                seen[result.id] = result.source_path
            yield result


def collect_articles(paths: Iterable[str | Path],
                     on_error: Callable[[ArticleError], None] | None = None) -> tuple[list[Article], list[ArticleError]]:
    """All readable articles of `paths`, and the errors (each also passed to `on_error` as it is found)."""
    articles: list[Article] = []
    errors: list[ArticleError] = []
    for item in read_inputs(paths):
        if isinstance(item, ArticleError):
            errors.append(item)
            if on_error:
                on_error(item)
        else:
            articles.append(item)
    return articles, errors


def read_file(path: Path) -> Iterator[Article | ArticleError]:
    """Read one file: a single article, or one per line for JSON lines."""
    suffix = path.suffix.lower()
    try:
        size = path.stat().st_size
        limit = MAX_JSONL_BYTES if suffix in JSONL_SUFFIXES else MAX_BYTES
        if size == 0:
            raise InputError("empty file")
        if size > limit:
            raise InputError(f"file too large ({size / 2**20:.1f} MiB; the limit is {limit / 2**20:.0f} MiB)")
        if suffix in JSONL_SUFFIXES:
            yield from _read_jsonl(path)
            return
        data = path.read_bytes()
        text = decode(data)
        if suffix in HTML_SUFFIXES or looks_like_html(text):
            yield article_from_html(text, path.stem, str(path))
        else:
            yield article_from_text(text, path.stem, str(path))
    except InputError as err:
        yield ArticleError(str(path), err.reason, err.line)
    except OSError as err:
        yield ArticleError(str(path), f"cannot read: {err.strerror or err}")


def decode(data: bytes) -> str:
    """UTF-8 text (BOM dropped); binary or other encodings raise InputError."""
    if b"\x00" in data[:65536]:
        raise InputError("binary file (contains NUL bytes), not text")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as err:
        raise InputError(f"not UTF-8 text (invalid byte 0x{data[err.start]:02x} at offset {err.start}); "
                         "convert it to UTF-8") from None
    return text.removeprefix("\ufeff")


def looks_like_html(text: str) -> bool:
    head = text.lstrip()[:512].lower()
    return head.startswith(("<!doctype html", "<html")) or ("<body" in head and "</" in head)


def article_id(raw: str) -> str:
    """A safe article id (also used in IRIs): keep letters, digits and . _ ~ -."""
    cleaned = _ID_OK.sub("_", raw.strip()).strip("_")
    if not cleaned:
        raise InputError(f"article id {raw!r} has no usable characters")
    return cleaned


def parse_date(value: str) -> date:
    value = value.strip().strip("'\"")
    try:
        if len(value) == 10:
            return date.fromisoformat(value)
        return datetime.fromisoformat(value.replace("Z", "+00:00")).date()
    except ValueError:
        raise InputError(f"front matter date {value!r} is not an ISO 8601 date") from None


def split_front_matter(text: str) -> tuple[dict[str, str], str, int]:
    """(metadata, body, line number where the body starts) for text that may open with '---'."""
    lines = text.splitlines(keepends=True)
    if not lines or lines[0].strip() != "---":
        return {}, text, 1
    meta: dict[str, str] = {}
    for i, line in enumerate(lines[1:], start=2):
        stripped = line.strip()
        if stripped in ("---", "..."):
            return meta, "".join(lines[i:]), i + 1
        if not stripped or stripped.startswith("#"):
            continue
        if ":" not in stripped:
            raise InputError(f"broken front matter: expected 'key: value', got {stripped[:40]!r}", i)
        key, _, value = stripped.partition(":")
        key = key.strip().lower()
        if not re.fullmatch(r"[a-z_][a-z0-9_-]*", key):
            raise InputError(f"broken front matter: bad key {key[:30]!r}", i)
        meta[key] = value.strip().strip("'\"")
    raise InputError("broken front matter: opened with '---' but never closed", 1)


def article_from_text(text: str, stem: str, source: str) -> Article:
    """An Article from .txt/.md text with optional front matter (title, date, url)."""
    meta, body, _ = split_front_matter(text)
    if not body.strip():
        raise InputError("no article text after the front matter" if meta else "no article text")
    published = parse_date(meta["date"]) if meta.get("date") else None
    return Article(id=article_id(meta.get("id") or stem), text=body, title=meta.get("title", ""),
                   date=published, url=meta.get("url", ""), source_path=source)


def article_from_html(html: str, stem: str, source: str) -> Article:
    """An Article from a saved web page: readable text, title and date found by trafilatura."""
    import trafilatura  # imported here: it is slow to import and only HTML needs it

    doc = trafilatura.bare_extraction(html, with_metadata=True, include_comments=False,
                                      include_tables=False, favor_precision=True)
    if doc is None:
        raise InputError("no readable article text in this HTML page")
    get = (lambda k: getattr(doc, k, None)) if not isinstance(doc, dict) else doc.get
    body = (get("text") or "").strip()
    if not body:
        raise InputError("no readable article text in this HTML page")
    published = None
    if get("date"):
        try:
            published = parse_date(str(get("date"))[:10])
        except InputError:
            published = None
    return Article(id=article_id(stem), text=body + "\n", title=(get("title") or "").strip(), date=published,
                   url=(get("url") or "").strip(), source_path=source)


def _read_jsonl(path: Path) -> Iterator[Article | ArticleError]:
    with path.open("rb") as fh:
        for lineno, raw in enumerate(fh, start=1):
            if not raw.strip():
                continue
            try:
                if len(raw) > MAX_BYTES:
                    raise InputError("line too large for one article")
                record = json.loads(decode(raw))
                if not isinstance(record, dict):
                    raise InputError("expected a JSON object with 'id' and 'text'")
                text = record.get("text")
                if not isinstance(text, str) or not text.strip():
                    raise InputError("missing or empty 'text'")
                published = parse_date(str(record["date"])) if record.get("date") else None
                yield Article(id=article_id(str(record.get("id") or f"{path.stem}-{lineno}")), text=text,
                              title=str(record.get("title") or ""), date=published,
                              url=str(record.get("url") or ""), source_path=f"{path}:{lineno}")
            except json.JSONDecodeError as err:
                yield ArticleError(str(path), f"bad JSON line: {err.msg} at column {err.colno}", lineno)
            except InputError as err:
                yield ArticleError(str(path), err.reason, lineno)
