"""Load the cue words (closed word classes: reporting verbs, titles, units, count cues...) from ontology/cues.tsv.

The file format is documented at the top of the file and in ontology/README.md. Every class is checked
when the file is read, so a typo fails at start-up with the file and line instead of silently missing
counts later.
"""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from pathlib import Path

from .lexicon import ontology_dir
from .model import QUANTITY_KINDS

CUE_FILE = "cues.tsv"

# class -> what its value column holds: "" (no value), "text", "optional" (text or nothing), "int",
# "kind" (a kg.model.QUANTITY_KINDS entry) or "regex". "kind" classes may list a word once per kind.
CLASSES: dict[str, str] = {
    "reporting_verb": "", "not_quote_verb": "", "title": "", "org_head": "", "place_head": "text",
    "site_head": "", "store_head": "", "settlement": "", "locative_prep": "", "metonym_verb": "",
    "metonym_possessed": "", "passive_attack": "", "auxiliary": "", "month": "int", "weekday": "int",
    "sentence_start": "", "name_particle": "", "unit": "", "person_noun": "", "count_kind": "kind",
    "phrasal": "regex", "phrasal_kind": "kind", "number_word": "int", "qualifier": "optional",
    "modifier_stop": "",
    # counts, sources and places (kg/extract/quantities.py, context.py)
    "number_identifier": "", "ellipsis_next": "", "relative_word": "", "generic_weapon_noun": "",
    "generic_weapon_phrase": "", "launch_head": "",
    "weapon_participle": "kind", "platform_noun": "", "unharmed_verb": "", "impact_verb": "", "casualty_body": "",
    "state_force": "", "locator_noun": "", "military_site_noun": "", "hit_participle": "", "hospital_verb": "",
    "compound_suffix": "", "place_anaphor": "text",
    "territory_noun": "", "site_anaphor": "texts", "governing_prep": "", "statement_noun": "", "group_noun": "",
    "state_body": "", "official_title": "", "title_synonym": "texts", "affiliation_suffix": "", "capital_act_verb": "",
    "np_stop": "", "determiner": "", "not_target": "",
    # the mention finder (kg/extract/mentions.py, names.py)
    "not_weapon_noun": "", "attributive_noun": "", "name_function_word": "", "name_connector": "",
    "weapon_adjective": "", "place_prep": "", "city_possessed": "", "copula_complement": "", "be_participle": "",
    "metonym_before": "", "metonym_on_noun": "", "platform_prep": "", "article": "", "org_appositive_head": "",
    "company_noun": "", "vessel": "", "person_appositive": "", "settlement_after": "", "apposed_person_noun": "",
    "non_person_word": "", "of_place_noun": "", "lower_site_head": "", "site_modifier": "", "lower_org_head": "optional",
    "body_verb": "", "place_body_modifier": "", "place_body_head": "", "unit_body_head": "", "body_unit": "",
    "title_continuation": "", "inverted_reporting_verb": "", "settlement_prep": "", "plural_site_head": "text",
    "ship_prefix": "text", "site_phrase": "", "place_head_modifier": "", "naming_word": "",
    # events, quotes (kg/extract/events.py, quotes.py)
    "attack_cue": "", "munition_word": "", "comm_cue": "", "hypothetical_word": "", "clause_opener": "",
    "speech_act_stem": "",
}
# values some "text" classes may take
_ALLOWED_VALUES: dict[str, frozenset[str]] = {
    "ship_prefix": frozenset({"navy", "merchant"}), "lower_org_head": frozenset({"", "subject"}),
}
# words may have accented letters ("communiqué") and periods ("no."); upper case is refused below
_WORD = re.compile(r"[\w'\u2019.-]+(?: [\w'\u2019.-]+)*")


class CueFileError(ValueError):
    """A malformed line in the cue file; the message starts with 'path:line:'."""


