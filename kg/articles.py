"""Read articles from .txt/.md (optional front matter), .html and .jsonl files, or folders of them.

Every problem with one input becomes an `ArticleError` naming the file (and line) and the reason;
the caller reports it and goes on with the other articles. An article read with a guess (a date that
reads two ways) is read, and comes with an `ArticleWarning` the caller reports. Front matter is read by
kg/frontmatter.py, dates by kg/pubdate.py.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable, Iterator

from .frontmatter import FrontMatterError, split_front_matter
from .model import Article
from .pubdate import DateError, ReadDate, read_date

TEXT_SUFFIXES = {".txt", ".md", ".markdown"}
HTML_SUFFIXES = {".html", ".htm"}
JSONL_SUFFIXES = {".jsonl", ".ndjson"}
SUFFIXES = TEXT_SUFFIXES | HTML_SUFFIXES | JSONL_SUFFIXES
MAX_BYTES = 20 * 1024 * 1024  # one article; a .jsonl may hold many, so its limit is per line
MAX_JSONL_BYTES = 2 * 1024 * 1024 * 1024
_SURROGATE = re.compile(r"[\ud800-\udfff]")
_SENTENCE_END = re.compile(r"[.!?\u3002](?:\s|$)")
# htmldate without its "extensive search", which takes any year it finds (a copyright footer) as the date
_DATE_PARAMS = {"extensive_search": False, "original_date": True}


@dataclass(frozen=True)
class _InputNote:
    """Something said about one input (or one line of it), printed as `FILE[:LINE]: reason`."""

    path: str
    reason: str
    line: int | None = None

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        return f"{where}: {self.reason}"


@dataclass(frozen=True)
class ArticleError(_InputNote):
    """Why one input (or one line of it) could not be read."""


@dataclass(frozen=True)
class ArticleWarning(_InputNote):
    """Something in one input read with a guess (an ambiguous date); the article itself was read."""


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
            found, broken = [], []
            for p in path.rglob("*"):
                if any(part.startswith(".") for part in p.relative_to(path).parts) or p.suffix.lower() not in SUFFIXES:
                    continue
                if p.is_file():
                    found.append(p)
                elif p.is_symlink() and not p.exists():
                    broken.append(p)
            for p in sorted(broken):
                yield ArticleError(str(p), "broken symbolic link (or a loop of links)")
            if not found and not broken:
                yield ArticleError(str(path), "folder holds no .txt, .md, .html or .jsonl articles")
            yield from sorted(found)
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


def read_inputs(paths: Iterable[str | Path]) -> Iterator[Article | ArticleError | ArticleWarning]:
    """Yield every article in `paths`, an ArticleError for each one that cannot be read, and an
    ArticleWarning (before its article) for each article read with a guess."""
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
                     on_error: Callable[[ArticleError | ArticleWarning], None] | None = None,
                     ) -> tuple[list[Article], list[ArticleError]]:
    """All readable articles of `paths`, and the errors.

    Each error, and each warning about an article read with a guess, is passed to `on_error` as it is
    found; warnings are not errors and are not returned."""
    articles: list[Article] = []
    errors: list[ArticleError] = []
    for item in read_inputs(paths):
        if isinstance(item, ArticleWarning):
            if on_error:
                on_error(item)
        elif isinstance(item, ArticleError):
            errors.append(item)
            if on_error:
                on_error(item)
        else:
            articles.append(item)
    return articles, errors


def read_file(path: Path) -> Iterator[Article | ArticleError | ArticleWarning]:
    """Read one file: a single article, or one per line for JSON lines (warnings before their article)."""
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
        stem = file_id(path)
        data = path.read_bytes()
        text = decode(data)
        if suffix in HTML_SUFFIXES or looks_like_html(text):
            yield article_from_html(text, stem, str(path))
        else:
            article, warnings = read_text_article(text, stem, str(path))
            yield from warnings
            yield article
    except InputError as err:
        yield ArticleError(str(path), err.reason, err.line)
    except OSError as err:
        yield ArticleError(str(path), f"cannot read: {err.strerror or err}")
    except RecursionError:
        yield ArticleError(str(path), "too deeply nested to read")


def file_id(path: Path) -> str:
    """The id of the article in a file: its name without the extension (refused when not UTF-8)."""
    if _SURROGATE.search(path.stem):
        raise InputError("file name is not valid UTF-8; rename the file")
    return article_id(path.stem)


def decode(data: bytes) -> str:
    """UTF-8 text (BOM dropped); binary or other encodings raise InputError."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff", b"\x00\x00\xfe\xff")) or (b"\x00" in data[:65536] and _utf16_or_32(data)):
        raise InputError("UTF-16 or UTF-32 text; convert it to UTF-8")
    if b"\x00" in data[:65536]:
        raise InputError("binary file (contains NUL bytes), not text")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as err:
        raise InputError(f"not UTF-8 text (invalid byte 0x{data[err.start]:02x} at offset {err.start}); "
                         "convert it to UTF-8") from None
    return text.lstrip("\ufeff")


