"""Front matter at the top of a text article, as static-site users write it.

YAML between `---` lines (Hugo, Jekyll: lists, quoted and multi-line values) or TOML between `+++` lines
(Hugo). YAML is read with PyYAML's safe loader (no tags that build Python objects), with every plain
value kept as text: YAML 1.1 would turn `title: No` into False and `title: 1984` into a number. Lines
end at \\r\\n, \\n or \\r only, so U+0085, U+2028 and U+2029 inside a value stay part of it (YAML counts them
as line breaks). Flat `key: value` lines that are not valid YAML (`title: "Fire" in Lviv, says "X"`) are
still read, one value per line, as before YAML was understood.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import yaml

try:
    import tomllib
except ModuleNotFoundError:  # Python 3.10
    import tomli as tomllib  # type: ignore[no-redef]

# lines end at \r\n, \n or \r only: U+0085 and U+2028 inside a front-matter value are part of the value
_LINE = re.compile(r"[^\r\n]*(?:\r\n|\n|\r)|[^\r\n]+\Z")
_KEY = re.compile(r"[a-z_][a-z0-9_-]*")
_TOML_POSITION = re.compile(r"\(at line (\d+), column (\d+)\)")
# characters YAML reads as line breaks but our lines do not: kept out of YAML's sight while it parses
_YAML_BREAKS = "\x85\u2028\u2029"
_BLANK = " \t\r\n\ufeff"
_FENCES = {"---": ("yaml", ("---", "...")), "+++": ("toml", ("+++",))}


class FrontMatterError(ValueError):
    """Front matter that cannot be read: the reason, and the line of the file where known."""

    def __init__(self, reason: str, line: int | None = None):
        super().__init__(reason)
        self.reason = reason
        self.line = line


@dataclass(frozen=True)
class FrontMatter:
    """The metadata (keys lower-cased; values text, lists, mappings or dates), the body, and the line
    of the file where the body starts."""

    meta: dict[str, Any]
    body: str
    body_line: int


def _text_loader() -> type:
    """PyYAML's safe loader (the C one when built) resolving no plain value but null to a type."""
    base = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    resolvers = {first: [(tag, rx) for tag, rx in pairs if tag in ("tag:yaml.org,2002:null", "tag:yaml.org,2002:merge")]
                 for first, pairs in base.yaml_implicit_resolvers.items()}
    return type("TextSafeLoader", (base,), {"yaml_implicit_resolvers": resolvers})


_LOADER = _text_loader()


def split_front_matter(text: str) -> FrontMatter:
    """Metadata and body of `text`, which may open with front matter after blank lines or byte order marks.

    Raises FrontMatterError for front matter that is opened and never closed, or that cannot be read."""
    if not text.lstrip(_BLANK).startswith(("---", "+++")):
        return FrontMatter({}, text, 1)
    lines = _LINE.findall(text)
    first = 0
    while first < len(lines) and not lines[first].strip(_BLANK):
        first += 1
    fence = lines[first].strip(_BLANK) if first < len(lines) else ""
    if fence not in _FENCES:
        return FrontMatter({}, text, 1)
    kind, closers = _FENCES[fence]
    start_line = first + 2  # the file line of the block's first line (1-based)
    for i in range(first + 1, len(lines)):
        if lines[i].strip() in closers:
            block = "".join(lines[first + 1:i])
            meta = _read_toml(block, start_line) if kind == "toml" else _read_yaml(block, start_line)
            return FrontMatter(meta, "".join(lines[i + 1:]), i + 2)
    if kind == "yaml":  # a line that is no 'key: value' is a clearer message than a missing fence
        _read_lines(lines[first + 1:], start_line)
    raise FrontMatterError(f"broken front matter: opened with '{fence}' but never closed", 1)


