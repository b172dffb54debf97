"""The analyst's views of a run's tables, shared by the notebook and the HTML report (`report.py`).

Each view is a frame (what is counted, testable on its own) and an Altair chart drawn from it: a timeline of
event clusters, weekly counts by type, an actor-to-target network and a map of where events happened, plus the
event table with its evidence sentences. Views count clusters (one real-world event, however many reports), and
counts of what happened use only asserted and reported events.

Tables written before runs clustered events have no `event_cluster_id` and no `clusters.parquet`; for them the
clusters are made on loading (`clusters.assign_clusters`), so every view works on old tables too.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import altair as alt
import networkx as nx
import pandas as pd
from countryinfo import CountryInfo, all_countries

from .resources import load_event_types, load_gazetteer
from .schema import MODALITIES
from .clusters import assign_clusters
from .store import load_clusters, load_events, load_stories

HAPPENED = ("asserted", "reported")  # the modalities that count as having happened
VAGUE = ("year", "decade", "century")  # dated too coarsely to draw on a timeline of days
WEEKLY = ("time", "day", "week")  # dated finely enough to count in one week
MODALITY_COLOURS = {"asserted": "#1b7837", "reported": "#5aae61", "denied": "#c51b7d", "hypothetical": "#8073ac"}
NETWORK_NODES = 60  # the most connected parties drawn; a larger network is unreadable


@dataclass
class ViewTables:
    """What the views read: events (each with its `event_cluster_id`), stories and one row per cluster."""

    events: pd.DataFrame
    stories: pd.DataFrame
    clusters: pd.DataFrame


def load_view_tables(out: str | Path) -> ViewTables:
    """The tables a run wrote to `out`; clusters from its clusters table, or made now for tables written before runs
    clustered events."""
    out = Path(out)
    events = load_events(out)
    stories = load_stories(out)
    if events.event_cluster_id.notna().all() and (out / "clusters.parquet").exists():
        clusters = load_clusters(out)
    else:
        events, clusters = assign_clusters(events, stories)
    for column in ("actors", "actor_countries", "targets", "weapons"):
        clusters[column] = clusters[column].map(lambda values: [] if values is None else list(values))
    return ViewTables(events, stories, clusters)


def happened(clusters: pd.DataFrame) -> pd.DataFrame:
    """Clusters of asserted and reported events: what a count of what happened counts."""
    return clusters[clusters.modality.isin(HAPPENED)]


# Timeline


def timeline_frame(clusters: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(clusters drawn as bars over their date range, clusters dated only to a year or vaguer, listed apart).

    A bar runs from the first day of the period to the day after its last, so a day is a short bar and a month
    a month-long one; undated clusters are in neither frame.
    """
    dated = clusters.dropna(subset=["date_start", "date_end"])
    vague = dated.date_granularity.isin(VAGUE)
    bars = dated[~vague].assign(
        start=lambda frame: frame.date_start.dt.strftime("%Y-%m-%d"),
        stop=lambda frame: (frame.date_end + pd.Timedelta(days=1)).dt.strftime("%Y-%m-%d"),
        period=_cluster_periods,
        who=lambda frame: frame.actors.map("; ".join),
    )
    listed = dated[vague].assign(period=_cluster_periods, who=lambda frame: frame.actors.map("; ".join))
    columns = ["event_cluster_id", "event_type", "modality", "date_granularity", "period", "who", "reports"]
    return bars[[*columns, "start", "stop"]], listed[columns].sort_values("period")


def _period_labels(starts: pd.Series, ends: pd.Series, granularities: pd.Series) -> pd.Series:
    """'2019-07-31 (day)', '2019-06-01 to 2019-06-30 (month)'; null where undated."""
    start, end = starts.dt.strftime("%Y-%m-%d"), ends.dt.strftime("%Y-%m-%d")
    return start.where(start == end, start + " to " + end) + " (" + granularities.astype(str) + ")"


def _cluster_periods(frame: pd.DataFrame) -> pd.Series:
    return _period_labels(frame.date_start, frame.date_end, frame.date_granularity)


def _modality_colour(title: str = "modality") -> alt.Color:
    return alt.Color("modality:N", title=title, scale=alt.Scale(domain=MODALITIES, range=list(MODALITY_COLOURS.values())))


