"""`python -m pipeline report OUT_DIR --out report.html`: the views of `views.py` as one self-contained HTML file.

Vega, Vega-Lite and vega-embed come inlined from the `vl-convert-python` package, the charts' data and the event
table's rows as JSON inside the page, the table's sorting and search as a small script of our own
(`report_assets/report.js`): the file opens with no network. Charts draw on canvas, and the table renders one
page of rows at a time, so the page opens quickly with tens of thousands of events.
"""
from __future__ import annotations

import html
import json
from pathlib import Path
from string import Template

import altair as alt
import pandas as pd
import vl_convert

from . import views
from .schema import MODALITIES
from .atomic import write_text_atomically

ASSETS = Path(__file__).resolve().parent / "report_assets"
# The table's columns: (field of views.event_rows, header); trigger offsets travel with the rows, unshown.
TABLE_COLUMNS = [
    ("date", "date"), ("event_type", "type"), ("modality", "modality"), ("actor", "actor"), ("target", "target"),
    ("location", "location"), ("attributed_to", "according to"), ("sentence", "evidence"), ("headline", "story"),
    ("event_cluster_id", "cluster"),
]


def chart_specs(clusters: pd.DataFrame) -> dict[str, dict]:
    """The Vega-Lite specification of each chart, by the id of the element it is drawn into."""
    charts = {
        "chart-timeline": views.timeline_chart, "chart-weekly": views.weekly_chart,
        "chart-network": views.network_chart, "chart-map": views.map_chart,
    }
    with alt.data_transformers.disable_max_rows():  # all rows go into the page: it is made for large tables
        return {element: draw(clusters).to_dict() for element, draw in charts.items()}


def _vega_bundle() -> str:
    """vega, vega-lite (the version Altair writes its specifications for) and vega-embed, as one classic script."""
    version = "v" + ".".join(alt.SCHEMA_VERSION.lstrip("v").split(".")[:2])
    return vl_convert.javascript_bundle(vl_version=version).replace("</script", "<\\/script")


def _script_json(value) -> str:
    """JSON that can sit inside a <script> element: no '</' can close it early."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).replace("</", "<\\/")


def _table_rows(tables: views.ViewTables) -> dict:
    rows = views.event_rows(tables)
    columns = [name for name, _ in TABLE_COLUMNS] + ["trigger_at", "trigger_end"]
    return {"columns": columns, "rows": rows[columns].astype(object).values.tolist()}


def _vague_table(vague: pd.DataFrame) -> str:
    if vague.empty:
        return "<p>none</p>"
    shown = vague[["period", "event_type", "modality", "who", "reports"]]
    return shown.rename(columns={"period": "date", "event_type": "type", "who": "actors"}).to_html(index=False, border=0)


def _summary(tables: views.ViewTables, out: Path) -> str:
    happened = views.happened(tables.clusters)
    return html.escape(
        f"{len(tables.stories):,} stories, {len(tables.events):,} events in {len(tables.clusters):,} clusters "
        f"({len(happened):,} of them asserted or reported), from {out}. Counts of what happened use asserted and "
        "reported events only."
    )


def render_report(out: str | Path) -> str:
    """The report on the tables in `out`, as HTML text."""
    out = Path(out)
    tables = views.load_view_tables(out)
    _, vague = views.timeline_frame(tables.clusters)
    page = Template((ASSETS / "report.html").read_text(encoding="utf-8"))
    return page.substitute(
        title=html.escape(f"Events in {out.resolve().name}"),
        summary=_summary(tables, out),
        style=(ASSETS / "report.css").read_text(encoding="utf-8"),
        vague_count=f"{len(vague)} cluster{'s' if len(vague) != 1 else ''}",
        vague_table=_vague_table(vague),
        modality_options="".join(f'<option value="{m}">{m}</option>' for m in MODALITIES),
        headers="".join(f'<th data-column="{name}" scope="col">{html.escape(label)}</th>' for name, label in TABLE_COLUMNS),
        vega=_vega_bundle(),
        specs=_script_json(chart_specs(tables.clusters)),
        rows=_script_json(_table_rows(tables)),
        script=(ASSETS / "report.js").read_text(encoding="utf-8"),
    )


def write_report(out: str | Path, target: str | Path) -> Path:
    """Writes the report on `out`'s tables to `target` atomically: a reader never sees half a file."""
    return write_text_atomically(Path(target), [render_report(out)])
