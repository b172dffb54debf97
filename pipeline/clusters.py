"""Cross-story event clusters: one real-world event, however many stories report it.

Runs after the events of every story are written (a run's, and earlier runs' in the same output), as a pure
function of the two tables:

    events, clusters = assign_clusters(load_events(out), load_stories(out))

How the news reports one event, and so when two event rows are one occurrence:

- Their types are of one *family of occurrence* (`cluster_family` in `models/event_types.json`): one launch is
  Seoul's missile test and KCNA's rocket-launcher test, one summit a meeting to one source and talks to another.
  Sayings are each their own family and join only when both name the same speaker, on the same day
  (`saying_day_tolerance_days`).
- Their dates agree at their granularity: `event_date`/`date_end` bound the period a report allows ('this week' is a
  week, 'in June' a month), and periods must overlap, give or take `day_tolerance_days` (time zones, 'overnight').
  An event no expression dates (`date_source` `story_date`) happened on or a few days before its story's
  publication; an undated event, or one dated no finer than `max_span_days` ('last year'), identifies no
  occurrence and stays a singleton.
- They share an identifying detail (a party, its country, the place): a report that names none could be any
  occurrence of its day. And their parties, place and weapon do not conflict; what one report leaves out, or a party
  the gazetteer cannot place against a state, is no conflict. Actors and targets compare by country code where both
  rows have one, else by name (spelling-insensitive, 'Kim' within 'Kim Jong-un');
  a meeting's parties (actors and targets together) need only share one ('Trump; Kim' and 'Moon; Kim'); places
  conflict only when both resolve in the gazetteer to different places; weapons only when their classes differ
  outside the groups sources use for one object (`models/clusters.json`).
- Their modality is of one group: what happened (asserted, reported), hypothetical, or denied: a plan or a denial
  never glues real events together (`modality_groups`).
- Two rows of one story and one type are never one occurrence: the merge stage (`merge.py`) already joined the
  mentions of one occurrence in a story. Rows of one story and two types (the story's two accounts of a launch) may be.

Clustering is greedy agglomeration, most precisely dated reports first: each report joins the one cluster it agrees
with, compared with the cluster's merged profile (the union of its parties; the intersection of its periods, so a
cluster cannot chain Monday to Wednesday through a 'this week'). A report that agrees with several clusters joins
the one it shares most with when it is dated to the day; a vaguer one cannot tell them apart and stays alone.
Settings are `models/clusters.json`.
"""
from __future__ import annotations

import json
import sys
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import pandas as pd

from .resources import MODELS_DIR, EventType, load_event_types, load_gazetteer, load_weapons, name_key
from .schema import CLUSTERS
from .store import frame

SETTINGS_FILE = MODELS_DIR / "clusters.json"
COLUMNS_READ = ["event_id", "story_id", "event_type", "actor", "actor_country", "actor_source", "target",
                "target_country", "weapon", "location", "modality", "event_date", "date_end", "date_granularity",
                "date_source"]
# Values few and repeated on every row (types, modalities, countries, a story's id on each of its events): one string
# each for all the rows that have it, instead of one per row as Parquet's batches give them.
REPEATED_VALUES = ("story_id", "event_type", "actor_country", "target_country", "modality", "date_granularity")
# The profile of a cluster is frozensets, this one when empty: most clusters are one report, naming few things.
NOTHING: frozenset = frozenset()


@dataclass(frozen=True)
class ClusterSettings:
    """`models/clusters.json`: the date windows, modality groups and weapon groups the matching uses."""

    day_tolerance: timedelta
    saying_day_tolerance: timedelta
    story_date_window: timedelta
    max_span_days: int
    modality_order: tuple[str, ...]
    modality_groups: dict[str, str]
    weapon_groups: dict[str, str]  # weapon class -> the group of classes sources use for one object
    generic_weapon_classes: frozenset[str]

    def tolerance(self, report: "Report") -> timedelta:
        return self.saying_day_tolerance if report.saying else self.day_tolerance


def load_settings(path: Path | None = None) -> ClusterSettings:
    data = json.loads((path or SETTINGS_FILE).read_text(encoding="utf-8"))
    weapon_groups = {weapon_class: group[0] for group in data["interchangeable_weapon_classes"] for weapon_class in group}
    return ClusterSettings(
        timedelta(days=data["day_tolerance_days"]), timedelta(days=data["saying_day_tolerance_days"]),
        timedelta(days=data["story_date_window_days"]),
        data["max_span_days"], tuple(data["modality_order"]), dict(data["modality_groups"]), weapon_groups,
        frozenset(data["generic_weapon_classes"]),
    )