def timeline_chart(clusters: pd.DataFrame, width: int = 760) -> alt.Chart:
    bars, _ = timeline_frame(clusters)
    types = sorted(bars.event_type.unique())
    return alt.Chart(bars, title=alt.TitleParams(
        "Event clusters over time", subtitle="each bar spans the cluster's dates at their granularity; "
        "events dated only to a year or vaguer are listed apart",
    )).mark_bar(opacity=0.75, height=10).encode(
        x=alt.X("start:T", title="date", scale=alt.Scale(type="utc")),
        x2="stop:T",
        y=alt.Y("event_type:N", title="event type", sort=types),
        color=_modality_colour(),
        tooltip=[
            alt.Tooltip("event_type:N", title="type"), alt.Tooltip("period:N", title="date"),
            alt.Tooltip("who:N", title="actors"), alt.Tooltip("modality:N"), alt.Tooltip("reports:Q"),
        ],
    ).properties(width=width, height=max(120, 24 * len(types)))


# Weekly counts


def weekly_counts(clusters: pd.DataFrame) -> pd.DataFrame:
    """Clusters of asserted and reported events per week (starting Monday) and type.

    Only clusters dated to a week or finer are counted: a month-dated event belongs to no one week.
    """
    counted = happened(clusters)
    counted = counted[counted.date_granularity.isin(WEEKLY) & counted.date_start.notna()]
    weeks = counted.date_start.dt.to_period("W-SUN").dt.start_time
    frame = counted.assign(week=weeks.dt.strftime("%Y-%m-%d"), week_end=(weeks + pd.Timedelta(days=7)).dt.strftime("%Y-%m-%d"))
    return frame.groupby(["week", "week_end", "event_type"]).size().rename("clusters").reset_index()


def weekly_chart(clusters: pd.DataFrame, width: int = 760) -> alt.Chart:
    counts = weekly_counts(clusters)
    # Stacked by hand: Vega-Lite stacks no bars that span a range of dates (x and x2)
    counts["top"] = counts.groupby("week").clusters.cumsum()
    counts["bottom"] = counts.top - counts.clusters
    return alt.Chart(counts, title=alt.TitleParams(
        "Events per week by type", subtitle="clusters of asserted and reported events dated to a week or finer",
    )).mark_bar(stroke="white", strokeWidth=0.5).encode(
        x=alt.X("week:T", title="week (Monday to Sunday)", scale=alt.Scale(type="utc")),
        x2="week_end:T",
        y=alt.Y("bottom:Q", title="clusters"),
        y2="top:Q",
        color=alt.Color("event_type:N", title="event type", scale=alt.Scale(scheme="tableau20")),
        tooltip=[alt.Tooltip("week:N", title="week of"), alt.Tooltip("event_type:N", title="type"),
                 alt.Tooltip("clusters:Q")],
    ).properties(width=width, height=220)


# Actor-to-target network


def network_edges(clusters: pd.DataFrame) -> pd.DataFrame:
    """Who acted on whom, in clusters of asserted and reported events: one row per pair and kind.

    `acts on` runs from each actor to each target; `together with` joins the parties of a symmetric event (a
    meeting, talks, an agreement), which has no target.
    """
    symmetric = {name for name, kind in load_event_types().items() if kind.symmetric}
    pairs = []
    for row in happened(clusters).itertuples(index=False):
        pairs += [(actor, target, "acts on") for actor in row.actors for target in row.targets if actor != target]
        if row.event_type in symmetric:
            parties = sorted(set(row.actors))
            pairs += [(a, b, "together with") for i, a in enumerate(parties) for b in parties[i + 1:]]
    edges = pd.DataFrame(pairs, columns=["source", "target", "kind"])
    return edges.groupby(["source", "target", "kind"]).size().rename("clusters").reset_index()


def network_graph(clusters: pd.DataFrame) -> nx.MultiGraph:
    """The parties as nodes (`role`: actor, target or both; `clusters`: their weighted degree), one edge per pair
    and kind (`actor`: where an 'acts on' edge starts); the most connected NETWORK_NODES parties only."""
    graph = nx.MultiGraph()
    for edge in network_edges(clusters).itertuples(index=False):
        target_role = "actor" if edge.kind == "together with" else "target"
        for node, role in ((edge.source, "actor"), (edge.target, target_role)):
            graph.add_node(node, roles=graph.nodes[node]["roles"] | {role} if node in graph else {role})
        graph.add_edge(edge.source, edge.target, key=edge.kind, weight=edge.clusters, kind=edge.kind, actor=edge.source)
    strongest = sorted(graph.degree(weight="weight"), key=lambda item: (-item[1], item[0]))[:NETWORK_NODES]
    graph = graph.subgraph(node for node, _ in strongest).copy()
    for node, data in graph.nodes(data=True):
        data["role"] = "both" if len(data["roles"]) == 2 else next(iter(data["roles"]))
        data["clusters"] = graph.degree(node, weight="weight")
    return graph


