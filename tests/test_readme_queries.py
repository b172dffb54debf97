"""Every DuckDB query in the README runs on the sample page's output, so the documentation cannot rot."""
import re

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from pipeline import views

from conftest import ROOT


def readme_queries() -> list[str]:
    section = ROOT.joinpath("README.md").read_text(encoding="utf-8").split("## Querying the tables with DuckDB")[1].split("\n## ")[0]
    return re.findall(r"```sql\n(.*?)```", section, re.S)


@pytest.fixture(scope="module")
def processed(sample_run, tmp_path_factory):
    """The sample run's tables, with a clusters table where the run wrote none (tables of versions before clustering):
    one cluster per event, as `views.clusters_of` derives it."""
    out = sample_run[1]
    if (out / "clusters.parquet").exists():
        return out
    folder = tmp_path_factory.mktemp("processed")
    for name in ("events", "stories"):
        (folder / f"{name}.parquet").symlink_to(out / f"{name}.parquet")
    clusters = views.load_view_tables(out).clusters
    table = pa.Table.from_pandas(clusters, preserve_index=False)
    for column in ("date_start", "date_end"):
        table = table.set_column(table.schema.get_field_index(column), column, table[column].cast(pa.date32()))
    pq.write_table(table, folder / "clusters.parquet")
    return folder


def run(query: str, folder) -> list[tuple]:
    return duckdb.sql(query.replace("'data/processed/", f"'{folder}/")).fetchall()


def test_the_readme_has_its_queries():
    assert len(readme_queries()) == 4


def test_every_readme_query_runs_on_the_sample_output(processed):
    for query in readme_queries():
        assert run(query, processed), query


def test_clusters_per_week_count_what_happened(processed):
    by_week = {(str(week), kind): count for week, kind, count in run(readme_queries()[0], processed)}
    assert by_week[("2019-07-29", "missile_test")] == 2
    assert not any(kind == "talks" for _, kind in by_week)  # the sample's talks are hypothetical
    joined = run(readme_queries()[2], processed)
    assert len(joined) == 27 and all(headline for _, headline, *_ in joined)
