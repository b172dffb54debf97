"""newsevents: news text to typed event tables.

    import pipeline
    summary = pipeline.run(["data/raw"], out="data/processed")
    events = pipeline.load_events("data/processed")
"""
from .dates import normalize
from .extraction import build_nlp
from .runner import run
from .store import load_entities, load_events, load_problems, load_stories

__all__ = ["run", "build_nlp", "load_events", "load_stories", "load_entities", "load_problems", "normalize"]
