"""Stable, distinct IRI keys for names found in text, in any script.

`name_key` turns a name into the last segment of a minted IRI (`.../person/KEY`):
- Latin names keep the project's historical slug: lower case, accents dropped, runs of other characters
  turned into one hyphen ("Ihor Terekhov" -> `ihor-terekhov`). Latin letters that Unicode does not
  decompose (Ł, Ø, Đ, ß, Æ, Œ, Þ, ı) are spelled out, so "Łódź" is `lodz`, not `odz`.
- Cyrillic and Greek letters are transliterated so the IRI stays readable ("Ігор Терехов" ->
  `igor-terekhov-…`), and a short hash of the exact name (NFC, case-folded, single spaces) is appended:
  transliteration merges letters (Ukrainian і and и, Russian ы and и), and two different names must never
  share a node, nor a Cyrillic name take over the node of a Latin one.
- Letters of any other script (Arabic, Hebrew, CJK, ...) are not guessed at: the key is `u-` and the hash.

The transliteration table is ours (a few dozen letters) rather than a library: `unidecode` is GPL, which
does not fit this MIT project, and `anyascii` (ISC) would be one more dependency for readability alone. The
hash makes the key distinct whatever the table says, so the table only decides readability.
"""
from __future__ import annotations

import hashlib
import re
import unicodedata

_LATIN_EXTRA = {
    "ł": "l", "ø": "o", "đ": "d", "ð": "d", "ß": "ss", "æ": "ae", "œ": "oe", "þ": "th", "ı": "i", "ŀ": "l",
    "ħ": "h", "ŧ": "t", "ŋ": "ng", "ĸ": "k",
}
_CYRILLIC = {
    "а": "a", "б": "b", "в": "v", "г": "h", "ґ": "g", "д": "d", "е": "e", "є": "ie", "ж": "zh", "з": "z",
    "и": "y", "і": "i", "ї": "i", "й": "i", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o", "п": "p",
    "р": "r", "с": "s", "т": "t", "у": "u", "ф": "f", "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh",
    "щ": "shch", "ь": "", "ю": "iu", "я": "ia", "ъ": "", "ы": "y", "э": "e", "ё": "e", "ў": "u",
    "ђ": "dj", "ј": "j", "љ": "lj", "њ": "nj", "ћ": "c", "џ": "dz", "ѓ": "gj", "ќ": "kj", "ѕ": "dz",
}
_GREEK = {
    "α": "a", "β": "v", "γ": "g", "δ": "d", "ε": "e", "ζ": "z", "η": "i", "θ": "th", "ι": "i", "κ": "k",
    "λ": "l", "μ": "m", "ν": "n", "ξ": "x", "ο": "o", "π": "p", "ρ": "r", "σ": "s", "ς": "s", "τ": "t",
    "υ": "y", "φ": "f", "χ": "ch", "ψ": "ps", "ω": "o",
}
_OTHER_SCRIPT = {**_CYRILLIC, **_GREEK}
_ASCII_SLUG = re.compile(r"[^a-z0-9]+")


def name_hash(name: str) -> str:
    """10 hex digits that identify a name exactly (after NFC, case folding and spacing)."""
    canonical = " ".join(unicodedata.normalize("NFC", name).casefold().split())
    return hashlib.sha256(canonical.encode("utf-8", "surrogatepass")).hexdigest()[:10]


def name_key(name: str) -> str:
    """The IRI key of a name: a readable slug, with a hash when the name is not in Latin letters."""
    out: list[str] = []
    foreign = False
    for c in _letters(name):
        if unicodedata.combining(c):
            continue
        c = c.lower()
        if c.isascii():
            out.append(c)
        elif c in _LATIN_EXTRA:
            out.append(_LATIN_EXTRA[c])
        elif c in _OTHER_SCRIPT:
            out.append(_OTHER_SCRIPT[c])
            foreign = True
        elif c.isalnum():
            out.append(" ")  # a letter we cannot spell: the hash tells it apart
            foreign = True
        else:
            out.append(" ")
    readable = _ASCII_SLUG.sub("-", "".join(out)).strip("-")
    if foreign or not readable:
        return f"{readable}-{name_hash(name)}" if readable else f"u-{name_hash(name)}"
    return readable


def _letters(name: str):
    """Characters of `name`, decomposed (accents split off) except letters the tables spell whole (й, ї)."""
    for c in unicodedata.normalize("NFC", name):
        if c.lower() in _OTHER_SCRIPT:
            yield c
        else:
            yield from unicodedata.normalize("NFKD", c)