@dataclass(frozen=True)
class Cues:
    """Every cue class, typed. Mappings keep file order; never mutate them (they are shared per process)."""

    reporting_verbs: frozenset[str]
    quote_verbs: frozenset[str]  # reporting verbs that can attribute the quotation right before them
    titles: frozenset[str]
    org_heads: frozenset[str]
    place_heads: dict[str, str]
    site_heads: frozenset[str]
    store_heads: frozenset[str]
    settlements: frozenset[str]
    locative_preps: frozenset[str]
    metonym_verbs: frozenset[str]
    metonym_possessed: frozenset[str]
    passive_attack: frozenset[str]
    auxiliaries: frozenset[str]
    months: dict[str, int]
    weekdays: dict[str, int]
    sentence_starts: frozenset[str]
    name_particles: frozenset[str]
    units: frozenset[str]
    person_nouns: frozenset[str]
    kind_words: dict[str, frozenset[str]]  # kind -> cue words, kinds in file order
    phrasal: dict[str, str]  # word -> regex of the particle that must follow it
    phrasal_kinds: dict[str, frozenset[str]]  # word -> kinds its particle requirement applies to
    number_words: dict[str, int]
    qualifiers: tuple[tuple[str, str], ...]  # (phrase, normalised), first match wins
    modifier_stops: frozenset[str]
    # counts, sources and places
    number_identifiers: frozenset[str]
    ellipsis_next: frozenset[str]
    relative_words: frozenset[str]
    generic_weapon_nouns: frozenset[str]
    generic_weapon_phrases: frozenset[str]
    launch_heads: frozenset[str]
    weapon_participles: dict[str, str]  # participle -> kind of count
    platform_nouns: frozenset[str]
    unharmed_verbs: frozenset[str]
    impact_verbs: frozenset[str]
    casualty_bodies: frozenset[str]
    state_forces: frozenset[str]
    locator_nouns: frozenset[str]
    military_site_nouns: frozenset[str]
    hit_participles: frozenset[str]
    hospital_verbs: frozenset[str]
    compound_suffixes: frozenset[str]
    place_anaphors: dict[str, str]  # noun -> what it refers to: city | region | capital | country
    territory_nouns: frozenset[str]
    site_anaphors: dict[str, tuple[str, ...]]  # noun -> words one of which the site's name contains
    governing_preps: frozenset[str]
    statement_nouns: frozenset[str]
    group_nouns: frozenset[str]
    state_bodies: frozenset[str]
    official_titles: frozenset[str]
    title_synonyms: dict[str, tuple[str, ...]]  # title -> the titles it stands for
    affiliation_suffixes: frozenset[str]
    capital_act_verbs: frozenset[str]
    np_stops: frozenset[str]
    determiners: frozenset[str]
    not_targets: frozenset[str]
    # the mention finder
    not_weapon_nouns: frozenset[str]
    attributive_nouns: frozenset[str]
    name_function_words: frozenset[str]
    name_connectors: frozenset[str]
    weapon_adjectives: frozenset[str]
    place_preps: frozenset[str]
    city_possessed: frozenset[str]
    copula_complements: frozenset[str]
    be_participles: frozenset[str]
    metonym_before: frozenset[str]
    metonym_on_nouns: frozenset[str]
    platform_preps: frozenset[str]
    articles: frozenset[str]
    org_appositive_heads: frozenset[str]
    company_nouns: frozenset[str]
    vessels: frozenset[str]
    person_appositives: frozenset[str]
    settlement_after: frozenset[str]
    apposed_person_nouns: frozenset[str]
    non_person_words: frozenset[str]
    of_place_nouns: frozenset[str]
    lower_site_heads: frozenset[str]
    site_modifiers: frozenset[str]
    lower_org_heads: dict[str, str]  # head -> "" or "subject" (a body only before a body_verb)
    body_verbs: frozenset[str]
    place_body_modifiers: frozenset[str]
    place_body_heads: frozenset[str]
    unit_body_heads: frozenset[str]
    body_units: frozenset[str]
    title_continuations: frozenset[str]
    inverted_reporting_verbs: frozenset[str]
    settlement_preps: frozenset[str]
    plural_site_heads: dict[str, str]  # plural head -> the singular head a name gets
    ship_prefixes: dict[str, str]  # prefix -> "navy" (part of the name) or "merchant" (not part of it)
    site_phrases: frozenset[str]
    place_head_modifiers: frozenset[str]
    naming_words: frozenset[str]
    # events and quotes
    attack_cues: frozenset[str]
    munition_words: frozenset[str]
    comm_cues: frozenset[str]
    hypothetical_words: frozenset[str]
    clause_openers: frozenset[str]
    speech_act_stems: frozenset[str]


@dataclass(frozen=True)
class _Row:
    word: str
    value: str | int
    line: int


