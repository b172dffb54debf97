"""Measure the pipeline against gold stories in the dev-set format (see shared/dev/README.md).

Events match when they are of the same type in the same story and one of the
event's mention sentences overlaps the gold evidence, one to one: the largest
such pairing, and among those the one that pairs most events by their own
sentence, then the one whose pairs agree most on date and actor
(`event_alignment`). Only asserted and reported events count: the conventions annotate no
plans, hypotheticals or negated events. Dates are compared on the narrowest
calendar unit the prediction guarantees (a week inside one month is that
month), as the conventions date gold events. Entities compare per story as
sets of normalized names per label.

Gold stories whose `source.format` is `topic_page` are cut from their source
file by the segmenter, so segmentation is measured too.

The gold sets: the annotated corpus's `train` and `test` splits (`corpus.py`), the
shared dev set (`../shared/dev/gold.json`) and our annotation of the sample page.
`test` and `dev` are held out: they are read as aggregate figures only, and no
error listing is given for them.

Cross-story clusters (`clusters.py`) are scored over the gold events a prediction
matched: B-cubed precision and recall of the predicted `event_cluster_id` grouping
against the gold grouping (`data/gold/corpus/clusters.json`, `data/gold/dev_clusters.json`,
the sample gold's `clusters`), over all of them and over those whose gold cluster
has several matched reports (singletons alone score perfectly).
"""
from __future__ import annotations

import json
import sys
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from functools import partial
from pathlib import Path
from typing import NamedTuple

import networkx
import numpy

from .atomic import write_text_atomically
from .clusters import assign_clusters
from .dates import normalize
from .entities import SPAN_KEY
from .records import Event, Problem, Story
from .resources import load_gazetteer, name_key
from .extraction import DEFAULT_MODEL, build_nlp, process
from .schema import EVENT_TYPES, EVENTS, LABELS, STORIES
from .segment import read_stories
from .store import event_row, frame, story_row

SAMPLE_GOLD = Path(__file__).resolve().parent.parent / "data" / "gold" / "axios_north_korea_2019-08.json"
DEV_CLUSTERS = SAMPLE_GOLD.parent / "dev_clusters.json"  # cross-story cluster gold of ../shared/dev/gold.json
COUNTED_MODALITIES = {"asserted", "reported"}
HELD_OUT = {"test", "dev"}  # gold sets read as figures only, never error by error
ENTITY_LABELS = [label for label in LABELS if label != "LOCATION"]
CONFIDENCE_CUTOFFS = (0.5, 0.7, 0.8)  # the events' `confidence`, as a reader trading recall for precision filters it
BOOTSTRAP_RESAMPLES = 1000  # the percentile intervals of `Report.intervals` settle to the second decimal by then


@dataclass
class Scores:
    true_positive: int = 0
    false_positive: int = 0
    false_negative: int = 0

    @staticmethod
    def sum(parts: Iterable["Scores"]) -> "Scores":
        parts = list(parts)
        return Scores(
            sum(p.true_positive for p in parts), sum(p.false_positive for p in parts), sum(p.false_negative for p in parts)
        )

    @property
    def precision(self) -> float:
        found = self.true_positive + self.false_positive
        return self.true_positive / found if found else 0.0

    @property
    def recall(self) -> float:
        wanted = self.true_positive + self.false_negative
        return self.true_positive / wanted if wanted else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


class StoryCounts(NamedTuple):
    """One story's events as scored: what `Report.intervals` and `paired_changes` draw again."""

    right: int
    false: int
    missed: int
    dates_right: int


@dataclass
class ClusterScores:
    """B-cubed precision and recall of the predicted clusters over matched gold events, all and multi-report only."""

    precision: float
    recall: float
    multi_precision: float
    multi_recall: float
    multi_clusters: int  # gold clusters with at least two matched reports
    annotated_clusters: int  # gold clusters of several reports in the set

    @staticmethod
    def f(precision: float, recall: float) -> float:
        return 2 * precision * recall / (precision + recall) if precision + recall else 0.0

    @property
    def f1(self) -> float:
        return self.f(self.precision, self.recall)

    @property
    def multi_f1(self) -> float:
        return self.f(self.multi_precision, self.multi_recall)


