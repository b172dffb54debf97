"""The analyst's views count what they say they count, on the sample page's real output."""
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from pipeline import views
from pipeline.schema import CLUSTERS


@pytest.fixture(scope="module")
def tables(sample_run):
    return views.load_view_tables(sample_run[1])


def test_views_read_the_runs_clusters_and_make_them_for_older_tables(tables, sample_run, tmp_path):
    clusters = tables.clusters
    assert list(clusters.columns) == CLUSTERS.names
    assert set(tables.events.event_cluster_id) == set(clusters.event_cluster_id)
    assert clusters.reports.sum() == len(tables.events)
    launch = clusters[(clusters.event_type == "missile_test") & (clusters.date_start == "2019-07-25")].iloc[0]
    assert launch.actors == ["North Korea"] and launch.actor_countries == ["PRK"] and launch.reports == 2
    # Tables written before runs clustered events: no cluster ids, no clusters table.
    events = pq.read_table(sample_run[1] / "events.parquet").drop_columns(["event_cluster_id"])
    pq.write_table(events, tmp_path / "events.parquet")
    pq.write_table(pq.read_table(sample_run[1] / "stories.parquet"), tmp_path / "stories.parquet")
    older = views.load_view_tables(tmp_path)
    assert older.clusters.sort_values("event_cluster_id").reset_index(drop=True).equals(
        clusters.sort_values("event_cluster_id").reset_index(drop=True))


def test_timeline_draws_periods_and_lists_vague_dates_apart(tables):
    bars, vague = views.timeline_frame(tables.clusters)
    assert set(vague.date_granularity) == {"year"} and "2018-01-01 to 2018-12-31 (year)" in set(vague.period)
    week = bars[bars.date_granularity == "week"].iloc[0]
    assert (week.start, week.stop) == ("2019-07-01", "2019-07-08")  # a week-long bar, not a dot on the Monday
    day = bars[bars.date_granularity == "day"].iloc[0]
    assert (pd.Timestamp(day.stop) - pd.Timestamp(day.start)).days == 1
    assert bars.start.min() >= "2019-06-01"  # last year's agreement does not stretch the axis


def test_weekly_counts_only_what_happened_and_dated_to_a_week(tables):
    counts = views.weekly_counts(tables.clusters)
    assert counts.set_index(["week", "event_type"]).clusters.to_dict()[("2019-07-29", "missile_test")] == 1  # the Jul 31 launch, however many reports
    assert "talks" not in set(counts.event_type)  # the only talks are hypothetical
    assert "meeting" in set(counts.event_type) and counts.week.min() == "2019-06-24"  # the June meetings by month are out
    counted = tables.clusters[tables.clusters.modality.isin(views.HAPPENED) & tables.clusters.date_granularity.isin(views.WEEKLY)]
    assert counts.clusters.sum() == len(counted)


def test_network_links_actors_to_targets_and_meeting_parties(tables):
    edges = views.network_edges(tables.clusters).set_index(["source", "target", "kind"]).clusters
    assert edges[("John Bolton", "New York Times", "acts on")] == 1
    assert edges[("Donald Trump", "Kim Jong-un", "together with")] >= 2
    graph = views.network_graph(tables.clusters)
    assert graph.nodes["New York Times"]["role"] == "target" and graph.nodes["Donald Trump"]["role"] == "actor"
    assert "National Security Council" not in graph  # its meeting is denied


def test_places_resolve_to_countries(tables):
    assert views.place_country("Singapore", ["USA"]) == "SGP"
    assert views.place_country("Pyongyang", []) == "PRK"
    assert views.place_country("off its eastern coast", ["PRK"]) == "PRK"
    assert views.place_country(None, []) is None
    counts = views.country_counts(tables.clusters).set_index("country")
    assert counts.loc["PRK", "clusters"] >= 5 and counts.loc["SGP", "name"] == "Singapore"


def test_world_shapes_ship_offline_wound_for_d3():
    shapes = {feature["id"]: feature for feature in views.world_shapes()}
    assert {"PRK", "KOR", "USA", "FRA"} <= set(shapes) and "ATA" not in shapes
    ring = shapes["PRK"]["geometry"]["coordinates"][0]
    turns = sum((x2 - x1) * (y2 + y1) for (x1, y1), (x2, y2) in zip(ring, ring[1:] + ring[:1]))
    assert turns > 0  # clockwise: d3-geo fills the country, not the rest of the globe


def test_filter_events_searches_every_field(tables):
    rows = views.event_rows(tables)
    assert len(rows) == len(tables.events)
    sentence = rows.iloc[0]
    assert sentence.sentence[sentence.trigger_at:sentence.trigger_end] == tables.events.set_index("event_id").trigger[sentence.event_id]
    missiles = views.filter_events(rows, text="MISSILE", modalities=["asserted"])
    assert len(missiles) and (missiles.modality == "asserted").all()
    assert missiles.apply(lambda row: "missile" in " ".join(map(str, row)).lower(), axis=1).all()
    assert views.filter_events(rows, types=["denial"]).event_type.unique().tolist() == ["denial"]
