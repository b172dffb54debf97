import json
import os
import re
import subprocess
import sys

import pipeline

from conftest import ROOT, SAMPLE


def cli(*args):
    return subprocess.run([sys.executable, "-m", "pipeline", *args], capture_output=True, text=True, cwd=ROOT)


def test_help_explains_every_option():
    result = cli("run", "--help")
    assert result.returncode == 0
    for option in ("--out", "--published", "--model", "--resources", "--batch-size", "--quiet"):
        assert option in result.stdout


def test_bad_input_is_reported_and_good_stories_are_written(tmp_path):
    wire = tmp_path / "wire.jsonl"
    wire.write_text(
        json.dumps({"id": "w1", "published": "2016-03-21", "text": "North Korea fired two ballistic missiles on Friday, South Korea's military said."})
        + "\n{broken\n",
        encoding="utf-8",
    )
    out = tmp_path / "out"
    result = cli("run", str(SAMPLE), str(wire), "--out", str(out))
    assert result.returncode == 1
    assert f"{wire}:2: invalid JSON" in result.stderr
    assert "11 stories" in result.stdout and "events" in result.stdout
    events = pipeline.load_events(out)
    wire_events = events[events.story_id == "w1"]
    assert list(wire_events.event_type) == ["missile_test"]
    assert str(wire_events.event_date.iloc[0].date()) == "2016-03-18"


def test_single_article_with_published_option(tmp_path):
    article = tmp_path / "article.txt"
    article.write_text("North Korea fires missiles\n\nNorth Korea fired two missiles early on Wednesday.\n", encoding="utf-8")
    out = tmp_path / "out"
    result = cli("run", str(article), "--out", str(out), "--published", "2019-07-31", "--quiet")
    assert result.returncode == 0, result.stderr
    stories = pipeline.load_stories(out)
    assert stories.headline.iloc[0] == "North Korea fires missiles"
    assert str(pipeline.load_events(out).event_date.iloc[0].date()) == "2019-07-31"
    assert cli("run", str(article), "--published", "31/07/2019").returncode == 2


def test_evaluate_prints_scores():
    result = cli("evaluate", "--gold", "data/gold/axios_north_korea_2019-08.json")
    assert result.returncode == 0, result.stderr
    assert "missile_test" in result.stdout and "date accuracy" in result.stdout and "PERSON" in result.stdout


def test_evaluate_scores_a_classifier_folder_it_is_given(tmp_path):
    """A refit written elsewhere (`python -m pipeline.training --out DIR`) is scored before it replaces the shipped one."""
    gold = "data/gold/axios_north_korea_2019-08.json"
    assert cli("evaluate", "--gold", gold, "--classifier", "models/event_classifier").stdout == cli("evaluate", "--gold", gold).stdout
    result = cli("evaluate", "--gold", gold, "--classifier", str(tmp_path))
    assert result.returncode == 1 and f"{tmp_path}: not a trained event classifier" in result.stderr


def test_evaluate_tells_how_far_each_figure_moved_since_a_saved_run(tmp_path):
    """`--save-counts` keeps each story's scored counts; `--against` then gives each figure's change with its 95%
    interval from those stories drawn again in both runs together: nothing moves against the same run, and the
    rules alone move F1 by the difference of the two printed figures, inside the interval."""
    gold, counts = "data/gold/axios_north_korea_2019-08.json", tmp_path / "counts.json"
    saved = cli("evaluate", "--gold", gold, "--save-counts", str(counts))
    assert saved.returncode == 0, saved.stderr
    assert len(json.loads(counts.read_text(encoding="utf-8"))["axios_north_korea_2019-08"]) == 10
    assert "f1 +0.000 (+0.000 to +0.000)" in cli("evaluate", "--gold", gold, "--against", str(counts)).stdout
    rules = cli("evaluate", "--gold", gold, "--selection", "rules", "--against", str(counts)).stdout

    def f1(output: str) -> float:
        return float(next(line for line in output.splitlines() if line.startswith("all events")).split()[-1])

    moved = re.search(r"f1 ([+-][0-9.]+) \(([+-][0-9.]+) to ([+-][0-9.]+)\)", rules)
    change, low, high = (float(moved.group(n)) for n in (1, 2, 3))
    assert change != 0 and abs(change - (f1(rules) - f1(saved.stdout))) <= 0.006 and low <= change <= high
    counts.write_text('{"axios_north_korea_2019-08": [1, 2]}', encoding="utf-8")
    broken = cli("evaluate", "--gold", gold, "--against", str(counts))
    assert broken.returncode == 1 and f"{counts}: not story counts as --save-counts writes them" in broken.stderr


def test_help_names_the_command_as_invoked(tmp_path):
    """The installed console script is `newsevents`; `python -m pipeline` names itself so."""
    assert cli("--help").stdout.startswith("usage: python -m pipeline ")
    script = tmp_path / "newsevents"  # what pip writes for [project.scripts]
    script.write_text("import sys\nfrom pipeline.cli import main\nsys.exit(main())\n", encoding="utf-8")
    result = subprocess.run([sys.executable, str(script), "report", "--help"], capture_output=True, text=True,
                            env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert result.returncode == 0 and result.stdout.startswith("usage: newsevents report ")
    for command in ("report", "export"):
        assert command in cli("--help").stdout