def bcubed(predicted: dict, gold: dict, scored: Iterable) -> tuple[float, float]:
    """B-cubed precision and recall over the `scored` items of two groupings of the same items (item -> group id)."""
    members: dict[tuple[str, str], set] = defaultdict(set)
    for item in predicted:
        members[("predicted", predicted[item])].add(item)
        members[("gold", gold[item])].add(item)
    precision = recall = 0.0
    scored = list(scored)
    for item in scored:
        mine, theirs = members[("predicted", predicted[item])], members[("gold", gold[item])]
        precision += len(mine & theirs) / len(mine)
        recall += len(mine & theirs) / len(theirs)
    return (precision / len(scored), recall / len(scored)) if scored else (0.0, 0.0)


def score_clusters(matches: list[tuple[tuple[str, int], str]], events, stories,
                   groups: list[list[tuple[str, int]]]) -> ClusterScores:
    """Cluster the predicted events of a set (`assign_clusters`) and score them on the gold events they matched."""
    clustered, _ = assign_clusters(events, stories)
    cluster_of = dict(zip(clustered["event_id"], clustered["event_cluster_id"]))
    gold_cluster = {tuple(member): f"gold-{number}" for number, group in enumerate(groups) for member in group}
    predicted = {gold_key: cluster_of[event_id] for gold_key, event_id in matches}
    gold = {gold_key: gold_cluster.get(gold_key, f"single-{gold_key}") for gold_key in predicted}
    sizes = Counter(gold.values())
    multi = [gold_key for gold_key in predicted if sizes[gold[gold_key]] > 1]
    return ClusterScores(*bcubed(predicted, gold, predicted), *bcubed(predicted, gold, multi),
                         len({gold[gold_key] for gold_key in multi}), len(groups))


