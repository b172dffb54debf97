"""Every DuckDB query in the README runs on the sample page's output, so the documentation cannot rot."""
import re

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from pipeline import load_events, views

from conftest import ROOT


def readme_queries() -> list[str]:
    section = ROOT.joinpath("README.md").read_text(encoding="utf-8").split("## Querying the tables with DuckDB")[1].split("\n## ")[0]
    return re.findall(r"```sql\n(.*?)```", section, re.S)


@pytest.fixture(scope="module")
def processed(sample_run):
    return sample_run[1]


def run(query: str, folder) -> list[tuple]:
    return duckdb.sql(query.replace("'data/processed/", f"'{folder}/")).fetchall()


def test_the_readme_has_its_queries():
    assert len(readme_queries()) == 4


def test_every_readme_query_runs_on_the_sample_output(processed):
    for query in readme_queries():
        assert run(query, processed), query


def test_clusters_per_week_count_what_happened(processed):
    by_week = {(str(week), kind): count for week, kind, count in run(readme_queries()[0], processed)}
    assert by_week[("2019-07-29", "missile_test")] == 1  # the Jul 31 launch, however many reports
    assert not any(kind == "talks" for _, kind in by_week)  # the sample's talks are hypothetical
    joined = run(readme_queries()[2], processed)
    assert len(joined) == len(load_events(processed)) and all(headline for _, headline, *_ in joined)


def test_the_readme_assembles_the_components_into_a_pipeline_that_saves_and_loads(tmp_path, monkeypatch):
    """The README's Python block that adds the components one by one runs as written (with the installed English
    model's name), finds the events `build_nlp` finds, and saves a pipeline that loads and finds them again."""
    from datetime import date

    import spacy

    from pipeline import build_nlp
    from pipeline.extraction import DEFAULT_MODEL

    api = ROOT.joinpath("README.md").read_text(encoding="utf-8").split("## Python API")[1].split("\n## ")[0]
    [block] = [code for code in re.findall(r"```python\n(.*?)```", api, re.S) if 'add_pipe("news_dateline"' in code]
    monkeypatch.chdir(tmp_path)
    text = "Pakistan test-launched a cruise missile on Tuesday. India accused Islamabad of stoking tension along the border."
    namespace = {"text": text, "date": date}
    exec(block.replace('spacy.load("en_core_web_sm")', f'spacy.load("{DEFAULT_MODEL}")'), namespace)

    def found(doc) -> list[tuple]:
        return [(e.event_type, e.event_date, e.confidence) for e in doc._.events]

    loaded = spacy.load(tmp_path / "my_pipeline")
    reference = build_nlp()
    again = [pipe.make_doc(text) for pipe in (loaded, reference)]
    for doc in again:
        doc._.published = date(2019, 7, 31)
    assert found(namespace["doc"]) == found(loaded(again[0])) == found(reference(again[1]))
    assert [kind for kind, _, _ in found(namespace["doc"])] == ["missile_test", "accusation"]
