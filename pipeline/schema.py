"""Stage 5's contract: the Parquet schemas, declared once.

The writers (`store.TableWriter`), the loaders (`store.load_*`) and the tests
all use these. Columns mirror `records.Story`, `records.Entity` and
`records.Event`; later versions add columns, never rename them.
"""
from __future__ import annotations

import pyarrow as pa

from .resources import load_event_types

LABELS = ["PERSON", "COUNTRY", "ORG", "WEAPON", "LOCATION"]
EVENT_TYPES = list(load_event_types())  # models/event_types.json, in precedence order
MODALITIES = ["asserted", "reported", "denied", "hypothetical"]
GRANULARITIES = ["time", "day", "week", "month", "quarter", "season", "half", "year", "decade", "century"]
DATE_SOURCES = ["expression", "previous_event", "story_date", "unresolved"]
ACTOR_SOURCES = ["sentence", "story"]
PUBLISHED_SOURCES = ["date_line", "dateline", "jsonl", "html_meta", "option", "none"]
PROBLEM_KINDS = [
    "missing", "unsupported", "unreadable", "binary", "encoding", "characters", "empty", "html", "invalid_json",
    "invalid_record", "bad_date", "no_body", "not_english", "duplicate", "renamed_id", "split", "story_failed",
]
SEVERITIES = ["error", "warning"]

_span = pa.struct([("start", pa.int32()), ("end", pa.int32())])

STORIES = pa.schema(
    [
        pa.field("story_id", pa.string(), nullable=False),
        pa.field("source", pa.string(), nullable=False),
        pa.field("published", pa.date32()),
        pa.field("published_source", pa.string(), nullable=False),
        pa.field("updated", pa.bool_(), nullable=False),
        pa.field("section", pa.string()),
        pa.field("kicker", pa.string()),
        pa.field("headline", pa.string()),
        pa.field("caption", pa.string()),
        pa.field("photo_credit", pa.string()),
        pa.field("text", pa.string(), nullable=False),
        pa.field("markers", pa.list_(pa.struct([("label", pa.string()), ("start_char", pa.int32())]))),
        pa.field("related", pa.list_(pa.string())),
        pa.field("flags", pa.list_(pa.string())),
        pa.field("start_char", pa.int32(), nullable=False),
        pa.field("end_char", pa.int32(), nullable=False),
        pa.field("line", pa.int32(), nullable=False),
        pa.field("word_count", pa.int32(), nullable=False),
        pa.field("page_title", pa.string()),
    ]
)

ENTITIES = pa.schema(
    [
        pa.field("story_id", pa.string(), nullable=False),
        pa.field("entity_id", pa.string(), nullable=False),
        pa.field("text", pa.string(), nullable=False),
        pa.field("label", pa.dictionary(pa.int8(), pa.string()), nullable=False),
        pa.field("canonical", pa.string(), nullable=False),
        pa.field("country_code", pa.string()),
        pa.field("sentence_index", pa.int32(), nullable=False),
        pa.field("start_char", pa.int32(), nullable=False),
        pa.field("end_char", pa.int32(), nullable=False),
    ]
)