@dataclass
class Report:
    name: str
    events: dict[str, Scores] = field(default_factory=lambda: defaultdict(Scores))
    entities: dict[str, Scores] = field(default_factory=lambda: defaultdict(Scores))
    dates_right: int = 0
    dates_total: int = 0
    actors_right: int = 0
    repeated_rows: int = 0  # false events that are another row for a gold event already matched
    segmentation: dict[str, tuple[int, int]] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)
    matches: list[tuple[tuple[str, int], str]] = field(default_factory=list)  # (story_id, gold event index), event_id
    confidences: list[tuple[float, bool]] = field(default_factory=list)  # each counted event's confidence, matched or not
    story_counts: dict[str, StoryCounts] = field(default_factory=dict)  # what `intervals` and `paired_changes` resample
    clusters: ClusterScores | None = None

    @property
    def event_total(self) -> Scores:
        return Scores.sum(self.events.values())

    @property
    def entity_total(self) -> Scores:
        return Scores.sum(self.entities.values())

    @property
    def date_accuracy(self) -> float:
        return self.dates_right / self.dates_total if self.dates_total else 0.0

    @property
    def actor_accuracy(self) -> float:
        return self.actors_right / self.dates_total if self.dates_total else 0.0

    @property
    def rows_per_event(self) -> float:
        """Rows per matched gold event: 1.0 when every occurrence is one row."""
        matched = self.event_total.true_positive
        return (matched + self.repeated_rows) / matched if matched else 0.0

    def at_confidence(self, cutoff: float) -> Scores:
        """The events whose confidence is at least `cutoff`, as a reader filtering the table on it would keep them."""
        total = self.event_total
        kept = [matched for confidence, matched in self.confidences if confidence >= cutoff]
        return Scores(true_positive=sum(kept), false_positive=len(kept) - sum(kept),
                      false_negative=total.true_positive + total.false_negative - sum(kept))

    @property
    def calibration_error(self) -> float:
        """How far the events' confidence is from the share of them that is right: the gap in each tenth of the
        confidence scale, weighted by its events (expected calibration error; 0 where confidence is that share)."""
        tenths: dict[int, list[tuple[float, bool]]] = {}
        for confidence, matched in self.confidences:
            tenths.setdefault(min(int(confidence * 10), 9), []).append((confidence, matched))
        gaps = (abs(sum(c for c, _ in rows) - sum(m for _, m in rows)) for rows in tenths.values())
        return sum(gaps) / max(len(self.confidences), 1)

    def intervals(self, resamples: int = BOOTSTRAP_RESAMPLES, seed: int = 0) -> dict[str, tuple[float, float]]:
        """95% intervals of event precision, recall, F1 and date accuracy: the percentile bootstrap over stories (the
        set's stories drawn again with replacement, `resamples` times), since a set's figures vary with the stories it
        holds and a story's events are not independent of one another. Empty where no story was scored."""
        if not self.story_counts:
            return {}
        counts = numpy.array(list(self.story_counts.values()), dtype=float)
        figures = _figures(counts[_draws(len(counts), resamples, seed)].sum(axis=1))
        return {name: _percentiles(values) for name, values in figures.items()}

    def events_without(self, *event_types: str) -> Scores:
        return Scores.sum(scores for event_type, scores in self.events.items() if event_type not in event_types)

    def text(self) -> str:
        lines = [f"== {self.name}"]
        if self.segmentation:
            parts = ", ".join(f"{key} {right}/{total}" for key, (right, total) in self.segmentation.items())
            lines.append(f"segmentation: {parts}")
        lines.append(f"{'event type':18} {'P':>6} {'R':>6} {'F1':>6} {'gold':>5} {'found':>6}")
        for event_type in EVENT_TYPES:
            scores = self.events.get(event_type)
            if scores is None or scores.true_positive + scores.false_positive + scores.false_negative == 0:
                continue
            gold = scores.true_positive + scores.false_negative
            found = scores.true_positive + scores.false_positive
            lines.append(f"{event_type:18} {scores.precision:6.3f} {scores.recall:6.3f} {scores.f1:6.3f} {gold:5d} {found:6d}")
        total = self.event_total
        lines.append(f"{'all events':18} {total.precision:6.3f} {total.recall:6.3f} {total.f1:6.3f} "
                     f"{total.true_positive + total.false_negative:5d} {total.true_positive + total.false_positive:6d}")
        lines.append(f"date accuracy {self.date_accuracy:.3f} ({self.dates_right}/{self.dates_total} matched events); "
                     f"actor accuracy {self.actor_accuracy:.3f}; rows per matched gold event {self.rows_per_event:.3f}")
        cutoffs = "; ".join(f"at {cutoff} and over P {kept.precision:.3f} R {kept.recall:.3f}"
                            for cutoff, kept in ((c, self.at_confidence(c)) for c in CONFIDENCE_CUTOFFS))
        lines.append(f"confidence: calibration error {self.calibration_error:.3f}; {cutoffs}")
        intervals = "; ".join(f"{name} {low:.3f}-{high:.3f}" for name, (low, high) in self.intervals().items())
        lines.append(f"95% intervals, stories resampled: {intervals}")
        lines.append(f"{'entity label':18} {'P':>6} {'R':>6} {'F1':>6}")
        for label in ENTITY_LABELS:
            scores = self.entities[label]
            lines.append(f"{label:18} {scores.precision:6.3f} {scores.recall:6.3f} {scores.f1:6.3f}")
        total = self.entity_total
        lines.append(f"{'all entities':18} {total.precision:6.3f} {total.recall:6.3f} {total.f1:6.3f}")
        if self.clusters is not None:
            c = self.clusters
            lines.append(f"clusters B-cubed P/R/F1 {c.precision:.3f} {c.recall:.3f} {c.f1:.3f}; multi-report only "
                         f"{c.multi_precision:.3f} {c.multi_recall:.3f} {c.multi_f1:.3f} ({c.multi_clusters} clusters)")
        return "\n".join(lines)


