"""Stage 5: write the tables to Parquet (atomically) and load them back.

Writers stream: `TableWriter` appends record batches as stories come out of
the pipeline, into a temporary file beside the target that is renamed into
place only when the run completes. Loaders return pandas DataFrames with
proper dtypes (dates as dates, nullable integers, categoricals).
"""
from __future__ import annotations

import dataclasses
import os
import tempfile
from collections.abc import Iterable
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from .records import Entity, Event, Story
from .schema import CATEGORIES, ENTITIES, EVENTS, STORIES, TABLES


def story_row(story: Story) -> dict:
    row = dataclasses.asdict(story)
    row["markers"] = [{"label": m.label, "start_char": m.start_char} for m in story.markers]
    row["word_count"] = story.word_count
    return row


def entity_row(entity: Entity) -> dict:
    return dataclasses.asdict(entity)


def event_row(event: Event) -> dict:
    row = dataclasses.asdict(event)
    row["mentions"] = [{"start": start, "end": end} for start, end in event.mentions]
    return row


class TableWriter:
    """Streams rows of one table into `<out>/<name>.parquet`, atomically."""

    def __init__(self, out: Path, name: str, metadata: dict[str, str], batch_rows: int = 2000):
        self.schema: pa.Schema = TABLES[name].with_metadata({k.encode(): v.encode() for k, v in metadata.items()})
        self.path = out / f"{name}.parquet"
        out.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(prefix=f".{name}.", suffix=".parquet.tmp", dir=out)
        os.close(handle)
        self.temporary = Path(temporary)
        self.writer = pq.ParquetWriter(self.temporary, self.schema, compression="zstd")
        self.rows: list[dict] = []
        self.batch_rows = batch_rows
        self.count = 0

    def add(self, rows: Iterable[dict]) -> None:
        for row in rows:
            self.rows.append(row)
            self.count += 1
        if len(self.rows) >= self.batch_rows:
            self._flush()

    def _flush(self) -> None:
        if self.rows:
            columns = {field.name: [row.get(field.name) for row in self.rows] for field in self.schema}
            self.writer.write_table(pa.Table.from_pydict(columns, schema=self.schema))
            self.rows = []

    def commit(self) -> Path:
        self._flush()
        self.writer.close()
        os.replace(self.temporary, self.path)
        return self.path

    def abort(self) -> None:
        self.writer.close()
        self.temporary.unlink(missing_ok=True)


def _load(path: str | Path, schema: pa.Schema, name: str) -> pd.DataFrame:
    path = Path(path)
    if path.is_dir():
        path = path / f"{name}.parquet"
    table = pq.read_table(path)
    missing = [field.name for field in schema if field.name not in table.column_names]
    if missing:
        raise ValueError(f"{path}: not a {name} table (missing columns {', '.join(missing)})")
    frame = table.to_pandas(types_mapper=_pandas_type, date_as_object=False)
    for column in schema.names:
        if column in CATEGORIES:
            frame[column] = pd.Categorical(frame[column].astype("object"), categories=CATEGORIES[column])
    return frame


def _pandas_type(arrow_type: pa.DataType):
    if pa.types.is_integer(arrow_type):
        return pd.Int32Dtype() if arrow_type.bit_width <= 32 else pd.Int64Dtype()
    if pa.types.is_boolean(arrow_type):
        return pd.BooleanDtype()
    if pa.types.is_string(arrow_type):
        return pd.StringDtype()
    return None


def load_stories(path: str | Path) -> pd.DataFrame:
    """The stories table (a file, or the folder the pipeline wrote) as a DataFrame."""
    return _load(path, STORIES, "stories")


def load_entities(path: str | Path) -> pd.DataFrame:
    return _load(path, ENTITIES, "entities")


def load_events(path: str | Path) -> pd.DataFrame:
    return _load(path, EVENTS, "events")


def table_metadata(path: str | Path) -> dict[str, str]:
    """The pipeline and model versions a table was written with."""
    raw = pq.read_schema(path).metadata or {}
    return {k.decode(): v.decode() for k, v in raw.items() if not k.startswith(b"pandas") and not k.startswith(b"ARROW")}
