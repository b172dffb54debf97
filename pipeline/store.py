"""Stage 5: write the tables to Parquet (atomically) and load them back.

Writers stream: `TableWriter` appends record batches as stories come out of
the pipeline, into a temporary file beside the target; `PartitionedWriter`
writes Hive-style datasets by publication month instead. `OutputTables` puts
the files in place only when the run completes, so a run that fails, or is
killed, leaves the previous tables as they were (`manifest.py` says which
runs' rows the tables hold). Files follow the umask. Loaders read either layout
and return pandas DataFrames with proper dtypes (dates as dates, nullable
integers, categoricals).
"""
from __future__ import annotations

import dataclasses
import os
import re
import secrets
import shutil
from collections.abc import Callable, Iterable, Iterator
from datetime import date
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.dataset as ds
import pyarrow.parquet as pq

from .atomic import fsync, fsync_folder
from .manifest import Manifest, committed_parts, load_manifest
from .records import Entity, Event, Problem, Story
from .schema import CATEGORIES, CLUSTERS, ENTITIES, EVENTS, PARTITIONED_TABLES, PROBLEMS, STORIES, TABLES

# How Hive (and pyarrow, Spark, DuckDB) name the partition of a null key: the stories without a publication date.
HIVE_NULL = "__HIVE_DEFAULT_PARTITION__"
# A row group: at most this many rows, and about this many characters of text. 2 MiB of text is some 500 Reuters
# stories (700 KB once compressed), a row group readers still scan in one go, and few enough to hold beside spaCy;
# event and entity rows, short strings, fill 2,000 rows first.
BATCH_ROWS = 2000
BATCH_CHARS = 2 * 2**20
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


class RowBuffer:
    """Rows waiting to be written as one row group: at most `batch_rows` rows, and the row that brings their text
    (the characters of their string values) to `batch_chars` is the last. A story's row is mostly its text, so a
    count alone held memory by the length of the stories: 2,000 Reuters stories were 11 MiB, and as many long
    reports would be hundreds."""

    def __init__(self, batch_rows: int, batch_chars: int):
        self.batch_rows = batch_rows
        self.batch_chars = batch_chars
        self.rows: list[dict] = []
        self.chars = 0

    def __len__(self) -> int:
        return len(self.rows)

    def add(self, row: dict) -> bool:
        """The row added; whether the buffer is full."""
        self.rows.append(row)
        self.chars += sum(len(value) for value in row.values() if isinstance(value, str))
        return len(self.rows) >= self.batch_rows or self.chars >= self.batch_chars

    def take(self) -> list[dict]:
        rows, self.rows, self.chars = self.rows, [], 0
        return rows


class TableWriter:
    """Streams rows of one table into `<out>/<name>.parquet`, atomically; with `previous`, the rows of an earlier
    version of the table come first (an incremental run appends to what is there)."""

    def __init__(self, out: Path, name: str, metadata: dict[str, str], batch_rows: int = BATCH_ROWS,
                 previous: Path | None = None, batch_chars: int = BATCH_CHARS):
        self.schema = table_schema(name, metadata)
        self.path = out / f"{name}.parquet"
        self.temporary = out / f".{name}.{os.getpid()}.{secrets.token_hex(4)}.parquet.tmp"
        self.writer = _open_writer(self.temporary, self.schema)
        self.rows = RowBuffer(batch_rows, batch_chars)
        self.count = 0
        self.finished = False
        if previous is not None and previous.exists():
            for batch in pq.ParquetFile(previous).iter_batches(batch_size=batch_rows):
                write_table(self.writer, conform(pa.Table.from_batches([batch]), self.schema))
                self.count += batch.num_rows

    def add(self, rows: Iterable[dict]) -> None:
        for row in rows:
            self.count += 1
            if self.rows.add(row):  # rows made as they are read (the clusters) are not all held
                self._flush()

    def _flush(self) -> None:
        if self.rows:
            write_table(self.writer, rows_table(self.rows.take(), self.schema))

    def finish(self) -> None:
        """Everything written and on disk, still under the temporary name."""
        if not self.finished:
            self._flush()
            self.writer.close()
            fsync(self.temporary)
            self.finished = True

    @property
    def files(self) -> list[Path]:
        """Where the rows written so far are, in order (once finished)."""
        return [self.temporary]

    def replace_column(self, name: str, values: pa.Array) -> None:
        """The finished file rewritten, a batch at a time, with one column's values replaced (in row order)."""
        source = self.temporary
        self.temporary = source.with_name(f".{self.path.stem}.{os.getpid()}.{secrets.token_hex(4)}.parquet.tmp")
        _rewrite(source, self.temporary, self.schema, name, values)
        source.unlink()

    def commit(self) -> Path:
        self.finish()
        os.replace(self.temporary, self.path)
        return self.path

    def abort(self) -> None:
        self.writer.close()
        self.temporary.unlink(missing_ok=True)