EVENTS = pa.schema(
    [
        pa.field("event_id", pa.string(), nullable=False),
        pa.field("story_id", pa.string(), nullable=False),
        pa.field("event_type", pa.dictionary(pa.int8(), pa.string()), nullable=False),
        pa.field("cameo_code", pa.string(), nullable=False),
        pa.field("plover_type", pa.dictionary(pa.int8(), pa.string())),
        pa.field("trigger", pa.string(), nullable=False),
        pa.field("actor", pa.string()),
        pa.field("actor_country", pa.string()),
        pa.field("actor_source", pa.dictionary(pa.int8(), pa.string())),
        pa.field("target", pa.string()),
        pa.field("target_country", pa.string()),
        pa.field("weapon", pa.string()),
        pa.field("quantity", pa.int32()),
        pa.field("location", pa.string()),
        pa.field("attributed_to", pa.string()),
        pa.field("modality", pa.dictionary(pa.int8(), pa.string()), nullable=False),
        pa.field("event_date", pa.date32()),
        pa.field("date_end", pa.date32()),
        pa.field("date_value", pa.string()),
        pa.field("date_granularity", pa.dictionary(pa.int8(), pa.string())),
        pa.field("date_modifier", pa.string()),
        pa.field("date_text", pa.string()),
        pa.field("date_source", pa.dictionary(pa.int8(), pa.string()), nullable=False),
        pa.field("sentence", pa.string(), nullable=False),
        pa.field("start_char", pa.int32(), nullable=False),
        pa.field("end_char", pa.int32(), nullable=False),
        pa.field("trigger_start", pa.int32(), nullable=False),
        pa.field("trigger_end", pa.int32(), nullable=False),
        pa.field("mentions", pa.list_(_span)),
        pa.field("confidence", pa.float32(), nullable=False),
        # The cross-story cluster the event reports (clusters.assign_clusters); null until clustering has run.
        pa.field("event_cluster_id", pa.string()),
    ]
)

PROBLEMS = pa.schema(
    [
        pa.field("path", pa.string(), nullable=False),
        pa.field("line", pa.int32(), nullable=False),
        pa.field("story_id", pa.string()),
        pa.field("kind", pa.dictionary(pa.int8(), pa.string()), nullable=False),
        pa.field("severity", pa.dictionary(pa.int8(), pa.string()), nullable=False),
        pa.field("message", pa.string(), nullable=False),
    ]
)

# One row per real-world event, however many stories report it (clusters.assign_clusters), over the events of every
# run into an output: rewritten by each run once its events are written.
CLUSTERS = pa.schema(
    [
        pa.field("event_cluster_id", pa.string(), nullable=False),
        pa.field("event_type", pa.dictionary(pa.int8(), pa.string()), nullable=False),
        pa.field("family", pa.string(), nullable=False),
        pa.field("date_start", pa.date32()),
        pa.field("date_end", pa.date32()),
        pa.field("date_granularity", pa.dictionary(pa.int8(), pa.string())),
        pa.field("actors", pa.list_(pa.string())),
        pa.field("actor_countries", pa.list_(pa.string())),
        pa.field("targets", pa.list_(pa.string())),
        pa.field("target_countries", pa.list_(pa.string())),
        pa.field("location", pa.string()),
        pa.field("weapons", pa.list_(pa.string())),
        pa.field("reports", pa.int32(), nullable=False),
        pa.field("stories", pa.int32(), nullable=False),
        pa.field("first_story_id", pa.string(), nullable=False),
        pa.field("first_event_id", pa.string(), nullable=False),
        pa.field("modality", pa.dictionary(pa.int8(), pa.string()), nullable=False),
    ]
)

TABLES = {"stories": STORIES, "entities": ENTITIES, "events": EVENTS, "problems": PROBLEMS, "clusters": CLUSTERS}
# The tables `--partition month` writes as Hive-style datasets by the stories' publication month; problems stay a file.
PARTITIONED_TABLES = ("stories", "entities", "events")
# Tables each run writes whole again, from all the rows of the output, rather than adding its own rows: events, whose
# cluster ids a new report can change, and the clusters.
REWRITTEN_TABLES = ("events", "clusters")

# Categorical columns and their full set of values, so every table carries the same categories.
CATEGORIES = {
    "label": LABELS,
    "event_type": EVENT_TYPES,
    "plover_type": list(dict.fromkeys(t.plover for t in load_event_types().values() if t.plover)),
    "modality": MODALITIES,
    "date_granularity": GRANULARITIES,
    "date_source": DATE_SOURCES,
    "actor_source": ACTOR_SOURCES,
    "kind": PROBLEM_KINDS,
    "severity": SEVERITIES,
}
