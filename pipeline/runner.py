"""The whole run: read and segment the inputs -> batches through the pipeline (`extraction.py`), here, in a pool
of processes or on Dask (`executors.py`) -> rows streamed into the Parquet tables (`store.py`).

A run into a folder that already holds tables appends: inputs whose content the folder's manifest lists are
skipped (`manifest.py`), the others' rows are added, and the tables come out as a run over all the inputs at once
would have written them. `rebuild=True` starts afresh.
"""
from __future__ import annotations

import sys
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import pyarrow as pa
import spacy
from spacy.language import Language
from tqdm import tqdm

from .clusters import COLUMNS_READ, cluster_event_rows
from .executors import batched, executor_for
from .extraction import DEFAULT_MODEL, MAX_PIECE_CHARS, BatchRows, Settings, pipeline_metadata
from .manifest import (Manifest, ManifestError, check_consistent, load_manifest, new_run_id, remove_uncommitted)
from .reading import SourceText, iter_input_files
from .records import Problem
from .schema import EVENTS, STORIES
from .segment import UniqueStories, as_inputs, read_stories
from .store import (OutputError, OutputTables, file_rows, iter_rows, month_partition, prepare_output, problem_row,
                    remove_other_layout)

PARTITIONS = ("month",)
# spaCy batches a task carries to a worker process: enough that sending the stories costs little beside parsing them.
BATCHES_PER_TASK = 4


@dataclass
class RunSummary:
    out: Path
    stories: int = 0
    entities: int = 0
    events: int = 0
    words: int = 0
    seconds: float = 0.0
    problems: list[Problem] = field(default_factory=list)
    written: bool = False
    already_done: int = 0  # inputs skipped because the output holds them already

    def add(self, rows: BatchRows) -> None:
        self.stories += len(rows.stories)
        self.entities += len(rows.entities)
        self.events += len(rows.events)
        self.words += rows.words
        self.problems.extend(rows.problems)

    @property
    def errors(self) -> list[Problem]:
        """Problems that cost something: an input or story skipped, or written incomplete."""
        return [problem for problem in self.problems if problem.severity == "error"]

    def line(self) -> str:
        skipped = f"; {self.already_done} input(s) already in {self.out}, skipped" if self.already_done else ""
        if not self.written:
            if self.already_done and not self.errors:
                return f"nothing new: every input is already in {self.out}; the tables are as they were"
            return (f"nothing written: no story could be read ({len(self.errors)} error(s)); "
                    f"the tables in {self.out} are as they were{skipped}")
        text = (f"{self.stories} stories, {self.entities} entities, {self.events} events in {self.seconds:.1f} s "
                f"-> {self.out}{skipped}")
        if self.problems:
            warnings = len(self.problems) - len(self.errors)
            text += f"; {len(self.errors)} error(s) and {warnings} warning(s) listed in {self.out / 'problems.parquet'}"
        return text


def run(
    inputs: str | Path | Iterable[str | Path],
    out: str | Path = "data/processed",
    *,
    published: date | None = None,
    model: str = DEFAULT_MODEL,
    resources: str | Path | None = None,
    batch_size: int = 16,
    progress: bool = False,
    nlp: Language | None = None,
    max_piece_chars: int = MAX_PIECE_CHARS,
    processes: int = 1,
    dask: str | None = None,
    partition: str | None = None,
    rebuild: bool = False,
) -> RunSummary:
    """Run the pipeline on files or folders and write the stories, entities, events and problems tables to `out`.

    `inputs` is one path (str or pathlib.Path) or a list of them. `processes` > 1 spreads the stories over that
    many worker processes; `dask` is `"local"` (a LocalCluster of `processes` workers) or a scheduler's address.
    `partition="month"` writes stories, entities and events as Hive-style datasets by publication year and month.
    Tables already in `out` are appended to (inputs already processed into them are skipped) unless `rebuild`.
    A run that reads no new story leaves the tables as they were. `nlp` (a pipeline built by `build_nlp`) runs in
    this process only. Raises OutputError when `out` cannot be used.
    """
    started = time.perf_counter()
    _check_settings(nlp, processes, dask, partition)
    inputs = as_inputs(inputs)
    out = prepare_output(Path(out))
    manifest, partition = _existing_output(out, partition, rebuild)
    summary = RunSummary(out)
    ledger = _InputLedger(manifest, summary)
    unique = _earlier_stories(out, summary.problems.append) if manifest.runs else None
    stories = read_stories(inputs, summary.problems.append, published, ledger.admit, unique)
    metadata = pipeline_metadata(nlp.meta if nlp is not None else _model_meta(model))
    run_id = new_run_id()
    tables = OutputTables(out, metadata, run_id, partition, previous=manifest if manifest.runs else None)
    executor = executor_for(Settings(model, str(resources) if resources else None, batch_size, max_piece_chars),
                            processes, dask, nlp)
    bar = _ProgressBar(inputs, progress)
    try:
        for rows in executor.map(batched(stories, batch_size * BATCHES_PER_TASK)):
            _write_batch(tables, rows, partition)
            summary.add(rows)
            bar.update(rows)
        summary.problems.sort(key=lambda problem: (problem.path, problem.line, problem.kind, problem.message))
        if summary.stories:
            _commit(tables, summary, manifest, ledger.new_inputs, run_id, metadata, partition)
        else:
            tables.abort()
    except BaseException:
        tables.abort()
        raise
    finally:
        bar.close()
        executor.close()
    summary.seconds = time.perf_counter() - started
    return summary