class PartitionedWriter:
    """Streams rows of one table into a Hive-style dataset, `<out>/<name>/year=YYYY/month=MM/part-<run>-<n>.parquet`,
    by the publication month of each row's story (`year=__HIVE_DEFAULT_PARTITION__` for undated stories).

    Rows wait in a buffer per partition, written out as a part file once the buffer is full, so memory holds at
    most one buffer (`RowBuffer`) per partition being filled. Part files carry the run's id: until `commit` they are
    hidden temporaries, and a part file whose run is not in the output's manifest is not part of the tables
    (`manifest.remove_uncommitted`).
    """

    def __init__(self, out: Path, name: str, metadata: dict[str, str], run_id: str, batch_rows: int = BATCH_ROWS,
                 batch_chars: int = BATCH_CHARS):
        self.schema = table_schema(name, metadata)
        self.root = out / name
        self.run_id = run_id
        self.batch_rows = batch_rows
        self.batch_chars = batch_chars
        self.buffers: dict[str, RowBuffer] = {}
        self.written: list[Path] = []
        self.count = 0
        self.files_made = 0  # numbers the run's part files

    def add(self, rows: Iterable[dict], partition_of: Callable[[dict], str]) -> None:
        for row in rows:
            partition = partition_of(row)
            if partition not in self.buffers:
                self.buffers[partition] = RowBuffer(self.batch_rows, self.batch_chars)
            self.count += 1
            if self.buffers[partition].add(row):
                self._write(partition)

    def _write(self, partition: str) -> None:
        buffer = self.buffers.pop(partition, None)
        if not buffer:
            return
        folder = self.root / partition
        folder.mkdir(parents=True, exist_ok=True)
        temporary = self._part_file(folder)
        writer = _open_writer(temporary, self.schema)
        write_table(writer, rows_table(buffer.take(), self.schema))
        writer.close()
        fsync(temporary)
        self.written.append(temporary)

    def _part_file(self, folder: Path) -> Path:
        self.files_made += 1
        return folder / f".part-{self.run_id}-{self.files_made:05d}.parquet.tmp"

    def finish(self) -> None:
        for partition in list(self.buffers):
            self._write(partition)

    @property
    def files(self) -> list[Path]:
        return list(self.written)

    def replace_column(self, name: str, values: pa.Array, previous: list[Path]) -> None:
        """The table's rows, the `previous` runs' part files first, then this run's, written again as this run's part
        files with one column's values replaced: the previous parts stop counting once the manifest names this run
        as the table's only one."""
        sources, self.written, offset = [*previous, *self.written], [], 0
        for source in sources:
            rows = pq.ParquetFile(source).metadata.num_rows
            target = self._part_file(source.parent)
            _rewrite(source, target, self.schema, name, values.slice(offset, rows))
            self.written.append(target)
            offset += rows
            if source.name.startswith("."):
                source.unlink()  # this run's own first version

    def commit(self) -> None:
        """The run's part files made visible: each rename is atomic; the manifest, written after, makes them count."""
        for temporary in self.written:
            os.replace(temporary, temporary.with_name(temporary.name[1:-len(".tmp")]))

    def abort(self) -> None:
        self.buffers.clear()
        for temporary in self.written:
            temporary.unlink(missing_ok=True)


def month_partition(published: date | None) -> str:
    if published is None:
        return f"year={HIVE_NULL}/month={HIVE_NULL}"
    return f"year={published.year}/month={published.month:02d}"


