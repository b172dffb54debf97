"""`export --format plover`: one PLOVER/POLECAT-style record per event of the sample page's real output."""
import json
import subprocess
import sys

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

import pipeline
from pipeline.export import export_plover

from conftest import ROOT


def test_plover_export_round_trips_the_events(sample_run, tmp_path):
    out = sample_run[1]
    target = tmp_path / "events.jsonl"
    result = subprocess.run([sys.executable, "-m", "pipeline", "export", str(out), "--format", "plover", "--out", str(target)],
                            capture_output=True, text=True, cwd=ROOT)
    assert result.returncode == 0, result.stderr
    records = [json.loads(line) for line in target.read_text(encoding="utf-8").splitlines()]
    events = pipeline.load_events(out).set_index("event_id")
    statements = int(events.plover_type.isna().sum())
    assert statements and f"note: {statements} events with no PLOVER category" in result.stderr
    assert len(records) == len(events) - statements and f"{len(records)} events ->" in result.stdout
    texts = pipeline.load_stories(out).set_index("story_id").text
    for record in records:
        event = events.loc[record["id"]]
        assert record["event_type"] == event.plover_type and record["newsevents_type"] == event.event_type
        assert record["actor"] == {"name": event.actor if isinstance(event.actor, str) else None,
                                   "country": event.actor_country if isinstance(event.actor_country, str) else None}
        assert record["modality"] == event.modality and record["story_id"] == event.story_id
        start, end = record["offsets"]["trigger"]
        assert texts[record["story_id"]][start:end] == record["trigger"] == event.trigger
        start, end = record["offsets"]["evidence"]
        assert texts[record["story_id"]][start:end] == record["text"]
        assert record["date"] == (None if pd.isna(event.event_date) else str(event.event_date.date()))
        assert record["event_cluster_id"] == event.event_cluster_id
    launch = next(r for r in records if r["newsevents_type"] == "missile_test" and r["date"] == "2019-07-25")
    assert (launch["mode"], launch["context"], launch["actor"]["country"]) == ("weapons", ["military"], "PRK")
    assert not list(tmp_path.glob(".*.tmp"))  # written through a temporary file, renamed into place


def test_export_of_tables_written_before_clustering_has_no_cluster_ids(sample_run, tmp_path):
    events = pq.read_table(sample_run[1] / "events.parquet").drop_columns(["event_cluster_id"])
    pq.write_table(events, tmp_path / "events.parquet")
    summary = export_plover(tmp_path, tmp_path / "out.jsonl")
    records = [json.loads(line) for line in (tmp_path / "out.jsonl").read_text(encoding="utf-8").splitlines()]
    assert summary.written == len(records) > 0 and not any("event_cluster_id" in record for record in records)