def _check_settings(nlp: Language | None, processes: int, dask: str | None, partition: str | None) -> None:
    if nlp is not None and (processes > 1 or dask):
        raise ValueError("nlp= is a pipeline of this process: give model= and resources= to run on several")
    if partition not in (None, *PARTITIONS):
        raise ValueError(f"partition must be one of {', '.join(PARTITIONS)} or None, got {partition!r}")


def _commit(tables: OutputTables, summary: RunSummary, manifest: Manifest, new_inputs: dict[str, dict], run_id: str,
            metadata: dict[str, str], partition: str | None) -> None:
    """The run's tables completed (problems, clusters over all events) and put in place, then the manifest."""
    tables.add("problems", (problem_row(problem) for problem in summary.problems))
    cluster_events(tables)
    tables.commit()
    remove_other_layout(summary.out, partition)
    manifest.record(run_id, new_inputs, metadata, summary.stories, summary.events, summary.out)
    manifest.save(summary.out)
    remove_uncommitted(summary.out, manifest)
    summary.written = True


class _InputLedger:
    """Which inputs a run reads: those the output's manifest does not list (by content); the new ones it records."""

    def __init__(self, manifest: Manifest, summary: RunSummary):
        self.manifest = manifest
        self.summary = summary
        self.new_inputs: dict[str, dict] = {}

    def admit(self, source: SourceText) -> bool:
        if self.manifest.knows(source.digest):
            self.summary.already_done += 1
            return False
        self.new_inputs[source.digest] = {"path": str(source.path)}
        return True


def cluster_events(tables: OutputTables) -> None:
    """The events of every run into the output, clustered (`clusters.py`): their cluster ids written into the events
    table, and the clusters table. Reads only the columns the clustering needs, a batch of rows at a time."""
    published = {row["story_id"]: row["published"]
                 for row in file_rows(tables.finish("stories"), STORIES, ["story_id", "published"])}
    cluster_ids, clusters = cluster_event_rows(file_rows(tables.finish("events"), EVENTS, COLUMNS_READ), published)
    tables.replace_column("events", "event_cluster_id", pa.array(cluster_ids, pa.string()))
    tables.add("clusters", clusters)


def _existing_output(out: Path, partition: str | None, rebuild: bool) -> tuple[Manifest, str | None]:
    """What the folder holds already (an empty manifest for a new folder, or when rebuilding), and the layout."""
    try:
        manifest = None if rebuild else load_manifest(out)
        if manifest is None:
            return Manifest(partition), partition
        if partition is not None and partition != manifest.partition:
            raise OutputError(f"{out}: its tables are {_layout(manifest.partition)}; run with the same layout, "
                              f"or rebuild them {_layout(partition)} with --rebuild")
        check_consistent(out, manifest)
    except ManifestError as err:
        raise OutputError(str(err)) from err
    remove_uncommitted(out, manifest)
    return manifest, manifest.partition


def _layout(partition: str | None) -> str:
    return f"partitioned by {partition}" if partition else "not partitioned"


def _earlier_stories(out: Path, report) -> UniqueStories:
    """The stories already written, so a new input repeating one of them is reported as a duplicate, not written."""
    unique = UniqueStories(report)
    for row in iter_rows(out, "stories", ["story_id", "text", "headline", "source"]):
        unique.remember(row["story_id"], row["text"], row["headline"], row["source"])
    return unique


def _write_batch(tables: OutputTables, rows: BatchRows, partition: str | None) -> None:
    months = {row["story_id"]: month_partition(row["published"]) for row in rows.stories} if partition else None
    tables.add("stories", rows.stories, months)
    tables.add("entities", rows.entities, months)
    tables.add("events", rows.events, months)


def _model_meta(model: str) -> dict:
    """The spaCy model's meta.json, read without loading the model (worker processes load it)."""
    path = Path(model) if Path(model).exists() else spacy.util.get_package_path(model)
    return spacy.util.get_model_meta(path)


class _ProgressBar:
    """Stories, words, words per second and, where the inputs' size is known, how far along and an ETA.

    The size is the inputs' bytes; a story advances the bar by its characters, so markup and JSON syntax leave it
    a little short of the end, which is where it closes.
    """

    def __init__(self, inputs: list[Path], enabled: bool):
        self.enabled = enabled
        if not enabled:
            return
        total = sum(path.stat().st_size for path in iter_input_files(inputs, lambda problem: None))
        self.bar = tqdm(total=total or None, file=sys.stderr, leave=False, unit="B", unit_scale=True,
                        bar_format="{percentage:3.0f}%|{bar}| {postfix} [{elapsed}<{remaining}]")
        self.stories = self.words = 0
        self.started = time.perf_counter()

    def update(self, rows: BatchRows) -> None:
        if not self.enabled:
            return
        self.stories += len(rows.stories)
        self.words += rows.words
        rate = self.words / max(time.perf_counter() - self.started, 1e-9)
        self.bar.set_postfix_str(f"{self.stories:,} stories, {self.words:,} words, {rate:,.0f} words/s", refresh=False)
        self.bar.update(sum(len(row["text"]) + len(row["headline"] or "") for row in rows.stories))

    def close(self) -> None:
        if self.enabled:
            self.bar.close()