def _utf16_or_32(data: bytes) -> bool:
    """Text in UTF-16/32 without a byte order mark: ASCII letters with zero bytes between them."""
    head = data[:400]
    for width in (2, 4):
        for pos in range(width):
            chars = head[pos::width]
            rest = bytes(b for k, b in enumerate(head) if k % width != pos)
            if len(chars) >= 4 and not rest.strip(b"\x00") and all(32 <= c < 127 or c in (9, 10, 13) for c in chars):
                return True
    return False


def looks_like_html(text: str) -> bool:
    """A page saved under a text extension: only when it opens as an HTML document."""
    head = text.lstrip()[:64].lower()
    return head.startswith(("<!doctype html", "<html"))


def article_id(raw: str) -> str:
    """An article id: the name as given, so that ids map one-to-one from file names.

    Nothing is replaced (`report 1` and `report_1` stay two articles; `київ` is `київ`): the article IRI
    percent-encodes the id. Refused: an empty id, and text that is not valid Unicode (lone surrogates).
    """
    if not raw.strip():
        raise InputError(f"article id {raw!r} is empty")
    if _SURROGATE.search(raw):
        raise InputError("article id is not valid Unicode text")
    return raw


# keys a publication date is found under, in this order (Hugo also writes publishDate)
DATE_KEYS = ("date", "publishdate", "published", "pubdate")


def parse_date(value: object, what: str = "front matter date") -> ReadDate:
    """A publication date read to the day (see kg.pubdate); InputError when it names no day."""
    try:
        return read_date(value)
    except DateError as err:
        shown = value if isinstance(value, str) else str(value)
        raise InputError(f"{what} {shown[:40]!r} {err}") from None


def meta_text(meta: dict[str, object], key: str) -> str:
    """A front-matter value that must be text (a number is text too); InputError for a list or mapping."""
    value = meta.get(key)
    if value is None:
        return ""
    if isinstance(value, (list, dict)):
        raise InputError(f"front matter '{key}' is a {'list' if isinstance(value, list) else 'mapping'}; "
                         "it must be one text value")
    return str(value).strip()


def article_from_text(text: str, stem: str, source: str) -> Article:
    """An Article from .txt/.md text with optional front matter (title, date, url)."""
    return read_text_article(text, stem, source)[0]


def read_text_article(text: str, stem: str, source: str) -> tuple[Article, list[ArticleWarning]]:
    """An Article from .txt/.md text with optional YAML or TOML front matter, and what was guessed."""
    try:
        front = split_front_matter(text)
    except FrontMatterError as err:
        raise InputError(err.reason, err.line) from None
    meta, body = front.meta, front.body
    if not body.strip():
        raise InputError("no article text after the front matter" if meta else "no article text")
    warnings: list[ArticleWarning] = []
    published = None
    key = next((k for k in DATE_KEYS if meta.get(k) not in (None, "")), None)
    if key is not None:
        found = parse_date(meta[key], f"front matter '{key}'" if key != "date" else "front matter date")
        published = found.value
        if found.guess:
            shown = meta[key] if isinstance(meta[key], str) else str(meta[key])
            warnings.append(ArticleWarning(source, f"front matter {key} {shown[:40]!r} {found.guess}; "
                                                   "write it as ISO 8601 (YYYY-MM-DD) to be sure"))
    given_id = meta_text(meta, "id")
    if given_id and given_id != stem:
        # an id in the text itself would let any file replace another article: the file name decides
        raise InputError(f"front matter 'id: {given_id[:40]}' differs from the file name's id {stem!r}; "
                         "an article's id is its file name: rename the file or drop the key")
    article = Article(id=article_id(stem), text=body, title=meta_text(meta, "title"), date=published,
                      url=meta_text(meta, "url"), source_path=source)
    return article, warnings


