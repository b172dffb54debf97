"""newsevents: news text to typed event tables.

    import pipeline
    summary = pipeline.run(["data/raw"], out="data/processed")
    events = pipeline.load_events("data/processed")
    events, clusters = pipeline.assign_clusters(events, pipeline.load_stories("data/processed"))
"""
from .clusters import assign_clusters
from .dates import normalize
from .extraction import build_nlp
from .runner import run
from .store import load_clusters, load_entities, load_events, load_problems, load_stories

__all__ = ["run", "build_nlp", "load_events", "load_stories", "load_entities", "load_problems", "load_clusters",
           "assign_clusters", "normalize"]