def network_chart(clusters: pd.DataFrame, width: int = 760) -> alt.LayerChart | alt.Chart:
    graph = network_graph(clusters)
    title = alt.TitleParams("Who acts on whom", subtitle="clusters of asserted and reported events; an 'acts on' "
                            "line tapers from the actor to the target")
    if not graph.number_of_nodes():
        note = pd.DataFrame({"note": ["no actor with a target or a partner"]})
        return alt.Chart(note, title=title).mark_text().encode(text="note:N")
    position = nx.spring_layout(graph, seed=7, weight="weight")
    nodes = pd.DataFrame([
        {"name": node, "x": float(position[node][0]), "y": float(position[node][1]), "role": data["role"],
         "clusters": data["clusters"]} for node, data in graph.nodes(data=True)
    ])
    lines = alt.Chart(_edge_ends(graph, position)).mark_trail(opacity=0.6).encode(
        x=alt.X("x:Q", axis=None), y=alt.Y("y:Q", axis=None), detail="edge:N", order="order:Q",
        size=alt.Size("size:Q", legend=None, scale=alt.Scale(domain=[0, 4], range=[0, 4])),  # trail width in pixels
        color=alt.Color("kind:N", title="link", scale=alt.Scale(domain=["acts on", "together with"], range=["#b2182b", "#878787"])),
        tooltip=[alt.Tooltip("pair:N", title="link"), alt.Tooltip("clusters:Q")],
    )
    roles = alt.Scale(domain=["actor", "target", "both"], range=["#2166ac", "#f4a582", "#762a83"])
    points = alt.Chart(nodes).mark_circle(opacity=0.9, stroke="white").encode(
        x="x:Q", y="y:Q", size=alt.Size("clusters:Q", title="clusters", scale=alt.Scale(range=[60, 600])),
        fill=alt.Fill("role:N", title="party", scale=roles),
        tooltip=[alt.Tooltip("name:N", title="party"), alt.Tooltip("role:N"), alt.Tooltip("clusters:Q")],
    )
    labels = alt.Chart(nodes).mark_text(dy=-12, fontSize=11).encode(x="x:Q", y="y:Q", text="name:N")
    return alt.layer(lines, points, labels, title=title).resolve_scale(size="independent").properties(width=width, height=420)


def _edge_ends(graph: nx.MultiGraph, position: dict) -> pd.DataFrame:
    """Each edge as two points a trail mark joins; an 'acts on' trail is wide at the actor, thin at the target."""
    ends = []
    for number, (one, other, data) in enumerate(graph.edges(data=True)):
        start, end = (one, other) if data["actor"] == one else (other, one)
        directed = data["kind"] == "acts on"
        pair = f"{start} {'→' if directed else '–'} {end}"
        for order, (node, size) in enumerate(zip((start, end), (4.0, 0.5) if directed else (2.0, 2.0))):
            ends.append({"edge": number, "order": order, "x": float(position[node][0]), "y": float(position[node][1]),
                         "size": size, "kind": data["kind"], "pair": pair, "clusters": data["weight"]})
    return pd.DataFrame(ends)


# Map


@lru_cache(maxsize=1)
def world_shapes() -> tuple[dict, ...]:
    """Country outlines as GeoJSON features keyed by ISO 3166 alpha-3 code, from the `countryinfo` package's own
    files (Natural Earth's 1:110m countries): nothing is downloaded. Antarctica is left out; coordinates are rounded
    to about a kilometre, which keeps the report small."""
    features = []
    for country in all_countries():
        shape = country.geo_json() or {}
        for feature in shape.get("features", []):
            if feature.get("id") and feature["id"] != "ATA":
                geometry = json.loads(json.dumps(feature["geometry"]), parse_float=lambda text: round(float(text), 2))
                features.append({"type": "Feature", "id": feature["id"], "properties": {"name": country.name()},
                                 "geometry": _clockwise(geometry)})
    return tuple(sorted(features, key=lambda feature: feature["id"]))


def _clockwise(geometry: dict) -> dict:
    """The rings wound as d3-geo (Vega) reads them, outer rings clockwise and holes counter-clockwise: read the
    other way round, a country is the whole globe but itself."""
    polygons = geometry["coordinates"] if geometry["type"] == "MultiPolygon" else [geometry["coordinates"]]
    for polygon in polygons:
        for number, ring in enumerate(polygon):
            turns = sum((x2 - x1) * (y2 + y1) for (x1, y1), (x2, y2) in zip(ring, ring[1:] + ring[:1]))
            if (turns > 0) != (number == 0):  # the shoelace sum is positive for a clockwise ring
                ring.reverse()
    return geometry