@dataclass(frozen=True, slots=True)
class Party:
    """An actor or target as the matching compares them: a country code, or a name key with the party's country."""

    key: str
    country: str | None

    @property
    def is_state(self) -> bool:
        return self.key == self.country

    def same_as(self, other: "Party") -> bool:
        if self.key == other.key:
            return True
        if self.is_state or other.is_state:  # a state, and its leader or agency
            return self.country is not None and self.country == other.country
        return _words_within(self.key, other.key)  # 'Kim' and 'Kim Jong-un', 'protesters' and 'anti-Trump protesters'

    def may_be(self, other: "Party") -> bool:
        """Not in conflict: the same party, or a state and a party the gazetteer cannot place (its ship, its town)."""
        return self.same_as(other) or (self.is_state and other.country is None) or (other.is_state and self.country is None)


def _words_within(one: str, other: str) -> bool:
    mine, theirs = set(one.split()), set(other.split())
    return mine <= theirs or theirs <= mine


def parties_agree(mine: frozenset[Party], theirs: frozenset[Party]) -> bool:
    """No conflict: one side names nobody, or a party of one may be a party of the other."""
    return not mine or not theirs or any(p.may_be(q) for p in mine for q in theirs)


@dataclass(slots=True)  # one per event of the output: no __dict__ each
class Report:
    """One event row as the matching reads it, with what of the row the clusters table needs (not the row itself)."""

    position: int  # the row's position in the events table
    event_id: str
    story_id: str
    event_type: str
    family: str
    saying: bool
    symmetric: bool
    modality: str
    published: date | None
    start: date | None  # the period the event happened in, as far as this report tells
    end: date | None
    actors: frozenset[Party]
    actor_country: str | None
    targets: frozenset[Party]
    target_country: str | None
    place: tuple[str | None, str | None] | None  # (place key, country code) where the gazetteer knows it
    location_key: str | None  # the location as written, spelling-insensitive
    weapon_group: str | None
    event_date: date | None  # the row's own period, as the clusters table gives it
    date_end: date | None
    date_granularity: str | None
    actor_names: str | None  # the row's actor, target, location and weapon, as written
    target_names: str | None
    location: str | None
    weapon: str | None

    @property
    def span_days(self) -> int:
        return (self.end - self.start).days + 1 if self.start and self.end else 10**6

    @property
    def report_order(self) -> tuple:
        """Earliest-published first: the first report of a cluster names it."""
        return (self.published or date.max, self.story_id, self.event_id)


