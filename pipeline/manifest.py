"""What an output folder holds: the inputs already processed into it, by content, and the runs that wrote it.

`manifest.json` sits beside the tables. A run skips every input whose content (SHA-256 of its bytes) the manifest
lists, appends the rows of the others, and writes the manifest last, once its tables are in place: the manifest
says which runs' rows the tables hold, and how many rows each table has then, so a run killed between swapping its
tables in and writing the manifest is detected rather than appended to twice. In a partitioned output each part
file is named by its run, and part files of runs the manifest does not list are not read, and removed by the next
run.
"""
from __future__ import annotations

import json
import re
import secrets
import time
from dataclasses import dataclass, field
from pathlib import Path

import pyarrow.parquet as pq

from .atomic import write_text_atomically
from .schema import PARTITIONED_TABLES, REWRITTEN_TABLES

MANIFEST = "manifest.json"
FORMAT = 1
_PART = re.compile(r"^part-(?P<run>[0-9A-Za-z]+)-\d+\.parquet$")


class ManifestError(Exception):
    """The output folder's manifest and tables disagree, or a run asks for a layout the folder was not written in."""


def new_run_id() -> str:
    """Sortable by start time, unique across machines: names part files and rows of the manifest."""
    return time.strftime("%Y%m%d%H%M%S", time.gmtime()) + secrets.token_hex(3)


@dataclass
class Manifest:
    partition: str | None = None
    runs: list[dict] = field(default_factory=list)
    inputs: dict[str, dict] = field(default_factory=dict)  # SHA-256 of an input's bytes -> path, run_id
    rows: dict[str, int] = field(default_factory=dict)  # rows of each table file after the last run
    parts: dict[str, list[str]] = field(default_factory=dict)  # partitioned table -> the runs whose part files count

    def part_runs(self, table: str) -> set[str]:
        return set(self.parts.get(table, ()))

    def knows(self, digest: str) -> bool:
        return digest in self.inputs

    def record(self, run_id: str, inputs: dict[str, dict], metadata: dict[str, str], stories: int, events: int,
               out: Path) -> None:
        self.runs.append({"run_id": run_id, "finished": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
                          "inputs": len(inputs), "stories": stories, "events": events, **metadata})
        self.inputs.update({digest: {**about, "run_id": run_id} for digest, about in inputs.items()})
        self.rows = _row_counts(out)
        if self.partition:
            for table in PARTITIONED_TABLES:
                self.parts[table] = [run_id] if table in REWRITTEN_TABLES else [*self.parts.get(table, []), run_id]

    def save(self, out: Path) -> None:
        """Written to a temporary file and renamed over the old manifest: readers see the old one or the new."""
        payload = {"format": FORMAT, "partition": self.partition, "runs": self.runs, "inputs": self.inputs,
                   "rows": self.rows, "parts": self.parts}
        write_text_atomically(out / MANIFEST, [json.dumps(payload, indent=1, sort_keys=True) + "\n"])


def load_manifest(out: Path) -> Manifest | None:
    """The folder's manifest, None where there is none (a new folder, or tables written before manifests)."""
    path = out / MANIFEST
    if not path.exists():
        return None
    try:
        payload = json.loads(path.read_text(encoding="utf-8"))
        return Manifest(payload["partition"], payload["runs"], payload["inputs"], payload["rows"], payload["parts"])
    except (ValueError, KeyError, TypeError) as err:
        raise ManifestError(f"{path}: not a manifest this version can read ({err}); rerun with --rebuild") from err


def _row_counts(out: Path) -> dict[str, int]:
    """Rows of each table file (not of partitioned tables, whose part files are named by their run), from the
    files' footers."""
    return {path.stem: pq.ParquetFile(path).metadata.num_rows for path in sorted(out.glob("*.parquet"))}


def check_consistent(out: Path, manifest: Manifest) -> None:
    """The table files hold the rows of the manifest's runs, no more, no fewer."""
    found = _row_counts(out)
    if found != manifest.rows:
        raise ManifestError(f"{out}: the tables hold {found} rows, {MANIFEST} says {manifest.rows}: a run was "
                            "stopped while committing, or the tables were changed; rerun with --rebuild")


def committed_parts(root: Path, manifest: Manifest | None) -> list[Path]:
    """The part files of a partitioned table (`root` is its folder) that belong to it: those of the runs the manifest
    lists for it."""
    runs = manifest.part_runs(root.name) if manifest else set()
    return sorted(path for path in root.rglob("part-*.parquet")
                  if (match := _PART.match(path.name)) and match.group("run") in runs)


def remove_uncommitted(out: Path, manifest: Manifest | None) -> None:
    """Part files of runs that never finished (killed before or while committing), replaced by a rebuild, or, for a
    table each run writes whole again, by a later run.

    Two runs must not write into one folder at the same time: each would take the other's part files for leftovers.
    """
    for table in PARTITIONED_TABLES:
        root = out / table
        if not root.is_dir():
            continue
        runs = manifest.part_runs(table) if manifest else set()
        for path in root.rglob(".part-*.parquet.tmp"):
            path.unlink()
        for path in root.rglob("part-*.parquet"):
            match = _PART.match(path.name)
            if match and match.group("run") not in runs:
                path.unlink()