def article_from_html(html: str, stem: str, source: str) -> Article:
    """An Article from a saved web page: readable text, title and date found by trafilatura."""
    import trafilatura  # imported here: it is slow to import and only HTML needs it

    options = dict(with_metadata=True, include_comments=False, include_tables=False, favor_precision=True)
    doc = trafilatura.bare_extraction(html, date_extraction_params=dict(_DATE_PARAMS), **options)
    if doc is None or not _doc_text(doc):
        # libxml2 stops at 256 levels of nesting unless told otherwise: read deep pages as a huge tree
        tree = _huge_tree(html)
        if tree is not None:
            doc = trafilatura.bare_extraction(tree, date_extraction_params=dict(_DATE_PARAMS), **options) or doc
    if (doc is None or not _doc_text(doc)) and _deeper_than(html, MAX_DEPTH):
        # even a huge tree ends at 2,048 levels and drops what lies deeper: read the page with its
        # nesting cut to MAX_DEPTH levels (the tags below that are dropped, their text kept)
        doc = trafilatura.bare_extraction(flatten_html(html, MAX_DEPTH), date_extraction_params=dict(_DATE_PARAMS),
                                          **options) or doc
    if doc is None:
        raise InputError("no readable article text in this HTML page")
    get = (lambda k: getattr(doc, k, None)) if not isinstance(doc, dict) else doc.get
    body = (get("text") or "").strip()
    if not body:
        raise InputError("no readable article text in this HTML page")
    if not _has_prose(body):
        raise InputError("no article in this HTML page (only navigation or short fragments, no sentences)")
    published = None
    if get("date"):
        try:
            published = parse_date(str(get("date"))[:10]).value
        except InputError:
            published = None
    return Article(id=article_id(stem), text=body + "\n", title=(get("title") or "").strip(), date=published,
                   url=(get("url") or "").strip(), source_path=source)


def _read_jsonl(path: Path) -> Iterator[Article | ArticleError | ArticleWarning]:
    with path.open("rb") as fh:
        for lineno, raw in enumerate(fh, start=1):
            if not raw.strip():
                continue
            try:
                article, warnings = _jsonl_article(path, raw, lineno)
                yield from warnings
                yield article
            except json.JSONDecodeError as err:
                yield ArticleError(str(path), f"bad JSON line: {err.msg} at column {err.colno}", lineno)
            except InputError as err:
                yield ArticleError(str(path), err.reason, lineno)
            except RecursionError:
                yield ArticleError(str(path), "bad JSON line: nested too deeply", lineno)
            except ValueError as err:  # e.g. an integer of thousands of digits
                yield ArticleError(str(path), f"bad JSON line: {str(err).splitlines()[0][:80]}", lineno)


def _has_prose(body: str) -> bool:
    """A paragraph that reads as prose: six words or more and a sentence end (menus and link lists have none).

    Linear in the size of the page (a regular expression with nested repetition was not)."""
    return any(_SENTENCE_END.search(line) and len(line.split()) >= 6 for line in body.splitlines())


def _doc_text(doc) -> str:
    return ((doc.get("text") if isinstance(doc, dict) else getattr(doc, "text", None)) or "").strip()


# how deep a page is read as written; below that, element tags are dropped (not their text)
MAX_DEPTH = 200
# a tag ends at '>' and may not hold '<': each match attempt stops at the next '<' (linear time)
_TAG = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9:-]*)[^<>]*>")
_RAW_OPEN = re.compile(r"<!--|<(script|style|textarea|title)\b[^<>]*>", re.I)
_RAW_CLOSE = {"": re.compile(r"-->")} | {name: re.compile(rf"</{name}\s*>", re.I)
                                         for name in ("script", "style", "textarea", "title")}
