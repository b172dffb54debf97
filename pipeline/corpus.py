"""The project's annotated corpus: drawn from ../shared/corpora, kept as annotations without texts.

The raw corpora may not be copied into the repository (../shared/corpora/README.md), so the
repository keeps what annotators added: story ids, character offsets into each story's text,
and the fields of the dev-set schema (../shared/dev/README.md). `export` joins them with the
texts again and writes `train.json` and `test.json` in that schema.

- `draw` is the documented, seeded procedure that chose the stories and fixed their split
  (`data/gold/corpus/draw.json` holds its settings; `split.json` its result).
- `skeleton` writes unannotated stories in the dev schema, for annotators to fill in.
- `import_gold` turns a filled-in file back into offset annotations.
"""
from __future__ import annotations

import hashlib
import json
import math
import os
import random
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from itertools import combinations
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CORPUS_DIR = ROOT / "data" / "gold" / "corpus"
DRAW_CONFIG = CORPUS_DIR / "draw.json"
SPLIT_FILE = CORPUS_DIR / "split.json"
ROUND_TEST_FRACTION = "test_fraction"  # a round's own share of test stories, in draw.json
# A round's own eligibility filter, in draw.json: a later round may loosen it once the stricter one is exhausted.
ROUND_FILTER_KEYS = ("min_words", "max_words", "min_topic_words")
ANNOTATIONS = CORPUS_DIR / "annotations.jsonl"
# A second annotator's independent reading of some train stories: how far two annotations agree (`agreement`).
SECOND_ANNOTATIONS = CORPUS_DIR / "second_annotations.jsonl"
CLUSTERS_FILE = CORPUS_DIR / "clusters.json"  # cross-story cluster gold: per split, groups of [story_id, event index]
SPLITS = ("train", "test")
EVENT_FIELDS = ("type", "actor", "target", "weapon", "quantity", "location", "date", "date_text", "evidence")
ENTITY_LABELS = ("PERSON", "COUNTRY", "ORG", "WEAPON")


class CorpusError(Exception):
    """Annotations that do not fit the texts they point into, or corpora that are missing."""


def shared_dir() -> Path:
    return Path(os.environ.get("NEWSEVENTS_SHARED", ROOT.parent / "shared"))


def default_corpora_dir() -> Path:
    return shared_dir() / "corpora"


@dataclass(frozen=True)
class SourceKey:
    """Where a story's text came from, as both the corpora and the dev set record it."""

    repo: str
    path: str
    doc: str | None

    @classmethod
    def from_corpus(cls, source: str) -> "SourceKey":
        """`repo@commit:path#doc`, the corpora's `source` field."""
        repo_commit, _, location = source.partition(":")
        path, _, doc = location.partition("#")
        return cls(repo_commit.split("@")[0], path, doc or None)

    @classmethod
    def from_gold(cls, source: dict) -> "SourceKey":
        return cls(source.get("repo", ""), source.get("path", ""), source.get("doc"))


def read_corpus(path: Path) -> Iterator[dict]:
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            if line.strip():
                yield json.loads(line)


