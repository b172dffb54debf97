from datetime import date

import duckdb
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

import pipeline
from pipeline.schema import ENTITIES, EVENTS, STORIES
from pipeline.store import TableWriter, table_metadata


def test_tables_follow_the_declared_schemas(sample_run):
    summary, out = sample_run
    assert summary.stories == 10 and summary.events > 0 and summary.entities > 0 and not summary.problems
    for name, schema in (("stories", STORIES), ("entities", ENTITIES), ("events", EVENTS)):
        written = pq.read_schema(out / f"{name}.parquet")
        assert written.remove_metadata().equals(schema.remove_metadata()), name
    assert not list(out.glob("*.tmp")), "temporary files are renamed into place"


def test_files_carry_pipeline_and_model_versions(sample_run):
    _, out = sample_run
    metadata = table_metadata(out / "events.parquet")
    assert metadata["newsevents_version"] == "0.1.0"
    assert metadata["spacy_model"].startswith("en_core_web_sm") and metadata["spacy_model_version"].startswith("3.8")
    assert metadata["spacy_version"].startswith("3.8")


def test_loaders_give_proper_dtypes(sample_run):
    _, out = sample_run
    stories = pipeline.load_stories(out)
    events = pipeline.load_events(out)
    entities = pipeline.load_entities(out / "entities.parquet")
    assert pd.api.types.is_datetime64_any_dtype(stories["published"]) and pd.api.types.is_datetime64_any_dtype(events["event_date"])
    assert isinstance(events["event_type"].dtype, pd.CategoricalDtype) and "missile_test" in events["event_type"].cat.categories
    assert str(events["quantity"].dtype) == "Int32" and str(entities["sentence_index"].dtype) == "Int32"
    assert isinstance(entities["label"].dtype, pd.CategoricalDtype)
    scoop = stories[stories.headline.str.startswith("Trump's negotiator")].iloc[0]
    assert pd.isna(scoop["published"]) and list(scoop["flags"]) == ["no_date_line"]


def test_offsets_point_into_story_text(sample_run):
    _, out = sample_run
    stories = pipeline.load_stories(out).set_index("story_id")
    for row in pipeline.load_entities(out).itertuples():
        assert stories.loc[row.story_id, "text"][row.start_char:row.end_char] == row.text
    for row in pipeline.load_events(out).itertuples():
        text = stories.loc[row.story_id, "text"]
        assert text[row.start_char:row.end_char] == row.sentence
        assert text[row.trigger_start:row.trigger_end] == row.trigger


def test_every_sample_missile_test_and_meeting_is_found_with_its_date(sample_run):
    _, out = sample_run
    events = pipeline.load_events(out)
    events = events[events.modality.isin(["asserted", "reported"])]
    launches = events[events.event_type == "missile_test"]
    # Jul 31 twice: KCNA's story of Aug 1 and the military's of Jul 31 report one launch; "this week" of Jul 26 is the week of Jul 22
    assert sorted(launches.event_date.dt.date.astype(str)) == ["2019-07-22", "2019-07-25", "2019-07-31", "2019-07-31"]
    assert set(launches.actor) == {"North Korea"} and set(launches.quantity) == {2}
    meetings = events[events.event_type == "meeting"]
    assert {"2019-06-30", "2019-06-01"} <= set(meetings.event_date.dt.date.astype(str))


def test_duckdb_reads_the_event_table(sample_run):
    _, out = sample_run
    rows = duckdb.sql(
        f"select event_type, count(*) as n from read_parquet('{out / 'events.parquet'}') group by event_type order by n desc"
    ).fetchall()
    assert dict(rows)["missile_test"] >= 4


def test_a_failed_write_leaves_the_old_file_untouched(tmp_path):
    writer = TableWriter(tmp_path, "stories", {"newsevents_version": "test"})
    writer.add([{"story_id": "s", "source": "x", "text": "t", "published": date(2019, 1, 1), "published_source": "jsonl",
                 "updated": False, "start_char": 0, "end_char": 1, "line": 1, "word_count": 1}])
    writer.commit()
    before = (tmp_path / "stories.parquet").read_bytes()
    broken = TableWriter(tmp_path, "stories", {"newsevents_version": "test"})
    with pytest.raises((TypeError, ValueError, pa.ArrowException)):
        broken.add([{"story_id": None}] * 3000)
    broken.abort()
    assert (tmp_path / "stories.parquet").read_bytes() == before
    assert not list(tmp_path.glob(".*tmp"))


def test_a_row_group_is_bounded_by_its_text_as_well_as_its_rows(tmp_path):
    def story(number: int, words: int) -> dict:
        return {"story_id": f"s{number}", "source": "x", "text": "word " * words, "published": date(2019, 1, 1),
                "published_source": "jsonl", "updated": False, "start_char": 0, "end_char": 1, "line": number,
                "word_count": words}

    rows = [story(number, 1 + number % 7 * 40) for number in range(60)]
    writer = TableWriter(tmp_path, "stories", {"newsevents_version": "test"}, batch_rows=25, batch_chars=10_000)
    writer.add(rows)
    writer.commit()
    written = pq.ParquetFile(tmp_path / "stories.parquet")
    sizes = [written.metadata.row_group(group).num_rows for group in range(written.num_row_groups)]
    assert sum(sizes) == 60 and len(sizes) > 60 // 25 + 1, "long texts close a row group before its row count"
    assert all(size <= 25 for size in sizes)
    assert written.read(columns=["story_id", "text"]).to_pylist() == [{"story_id": r["story_id"], "text": r["text"]}
                                                                      for r in rows]