def _parse_value(kind: str, raw: str | None, where: str) -> str | int:
    if kind == "":
        if raw is not None:
            raise CueFileError(f"{where}: this class takes no value, got {raw!r}")
        return ""
    if raw is None or raw == "":
        if kind == "optional":
            return ""
        raise CueFileError(f"{where}: this class needs a value in the third column")
    if kind == "texts":
        return raw
    if kind == "int":
        if not re.fullmatch(r"-?\d+", raw):
            raise CueFileError(f"{where}: value {raw!r} is not an integer")
        return int(raw)
    if kind == "kind" and raw not in QUANTITY_KINDS:
        raise CueFileError(f"{where}: {raw!r} is not a kind of count ({', '.join(QUANTITY_KINDS)})")
    if kind == "regex":
        try:
            re.compile(raw)
        except re.error as exc:
            raise CueFileError(f"{where}: bad regular expression {raw!r}: {exc}") from None
    return raw


def read_rows(path: Path) -> dict[str, list[_Row]]:
    """Entries per class in file order, each line checked; raises CueFileError naming file and line."""
    rows: dict[str, list[_Row]] = {c: [] for c in CLASSES}
    seen: set[tuple] = set()
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        where = f"{path}:{n}"
        fields = line.split("\t")
        if len(fields) not in (2, 3):
            raise CueFileError(f"{where}: expected 'class<TAB>word[<TAB>value]', got {len(fields)} field(s)")
        cls, word = fields[0], fields[1]
        if cls not in CLASSES:
            raise CueFileError(f"{where}: unknown cue class {cls!r}")
        if not _WORD.fullmatch(word) or word != word.lower() or "_" in word:
            raise CueFileError(f"{where}: {word!r} is not a lower-case word or phrase with single spaces")
        value = _parse_value(CLASSES[cls], fields[2] if len(fields) == 3 else None, where)
        if cls in _ALLOWED_VALUES and value not in _ALLOWED_VALUES[cls]:
            raise CueFileError(f"{where}: {value!r} is not one of {sorted(_ALLOWED_VALUES[cls])}")
        key = (cls, word, value) if CLASSES[cls] in ("kind", "texts") else (cls, word)
        if key in seen:
            raise CueFileError(f"{where}: {word!r} is already listed in class {cls!r}")
        seen.add(key)
        rows[cls].append(_Row(word, value, n))
    for cls, entries in rows.items():
        if not entries:
            raise CueFileError(f"{path}: class {cls!r} has no entries")
    return rows


def _require_subset(path: Path, rows: list[_Row], allowed: set[str], what: str) -> None:
    for r in rows:
        if r.word not in allowed:
            raise CueFileError(f"{path}:{r.line}: {r.word!r} must also be listed as {what}")