def _read_yaml(block: str, start_line: int) -> dict[str, Any]:
    """A YAML mapping, or flat `key: value` lines when the block is not YAML."""
    shielded, restore = _shield(block)
    try:
        data = yaml.load(shielded, Loader=_LOADER)  # noqa: S506 - a SafeLoader subclass
    except yaml.constructor.ConstructorError as err:
        # valid YAML asking for a type the safe loader does not build (!!python/object...): refused, not
        # read as text, so that nobody mistakes what was loaded
        raise FrontMatterError(f"broken front matter (YAML): {err.problem or 'unknown tag'}; "
                               "kg loads plain values only", _yaml_line(err, start_line)) from None
    except yaml.YAMLError as err:
        try:
            return _read_lines(_LINE.findall(block), start_line)
        except FrontMatterError:
            raise FrontMatterError(_yaml_reason(err), _yaml_line(err, start_line)) from None
    except RecursionError:
        raise FrontMatterError("broken front matter: nested too deeply", start_line) from None
    if data is None:
        return {}
    if not isinstance(data, dict):
        return _read_lines(_LINE.findall(block), start_line)
    meta: dict[str, Any] = {}
    for key, value in data.items():
        if not isinstance(key, str):
            continue  # not a key we read
        meta[restore(key).strip().lower()] = _restore_value(value, restore)
    return meta


def _shield(block: str):
    """`block` with U+0085/U+2028/U+2029 swapped for private-use characters it lacks, and the undo."""
    if not any(c in block for c in _YAML_BREAKS):
        return block, lambda s: s
    spare = iter(c for c in map(chr, range(0xE000, 0xF900)) if c not in block)
    swap = {brk: next(spare) for brk in _YAML_BREAKS}
    back = str.maketrans({v: k for k, v in swap.items()})
    return block.translate(str.maketrans(swap)), lambda s: s.translate(back)


def _restore_value(value: Any, restore) -> Any:
    """Undo the shield on a value and on the text items of a list (deeper values are not read)."""
    if isinstance(value, str):
        return restore(value)
    if isinstance(value, list):
        return [restore(v) if isinstance(v, str) else v for v in value]
    return value


def _yaml_reason(err: yaml.YAMLError) -> str:
    problem = getattr(err, "problem", None) or str(err).splitlines()[0]
    context = getattr(err, "context", None)
    return f"broken front matter (YAML): {problem}" + (f" ({context})" if context else "")


def _yaml_line(err: yaml.YAMLError, start_line: int) -> int | None:
    mark = getattr(err, "problem_mark", None)
    return start_line + mark.line if mark is not None else None


def _read_toml(block: str, start_line: int) -> dict[str, Any]:
    try:
        data = tomllib.loads(block)
    except tomllib.TOMLDecodeError as err:
        message = str(err).splitlines()[0]
        where = _TOML_POSITION.search(message)
        line = start_line + int(where.group(1)) - 1 if where else None
        raise FrontMatterError(f"broken front matter (TOML): {_TOML_POSITION.sub('', message).strip()}",
                               line) from None
    return {key.strip().lower(): value for key, value in data.items()}


def _read_lines(lines: list[str], start_line: int) -> dict[str, str]:
    """Flat `key: value` lines, one value each (the first colon splits); comments and blank lines skipped."""
    meta: dict[str, str] = {}
    for i, line in enumerate(lines, start=start_line):
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            continue
        if ":" not in stripped:
            raise FrontMatterError(f"broken front matter: expected 'key: value', got {stripped[:40]!r}", i)
        key, _, value = stripped.partition(":")
        key = key.strip().lower()
        if not _KEY.fullmatch(key):
            raise FrontMatterError(f"broken front matter: bad key {key[:30]!r}", i)
        meta[key] = unquote(value.strip(" \t\r\n"))
    return meta


def unquote(value: str) -> str:
    """'"x"' -> 'x' when the whole value is one quoted string; quotes inside or at one end are kept."""
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"" and value[0] not in value[1:-1]:
        return value[1:-1]
    return value
