"""Shared fixtures. Data from ../shared (the dev gold set, TempEval-3, PLOVER) is read in place and never
copied into the repository; tests that need it skip with the reason where it is absent, as on a user's machine."""
from __future__ import annotations

import os
from datetime import date
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "data" / "raw" / "axios_north_korea_2019-08.txt"
SAMPLE_GOLD = ROOT / "data" / "gold" / "axios_north_korea_2019-08.json"
SHARED = Path(os.environ.get("NEWSEVENTS_SHARED", ROOT.parent / "shared"))


def shared_path(*parts: str) -> Path:
    path = SHARED.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"{path} is absent (the shared development data sits beside the checkout only on developer and CI machines)")
    return path


@pytest.fixture(scope="session")
def nlp():
    from pipeline import build_nlp

    return build_nlp()


@pytest.fixture(scope="session")
def rules_nlp():
    """The pipeline with the trigger rules alone choosing events: what the components read off one sentence, before
    the trained classifier decides (its effect is measured on the held-out sets, test_evaluate.py)."""
    from pipeline import build_nlp

    return build_nlp(selection="rules")


@pytest.fixture(scope="session")
def extract(rules_nlp):
    """Events of one text, dated against `published`."""
    def run(text: str, published: date | None = None, story_id: str = "t"):
        doc = rules_nlp.make_doc(text)
        doc._.story_id = story_id
        doc._.published = published
        for _, component in rules_nlp.pipeline:
            doc = component(doc)
        return doc
    return run


@pytest.fixture(scope="session")
def sample_run(tmp_path_factory):
    from pipeline import run

    out = tmp_path_factory.mktemp("sample")
    summary = run([SAMPLE], out)
    return summary, out
