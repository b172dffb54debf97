"""Quality floors: no lower than what the pipeline reaches (see the README for the figures)."""
import pytest

from pipeline.evaluate import evaluate

from conftest import SAMPLE_GOLD, shared_path


@pytest.fixture(scope="module")
def sample_report(nlp):
    return evaluate(SAMPLE_GOLD, nlp=nlp)


@pytest.fixture(scope="module")
def dev_report(nlp):
    return evaluate(shared_path("dev", "gold.json"), nlp=nlp)


def test_sample_segmentation_is_exact(sample_report):
    assert all(right == total == 10 for right, total in sample_report.segmentation.values()), sample_report.segmentation


def test_sample_page_floors(sample_report):
    total = sample_report.event_total
    assert total.f1 >= 0.96 and total.precision >= 1.0 and total.recall >= 0.92, sample_report.text()
    for event_type in ("missile_test", "weapons_test"):
        assert sample_report.events[event_type].f1 == 1.0, event_type
    assert sample_report.events["meeting"].recall >= 0.83
    assert sample_report.date_accuracy >= 0.91
    assert sample_report.entity_total.f1 >= 0.97


def test_dev_set_floors(dev_report):
    """50 real stories the rules were not written on."""
    total = dev_report.event_total
    assert total.f1 >= 0.61 and total.recall >= 0.68, dev_report.text()
    assert dev_report.date_accuracy >= 0.86
    assert dev_report.events["missile_test"].f1 >= 0.8
    assert dev_report.entity_total.f1 >= 0.87
    assert dev_report.entities["COUNTRY"].f1 >= 0.93