class ReportReader:
    """Turns event rows into Reports: types' families, parties resolved in the gazetteer, periods, weapon groups."""

    def __init__(self, settings: ClusterSettings):
        self.settings = settings
        self.types: dict[str, EventType] = load_event_types()
        self.gazetteer = load_gazetteer()
        self.weapons = load_weapons(MODELS_DIR / "weapons.json")
        self.known_parties: dict[str, Party] = {}  # by name as written: one Party for all the rows naming it

    def read(self, position: int, row: dict, published: date | None) -> Report:
        for column in REPEATED_VALUES:
            if row[column] is not None:
                row[column] = sys.intern(row[column])
        kind = self.types.get(row["event_type"])
        start, end = self.period(row, published)
        # An actor filled in from the rest of the story (the state it is set in, for unnamed police or an arrest; who
        # claimed an attack: arguments.py, merge.py) is nothing the report's own sentence tells: two arrests of one
        # day in one country are not one for it.
        inferred = row["actor_source"] == "story"
        actors = NOTHING if inferred else self.parties(row["actor"], kind.unnamed_actor if kind else None)
        targets = self.parties(row["target"], None)
        symmetric = bool(kind and kind.symmetric)  # a meeting's parties are all actors, wherever the row puts them
        return Report(
            position=position, event_id=row["event_id"], story_id=row["story_id"], event_type=row["event_type"],
            family=(kind.cluster_family or kind.name) if kind else row["event_type"], saying=bool(kind and kind.saying),
            symmetric=symmetric, modality=row["modality"], published=published, start=start, end=end,
            actors=(actors | targets or NOTHING) if symmetric else actors,
            actor_country=None if inferred else row["actor_country"],
            targets=NOTHING if symmetric else targets, target_country=row["target_country"],
            place=self.place(row["location"]), location_key=name_key(row["location"] or "") or None,
            weapon_group=self.weapon_group(row["weapon"]), event_date=row["event_date"], date_end=row["date_end"],
            date_granularity=row["date_granularity"], actor_names=None if inferred else row["actor"],
            target_names=row["target"],
            location=row["location"], weapon=row["weapon"],
        )

    def period(self, row: dict, published: date | None) -> tuple[date | None, date | None]:
        start, end = row["event_date"], row["date_end"] or row["event_date"]
        if start is None or row["date_source"] == "unresolved":
            return None, None
        if row["date_source"] == "story_date":
            return (published or start) - self.settings.story_date_window, end
        return start, end

    def parties(self, names: str | None, unnamed: str | None) -> frozenset[Party]:
        parts = [part.strip() for part in (names or "").split(";")]
        return frozenset(self.party(part) for part in parts if part and part != unnamed and name_key(part)) or NOTHING

    def party(self, name: str) -> Party:
        known = self.known_parties.get(name)
        if known is None:
            known = self.known_parties[name] = self._resolve(name)
        return known

    def _resolve(self, name: str) -> Party:
        country = self.gazetteer.country(name) or self.gazetteer.capital(name)
        if country is not None:
            return Party(country.code, country.code)
        known = self.gazetteer.person(name) or self.gazetteer.organization(name)
        if known is not None:
            return Party(name_key(known[0]), known[1])
        return Party(name_key(name), None)

    def place(self, text: str | None) -> tuple[str | None, str | None] | None:
        """A place the gazetteer knows ('Karrada, Baghdad' by its last part), else None: free descriptions such as
        'off its eastern coast' cannot be told apart from 'the Sea of Japan'."""
        for candidate in ([text, text.rsplit(",", 1)[-1]] if text else []):
            location = self.gazetteer.location(candidate)
            if location is not None:
                return name_key(location[0]), location[1]
            capital = self.gazetteer.capital(candidate)
            if capital is not None:
                return name_key(candidate), capital.code
            country = self.gazetteer.country(candidate)
            if country is not None:
                return None, country.code
        return None

    def weapon_group(self, weapon: str | None) -> str | None:
        if not weapon:
            return None
        weapon_class = self.weapons.weapon_class(weapon)
        if weapon_class in self.settings.generic_weapon_classes:
            return None
        return self.settings.weapon_groups.get(weapon_class, weapon_class)


class Cluster:
    """Reports of one occurrence, with their merged profile: the period all of them allow, and what they name.

    The profile is frozensets, the first report's own where it has them and `NOTHING` where it names nothing: a
    cluster of one report, as most are, costs little more than its report."""

    __slots__ = ("reports", "tolerance", "start", "end", "actors", "targets", "actor_countries", "target_countries",
                 "places", "location_keys", "weapon_groups")

    def __init__(self, report: Report, tolerance: timedelta):
        self.reports = [report]
        self.tolerance = tolerance  # one for all its reports: they are of one family
        self.start, self.end = report.start, report.end
        self.actors, self.targets = report.actors, report.targets
        self.actor_countries, self.target_countries = _one(report.actor_country), _one(report.target_country)
        self.places = _one(report.place)
        self.location_keys = _one(report.location_key)
        self.weapon_groups = _one(report.weapon_group)

    def add(self, report: Report) -> None:
        self.reports.append(report)
        if report.start is not None:
            self.start, self.end = max(self.start, report.start), min(self.end, report.end)
        self.actors |= report.actors
        self.targets |= report.targets
        self.actor_countries |= _one(report.actor_country)
        self.target_countries |= _one(report.target_country)
        self.places |= _one(report.place)
        self.location_keys |= _one(report.location_key)
        self.weapon_groups |= _one(report.weapon_group)

    def admits(self, report: Report) -> bool:
        """The report can be one more account of this occurrence: nothing in it conflicts with the cluster, and it
        shares a party or a place with it (a report that names neither could be any occurrence of its day)."""
        if any(other.story_id == report.story_id and other.event_type == report.event_type for other in self.reports):
            return False
        if report.start - self.tolerance > self.end or self.start - self.tolerance > report.end:
            return False
        if report.weapon_group and self.weapon_groups and report.weapon_group not in self.weapon_groups:
            return False
        if report.saying and not (report.actors and self.actors):
            return False  # a saying is identified by its speaker
        return self.shared(report) > 0 and self._places_agree(report.place) and all(
            _role_agrees(theirs, their_countries, mine, country, by_country=not (report.saying or report.symmetric))
            for theirs, their_countries, mine, country in (
                (self.actors, self.actor_countries, report.actors, report.actor_country),
                (self.targets, self.target_countries, report.targets, report.target_country)))

    def _places_agree(self, place: tuple[str | None, str | None] | None) -> bool:
        for key, country in self.places if place else ():
            if key and place[0] and key != place[0]:
                return False
            if country and place[1] and country != place[1]:
                return False
        return True

    def shared(self, report: Report) -> int:
        """How many identifying details the report shares with the cluster: parties, their countries, the place."""
        parties = sum(any(p.same_as(q) for q in theirs) for theirs, mine in
                      ((self.actors, report.actors), (self.targets, report.targets)) for p in mine)
        countries = (report.actor_country in self.actor_countries) + (report.target_country in self.target_countries)
        same_place = report.place in self.places or any(_words_within(report.location_key, key) for key in
                                                        self.location_keys if report.location_key)
        return parties + countries + same_place

    def affinity(self, report: Report) -> tuple[int, int]:
        """What the report shares with the cluster, then how close its period is."""
        gap = max((report.start - self.end).days, (self.start - report.end).days, 0)
        return self.shared(report), -gap