class OutputTables:
    """The tables of one run, written side by side and swapped into `out` only when the run completes.

    `partition="month"` writes stories, entities and events as Hive-style datasets (see `PartitionedWriter`);
    problems and clusters stay files. `previous` (an incremental run) is what `out` holds already: a file table's
    rows are copied ahead of the run's, a partitioned table's part files stay where they are (`previous_parts`).
    """

    def __init__(self, out: Path, metadata: dict[str, str], run_id: str, partition: str | None = None,
                 previous: Manifest | None = None):
        self.out = out
        self.files: dict[str, TableWriter] = {}
        self.datasets: dict[str, PartitionedWriter] = {}
        self.previous_parts = {name: committed_parts(out / name, previous) for name in PARTITIONED_TABLES
                               if partition and previous is not None}
        try:
            for name in TABLES:
                if partition and name in PARTITIONED_TABLES:
                    self.datasets[name] = PartitionedWriter(out, name, metadata, run_id)
                else:
                    kept = previous is not None and name != "clusters"  # clusters are made again from all events
                    self.files[name] = TableWriter(out, name, metadata, previous=out / f"{name}.parquet" if kept else None)
        except BaseException:
            self.abort()
            raise

    def add(self, name: str, rows: Iterable[dict], story_months: dict[str, str] | None = None) -> None:
        """Rows of one table; with partitions, `story_months` gives each story's partition."""
        if name in self.datasets:
            key = "story_id"
            self.datasets[name].add(rows, lambda row: story_months[row[key]])
        else:
            self.files[name].add(rows)

    def finish(self, name: str) -> list[Path]:
        """The table's rows all on disk; the files that hold them, earlier runs' first."""
        if name in self.datasets:
            self.datasets[name].finish()
            return [*self.previous_parts.get(name, []), *self.datasets[name].files]
        self.files[name].finish()
        return self.files[name].files

    def replace_column(self, name: str, column: str, values: pa.Array) -> None:
        """A finished table's column replaced, for all its rows (earlier runs' too), in the order `finish` gave."""
        if name in self.datasets:
            self.datasets[name].replace_column(column, values, self.previous_parts.pop(name, []))
        else:
            self.files[name].replace_column(column, values)

    def commit(self) -> None:
        """All files complete on disk first; then each renamed over its old version (each rename is atomic)."""
        for name in TABLES:
            self.finish(name)
        for writer in self.files.values():
            os.replace(writer.temporary, writer.path)
        for dataset in self.datasets.values():
            dataset.commit()
        fsync_folder(self.out)

    def abort(self) -> None:
        for writer in [*self.files.values(), *self.datasets.values()]:
            writer.abort()


def remove_other_layout(out: Path, partition: str | None) -> None:
    """Once a run's tables are in place: the tables of the other layout, which a rebuild replaced."""
    for name in PARTITIONED_TABLES:
        if partition:
            (out / f"{name}.parquet").unlink(missing_ok=True)
        elif (out / name).is_dir():
            shutil.rmtree(out / name)


def table_schema(name: str, metadata: dict[str, str]) -> pa.Schema:
    """The table's declared schema, carrying the versions it is written with."""
    return TABLES[name].with_metadata({key.encode(): value.encode() for key, value in metadata.items()})


def _rewrite(source: Path, target: Path, schema: pa.Schema, name: str, values: pa.Array) -> None:
    writer = _open_writer(target, schema)
    offset = 0
    for batch in pq.ParquetFile(source).iter_batches(batch_size=4096):
        table = conform(pa.Table.from_batches([batch]), schema)
        column = schema.get_field_index(name)
        write_table(writer, table.set_column(column, schema.field(name), values.slice(offset, table.num_rows)))
        offset += table.num_rows
    writer.close()
    fsync(target)


def _open_writer(path: Path, schema: pa.Schema) -> pq.ParquetWriter:
    # Created by os.open with mode 0o666, so the umask decides who may read the table (mkstemp would force 0600).
    os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666))
    return pq.ParquetWriter(path, schema, compression="zstd")