def place_country(location, actor_countries: list[str]) -> str | None:
    """The ISO alpha-3 code of where an event happened: the country of the place the text names (a country, a
    capital or a gazetteer place), else the actor's country, else None."""
    gazetteer = load_gazetteer()
    if not pd.isna(location):
        named = gazetteer.country(location) or gazetteer.capital(location)
        if named:
            return named.code
        place = gazetteer.location(location)
        if place and place[1]:
            return place[1]
    return actor_countries[0] if len(actor_countries) else None


def country_counts(clusters: pd.DataFrame) -> pd.DataFrame:
    """Clusters of asserted and reported events per country where they happened: `country` (ISO alpha-3), `name`,
    `latitude`/`longitude` of its centre (countryinfo's), `clusters`."""

    counted = happened(clusters)
    codes = pd.Series([place_country(row.location, row.actor_countries) for row in counted.itertuples(index=False)], dtype=object)
    counts = codes.dropna().value_counts().rename_axis("country").rename("clusters").reset_index()
    gazetteer = load_gazetteer()
    rows = []
    for code, number in zip(counts.country, counts.clusters):
        try:
            latitude, longitude = CountryInfo(code).latlng()[:2]
        except LookupError:  # a code countryinfo does not know (Kosovo's XKX): not drawn
            continue
        named = gazetteer.by_code.get(code)
        rows.append({"country": code, "name": named.name if named else code, "latitude": latitude,
                     "longitude": longitude, "clusters": int(number)})
    return pd.DataFrame(rows, columns=["country", "name", "latitude", "longitude", "clusters"])


def map_chart(clusters: pd.DataFrame, width: int = 760) -> alt.LayerChart:
    """Grey land, and a circle at the centre of each country where events happened (small states have no outline
    at this scale, so circles rather than filled countries)."""
    projection = {"type": "equalEarth"}
    land = alt.Chart(alt.Data(values=list(world_shapes()))).mark_geoshape(
        fill="#e0e0e0", stroke="white", strokeWidth=0.5).project(**projection)
    places = alt.Chart(country_counts(clusters)).mark_circle(opacity=0.8, stroke="#7f0000").encode(
        longitude="longitude:Q", latitude="latitude:Q",
        size=alt.Size("clusters:Q", title="clusters", scale=alt.Scale(range=[40, 900])),
        color=alt.Color("clusters:Q", title="clusters", scale=alt.Scale(scheme="orangered")),
        tooltip=[alt.Tooltip("name:N", title="country"), alt.Tooltip("clusters:Q")],
    ).project(**projection)
    title = alt.TitleParams("Where events happened", subtitle="clusters of asserted and reported events by the country "
                            "of the place the text names, else of the actor")
    return alt.layer(land, places, title=title).properties(width=width, height=int(width * 0.48))


# The event table


def event_rows(tables: ViewTables) -> pd.DataFrame:
    """One row per event with what an analyst reads: its date, parties, evidence sentence (and where the trigger
    sits in it), story headline and cluster, ordered by date."""
    events = tables.events
    headlines = tables.stories.set_index("story_id").headline
    rows = pd.DataFrame({
        "date": _period_labels(events.event_date, events.date_end, events.date_granularity).fillna("undated"),
        "event_type": events.event_type.astype(str),
        "modality": events.modality.astype(str),
        "actor": events.actor.fillna(""),
        "target": events.target.fillna(""),
        "location": events.location.fillna(""),
        "attributed_to": events.attributed_to.fillna(""),
        "sentence": events.sentence,
        "trigger_at": (events.trigger_start - events.start_char).astype(int),
        "trigger_end": (events.trigger_end - events.start_char).astype(int),
        "headline": events.story_id.map(headlines).fillna(""),
        "story_id": events.story_id,
        "event_id": events.event_id,
        "event_cluster_id": events.event_cluster_id,
    })
    return rows.sort_values(["date", "event_id"], kind="stable").reset_index(drop=True)


def filter_events(rows: pd.DataFrame, text: str | None = None, types=None, modalities=None) -> pd.DataFrame:
    """The rows whose any field contains `text` (case-insensitive), of the given types and modalities (None: all)."""
    keep = pd.Series(True, index=rows.index)
    if types:
        keep &= rows.event_type.isin(list(types))
    if modalities:
        keep &= rows.modality.isin(list(modalities))
    if text:
        fields = rows.drop(columns=["trigger_at", "trigger_end"]).astype(str)
        keep &= fields.apply(lambda column: column.str.contains(text, case=False, regex=False)).any(axis=1)
    return rows[keep]