def side_by_side(reports: list[Report]) -> str:
    """Per-type precision, recall and F1 of several gold sets in columns, then dates, actors and entities."""
    width = 22
    lines = [f"{'':18}" + "".join(f"{r.name + ' (' + str(r.event_total.true_positive + r.event_total.false_negative) + ' events)':>{width}}" for r in reports),
             f"{'event type':18}" + f"{'P     R     F1':>{width}}" * len(reports)]

    def row(label: str, cells: list[Scores | None]) -> str:
        parts = [f"{c.precision:.2f}  {c.recall:.2f}  {c.f1:.2f}" if c is not None else "-" for c in cells]
        return f"{label:18}" + "".join(f"{part:>{width}}" for part in parts)

    for event_type in EVENT_TYPES:
        cells = [r.events.get(event_type) for r in reports]
        if any(c is not None and c.true_positive + c.false_negative for c in cells):
            lines.append(row(event_type, [c if c is not None and c.true_positive + c.false_positive + c.false_negative else None for c in cells]))
    lines.append(row("all events", [r.event_total for r in reports]))
    intervals = [report.intervals() for report in reports]
    lines.append(f"{'  F1 95% interval':18}" + "".join(f"{_interval(i, 'f1'):>{width}}" for i in intervals))
    lines.append(row("all but statement", [r.events_without("statement") for r in reports]))
    for cutoff in CONFIDENCE_CUTOFFS:
        lines.append(row(f"confidence >= {cutoff}", [r.at_confidence(cutoff) for r in reports]))
    lines.append(f"{'confidence error':18}" + "".join(f"{r.calibration_error:>{width}.3f}" for r in reports))
    lines.append(f"{'date accuracy':18}" + "".join(f"{r.date_accuracy:>{width}.2f}" for r in reports))
    lines.append(f"{'  95% interval':18}" + "".join(f"{_interval(i, 'date accuracy'):>{width}}" for i in intervals))
    lines.append(f"{'actor accuracy':18}" + "".join(f"{r.actor_accuracy:>{width}.2f}" for r in reports))
    lines.append(f"{'rows per event':18}" + "".join(f"{r.rows_per_event:>{width}.3f}" for r in reports))
    for label in ENTITY_LABELS:
        lines.append(row(f"entities {label}", [r.entities[label] for r in reports]))
    lines.extend(_cluster_rows(reports, width))
    return "\n".join(lines)


def paired_changes(before: dict[str, StoryCounts], after: dict[str, StoryCounts], resamples: int = BOOTSTRAP_RESAMPLES,
                   seed: int = 0) -> dict[str, tuple[float, float, float]]:
    """How far each figure moved from `before` to `after` (two runs' `Report.story_counts` on one set), with its 95%
    interval: the stories both scored drawn again together, so that what the two runs share cancels, and the interval
    of a change is far narrower than those of the figures it is the difference of. Figure -> (change, low, high)."""
    shared = sorted(set(before) & set(after))
    if not shared:
        return {}
    first, second = (numpy.array([counts[story] for story in shared], dtype=float) for counts in (before, after))
    drawn = _draws(len(shared), resamples, seed)
    drawn_before, drawn_after = (_figures(counts[drawn].sum(axis=1)) for counts in (first, second))
    whole_before, whole_after = (_figures(counts.sum(axis=0)) for counts in (first, second))
    return {name: (float(whole_after[name] - whole_before[name]), *_percentiles(drawn_after[name] - drawn_before[name]))
            for name in whole_after}


def save_story_counts(reports: list[Report], path: Path) -> Path:
    """Each set's story counts as JSON (written atomically), for a later run to be compared with (`changes_since`)."""
    data = {report.name: {story: list(counts) for story, counts in report.story_counts.items()} for report in reports}
    return write_text_atomically(path, [json.dumps(data) + "\n"])


def load_story_counts(path: Path) -> dict[str, dict[str, StoryCounts]]:
    """What `save_story_counts` wrote; ValueError for anything else."""
    data = json.loads(path.read_text(encoding="utf-8"))
    try:
        return {name: {story: StoryCounts(*(int(n) for n in counts)) for story, counts in stories.items()}
                for name, stories in data.items()}
    except (AttributeError, TypeError, ValueError) as error:
        raise ValueError(f"not story counts as --save-counts writes them: {error}") from error


def changes_since(before: dict[str, dict[str, StoryCounts]], reports: list[Report], source: Path) -> str:
    """Per set in both runs: how far event precision, recall, F1 and date accuracy moved, each with its 95% interval
    (`paired_changes`); a change whose interval holds 0 is within what other stories could have given."""
    lines = [f"== changes since {source} (95% intervals, the stories both runs scored drawn again together)"]
    for report in reports:
        if report.name not in before:
            continue
        moved = paired_changes(before[report.name], report.story_counts)
        stories = len(set(before[report.name]) & set(report.story_counts))
        figures = "; ".join(f"{name} {change:+.3f} ({low:+.3f} to {high:+.3f})" for name, (change, low, high) in moved.items())
        lines.append(f"{report.name} ({stories} stories): {figures}")
    return "\n".join(lines)


