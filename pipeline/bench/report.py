"""How fast the HTML report opens with many events, in headless Chromium.

    python -m pipeline.bench.report OUT_DIR [--events 10000] [--chromium /usr/bin/chromium]

Builds a synthetic run of `--events` events from the tables in OUT_DIR (a real run, e.g. the sample page's:
its events and stories copied over and over, each copy with new ids and its dates shifted by a week more), writes
its report and loads it from file:// in headless Chromium. Prints the report's size and the load time: from
navigation start to every chart drawn and the table's first page shown (`window.reportTimings.ready`).
"""
from __future__ import annotations

import argparse
import contextlib
import shutil
import tempfile
import time
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from ..report import write_report
from ..schema import EVENTS, STORIES

# Flags under which Debian's Chromium runs headless here without reaching for the network.
CHROMIUM_FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
    "--disable-component-update", "--disable-sync",
]


def synthetic_run(source: Path, target: Path, events: int) -> Path:
    """Writes `target`/events.parquet and stories.parquet with `events` events copied from the run in `source`."""
    stories = pq.read_table(source / "stories.parquet").to_pylist()
    originals = pq.read_table(source / "events.parquet").to_pylist()
    copies = -(-events // len(originals))
    story_rows, event_rows = [], []
    for copy in range(copies):
        shift = timedelta(weeks=copy)
        story_rows += [{**story, "story_id": f"{story['story_id']}#{copy}",
                        "published": story["published"] and story["published"] + shift} for story in stories]
        for event in originals[: events - len(event_rows)]:
            dates = {key: event[key] and event[key] + shift for key in ("event_date", "date_end")}
            event_rows.append({**event, **dates, "event_id": f"{event['event_id']}#{copy}",
                               "story_id": f"{event['story_id']}#{copy}"})
    target.mkdir(parents=True, exist_ok=True)
    pq.write_table(pa.Table.from_pylist(story_rows, schema=STORIES), target / "stories.parquet")
    pq.write_table(pa.Table.from_pylist(event_rows, schema=EVENTS), target / "events.parquet")
    return target


@contextlib.contextmanager
def browser_page(chromium: str) -> Iterator:
    """A page of a fresh headless Chromium (its own profile folder); `page.console` collects what it logs."""
    from playwright.sync_api import sync_playwright

    profile = tempfile.mkdtemp(prefix="newsevents-chromium-")
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch_persistent_context(
                profile, executable_path=chromium, headless=True, args=CHROMIUM_FLAGS, viewport={"width": 1100, "height": 900},
            )
            page = browser.new_page()
            page.console = []
            page.on("console", lambda message: page.console.append((message.type, message.text)))
            page.on("pageerror", lambda error: page.console.append(("error", str(error))))
            try:
                yield page
            finally:
                browser.close()
    finally:
        shutil.rmtree(profile, ignore_errors=True)


def load_report(page, report: Path, timeout_ms: int = 30_000) -> float:
    """Opens the report from file:// and waits until it is drawn; milliseconds from navigation start to ready."""
    page.goto(report.resolve().as_uri())
    page.wait_for_function("document.body.dataset.ready !== undefined", timeout=timeout_ms)
    if page.evaluate("document.body.dataset.ready") != "true":
        raise RuntimeError(f"the report failed to draw: {page.console}")
    return float(page.evaluate("window.reportTimings.ready"))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m pipeline.bench.report", description=__doc__.split("\n\n")[0])
    parser.add_argument("out", type=Path, help="a run's output folder (e.g. data/processed)")
    parser.add_argument("--events", type=int, default=10_000, help="events in the synthetic run (default 10000)")
    parser.add_argument("--chromium", default=shutil.which("chromium") or "/usr/bin/chromium")
    parser.add_argument("--repeat", type=int, default=3, help="loads measured (default 3)")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as folder:
        run = synthetic_run(args.out, Path(folder) / "run", args.events)
        started = time.perf_counter()
        report = write_report(run, Path(folder) / "report.html")
        print(f"{args.events} events: report written in {time.perf_counter() - started:.1f} s, "
              f"{report.stat().st_size / 2**20:.1f} MiB")
        with browser_page(args.chromium) as page:
            times = [load_report(page, report) for _ in range(args.repeat)]
        print("load to ready (ms): " + ", ".join(f"{ms:.0f}" for ms in times) + f"; best {min(times):.0f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