def _role_agrees(theirs: frozenset[Party], their_countries: frozenset[str], mine: frozenset[Party],
                 country: str | None, by_country: bool) -> bool:
    """Country codes decide where both sides have one (a state's unit and the state are one actor); sayings
    compare the speakers themselves, and a meeting's parties, whose row carries one party's country only."""
    if by_country and country and their_countries:
        return country in their_countries
    return parties_agree(mine, theirs)


def _one(value) -> frozenset:
    return frozenset((value,)) if value else NOTHING


def _precision_order(report: Report) -> tuple:
    return (report.span_days, *report.report_order)


def cluster_reports(reports: list[Report], settings: ClusterSettings) -> list[Cluster]:
    """Greedy agglomeration, most precise reports first; clusters are looked up by the days their period covers."""
    clusters: list[Cluster] = []
    by_day: dict[tuple[str, str], dict[int, list[Cluster]]] = defaultdict(lambda: defaultdict(list))
    for report in sorted(reports, key=_precision_order):
        tolerance = settings.tolerance(report)
        if report.start is None or report.span_days > settings.max_span_days:
            clusters.append(Cluster(report, tolerance))
            continue
        block = by_day[(report.family, settings.modality_groups.get(report.modality, report.modality))]
        days = range((report.start - tolerance).toordinal(), (report.end + tolerance).toordinal() + 1)
        nearby = {id(c): c for day in days for c in block.get(day, ())}
        chosen = _choose(report, [c for c in nearby.values() if c.admits(report)])
        if chosen is not None:
            chosen.add(report)
            continue
        cluster = Cluster(report, tolerance)
        clusters.append(cluster)
        for day in days:
            block[day].append(cluster)
    return clusters


def _choose(report: Report, candidates: list[Cluster]) -> Cluster | None:
    """The one cluster the report agrees with; among several, the closest for a report dated to the day, none for a
    vaguer one (it cannot tell which occurrence it means)."""
    if len(candidates) == 1:
        return candidates[0]
    if not candidates or report.span_days > 1:
        return None
    earliest_first = sorted(candidates, key=lambda cluster: cluster.reports[0].report_order)
    return max(earliest_first, key=lambda cluster: cluster.affinity(report))  # ties: the earliest-reported