# elements that never hold others (no end tag), and paragraph breaks kept at any depth
_VOID = frozenset("area base br col embed hr img input link meta param source track wbr".split())
_BREAKS = frozenset("p br h1 h2 h3 h4 h5 h6".split())


def _deeper_than(html: str, depth: int) -> bool:
    """Whether the page's start tags ever run `depth` levels deeper than its end tags (one linear scan)."""
    level = 0
    for m in _TAG.finditer(html):
        name = m.group(2).lower()
        if name in _VOID:
            continue
        level = max(0, level - 1) if m.group(1) else level + 1
        if level > depth:
            return True
    return False


def flatten_html(html: str, depth: int) -> str:
    """`html` with every element tag deeper than `depth` levels dropped, except paragraph breaks; text,
    comments, scripts and styles are kept as they are. One pass, linear in the page's size."""
    raw = _raw_spans(html)
    out: list[str] = []
    pos = level = 0
    k = 0
    for m in _TAG.finditer(html):
        while k < len(raw) and raw[k][1] <= m.start():
            k += 1
        if k < len(raw) and raw[k][0] <= m.start():
            continue  # a tag inside a comment or a script is text
        name = m.group(2).lower()
        if name in _VOID:
            continue
        if m.group(1):
            level = max(0, level - 1)
            drop = level >= depth
        else:
            drop = level >= depth
            level += 1
        if drop and name not in _BREAKS:
            out.append(html[pos:m.start()])
            pos = m.end()
    out.append(html[pos:])
    return "".join(out)


def _raw_spans(html: str) -> list[tuple[int, int]]:
    """Where the comments and the script, style, textarea and title contents are, in order; one that is
    never closed runs to the end (so the scan is linear even with thousands of unclosed ones)."""
    spans, pos = [], 0
    while (m := _RAW_OPEN.search(html, pos)) is not None:
        close = _RAW_CLOSE[(m.group(1) or "").lower()].search(html, m.end())
        end = close.end() if close else len(html)
        spans.append((m.start(), end))
        pos = end
    return spans


def _huge_tree(html: str):
    import lxml.etree
    import lxml.html

    try:
        return lxml.html.document_fromstring(html, parser=lxml.html.HTMLParser(huge_tree=True))
    except (lxml.etree.LxmlError, ValueError):
        return None


def _jsonl_article(path: Path, raw: bytes, lineno: int) -> tuple[Article, list[ArticleWarning]]:
    if len(raw) > MAX_BYTES:
        raise InputError("line too large for one article")
    record = json.loads(decode(raw))
    if not isinstance(record, dict):
        raise InputError("expected a JSON object with 'id' and 'text'")
    text = record.get("text")
    if text is None or (isinstance(text, str) and not text.strip()):
        raise InputError("missing or empty 'text'")
    for key in ("text", "title", "url", "date", "id"):
        if record.get(key) is not None and not isinstance(record[key], str) and key != "id":
            raise InputError(f"'{key}' must be a string, not {_json_type(record[key])}")
    raw_id = record.get("id")
    if raw_id is not None and not isinstance(raw_id, (str, int)) or isinstance(raw_id, bool):
        raise InputError(f"'id' must be a string, not {_json_type(raw_id)}")
    found = parse_date(record["date"], "'date'") if record.get("date") else None
    warnings = [ArticleWarning(str(path), f"'date' {record['date'][:40]!r} {found.guess}; write it as ISO 8601 "
                                          "(YYYY-MM-DD) to be sure", lineno)] if found and found.guess else []
    # a lone surrogate (an escape such as "\\ud800") cannot be written out: read it as U+FFFD
    clean = lambda v: _SURROGATE.sub("\ufffd", v)  # noqa: E731
    article = Article(id=article_id(str(raw_id) if raw_id not in (None, "") else f"{path.stem}-{lineno}"),
                      text=clean(text), title=clean(record.get("title") or ""), date=found.value if found else None,
                      url=clean(record.get("url") or ""), source_path=f"{path}:{lineno}")
    return article, warnings


def _json_type(value) -> str:
    return {dict: "an object", list: "an array", bool: "true/false", int: "a number", float: "a number",
            type(None): "null"}.get(type(value), type(value).__name__)
