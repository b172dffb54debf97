"""Cross-story event clusters (`pipeline/clusters.py`): the matching rules on small hand-made tables, the contract
of `assign_clusters`, and the sample page's launches through the real pipeline."""
from datetime import date

import pyarrow as pa
import pyarrow.parquet as pq

from pipeline import assign_clusters, load_clusters, load_events, load_stories
from pipeline.schema import CLUSTERS, EVENTS, STORIES
from pipeline.store import frame

PUBLISHED = {"s1": date(2019, 7, 25), "s2": date(2019, 7, 26), "s3": date(2019, 8, 1), "s4": date(2019, 8, 2)}


def event(event_id: str, story_id: str, event_type: str, day: date | None, **fields) -> dict:
    """An event row; `day` dates it by an expression, `end` (a field) makes it a period."""
    row = {"event_id": event_id, "story_id": story_id, "event_type": event_type, "cameo_code": "150", "trigger": "t",
           "modality": "asserted", "event_date": day, "date_end": day, "date_granularity": "day",
           "date_source": "expression" if day else "unresolved", "sentence": "s", "start_char": 0, "end_char": 1,
           "trigger_start": 0, "trigger_end": 1, "confidence": 1.0}
    if "end" in fields:
        row["date_end"] = fields.pop("end")
    row.update(fields)
    return row


def cluster(rows: list[dict], published: dict[str, date] = PUBLISHED):
    stories = frame(({"story_id": story_id, "source": "x", "published": day, "published_source": "jsonl",
                      "updated": False, "text": "", "start_char": 0, "end_char": 0, "line": 1, "word_count": 0}
                     for story_id, day in published.items()), STORIES)
    return assign_clusters(frame(rows, EVENTS), stories)


def groups(rows: list[dict]) -> set[frozenset[str]]:
    events, _ = cluster(rows)
    return {frozenset(ids) for ids in events.groupby("event_cluster_id")["event_id"].apply(list)}


JUL_25, JUL_31 = date(2019, 7, 25), date(2019, 7, 31)
PRK = {"actor": "North Korea", "actor_country": "PRK"}


def test_one_launch_reported_as_a_missile_test_and_a_rocket_launcher_test_is_one_event():
    rows = [event("a", "s3", "missile_test", JUL_31, weapon="short-range ballistic missiles", **PRK),
            event("b", "s4", "weapons_test", JUL_31, weapon="large-caliber multiple rocket launcher system", **PRK),
            event("c", "s4", "nuclear_test", JUL_31, **PRK)]
    assert groups(rows) == {frozenset({"a", "b"}), frozenset({"c"})}


def test_a_week_holds_its_day_and_a_month_holds_its_days_but_two_days_apart_are_two_launches():
    rows = [event("jul25", "s1", "missile_test", JUL_25, **PRK),
            event("this_week", "s2", "missile_test", date(2019, 7, 22), end=date(2019, 7, 28), date_granularity="week", **PRK),
            event("jul31", "s3", "missile_test", JUL_31, **PRK),
            event("jul31_again", "s4", "weapons_test", date(2019, 8, 1), **PRK)]  # a day later by Pyongyang's clock
    assert groups(rows) == {frozenset({"jul25", "this_week"}), frozenset({"jul31", "jul31_again"})}


def test_a_month_dated_report_that_could_be_either_of_two_launches_stays_alone():
    rows = [event("jul25", "s1", "missile_test", JUL_25, **PRK),
            event("jul31", "s3", "missile_test", JUL_31, **PRK),
            event("in_july", "s4", "missile_test", date(2019, 7, 1), end=JUL_31, date_granularity="month", **PRK)]
    assert frozenset({"in_july"}) in groups(rows)