def load_cues(path: Path | None = None) -> Cues:
    """Parse and check a cue file (default: the one shipped in ontology/)."""
    path = path or ontology_dir() / CUE_FILE
    rows = read_rows(path)

    def words(cls: str) -> frozenset[str]:
        return frozenset(r.word for r in rows[cls])

    def mapping(cls: str) -> dict:
        return {r.word: r.value for r in rows[cls]}

    def listed(cls: str) -> dict[str, tuple[str, ...]]:
        out: dict[str, tuple[str, ...]] = {}
        for r in rows[cls]:
            out[r.word] = out.get(r.word, ()) + (str(r.value),)
        return out

    def grouped(cls: str, by_value: bool) -> dict[str, frozenset[str]]:
        out: dict[str, set[str]] = {}
        for r in rows[cls]:
            key, member = (r.value, r.word) if by_value else (r.word, r.value)
            out.setdefault(key, set()).add(member)
        return {k: frozenset(v) for k, v in out.items()}

    _require_subset(path, rows["not_quote_verb"], set(words("reporting_verb")), "a reporting_verb")
    _require_subset(path, rows["phrasal_kind"], set(mapping("phrasal")), "a phrasal")
    cue_words = {r.word for r in rows["count_kind"]}
    _require_subset(path, rows["phrasal"], cue_words, "a count_kind")
    return Cues(
        reporting_verbs=words("reporting_verb"),
        quote_verbs=words("reporting_verb") - words("not_quote_verb"),
        titles=words("title"), org_heads=words("org_head"), place_heads=mapping("place_head"),
        site_heads=words("site_head"), store_heads=words("store_head"), settlements=words("settlement"),
        locative_preps=words("locative_prep"), metonym_verbs=words("metonym_verb"),
        metonym_possessed=words("metonym_possessed"), passive_attack=words("passive_attack"),
        auxiliaries=words("auxiliary"), months=mapping("month"), weekdays=mapping("weekday"),
        sentence_starts=words("sentence_start"), name_particles=words("name_particle"), units=words("unit"),
        person_nouns=words("person_noun"), kind_words=grouped("count_kind", by_value=True),
        phrasal=mapping("phrasal"), phrasal_kinds=grouped("phrasal_kind", by_value=False),
        number_words=mapping("number_word"),
        qualifiers=tuple((r.word, str(r.value)) for r in rows["qualifier"]),
        modifier_stops=words("modifier_stop"),
        number_identifiers=words("number_identifier"), ellipsis_next=words("ellipsis_next"),
        relative_words=words("relative_word"), generic_weapon_nouns=words("generic_weapon_noun"),
        generic_weapon_phrases=words("generic_weapon_phrase"),
        launch_heads=words("launch_head"), weapon_participles=mapping("weapon_participle"),
        platform_nouns=words("platform_noun"), unharmed_verbs=words("unharmed_verb"),
        impact_verbs=words("impact_verb"), casualty_bodies=words("casualty_body"),
        state_forces=words("state_force"), locator_nouns=words("locator_noun"),
        military_site_nouns=words("military_site_noun"), hit_participles=words("hit_participle"),
        hospital_verbs=words("hospital_verb"), compound_suffixes=words("compound_suffix"),
        place_anaphors=mapping("place_anaphor"), territory_nouns=words("territory_noun"),
        site_anaphors=listed("site_anaphor"), governing_preps=words("governing_prep"),
        statement_nouns=words("statement_noun"), group_nouns=words("group_noun"), state_bodies=words("state_body"),
        official_titles=words("official_title"), title_synonyms=listed("title_synonym"),
        affiliation_suffixes=words("affiliation_suffix"), capital_act_verbs=words("capital_act_verb"),
        np_stops=words("np_stop"), determiners=words("determiner"),
        not_targets=words("not_target"),
        not_weapon_nouns=words("not_weapon_noun"), attributive_nouns=words("attributive_noun"),
        name_function_words=words("name_function_word"), name_connectors=words("name_connector"),
        weapon_adjectives=words("weapon_adjective"), place_preps=words("place_prep"),
        city_possessed=words("city_possessed"), copula_complements=words("copula_complement"),
        be_participles=words("be_participle"), metonym_before=words("metonym_before"),
        metonym_on_nouns=words("metonym_on_noun"), platform_preps=words("platform_prep"), articles=words("article"),
        org_appositive_heads=words("org_appositive_head"), company_nouns=words("company_noun"),
        vessels=words("vessel"), person_appositives=words("person_appositive"),
        settlement_after=words("settlement_after"), apposed_person_nouns=words("apposed_person_noun"),
        non_person_words=words("non_person_word"), of_place_nouns=words("of_place_noun"),
        lower_site_heads=words("lower_site_head"), site_modifiers=words("site_modifier"),
        lower_org_heads=mapping("lower_org_head"), body_verbs=words("body_verb"),
        place_body_modifiers=words("place_body_modifier"), place_body_heads=words("place_body_head"),
        unit_body_heads=words("unit_body_head"), body_units=words("body_unit"),
        title_continuations=words("title_continuation"), inverted_reporting_verbs=words("inverted_reporting_verb"),
        settlement_preps=words("settlement_prep"), plural_site_heads=mapping("plural_site_head"),
        ship_prefixes=mapping("ship_prefix"), site_phrases=words("site_phrase"),
        place_head_modifiers=words("place_head_modifier"), naming_words=words("naming_word"),
        attack_cues=words("attack_cue"), munition_words=words("munition_word"), comm_cues=words("comm_cue"),
        hypothetical_words=words("hypothetical_word"), clause_openers=words("clause_opener"),
        speech_act_stems=words("speech_act_stem"),
    )


@functools.lru_cache(maxsize=4)
def default_cues(path: str | None = None) -> Cues:
    """The cue words shipped with the package, loaded once per process."""
    return load_cues(Path(path) if path else None)