def _draws(stories: int, resamples: int, seed: int) -> numpy.ndarray:
    """`resamples` draws of `stories` story numbers with replacement, the same for the same arguments."""
    return numpy.random.default_rng(seed).integers(0, stories, (resamples, stories))


def _figures(counts: numpy.ndarray) -> dict[str, numpy.ndarray]:
    """Event precision, recall, F1 and date accuracy of summed story counts (the last axis: `StoryCounts`' fields)."""
    right, false, missed, dates = numpy.moveaxis(counts, -1, 0)
    with numpy.errstate(divide="ignore", invalid="ignore"):
        precision = numpy.nan_to_num(right / (right + false))
        recall = numpy.nan_to_num(right / (right + missed))
        return {"precision": precision, "recall": recall, "f1": numpy.nan_to_num(2 * precision * recall / (precision + recall)),
                "date accuracy": numpy.nan_to_num(dates / right)}


def _percentiles(values: numpy.ndarray) -> tuple[float, float]:
    low, high = numpy.percentile(values, [2.5, 97.5])
    return float(low), float(high)


def _interval(intervals: dict[str, tuple[float, float]], figure: str) -> str:
    low, high = intervals.get(figure, (0.0, 0.0))
    return f"{low:.2f}-{high:.2f}"


def _cluster_rows(reports: list[Report], width: int) -> list[str]:
    """B-cubed of the cross-story clusters, where the set has cluster gold."""
    if all(r.clusters is None for r in reports):
        return []

    def cells(figures) -> str:
        return "".join(f"{figures(r.clusters) if r.clusters else '-':>{width}}" for r in reports)

    return [
        f"{'clusters B-cubed':18}" + cells(lambda c: f"{c.precision:.2f}  {c.recall:.2f}  {c.f1:.2f}"),
        f"{'  multi-report':18}" + cells(lambda c: f"{c.multi_precision:.2f}  {c.multi_recall:.2f}  {c.multi_f1:.2f}"),
        f"{'  multi clusters':18}" + cells(lambda c: f"{c.multi_clusters} of {c.annotated_clusters}"),
    ]


def calendar_value(event: Event) -> str | None:
    """The narrowest calendar unit (day, month, year) the event's date guarantees, as the gold writes dates."""
    if event.event_date is None:
        return None
    start, end = event.event_date, event.date_end or event.event_date
    if event.date_granularity in ("decade", "century"):
        return event.date_value
    if start == end:
        return start.isoformat()
    if (start.year, start.month) == (end.year, end.month):
        return f"{start.year:04d}-{start.month:02d}"
    if start.year == end.year:
        return f"{start.year:04d}"
    return event.date_value


class Normalizer:
    """Names as the evaluation compares them, the same for gold and prediction."""

    def __init__(self) -> None:
        self.gazetteer = load_gazetteer()

    def entity(self, label: str, name: str) -> str:
        if label == "COUNTRY":
            country = self.gazetteer.country(name) or self.gazetteer.capital(name)
            return country.code if country else name_key(name)
        if label == "ORG":
            organization = self.gazetteer.organization(name)
            return name_key(organization[0]) if organization else name_key(name)
        if label == "PERSON":
            person = self.gazetteer.person(name)
            return name_key(person[0]) if person else name_key(name)
        key = name_key(name)
        return key[:-1] if key.endswith("s") and not key.endswith("ss") else key

    def party(self, name: str | None) -> frozenset[str]:
        if not name:
            return frozenset()
        keys = set()
        for part in name.split(";"):
            part = part.strip()
            country = self.gazetteer.country(part) or self.gazetteer.capital(part)
            known = self.gazetteer.person(part) or self.gazetteer.organization(part)
            keys.add(country.code if country else name_key(known[0]) if known else name_key(part))
        return frozenset(keys)


def load_gold(path: str | Path) -> list[dict]:
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    return data["stories"] if isinstance(data, dict) else data