def test_an_undated_report_is_dated_by_its_story_a_little_before_publication():
    rows = [event("jul25", "s1", "missile_test", JUL_25, **PRK),
            event("news", "s2", "missile_test", date(2019, 7, 26), date_source="story_date", **PRK),
            event("unresolved", "s4", "missile_test", None, **PRK)]
    assert groups(rows) == {frozenset({"jul25", "news"}), frozenset({"unresolved"})}


def test_actors_conflict_by_country_code_and_a_missing_actor_is_no_conflict():
    place = {"location": "Kabul", "target": "civilians"}
    rows = [event("taliban", "s1", "attack", JUL_25, actor="Taliban", actor_country="AFG", **place),
            event("us", "s2", "attack", JUL_25, actor="United States", actor_country="USA", **place),
            event("unnamed", "s3", "attack", JUL_25, actor="unknown", **place)]
    result = groups(rows)
    assert frozenset({"taliban", "us"}) not in result and len(result) == 2
    assert any("unnamed" in group and len(group) == 2 for group in result)


def test_reports_that_name_nothing_in_common_are_not_joined_by_their_date_alone():
    rows = [event("a", "s1", "attack", JUL_25, actor="unknown"), event("b", "s2", "attack", JUL_25, actor="unknown")]
    assert groups(rows) == {frozenset({"a"}), frozenset({"b"})}


def test_the_state_a_story_is_set_in_is_no_detail_two_arrests_share():
    usa = {"actor": "United States", "actor_country": "USA"}
    named = [event("houston", "s1", "detention", JUL_25, actor_source="sentence", **usa),
             event("dallas", "s2", "detention", JUL_25, actor_source="sentence", **usa)]
    assert groups(named) == {frozenset({"houston", "dallas"})}
    inferred = [dict(row, actor_source="story") for row in named]
    assert groups(inferred) == {frozenset({"houston"}), frozenset({"dallas"})}


def test_places_the_gazetteer_knows_must_agree():
    rows = [event("kabul", "s1", "attack", JUL_25, actor="Taliban", location="Kabul"),
            event("baghdad", "s2", "attack", JUL_25, actor="Taliban", location="Baghdad")]
    assert groups(rows) == {frozenset({"kabul"}), frozenset({"baghdad"})}


def test_a_meeting_is_one_when_its_reports_share_a_party():
    rows = [event("trump_kim", "s1", "meeting", date(2019, 6, 30), actor="Donald Trump; Kim Jong-un", actor_country="USA"),
            event("moon_kim", "s2", "meeting", date(2019, 6, 30), actor="Moon Jae-in; Kim Jong-un", actor_country="KOR"),
            event("talks", "s3", "talks", date(2019, 6, 30), actor="Donald Trump"),
            event("other", "s4", "meeting", date(2019, 6, 30), actor="Xi Jinping; Vladimir Putin")]
    assert groups(rows) == {frozenset({"trump_kim", "moon_kim", "talks"}), frozenset({"other"})}


def test_hypothetical_and_denied_rows_never_join_what_happened():
    day = {"actor": "Donald Trump; Kim Jong-un"}
    rows = [event("held", "s1", "meeting", JUL_25, **day),
            event("planned", "s2", "meeting", JUL_25, modality="hypothetical", **day),
            event("planned_too", "s3", "talks", JUL_25, modality="hypothetical", **day),
            event("denied", "s4", "meeting", JUL_25, modality="denied", **day)]
    assert groups(rows) == {frozenset({"held"}), frozenset({"planned", "planned_too"}), frozenset({"denied"})}


def test_sayings_join_only_with_the_same_type_the_same_speaker_and_the_same_day():
    rows = [event("trump", "s1", "statement", JUL_25, actor="Donald Trump", actor_country="USA"),
            event("trump_again", "s2", "statement", JUL_25, actor="Trump", actor_country="USA"),
            event("pompeo", "s3", "statement", JUL_25, actor="Mike Pompeo", actor_country="USA"),
            event("threat", "s4", "threat", JUL_25, actor="Donald Trump", actor_country="USA"),
            event("next_day", "s4", "statement", date(2019, 7, 26), actor="Donald Trump", actor_country="USA")]
    assert groups(rows) == {frozenset({"trump", "trump_again"}), frozenset({"pompeo"}), frozenset({"threat"}),
                            frozenset({"next_day"})}


