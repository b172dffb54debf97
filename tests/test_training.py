"""The trained event detector's fitted parts stay in step with the rules they sit on."""
import json
import shutil

from pipeline import training
from pipeline.resources import MODELS_DIR

from conftest import shared_path


def test_the_shipped_calibration_is_what_the_pipeline_as_it_is_gives(tmp_path):
    """`python -m pipeline.training --calibrate-only` on a copy of the shipped classifier writes the shipped
    calibration again: the events' confidences are calibrated for the rules as they are, not as they were when the
    map was learnt (a change to the rules that moves the tuning stories' events needs that command run again)."""
    corpora = shared_path("corpora")
    shipped = MODELS_DIR / "event_classifier"
    copy = shutil.copytree(shipped, tmp_path / "event_classifier")
    (copy / "calibration.json").unlink()
    assert training.main(["--calibrate-only", "--corpora", str(corpora), "--out", str(copy)]) == 0
    refit = json.loads((copy / "calibration.json").read_text(encoding="utf-8"))
    assert refit == json.loads((shipped / "calibration.json").read_text(encoding="utf-8"))
