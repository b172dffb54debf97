"""`dates.normalize` calls per second on fresh expressions: none of them answered from a cache.

    python -m pipeline.bench.normalize_speed [FOLDER ...] [--anchors N]

The expressions are the DATE and TIME texts of TimeML gold (default: TempEval-3 Platinum and MEANTIME under
`../shared/peer`), each with its own sentence. Each is normalized against N publication dates (default 100, one
every eleven days from 2000 on), so every measured call is a pair (expression, anchor) not asked before: the
result cache is emptied first and no pair repeats, and the memoized dateparser instances (one per anchor and
direction) are built as the run meets new anchors. Calls are made anchor after anchor, as a run meets a
story's expressions together. Prints calls per second of wall time and per second of this process's CPU time, and
the machine's one-minute load average before and after: on a shared machine whose load exceeds its cores the wall
figure falls with the share of a core the process gets, the CPU figure much less (caches are shared too).
"""
from __future__ import annotations

import argparse
import os
import sys
import time
from datetime import date, timedelta
from pathlib import Path

from .. import dates
from ..corpus import shared_dir
from .meantime import read_documents
from .timeml import load_timeml

FIRST_ANCHOR = date(2000, 1, 3)
ANCHOR_STEP = timedelta(days=11)


def expressions(folders: list[Path]) -> list[tuple[str, str]]:
    """(expression, sentence) of every DATE and TIME expression of the folders, the same pair once."""
    found: dict[tuple[str, str], None] = {}
    for folder in folders:
        for item in load_timeml(folder):
            found[(item.text, item.sentence)] = None
        if not any(folder.glob("*.tml")):
            for document in read_documents(folder):
                for timex in document.timexes:
                    if timex.type in ("DATE", "TIME") and timex.token_indices:
                        sentence = document.sentence_text(document.sentence_of[timex.token_indices[0]])
                        found[(document.text_of(timex.token_indices), sentence)] = None
    return list(found)


def fresh_rate(pairs: list[tuple[str, str]], anchors: list[date]) -> tuple[int, float, float]:
    """Calls, wall seconds and CPU seconds for every expression against every anchor, from empty caches. A pass against a date
    before the anchors comes first, unmeasured: what the libraries load once a process (dateparser's locale data
    and time zone patterns, about two seconds) is no cost of an expression."""
    for text, sentence in pairs:
        dates.normalize(text, anchors[0] - ANCHOR_STEP, sentence)
    dates._normalize.cache_clear()
    dates._parser.cache_clear()
    started, cpu_started = time.perf_counter(), time.process_time()
    for anchor in anchors:
        for text, sentence in pairs:
            dates.normalize(text, anchor, sentence)
    return len(pairs) * len(anchors), time.perf_counter() - started, time.process_time() - cpu_started


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m pipeline.bench.normalize_speed", description=__doc__.split("\n\n")[0])
    parser.add_argument("folders", nargs="*", type=Path, help="TimeML .tml folders or MEANTIME folders")
    parser.add_argument("--anchors", type=int, default=100, help="publication dates each expression is resolved against")
    args = parser.parse_args(argv)
    folders = args.folders or [shared_dir() / "peer" / "tempeval3-platinum", shared_dir() / "peer" / "meantime"]
    pairs = expressions(folders)
    if not pairs:
        print("no DATE or TIME expressions found", file=sys.stderr)
        return 2
    anchors = [FIRST_ANCHOR + n * ANCHOR_STEP for n in range(args.anchors)]
    load_before = os.getloadavg()[0]
    calls, seconds, cpu_seconds = fresh_rate(pairs, anchors)
    print(f"{len(pairs)} expressions x {len(anchors)} anchors = {calls:,} fresh calls: {calls / seconds:,.0f} calls/s "
          f"({seconds:.2f} s wall), {calls / cpu_seconds:,.0f} calls per CPU second ({cpu_seconds:.2f} s of this "
          f"process's CPU); load average {load_before:.2f} before, {os.getloadavg()[0]:.2f} after, on {os.cpu_count()} cores")
    return 0


if __name__ == "__main__":
    sys.exit(main())