def assign_clusters(events: pd.DataFrame, stories: pd.DataFrame,
                    settings: ClusterSettings | None = None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The events with `event_cluster_id`, and the `clusters` table (`schema.CLUSTERS`), one row per occurrence.

    `events`: the events table as `store.load_events` gives it, of one run or of several runs into one output. Columns
    read: event_id, story_id, event_type, actor, actor_country, actor_source, target, target_country, weapon, location,
    modality, event_date, date_end, date_granularity, date_source (`COLUMNS_READ`). `stories`: the stories table (`store.load_stories`); read:
    story_id, published (events of stories it lacks count as unpublished).

    Returns a copy of `events` with `event_cluster_id` (string, never null; replaced if present) and the clusters
    table, each ordered as given / by first report. A cluster's id is `c-` followed by the event_id of its first report
    (the earliest-published story's; then by story_id, event_id), so the same tables give the same ids, and an id
    changes only when an earlier report of its event joins. The function reads no file but `models/`, and writes none.
    """
    published = {row["story_id"]: _day(row["published"]) for row in stories[["story_id", "published"]].to_dict("records")}
    rows = (_plain(row) for row in events.reindex(columns=COLUMNS_READ).to_dict("records"))
    cluster_ids, clusters = cluster_event_rows(rows, published, settings)
    clustered = events.copy()
    clustered["event_cluster_id"] = pd.array(cluster_ids, dtype=pd.StringDtype())
    return clustered, frame(clusters, CLUSTERS)


def cluster_event_rows(rows: Iterable[dict], published: dict[str, date | None],
                       settings: ClusterSettings | None = None) -> tuple[list[str], Iterator[dict]]:
    """`assign_clusters` on plain rows, read one at a time: the columns of `COLUMNS_READ`, missing values None and
    dates as dates (as pyarrow's `to_pylist` gives them), and each story's publication day. Returns each event's
    cluster id, in the order of the rows, and the rows of the clusters table, made as they are read. A run clusters
    its output so, reading the events a batch at a time and writing the clusters a batch at a time: no table of all
    events or all clusters is held, as a DataFrame or as Python rows, beside the reports (only what of each row the
    matching reads)."""
    settings = settings or load_settings()
    reader = ReportReader(settings)
    reports = [reader.read(position, row, published.get(row["story_id"])) for position, row in enumerate(rows)]
    cluster_ids: list[str | None] = [None] * len(reports)
    clusters = sorted(cluster_reports(reports, settings), key=lambda c: min(r.report_order for r in c.reports))
    for cluster in clusters:
        cluster_id = cluster_id_of(min(cluster.reports, key=lambda r: r.report_order))
        for report in cluster.reports:
            cluster_ids[report.position] = cluster_id
    return cluster_ids, (cluster_row(cluster, settings) for cluster in clusters)


def _day(value) -> date | None:
    return None if value is None or pd.isna(value) else pd.Timestamp(value).date()


def _plain(row: dict) -> dict:
    """A row with missing values as None and dates as dates, as the matching reads them."""
    plain = {key: (None if pd.isna(value) else value) for key, value in row.items()}
    for column in ("event_date", "date_end"):
        plain[column] = _day(plain.get(column))
    for column in ("event_type", "modality", "date_granularity", "date_source", "actor_source"):
        plain[column] = None if plain.get(column) is None else str(plain[column])
    return plain


def cluster_id_of(first: Report) -> str:
    """A cluster's id: its first report's event id (see `assign_clusters`)."""
    return f"c-{first.event_id}"


def cluster_row(cluster: Cluster, settings: ClusterSettings) -> dict:
    """The cluster's row of the clusters table: its first report names it, its most precise report dates it."""
    reports = sorted(cluster.reports, key=lambda r: r.report_order)
    first = reports[0]
    precise = min(reports, key=_precision_order)
    types = Counter(r.event_type for r in reports)
    return {
        "event_cluster_id": cluster_id_of(first),
        "event_type": max(dict.fromkeys(r.event_type for r in reports), key=lambda name: types[name]),
        "family": first.family,
        "date_start": precise.event_date,
        "date_end": precise.date_end,
        "date_granularity": precise.date_granularity,
        "actors": _distinct(part for r in reports for part in (r.actor_names or "").split(";")),
        "actor_countries": _distinct(r.actor_country for r in reports),
        "targets": _distinct(part for r in reports for part in (r.target_names or "").split(";")),
        "target_countries": _distinct(r.target_country for r in reports),
        "location": next((r.location for r in reports if r.location), None),
        "weapons": _distinct(r.weapon for r in reports),
        "reports": len(reports),
        "stories": len({r.story_id for r in reports}),
        "first_story_id": first.story_id,
        "first_event_id": first.event_id,
        "modality": min((r.modality for r in reports), key=_strength(settings)),
    }


def _distinct(values) -> list[str]:
    return list(dict.fromkeys(value.strip() for value in values if value and value.strip()))


def _strength(settings: ClusterSettings):
    order = {modality: rank for rank, modality in enumerate(settings.modality_order)}
    return lambda modality: order.get(modality, len(order))
