"""Stage 5: write the tables to Parquet (atomically) and load them back.

Writers stream: `TableWriter` appends record batches as stories come out of
the pipeline, into a temporary file beside the target. `OutputTables` renames
the four files into place only when the run completes, so a run that fails, or
is killed, leaves the previous tables as they were. Files follow the umask.
Loaders return pandas DataFrames with proper dtypes (dates as dates, nullable
integers, categoricals).
"""
from __future__ import annotations

import dataclasses
import os
import re
import secrets
from collections.abc import Iterable
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from .records import Entity, Event, Problem, Story
from .schema import CATEGORIES, ENTITIES, EVENTS, PROBLEMS, STORIES, TABLES

_TEMPORARY = re.compile(r"^\.(?P<name>\w+)\.(?P<pid>\d+)\.\w+\.parquet\.tmp$")


class OutputError(Exception):
    """The output folder cannot be used: nothing was run."""


def prepare_output(out: Path) -> Path:
    """The output folder, created if need be; an OutputError says why it cannot be used."""
    if out.exists() and not out.is_dir():
        raise OutputError(f"{out}: exists and is not a folder; give --out a folder (it is created if missing)")
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        raise OutputError(f"{out}: cannot create the output folder: {err.strerror or err}") from err
    if not os.access(out, os.W_OK | os.X_OK):
        raise OutputError(f"{out}: the output folder is not writable")
    _remove_stale_temporaries(out)
    return out


def _remove_stale_temporaries(out: Path) -> None:
    """Temporary files of runs that were killed: their process is gone."""
    for path in out.glob(".*.parquet.tmp"):
        match = _TEMPORARY.match(path.name)
        if match and not _alive(int(match.group("pid"))):
            path.unlink(missing_ok=True)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)  # signal 0: only asks whether the process exists
    except ProcessLookupError:
        return False
    except PermissionError:
        pass  # it exists, under another user
    return True


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


def problem_row(problem: Problem) -> dict:
    return dataclasses.asdict(problem)


class TableWriter:
    """Streams rows of one table into `<out>/<name>.parquet`, atomically."""

    def __init__(self, out: Path, name: str, metadata: dict[str, str], batch_rows: int = 2000):
        self.schema: pa.Schema = TABLES[name].with_metadata({k.encode(): v.encode() for k, v in metadata.items()})
        self.path = out / f"{name}.parquet"
        self.temporary = out / f".{name}.{os.getpid()}.{secrets.token_hex(4)}.parquet.tmp"
        # Created by os.open with mode 0o666, so the umask decides who may read the table (mkstemp would force 0600).
        os.close(os.open(self.temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666))
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

    def finish(self) -> None:
        """Everything written and on disk, still under the temporary name."""
        self._flush()
        self.writer.close()
        with open(self.temporary, "rb") as handle:
            os.fsync(handle.fileno())

    def commit(self) -> Path:
        self.finish()
        os.replace(self.temporary, self.path)
        return self.path

    def abort(self) -> None:
        self.writer.close()
        self.temporary.unlink(missing_ok=True)


class OutputTables:
    """The tables of one run, written side by side and swapped into `out` only when the run completes."""

    def __init__(self, out: Path, metadata: dict[str, str]):
        self.out = out
        self.writers: dict[str, TableWriter] = {}
        try:
            for name in TABLES:
                self.writers[name] = TableWriter(out, name, metadata)
        except BaseException:
            self.abort()
            raise

    def add(self, name: str, rows: Iterable[dict]) -> None:
        self.writers[name].add(rows)

    def commit(self) -> None:
        """All files complete on disk first; then each renamed over its old version (each rename is atomic)."""
        for writer in self.writers.values():
            writer.finish()
        for writer in self.writers.values():
            os.replace(writer.temporary, writer.path)
        directory = os.open(self.out, os.O_RDONLY)
        try:
            os.fsync(directory)
        finally:
            os.close(directory)

    def abort(self) -> None:
        for writer in self.writers.values():
            writer.abort()


def _load(path: str | Path, schema: pa.Schema, name: str) -> pd.DataFrame:
    path = Path(path)
    if path.is_dir():
        path = path / f"{name}.parquet"
    table = pq.read_table(path)
    missing = [field for field in schema if field.name not in table.column_names]
    required = [field.name for field in missing if not field.nullable]
    if required:
        raise ValueError(f"{path}: not a {name} table (missing columns {', '.join(required)})")
    for field in missing:  # a column a later version added: null in tables written before it
        table = table.append_column(field, pa.nulls(len(table), field.type))
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


def load_problems(path: str | Path) -> pd.DataFrame:
    """What went wrong in the run that wrote the tables: one row per skipped or repaired input or story."""
    return _load(path, PROBLEMS, "problems")


def write_text_atomically(target: Path, chunks: Iterable[str]) -> Path:
    """Writes text to `target` through a temporary file beside it and a rename, so a reader (or a run that is
    killed) never leaves half a file; the file follows the umask, as the tables do."""
    temporary = target.parent / f".{target.name}.{os.getpid()}.{secrets.token_hex(4)}.tmp"
    try:
        with open(os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666), "w", encoding="utf-8") as stream:
            for chunk in chunks:
                stream.write(chunk)
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(temporary, target)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    return target


def table_metadata(path: str | Path) -> dict[str, str]:
    """The pipeline and model versions a table was written with."""
    raw = pq.read_schema(path).metadata or {}
    return {k.decode(): v.decode() for k, v in raw.items() if not k.startswith(b"pandas") and not k.startswith(b"ARROW")}
