"""`python -m pipeline export OUT_DIR --format plover --out FILE.jsonl`: the events as PLOVER/POLECAT-style records.

One JSON object a line, one per event: PLOVER's `event_type` (our `plover_type`), `mode` and `context` (from
`models/event_types.json`, where the type tells them), `actor` and `recipient` with their ISO 3166 alpha-3
`country`, the `date` with our period and granularity, `location`, `story_id`, `event_cluster_id` where the run
clustered events, and the character `offsets` of the evidence sentence and the trigger in the story's text.
`modality`, `attributed_to` and `newsevents_type` extend the format with what PLOVER has no field for. Bare
statements have no PLOVER category: they are skipped, and counted.
"""
from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import pandas as pd

from .resources import EventType, load_event_types
from .atomic import write_text_atomically
from .store import load_events

FORMATS = ("plover",)


@dataclass
class ExportSummary:
    written: int
    skipped: int  # events with no PLOVER category (bare statements)
    path: Path

    def note(self) -> str:
        return (f"note: {self.skipped} event{'s' if self.skipped != 1 else ''} with no PLOVER category "
                "(bare statements) skipped")


@lru_cache(maxsize=1)
def event_types() -> dict[str, EventType]:
    return load_event_types()


def _text(value) -> str | None:
    return None if pd.isna(value) else str(value)


def _day(value) -> str | None:
    return None if pd.isna(value) else value.date().isoformat()


def plover_record(event) -> dict:
    """One event (a row of the events table) as a PLOVER/POLECAT-style record."""
    kind = event_types()[str(event.event_type)]
    record = {
        "id": event.event_id,
        "event_type": str(event.plover_type),
        "mode": kind.plover_mode or "",
        "context": list(kind.plover_context),
        "actor": {"name": _text(event.actor), "country": _text(event.actor_country)},
        "recipient": {"name": _text(event.target), "country": _text(event.target_country)},
        "date": _day(event.event_date),
        "date_end": _day(event.date_end),
        "date_granularity": _text(event.date_granularity),
        "date_text": _text(event.date_text),
        "location": _text(event.location),
        "story_id": event.story_id,
        "text": event.sentence,
        "trigger": event.trigger,
        "offsets": {"evidence": [int(event.start_char), int(event.end_char)],
                    "trigger": [int(event.trigger_start), int(event.trigger_end)]},
        "cameo": event.cameo_code,
        "newsevents_type": str(event.event_type),
        "modality": str(event.modality),
        "attributed_to": _text(event.attributed_to),
    }
    cluster = getattr(event, "event_cluster_id", None)
    if cluster is not None and not pd.isna(cluster):
        record["event_cluster_id"] = str(cluster)
    return record


def export_plover(out: str | Path, target: str | Path) -> ExportSummary:
    """Writes the events of the run in `out` to `target` as JSON lines, atomically."""
    events = load_events(out)
    coded = events[events.plover_type.notna()]
    lines: Iterator[str] = (json.dumps(plover_record(event), ensure_ascii=False) + "\n" for event in coded.itertuples(index=False))
    path = write_text_atomically(Path(target), lines)
    return ExportSummary(written=len(coded), skipped=len(events) - len(coded), path=path)