def gold_stories(gold: list[dict], gold_path: Path, problems: list[Problem]) -> list[Story]:
    """The stories to run: cut by the segmenter from topic pages, or built from the gold text.

    A topic page's path is relative to the working folder, else to the gold file's repository (`data/gold/...`).
    """
    stories: list[Story] = []
    repository = next((parent for parent in gold_path.resolve().parents if (parent / "data").is_dir()), Path("."))
    for page in sorted({g["source"]["path"] for g in gold if g["source"].get("format") == "topic_page"}):
        page_path = Path(page) if Path(page).exists() else repository / page
        for story in read_stories([page_path], problems.append):
            story.source = page
            stories.append(story)
    for item in gold:
        if item["source"].get("format") == "topic_page":
            continue
        published = date.fromisoformat(item["published"]) if item.get("published") else None
        stories.append(Story(item["id"], str(gold_path), item["text"], published, "jsonl" if published else "none", headline=item.get("headline")))
    return stories


def evaluate(gold_path: str | Path, nlp=None, model: str | None = None) -> Report:
    """Score the pipeline against one gold file."""
    gold_path = Path(gold_path)
    return evaluate_stories(gold_path.name, load_gold(gold_path), nlp or build_nlp(model or DEFAULT_MODEL), gold_path)


def evaluate_stories(name: str, gold: list[dict], nlp, gold_path: Path = Path(".")) -> Report:
    """Score the pipeline against gold stories (topic pages are found beside `gold_path`)."""
    report = Report(name)
    problems: list[Problem] = []
    stories = gold_stories(gold, gold_path, problems)
    results = {story.story_id: (story, doc) for story, doc in process(nlp, stories, problems.append)}
    normalizer = Normalizer()
    segmented = [g for g in gold if g["source"].get("format") == "topic_page"]
    if segmented:
        _score_segmentation(report, segmented, results)
    for item in gold:
        story, doc = results.get(item["id"], (None, None))
        if story is None:
            report.errors.append(f"{item['id']}: no such story in the pipeline's output")
            for event in item["events"]:
                report.events[event["type"]].false_negative += 1
            continue
        score_events(report, item, doc._.events, normalizer)
        _score_entities(report, item, doc, normalizer)
    for problem in problems:
        report.errors.append(str(problem))
    groups = gold_cluster_groups(name, gold_path)
    if groups is not None:
        events = frame((event_row(event) for _, doc in results.values() for event in doc._.events), EVENTS)
        report.clusters = score_clusters(report.matches, events, frame((story_row(s) for s, _ in results.values()), STORIES), groups)
    return report


def gold_cluster_groups(name: str, gold_path: Path) -> list[list[tuple[str, int]]] | None:
    """The set's cross-story cluster gold: the corpus split's, the sample gold's own, or the dev set's; None if none."""
    from . import corpus

    if name in corpus.SPLITS:
        return corpus.load_cluster_gold(name)
    if gold_path.suffix == ".json" and gold_path.is_file():
        data = json.loads(gold_path.read_text(encoding="utf-8"))
        if isinstance(data, dict) and "clusters" in data:
            return [[tuple(member) for member in group] for group in data["clusters"]]
    if name == "dev" and DEV_CLUSTERS.exists():
        return [[tuple(member) for member in group] for group in json.loads(DEV_CLUSTERS.read_text(encoding="utf-8"))["dev"]]
    return None


def set_name(path: Path) -> str:
    """A gold file's name in reports: 'dev' and 'test' for the held-out sets, whatever the file is called."""
    from . import corpus

    if path.resolve() == (corpus.shared_dir() / "dev" / "gold.json").resolve():
        return "dev"
    split = corpus.load_split()
    if any(split.get(story["id"], {}).get("split") == "test" for story in load_gold(path)):
        return "test"
    return path.stem


def gold_sets(corpora: Path | None = None) -> dict[str, tuple[list[dict], Path]]:
    """The gold sets that are at hand, by name: train, test, dev, sample (each with the path topic pages resolve
    against)."""
    from . import corpus

    sets: dict[str, tuple[list[dict], Path]] = {}
    try:
        for name, stories in corpus.gold_splits(corpora or corpus.default_corpora_dir()).items():
            sets[name] = (stories, corpus.ANNOTATIONS)
    except corpus.CorpusError as err:
        print(f"warning: the annotated corpus is not at hand ({err}); train and test left out", file=sys.stderr)
    dev = corpus.shared_dir() / "dev" / "gold.json"
    if dev.exists():
        sets["dev"] = (load_gold(dev), dev)
    if SAMPLE_GOLD.exists():
        sets["sample"] = (load_gold(SAMPLE_GOLD), SAMPLE_GOLD)
    return sets