def text_hash(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8")).hexdigest()[:16]


# -- the draw ------------------------------------------------------------------------------------------------


def topic_word_count(story: dict, pattern: re.Pattern[str]) -> int:
    """How many distinct topic words (politics, security, diplomacy) the headline and text use."""
    found = pattern.findall(f"{story.get('headline') or ''}\n{story['text']}")
    return len({word.lower() for word in found})


def eligible(story: dict, config: dict, pattern: re.Pattern[str], excluded: set[SourceKey]) -> bool:
    words = len(story["text"].split())
    return (
        config["min_words"] <= words <= config["max_words"]
        and SourceKey.from_corpus(story.get("source", "")) not in excluded
        and topic_word_count(story, pattern) >= config["min_topic_words"]
    )


def round_counts(draw_round: dict) -> dict[str, int]:
    """How many stories a round of `draw.json` takes from each corpus file (its other keys are its own settings)."""
    return {corpus: count for corpus, count in draw_round.items()
            if corpus != ROUND_TEST_FRACTION and corpus not in ROUND_FILTER_KEYS}


def round_filter(config: dict, draw_round: dict) -> dict:
    """The eligibility settings of one round: the draw's own, with whatever the round sets for itself."""
    return {key: draw_round.get(key, config[key]) for key in ROUND_FILTER_KEYS}


def draw(corpora_dir: Path, config: dict, excluded: set[SourceKey], excluded_texts: set[str]) -> list[dict]:
    """Choose stories per corpus at random (seeded) among the eligible ones and split them into train and test.

    Each corpus is drawn and split on its own, so every era of news is in both splits. Draws come in rounds: a later
    round samples only stories no earlier round chose, so growing the corpus never changes what was drawn before.
    Stories repeating a text of `excluded_texts` (the dev set's) or of a story drawn before them are left out.
    """
    pattern = re.compile(r"\b(?:%s)\b" % "|".join(config["topic_words"]), re.IGNORECASE)
    filters = {tuple(round_filter(config, draw_round).items()) for draw_round in config["rounds"]}
    corpora = sorted({corpus for draw_round in config["rounds"] for corpus in round_counts(draw_round)})
    eligible_ids: dict[tuple, list[str]] = {(corpus, settings): [] for corpus in corpora for settings in filters}
    for corpus in corpora:  # each corpus read once, whatever the rounds' filters
        for story in read_corpus(corpora_dir / corpus):
            for settings in filters:
                if eligible(story, dict(settings), pattern, excluded):
                    eligible_ids[corpus, settings].append(story["id"])
    for ids in eligible_ids.values():
        ids.sort()
    chosen: list[dict] = []
    for number, draw_round in enumerate(config["rounds"], start=1):
        taken = {row["id"] for row in chosen}
        settings = tuple(round_filter(config, draw_round).items())
        # A round may set its own share of test stories (0 for a round drawn only to give the classifier more
        # examples, so that the test split and its figures stay as they were).
        test_fraction = draw_round.get(ROUND_TEST_FRACTION, config["test_fraction"])
        for corpus, count in sorted(round_counts(draw_round).items()):
            candidates = [story_id for story_id in eligible_ids[corpus, settings] if story_id not in taken]
            if len(candidates) < count:
                raise CorpusError(f"{corpus}: only {len(candidates)} eligible stories left in round {number}, {count} asked for")
            seed = f"{config['seed']}:{corpus}" if number == 1 else f"{config['seed']}:{corpus}:{number}"
            sample = random.Random(seed).sample(candidates, count)
            test_count = math.ceil(test_fraction * count)
            chosen += [{"id": story_id, "corpus": corpus, "split": "test" if rank < test_count else "train"}
                       for rank, story_id in enumerate(sample)]
    return sorted(without_repeats(chosen, corpora_dir, excluded_texts), key=lambda row: row["id"])


def text_key(text: str) -> str:
    """What makes two wire stories the same story: their opening, case and spacing aside.

    Reuters-21578 carries some stories twice under two ids, a few with a changed last paragraph."""
    return " ".join(text.lower().split())[:300]


def without_repeats(chosen: list[dict], corpora_dir: Path, excluded_texts: set[str]) -> list[dict]:
    """The drawn stories less those that repeat a dev-set story or a story drawn before them (in draw order), so
    that no text is in both splits, or in a split and the dev set."""
    texts = corpus_stories(corpora_dir, [row["id"] for row in chosen], {row["id"]: row for row in chosen})
    seen = set(excluded_texts)
    kept = []
    for row in chosen:
        key = text_key(texts[row["id"]]["text"])
        if key not in seen:
            seen.add(key)
            kept.append(row)
    return kept


def dev_stories(dev_gold: Path) -> list[dict]:
    """The stories of the dev set, which stays a test set of its own and is never drawn again."""
    if not dev_gold.exists():
        raise CorpusError(f"{dev_gold}: the dev gold set is needed to keep its stories out of the draw")
    return json.loads(dev_gold.read_text(encoding="utf-8"))


def draw_from_config(corpora_dir: Path) -> list[dict]:
    config = json.loads(DRAW_CONFIG.read_text(encoding="utf-8"))
    dev = dev_stories(shared_dir() / "dev" / "gold.json")
    return draw(corpora_dir, config, {SourceKey.from_gold(story["source"]) for story in dev},
                {text_key(story["text"]) for story in dev})


def save_split(rows: list[dict], path: Path = SPLIT_FILE) -> None:
    """One story a line, so that a changed draw shows as a readable diff."""
    path.write_text("[\n" + ",\n".join(json.dumps(row) for row in rows) + "\n]\n", encoding="utf-8")


def load_split(path: Path = SPLIT_FILE) -> dict[str, dict]:
    return {row["id"]: row for row in json.loads(path.read_text(encoding="utf-8"))}


# -- texts and annotations -------------------------------------------------------------------------------------


def corpus_stories(corpora_dir: Path, ids: Iterable[str], split: dict[str, dict]) -> dict[str, dict]:
    """The raw stories with these ids, read from their corpus files."""
    wanted: dict[str, set[str]] = {}
    for story_id in ids:
        if story_id not in split:
            raise CorpusError(f"{story_id}: not a story of the drawn corpus ({SPLIT_FILE.relative_to(ROOT)})")
        wanted.setdefault(split[story_id]["corpus"], set()).add(story_id)
    found: dict[str, dict] = {}
    for corpus, story_ids in sorted(wanted.items()):
        path = corpora_dir / corpus
        if not path.exists():
            raise CorpusError(f"{path}: corpus file not found (point --corpora at ../shared/corpora)")
        for story in read_corpus(path):
            if story["id"] in story_ids:
                found[story["id"]] = story
    missing = sorted(set(split) & set(ids) - set(found))
    if missing:
        raise CorpusError(f"stories not in the corpus files: {', '.join(missing[:5])}")
    return found


def gold_source(story: dict, corpus: str) -> dict:
    key = SourceKey.from_corpus(story.get("source", ""))
    commit = story.get("source", "").partition("@")[2].partition(":")[0]
    source = {"repo": key.repo, "commit": commit, "path": key.path, "doc": key.doc, "format": "corpus_jsonl",
              "corpus": corpus}
    if story.get("url"):
        source["url"] = story["url"]
    return source


def skeleton(story: dict, corpus: str) -> dict:
    """A story in the dev-set schema with nothing annotated yet."""
    return {
        "id": story["id"], "source": gold_source(story, corpus), "published": story["published"],
        "headline": story.get("headline"), "text": story["text"],
        "entities": {label: [] for label in ENTITY_LABELS}, "events": [],
    }


def _locate(text: str, needle: str, near: int = 0) -> tuple[int, int]:
    """Offsets of `needle` in `text`: the occurrence nearest to `near`."""
    starts = [m.start() for m in re.finditer(re.escape(needle), text)]
    if not starts:
        raise CorpusError(f"not in the story's text: {needle[:70]!r}")
    start = min(starts, key=lambda s: abs(s - near))
    return start, start + len(needle)


def to_annotation(gold: dict, text: str) -> dict:
    """A gold story (verbatim evidence) as offsets into its text."""
    events = []
    for event in gold["events"]:
        unknown = set(event) - set(EVENT_FIELDS)
        if unknown:
            raise CorpusError(f"{gold['id']}: unknown event fields {sorted(unknown)}")
        evidence = _locate(text, event["evidence"])
        row = {key: event.get(key) for key in EVENT_FIELDS}
        row["evidence"] = list(evidence)
        row["date_text"] = list(_locate(text, event["date_text"], evidence[0])) if event.get("date_text") else None
        events.append(row)
    entities = {label: list(gold.get("entities", {}).get(label, [])) for label in ENTITY_LABELS}
    return {"id": gold["id"], "text_sha1": text_hash(text), "entities": entities, "events": events}


def to_gold(annotation: dict, story: dict, corpus: str, split: str) -> dict:
    """An annotation joined with its story's text, in the dev-set schema."""
    text = story["text"]
    if text_hash(text) != annotation["text_sha1"]:
        raise CorpusError(f"{annotation['id']}: the corpus text changed since it was annotated")
    gold = skeleton(story, corpus)
    gold["split"] = split
    gold["entities"] = annotation["entities"]
    for event in annotation["events"]:
        row = dict(event)
        row["evidence"] = text[slice(*event["evidence"])]
        row["date_text"] = text[slice(*event["date_text"])] if event["date_text"] else None
        gold["events"].append(row)
    return gold


def load_cluster_gold(split: str, path: Path = CLUSTERS_FILE) -> list[list[tuple[str, int]]]:
    """The split's groups of gold events that report one real-world event (README: 'Event clusters')."""
    groups = json.loads(path.read_text(encoding="utf-8"))[split]
    return [[(story_id, index) for story_id, index in group] for group in groups]


def load_annotations(path: Path = ANNOTATIONS) -> dict[str, dict]:
    if not path.exists():
        return {}
    return {row["id"]: row for row in read_corpus(path)}


def save_annotations(annotations: dict[str, dict], path: Path = ANNOTATIONS) -> None:
    temporary = path.with_suffix(".tmp")
    with temporary.open("w", encoding="utf-8") as handle:
        for story_id in sorted(annotations):
            handle.write(json.dumps(annotations[story_id], ensure_ascii=False) + "\n")
    temporary.replace(path)


def import_gold(files: Iterable[Path], corpora_dir: Path, into: Path = ANNOTATIONS) -> list[str]:
    """Add (or replace) the annotations of filled-in gold files in `into`; returns the ids imported."""
    split = load_split()
    golds = [story for path in files for story in json.loads(Path(path).read_text(encoding="utf-8"))]
    texts = corpus_stories(corpora_dir, [g["id"] for g in golds], split)
    annotations = load_annotations(into)
    for gold in golds:
        if gold["text"] != texts[gold["id"]]["text"]:
            raise CorpusError(f"{gold['id']}: the gold file's text differs from the corpus text")
        if into != ANNOTATIONS and split[gold["id"]]["split"] != "train":
            raise CorpusError(f"{gold['id']}: a second annotation is kept of train stories only (test is read as figures)")
        annotations[gold["id"]] = to_annotation(gold, gold["text"])
    save_annotations(annotations, into)
    return [g["id"] for g in golds]


def annotation_pairs(corpora_dir: Path) -> tuple[list[dict], list[dict]]:
    """The stories annotated twice, as the corpus has them and as the second annotator read them (dev-set schema)."""
    split, first, second = load_split(), load_annotations(), load_annotations(SECOND_ANNOTATIONS)
    both = sorted(set(first) & set(second))
    texts = corpus_stories(corpora_dir, both, split)
    return tuple([to_gold(annotations[i], texts[i], split[i]["corpus"], split[i]["split"]) for i in both]
                 for annotations in (first, second))


def gold_splits(corpora_dir: Path) -> dict[str, list[dict]]:
    """The annotated stories with their texts, in the dev-set schema, by split."""
    split = load_split()
    annotations = load_annotations()
    texts = corpus_stories(corpora_dir, annotations, split)
    by_split: dict[str, list[dict]] = {name: [] for name in SPLITS}
    for story_id, annotation in sorted(annotations.items()):
        row = split[story_id]
        by_split[row["split"]].append(to_gold(annotation, texts[story_id], row["corpus"], row["split"]))
    return by_split


def export(out: Path, corpora_dir: Path) -> dict[str, int]:
    """Write `out/train.json` and `out/test.json`: the annotated stories with their texts."""
    by_split = gold_splits(corpora_dir)
    out.mkdir(parents=True, exist_ok=True)
    for name, stories in by_split.items():
        (out / f"{name}.json").write_text(json.dumps(stories, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return {name: len(stories) for name, stories in by_split.items()}


def gold_period(value: str | None) -> tuple[date, date] | None:
    """The period a gold date allows: a day ('2016-03-07'), a month ('2016-03') or a year ('2016'); None otherwise."""
    parts = (value or "").split("-")
    if len(parts) == 3:
        return date.fromisoformat(value), date.fromisoformat(value)
    if len(parts) == 2:
        first = date(int(parts[0]), int(parts[1]), 1)
        return first, (first.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)
    if len(value or "") == 4 and value.isdigit():
        return date(int(value), 1, 1), date(int(value), 12, 31)
    return None


def cluster_candidates(stories: list[dict], max_span_days: int = 31, tolerance_days: int = 1) -> list[list[tuple[str, int]]]:
    """Gold events worth reading together when annotating cross-story clusters (README: 'Event clusters'): events of
    different stories whose types share a cluster family, whose periods (no wider than `max_span_days`) overlap give
    or take `tolerance_days`, and whose parties share one, joined transitively into reading lists. A list is what to
    read, not an answer: each group in `clusters.json` was decided on the evidence."""
    from .resources import load_event_types, load_gazetteer, name_key

    types, gazetteer = load_event_types(), load_gazetteer()

    def parties(event: dict) -> set[str]:
        names = [part.strip() for field in ("actor", "target") for part in (event[field] or "").split(";")]
        found = {name: gazetteer.country(name) or gazetteer.capital(name) for name in names if name and name != "unknown"}
        return {country.code if country else name_key(name) for name, country in found.items()}

    events = []
    for story in stories:
        for index, event in enumerate(story["events"]):
            period = gold_period(event["date"])
            if period and (period[1] - period[0]).days < max_span_days and event["type"] in types:
                kind = types[event["type"]]
                events.append(((story["id"], index), kind.cluster_family or kind.name, period, parties(event)))
    tolerance = timedelta(days=tolerance_days)
    leader: dict[tuple[str, int], tuple[str, int]] = {}

    def find(key: tuple[str, int]) -> tuple[str, int]:
        while leader.get(key, key) != key:
            key = leader[key]
        return key

    linked: set[tuple[str, int]] = set()
    for (one, family, period, named), (other, other_family, other_period, other_named) in combinations(events, 2):
        if one[0] != other[0] and family == other_family and named & other_named and \
                period[0] - tolerance <= other_period[1] and other_period[0] - tolerance <= period[1]:
            leader[find(one)] = find(other)
            linked |= {one, other}
    groups: dict[tuple[str, int], list[tuple[str, int]]] = {}
    for key in sorted(linked):
        groups.setdefault(find(key), []).append(key)
    return list(groups.values())

