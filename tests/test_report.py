"""The HTML report: one self-contained file, drawn and usable in a real browser (headless Chromium), opening in
under 2 seconds with 10,000 events."""
import json
import re
import shutil
import subprocess
import sys

import pytest

from conftest import ROOT


def chromium_binary() -> str:
    binary = shutil.which("chromium") or shutil.which("chromium-browser")
    if not binary:
        pytest.skip("no chromium binary (Debian's 'chromium' package; `make test` installs it where apt can)")
    pytest.importorskip("playwright.sync_api", reason="the playwright package drives the browser (pip install -e '.[dev]')")
    return binary


@pytest.fixture(scope="module")
def report(sample_run, tmp_path_factory):
    target = tmp_path_factory.mktemp("report") / "report.html"
    result = subprocess.run([sys.executable, "-m", "pipeline", "report", str(sample_run[1]), "--out", str(target)],
                            capture_output=True, text=True, cwd=ROOT)
    assert result.returncode == 0, result.stderr
    return target


def test_report_is_one_self_contained_file(report, sample_run):
    from pipeline import load_events

    html = report.read_text(encoding="utf-8")
    markup = re.sub(r"(<script[^>]*>).*?</script>", r"\1</script>", html, flags=re.S)  # the page without script bodies
    assert markup.count("<script") == 4 and "<style>" in markup
    # nothing is loaded from elsewhere (what the inlined scripts fetch, the browser test watches)
    assert not re.search(r"<script[^>]+src=|<link[^>]+href=|<img|<iframe|@import|url\(|https?://", markup)
    specs = json.loads(re.search(r'<script type="application/json" id="chart-specs">(.*?)</script>', html, re.S).group(1))
    assert set(specs) == {"chart-timeline", "chart-weekly", "chart-network", "chart-map"}
    assert not [url for url in re.findall(r'"url"\s*:\s*"([^"]+)"', json.dumps(specs))]  # all data inline
    rows = report_data(report)
    assert len(rows["rows"]) == len(load_events(sample_run[1])) > 20 and "sentence" in rows["columns"]
    assert "1 cluster dated only to a year or vaguer" in html and not list(report.parent.glob(".*.tmp"))


def report_data(report) -> dict:
    """The events table the report carries: its columns and rows."""
    html = report.read_text(encoding="utf-8")
    return json.loads(re.search(r'<script type="application/json" id="event-rows">(.*?)</script>', html, re.S).group(1))


def test_report_of_a_folder_without_tables_is_an_error(tmp_path):
    result = subprocess.run([sys.executable, "-m", "pipeline", "report", str(tmp_path), "--out", str(tmp_path / "r.html")],
                            capture_output=True, text=True, cwd=ROOT)
    assert result.returncode == 2 and "no events table" in result.stderr and not (tmp_path / "r.html").exists()


CANVAS_INK = """() => [...document.querySelectorAll('.chart')].map((chart) => {
  const canvas = chart.querySelector('canvas');
  if (!canvas || !canvas.width || !canvas.height) return [chart.id, 0];
  const pixels = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
  let ink = 0;
  for (let i = 0; i < pixels.length; i += 4) if (pixels[i + 3] > 0 && pixels[i] + pixels[i + 1] + pixels[i + 2] < 700) ink++;
  return [chart.id, ink];
})"""


def table_column(page, index: int) -> list[str]:
    return page.eval_on_selector_all(f"#events tbody tr td:nth-child({index})", "cells => cells.map(c => c.textContent)")


def test_report_draws_and_its_table_sorts_and_searches_in_chromium(report, sample_run):
    from pipeline import load_events
    from pipeline.bench.report import browser_page, load_report

    events = load_events(sample_run[1])
    # the modality filter, tried on the rarest modality of the sample's events
    counts = events.modality.value_counts()  # a categorical column counts its absent categories too, as 0
    rare = events[events.modality == counts[counts > 0].index[-1]]
    every = f"{len(events)} of {len(events)} events"

    with browser_page(chromium_binary()) as page:
        requests = []
        page.on("request", lambda request: requests.append(request.url))
        load_report(page, report)
        ink = dict(page.evaluate(CANVAS_INK))
        assert set(ink) == {"chart-timeline", "chart-weekly", "chart-network", "chart-map"}
        assert all(count > 500 for count in ink.values()), ink  # every chart drew something
        assert page.locator("#event-count").text_content().startswith(every)
        page.click('#events th[data-column="date"]')
        dates = table_column(page, 1)
        assert dates == sorted(dates, key=str.lower) and dates[0].startswith("2018")
        page.click('#events th[data-column="date"]')
        assert table_column(page, 1)[0] == "undated"  # descending: 'undated' sorts after every ISO date
        page.fill("#event-search", "bolton")
        bolton = sum("bolton" in " ".join(map(str, row)).lower() for row in report_data(report)["rows"])
        assert bolton and page.locator("#event-count").text_content().startswith(f"{bolton} of {len(events)} events")
        assert all("bolton" in row.lower() for row in page.eval_on_selector_all("#events tbody tr", "rows => rows.map(r => r.textContent)"))
        page.fill("#event-search", "")
        page.select_option("#event-modality", rare.modality.iloc[0])
        assert sorted(table_column(page, 4)) == sorted(actor or "" for actor in rare.actor)
        # the evidence marks its trigger
        assert sorted(page.eval_on_selector_all("#events tbody mark", "marks => marks.map(m => m.textContent)")) == sorted(rare.trigger)
        errors = [text for kind, text in page.console if kind in ("error", "warning")]
        assert not errors, errors
        assert all(url.startswith(("file:", "data:", "blob:")) for url in requests), requests


def test_report_opens_in_under_two_seconds_with_10000_events(sample_run, tmp_path):
    from pipeline.bench.report import browser_page, load_report, synthetic_run
    from pipeline.report import write_report

    binary = chromium_binary()
    run = synthetic_run(sample_run[1], tmp_path / "run", 10_000)
    report = write_report(run, tmp_path / "report.html")
    with browser_page(binary) as page:
        times = [load_report(page, report) for _ in range(2)]  # the first load also warms the browser's caches
        assert page.locator("#event-count").text_content().startswith("10000 of 10000 events")
        assert not [text for kind, text in page.console if kind == "error"]
    assert min(times) < 2000, times