def _score_segmentation(report: Report, gold: list[dict], results: dict) -> None:
    fields = ("published", "headline", "kicker", "caption", "photo_credit", "text")
    right = Counter()
    predicted_ids = {story_id for story_id, (story, _) in results.items() if ":" in story_id}
    report.segmentation["stories"] = (len({g["id"] for g in gold} & predicted_ids), len(gold))
    for item in gold:
        story = results.get(item["id"], (None, None))[0]
        if story is None:
            continue
        for name in fields:
            value = getattr(story, name)
            value = value.isoformat() if isinstance(value, date) else value
            right[name] += value == item.get(name)
    for name in fields:
        report.segmentation[name] = (right[name], len(gold))


def score_events(report: Report, item: dict, events: list[Event], normalizer: Normalizer) -> None:
    gold_events = _gold_evidence(report, item)
    predicted = [e for e in events if e.modality in COUNTED_MODALITIES]
    pairs = event_alignment(predicted, [(event, start, end) for _, event, start, end in gold_events], normalizer)
    dates_before = report.dates_right
    for number, event in enumerate(predicted):
        match = pairs.get(number)
        report.confidences.append((event.confidence, match is not None))
        if match is None:
            report.events[event.event_type].false_positive += 1
            # Every gold event such a row overlaps is matched already (else the matching would pair them).
            report.repeated_rows += any(_covers(event, gold["type"], start, end) for _, gold, start, end in gold_events)
            report.errors.append(f"{item['id']}: false {event.event_type} ({event.trigger!r}): {event.sentence[:100]!r}")
            continue
        gold_index, gold_event = gold_events[match][:2]
        report.matches.append(((item["id"], gold_index), event.event_id))
        report.events[event.event_type].true_positive += 1
        _score_arguments(report, item["id"], event, gold_event, normalizer)
    paired = set(pairs.values())
    for index, (_, gold_event, _, _) in enumerate(gold_events):
        if index not in paired:
            report.events[gold_event["type"]].false_negative += 1
            report.errors.append(f"{item['id']}: missed {gold_event['type']}: {gold_event['evidence'][:100]!r}")
    report.story_counts[item["id"]] = StoryCounts(len(pairs), len(predicted) - len(pairs), len(gold_events) - len(pairs),
                                                  report.dates_right - dates_before)


def event_alignment(predicted: list[Event], gold: list[tuple[dict, int, int]], normalizer: Normalizer) -> dict[int, int]:
    """Predicted event number -> gold event number (`gold`: each gold event with the start and end of its evidence).
    The largest one-to-one pairing of events of one type whose mentions overlap the gold evidence; among the largest,
    the one that pairs most events by their own sentence, so that a record's other mentions never take a gold event
    from the record that tells it; then the one whose pairs agree most on date and actor (two attacks of one
    sentence pair by what tells them apart)."""
    own_weight = 2 * len(predicted) + 1  # more than all agreements together: own sentences first
    graph = networkx.Graph()
    for number, event in enumerate(predicted):
        for index, (gold_event, start, end) in enumerate(gold):
            if _covers(event, gold_event["type"], start, end):
                own = event.start_char < end and start < event.end_char
                graph.add_edge(("event", number), ("gold", index),
                               weight=1 + own * own_weight + sum(_agreement(event, gold_event, normalizer)))
    pairs = networkx.max_weight_matching(graph, maxcardinality=True)
    return dict(sorted((a[1], b[1]) if a[0] == "event" else (b[1], a[1]) for a, b in pairs))


def _agreement(event: Event, gold_event: dict, normalizer: Normalizer) -> tuple[bool, bool]:
    """Whether a predicted event has the gold event's date, and its actor."""
    same_actor = bool(normalizer.party(event.actor) & normalizer.party(gold_event["actor"])) or (
        not event.actor and not gold_event["actor"])
    return calendar_value(event) == gold_event["date"], same_actor