def write_table(writer: pq.ParquetWriter, table: pa.Table) -> None:
    """The table written as a row group. Arrow's memory pool (mimalloc) keeps the pages the table and its compression
    took until Arrow allocates again, and between writes spaCy parses the next batch: after a row group of 2,000
    Reuters stories, 35 to 40 MiB stayed under the model's peak. They are handed back at once (a tenth of a
    millisecond)."""
    writer.write_table(table)
    pa.default_memory_pool().release_unused()


def rows_table(rows: list[dict], schema: pa.Schema) -> pa.Table:
    return pa.Table.from_pydict({field.name: [row.get(field.name) for row in rows] for field in schema}, schema=schema)


def conform(table: pa.Table, schema: pa.Schema) -> pa.Table:
    """A table written by another version, in this version's columns: a column added later is null in it."""
    columns = [table.column(field.name) if field.name in table.column_names else pa.nulls(len(table), field.type)
               for field in schema]
    return pa.Table.from_arrays(columns, schema=schema)


def _table_source(path: str | Path, name: str) -> Path | list[Path]:
    """Where a table is: `path` is the output folder, the table's file, or its partitioned folder."""
    path = Path(path)
    if path.is_dir() and (path / f"{name}.parquet").is_file():
        return path / f"{name}.parquet"
    if path.is_dir() and (path / name).is_dir():
        path = path / name
    return committed_parts(path, load_manifest(path.parent)) if path.is_dir() else path


def read_table(path: str | Path, name: str) -> pa.Table:
    """A table as the pipeline wrote it, in either layout."""
    source = _table_source(path, name)
    if isinstance(source, Path):
        return pq.read_table(source)
    # Only the columns of the files themselves: the partition keys are in the folder names, and in the stories.
    return ds.dataset(source, format="parquet", schema=TABLES[name]).to_table()


def iter_rows(path: str | Path, name: str, columns: list[str]) -> Iterator[dict]:
    """Some columns of a table, row by row, read a batch at a time (memory does not grow with the table)."""
    source = _table_source(path, name)
    if isinstance(source, Path) and not source.exists():
        return
    dataset = ds.dataset(source, format="parquet", schema=TABLES[name])
    for batch in dataset.to_batches(columns=columns, batch_size=4096):
        yield from batch.to_pylist()


def file_rows(files: list[Path], schema: pa.Schema, columns: list[str]) -> Iterator[dict]:
    """Some columns of a table's files, row by row in the files' order, read a batch at a time; a column a file of an
    earlier version lacks is null in its rows."""
    wanted = pa.schema([schema.field(name) for name in columns])
    for path in files:
        parquet = pq.ParquetFile(path)
        present = [name for name in columns if name in parquet.schema_arrow.names]
        for batch in parquet.iter_batches(batch_size=4096, columns=present):
            yield from conform(pa.Table.from_batches([batch]), wanted).to_pylist()


def _load(path: str | Path, schema: pa.Schema, name: str) -> pd.DataFrame:
    table = read_table(path, name)
    missing = [field for field in schema if field.name not in table.column_names]
    required = [field.name for field in missing if not field.nullable]
    if required:
        raise ValueError(f"{path}: not a {name} table (missing columns {', '.join(required)})")
    return _frame(conform(table, schema), schema)


def frame(rows: Iterable[dict], schema: pa.Schema) -> pd.DataFrame:
    """Rows (`story_row`, `event_row`...) as the DataFrame the loader gives for a table of `schema`, without a file."""
    return _frame(pa.Table.from_pylist(list(rows), schema=schema), schema)


def _frame(table: pa.Table, schema: pa.Schema) -> pd.DataFrame:
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


def load_clusters(path: str | Path) -> pd.DataFrame:
    """The clusters table (`clusters.assign_clusters`): one row per real-world event, a file or the output folder."""
    return _load(path, CLUSTERS, "clusters")


def load_problems(path: str | Path) -> pd.DataFrame:
    """What went wrong in the run that wrote the tables: one row per skipped or repaired input or story."""
    return _load(path, PROBLEMS, "problems")


def table_metadata(path: str | Path) -> dict[str, str]:
    """The pipeline and model versions a table was written with."""
    raw = pq.read_schema(path).metadata or {}
    return {k.decode(): v.decode() for k, v in raw.items() if not k.startswith(b"pandas") and not k.startswith(b"ARROW")}
