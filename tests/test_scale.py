"""Runs spread over processes or a Dask cluster, partitioned and incremental runs write the tables one plain run
writes (real wire stories from ../shared/corpora)."""
import json
import re

import duckdb
import pandas as pd
import pytest

import pipeline
from pipeline import build_nlp, extraction
from pipeline.manifest import MANIFEST
from pipeline.segment import read_stories
from pipeline.store import OutputError

from conftest import shared_path

KEYS = {"stories": ["story_id"], "entities": ["story_id", "entity_id"], "events": ["event_id"],
        "problems": ["path", "line", "message"]}
MODEL_ATTRIBUTES = ["TAG", "POS", "MORPH", "DEP", "HEAD", "LEMMA", "SENT_START", "ENT_IOB", "ENT_TYPE"]


@pytest.fixture(scope="module")
def wire(tmp_path_factory):
    """Two JSONL files of Reuters 2016 stories, the second repeating one story of the first (a duplicate to skip)."""
    lines = shared_path("corpora", "reuters2016.jsonl").read_text(encoding="utf-8").splitlines()[:24]
    folder = tmp_path_factory.mktemp("wire")
    first, second = folder / "first" / "a.jsonl", folder / "all" / "b.jsonl"
    first.parent.mkdir()
    second.parent.mkdir()
    first.write_text("\n".join(lines[:12]) + "\n", encoding="utf-8")
    second.write_text("\n".join(lines[12:] + lines[:1]) + "\n", encoding="utf-8")
    (folder / "all" / "a.jsonl").write_text(first.read_text(encoding="utf-8"), encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def one_process(wire, tmp_path_factory, nlp):
    out = tmp_path_factory.mktemp("one")
    summary = pipeline.run(wire / "all", out, nlp=nlp, batch_size=2)
    assert summary.stories == 24 and summary.events > 20
    return out


def tables(out):
    loaders = {"stories": pipeline.load_stories, "entities": pipeline.load_entities, "events": pipeline.load_events,
               "problems": pipeline.load_problems}
    return {name: load(out).sort_values(KEYS[name]).reset_index(drop=True) for name, load in loaders.items()}


def assert_same_tables(out, expected_out):
    found, expected = tables(out), tables(expected_out)
    for name in expected:
        pd.testing.assert_frame_equal(found[name], expected[name], obj=name)


def test_two_processes_write_the_rows_and_ids_of_one(wire, one_process, tmp_path):
    summary = pipeline.run(wire / "all", tmp_path, processes=2, batch_size=2)  # tasks of 8 stories: 3 of them
    assert summary.stories == 24
    assert_same_tables(tmp_path, one_process)
    assert [problem.kind for problem in summary.problems] == ["duplicate"]


def test_a_dask_cluster_of_two_workers_writes_the_rows_of_one_process(wire, one_process, tmp_path):
    pytest.importorskip("distributed")
    summary = pipeline.run(wire / "all", tmp_path, dask="local", processes=2, batch_size=2)
    assert summary.stories == 24
    assert_same_tables(tmp_path, one_process)


def test_batches_in_spacys_memory_zones_write_the_rows_of_batches_outside_them(wire, one_process, tmp_path, monkeypatch):
    """A pipeline runs its batches in memory zones once warmed up: here a fresh one runs all in zones, twice over the
    same stories (the second time meeting again the words whose strings the first freed), and keeps none of them."""
    monkeypatch.setattr(extraction, "WARM_UP_WORDS", 0)
    nlp = build_nlp()
    strings = len(nlp.vocab.strings)
    for out in (tmp_path / "first", tmp_path / "again"):
        pipeline.run(wire / "all", out, nlp=nlp, batch_size=2)
        assert_same_tables(out, one_process)
    assert len(nlp.vocab.strings) < strings + 100, "the stories' words are not kept"


def test_an_incremental_run_skips_what_is_done_and_ends_with_the_tables_of_a_full_run(wire, one_process, tmp_path, nlp):
    first = pipeline.run(wire / "first", tmp_path, nlp=nlp)
    assert first.stories == 12
    second = pipeline.run(wire / "all", tmp_path, nlp=nlp)
    # a.jsonl has the content of first/a.jsonl: skipped by its hash, whatever its path; b.jsonl's copy of a story
    # already written is a duplicate.
    assert second.already_done == 1 and second.stories == 12
    assert [problem.kind for problem in second.problems] == ["duplicate"]
    found, full = tables(tmp_path), tables(one_process)
    for name in ("entities", "events"):
        pd.testing.assert_frame_equal(found[name], full[name], obj=name)
    assert found["stories"].drop(columns="source").equals(full["stories"].drop(columns="source"))
    third = pipeline.run(wire / "all", tmp_path, nlp=nlp)
    assert not third.written and third.already_done == 2 and "nothing new" in third.line()


def test_tables_changed_behind_the_manifest_are_refused_until_rebuilt(wire, tmp_path, nlp):
    pipeline.run(wire / "first", tmp_path, nlp=nlp)
    manifest = json.loads((tmp_path / MANIFEST).read_text())
    manifest["rows"]["events"] += 5  # as if a run had been killed between swapping its tables in and the manifest
    (tmp_path / MANIFEST).write_text(json.dumps(manifest))
    with pytest.raises(OutputError, match="--rebuild"):
        pipeline.run(wire / "all", tmp_path, nlp=nlp)
    assert pipeline.run(wire / "all", tmp_path, nlp=nlp, rebuild=True).stories == 24


def test_a_partitioned_output_reads_back_as_one_table_in_pandas_and_duckdb(wire, one_process, tmp_path, nlp):
    pipeline.run(wire / "first", tmp_path, nlp=nlp, partition="month")
    pipeline.run(wire / "all", tmp_path, nlp=nlp)  # the layout is the output's own
    months = {path.name for path in (tmp_path / "events").glob("year=*/month=*")}
    published = pipeline.load_stories(one_process)["published"]
    assert months == {f"month={month:02d}" for month in published.dt.month}
    found, full = tables(tmp_path), tables(one_process)
    for name in ("entities", "events"):
        pd.testing.assert_frame_equal(found[name], full[name], obj=name)
    rows = duckdb.sql(f"select year, month, count(*) from read_parquet('{tmp_path}/events/*/*/*.parquet', "
                      "hive_partitioning = true) group by all").fetchall()
    assert sum(count for _, _, count in rows) == len(full["events"])
    plain = tmp_path / "plain"
    pipeline.run(wire / "first", plain, nlp=nlp)
    with pytest.raises(OutputError, match="not partitioned"):
        pipeline.run(wire / "all", plain, nlp=nlp, partition="month")


def test_the_progress_bar_counts_stories_and_words(wire, tmp_path, nlp, capsys):
    pipeline.run(wire / "first", tmp_path, nlp=nlp, progress=True)
    shown = capsys.readouterr().err
    assert "12 stories" in shown and "words/s" in shown
    assert re.search(r"\d+%\|.*\[\d\d:\d\d<\d\d:\d\d\]", shown), "a share done and an ETA"


def test_batches_capped_by_words_give_the_model_outputs_and_rows_of_batches_by_story_count(wire, nlp):
    """How the stories are cut into spaCy batches changes nothing: each story's tags, parse, lemmas and entities, and
    the rows made of them, are the same in batches of 16 stories as in batches capped at 1,500 words (one to three
    of these stories each)."""
    stories = list(read_stories(wire / "first", lambda problem: None))
    by_count = extraction.Settings(batch_size=16, max_batch_words=10**9)
    by_words = extraction.Settings(batch_size=16, max_batch_words=1_500)
    assert len(list(extraction.word_capped(stories, 16, 1_500))) > len(stories) // 3

    def model_outputs(settings):
        docs = extraction.process(nlp, stories, lambda problem: None, settings.batch_size,
                                  max_batch_words=settings.max_batch_words)
        return [(doc.to_array(MODEL_ATTRIBUTES).tolist(), [(ent.start, ent.end, ent.label_) for ent in doc.ents])
                for _, doc in docs]

    assert model_outputs(by_words) == model_outputs(by_count)
    assert extraction.extract_batch(stories, by_words, nlp) == extraction.extract_batch(stories, by_count, nlp)