def test_two_rows_of_one_type_in_one_story_are_two_occurrences_but_two_accounts_of_one_launch_are_one():
    rows = [event("first", "s3", "missile_test", JUL_31, **PRK), event("second", "s3", "missile_test", JUL_31, **PRK),
            event("kcna", "s3", "weapons_test", JUL_31, **PRK)]
    result = groups(rows)
    assert frozenset({"first", "second"}) not in result and not any({"first", "second"} <= group for group in result)
    assert any("kcna" in group and len(group) == 2 for group in result)


def test_ids_name_the_first_report_and_do_not_depend_on_row_order():
    rows = [event("late", "s4", "missile_test", JUL_31, modality="reported", weapon="rockets", **PRK),
            event("early", "s3", "weapons_test", JUL_31, weapon="missiles", location="Sea of Japan", **PRK),
            event("week", "s4", "missile_test", date(2019, 7, 29), end=date(2019, 8, 4), date_granularity="week",
                  modality="hypothetical", **PRK)]
    events, clusters = cluster(rows)
    shuffled, _ = cluster(rows[::-1])
    assert dict(zip(events.event_id, events.event_cluster_id)) == dict(zip(shuffled.event_id, shuffled.event_cluster_id))
    assert events.event_cluster_id.notna().all()
    row = clusters.set_index("event_cluster_id").loc["c-early"]
    assert (row.reports, row.stories, row.first_story_id, row.first_event_id) == (2, 2, "s3", "early")
    assert row.modality == "asserted" and row.family == "weapons_firing" and row.location == "Sea of Japan"
    assert list(row.weapons) == ["missiles", "rockets"] and list(row.actor_countries) == ["PRK"]
    assert row.date_start.date() == JUL_31 and row.date_granularity == "day"
    assert clusters.set_index("event_cluster_id").loc["c-week"].modality == "hypothetical"


def test_the_clusters_table_round_trips_through_parquet_and_old_events_tables_load_without_clusters(tmp_path):
    _, clusters = cluster([event("a", "s1", "missile_test", JUL_25, **PRK), event("b", "s2", "missile_test", JUL_25, **PRK)])
    pq.write_table(pa.Table.from_pandas(clusters, schema=CLUSTERS, preserve_index=False), tmp_path / "clusters.parquet")
    loaded = load_clusters(tmp_path)
    assert loaded.event_cluster_id.tolist() == ["c-a"] and loaded.reports.tolist() == [2]
    assert loaded.dtypes.equals(clusters.dtypes)
    old_schema = pa.schema([field for field in EVENTS if field.name != "event_cluster_id"])
    pq.write_table(pa.Table.from_pylist([event("a", "s1", "missile_test", JUL_25)], schema=old_schema), tmp_path / "events.parquet")
    assert load_events(tmp_path).event_cluster_id.isna().all()


def test_every_report_of_each_sample_page_launch_is_in_one_cluster(sample_run):
    """The sample page reports the Jul 25 and Jul 31, 2019 launches several times each (issue 11's goal)."""
    _, out = sample_run
    events, clusters = assign_clusters(load_events(out), load_stories(out))
    launches = events[events.event_type.isin(["missile_test", "weapons_test"])]
    for day in (JUL_25, JUL_31):
        reports = launches[(launches.event_date.dt.date <= day) & (launches.date_end.dt.date >= day)]
        assert reports.story_id.nunique() >= 2, reports
        assert reports.event_cluster_id.nunique() == 1, reports[["event_id", "event_date", "event_cluster_id"]]
    assert launches.event_cluster_id.nunique() == 2
    assert set(clusters[clusters.reports > 1].family) >= {"weapons_firing"}