def _covers(event: Event, event_type: str, start: int, end: int) -> bool:
    return event.event_type == event_type and any(m_start < end and start < m_end for m_start, m_end in event.mentions)


def _gold_evidence(report: Report, item: dict) -> list[tuple[int, dict, int, int]]:
    """The story's gold events whose evidence is in its text: index, event, start and end of the evidence."""
    found = []
    for index, event in enumerate(item["events"]):
        start = item["text"].find(event["evidence"])
        if start < 0:
            report.errors.append(f"{item['id']}: evidence not in text: {event['evidence'][:60]!r}")
            continue
        found.append((index, event, start, start + len(event["evidence"])))
    return found


def _score_arguments(report: Report, story_id: str, event: Event, gold_event: dict, normalizer: Normalizer) -> None:
    """The date and the actor of a matched event."""
    same_date, same_actor = _agreement(event, gold_event, normalizer)
    report.dates_total += 1
    report.dates_right += same_date
    report.actors_right += same_actor
    if not same_date:
        report.errors.append(f"{story_id}: {event.event_type} date {calendar_value(event)} ({event.date_text!r}, {event.date_source}) != gold {gold_event['date']} ({gold_event['date_text']!r}): {event.sentence[:160]!r}")
    if not same_actor:
        report.errors.append(f"{story_id}: {event.event_type} actor {event.actor!r} != gold {gold_event['actor']!r}")


def agreement(reference: list[dict], second: list[dict]) -> Report:
    """How far a second, independent annotation of the same stories agrees with the first, scored as the pipeline is
    scored (the second's events and entities as the predictions): the ceiling the conventions leave any extractor."""
    report = Report("agreement")
    normalizer = Normalizer()
    others = {story["id"]: story for story in second}
    for item in reference:
        other = others.get(item["id"])
        if other is None:
            report.errors.append(f"{item['id']}: not in the second annotation")
            continue
        predicted = [event for event in map(partial(_annotated_event, other), other["events"]) if event is not None]
        score_events(report, item, predicted, normalizer)
        _count_entities(report, item, {label: {normalizer.entity(label, name) for name in names}
                                       for label, names in other["entities"].items()}, normalizer)
    return report


def _annotated_event(story: dict, annotated: dict) -> Event | None:
    """An annotator's event as a pipeline record, on its evidence sentence (None where the evidence is not in the text)."""
    start = story["text"].find(annotated["evidence"])
    if start < 0:
        return None
    period = normalize(annotated["date"], date.fromisoformat(story["published"]))  # YYYY-MM-DD, YYYY-MM or YYYY
    end = start + len(annotated["evidence"])
    return Event(
        event_id=f"{story['id']}-A", story_id=story["id"], event_type=annotated["type"], cameo_code="", plover_type="",
        trigger="", actor=annotated["actor"], actor_country=None,
        actor_source="sentence" if annotated["actor"] else None, target=annotated["target"], target_country=None,
        weapon=annotated["weapon"], quantity=annotated["quantity"], location=annotated["location"], attributed_to=None,
        modality="asserted", event_date=period.start, date_end=period.end, date_value=annotated["date"], date_granularity=None,
        date_modifier=None, date_text=annotated["date_text"], date_source="expression" if annotated["date_text"] else "story_date",
        sentence=annotated["evidence"], start_char=start, end_char=end, trigger_start=start, trigger_end=start,
        confidence=1.0, mentions=[(start, end)],
    )


def _score_entities(report: Report, item: dict, doc, normalizer: Normalizer) -> None:
    predicted: dict[str, set[str]] = defaultdict(set)
    for span in doc.spans[SPAN_KEY]:
        predicted[span.label_].add(normalizer.entity(span.label_, span._.canonical))
    _count_entities(report, item, predicted, normalizer)


def _count_entities(report: Report, item: dict, predicted: dict[str, set[str]], normalizer: Normalizer) -> None:
    """Per label, the gold story's normalized names against those found."""
    for label in ENTITY_LABELS:
        gold = {normalizer.entity(label, name) for name in item["entities"].get(label, [])}
        found = predicted.get(label, set())
        scores = report.entities[label]
        scores.true_positive += len(gold & found)
        scores.false_positive += len(found - gold)
        scores.false_negative += len(gold - found)
