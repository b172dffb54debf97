"""Benchmarks that print figures: `timeml` (date accuracy against TimeML gold), `meantime`, `speed` (throughput
and memory) and `normalize_speed` (`dates.normalize` on fresh expressions)."""
from __future__ import annotations

import time
from collections.abc import Sequence
from datetime import date

from .. import dates


def normalize_rates(calls: Sequence[tuple[str, date, str]], repeat: int) -> tuple[float, float]:
    """`dates.normalize` calls per second on (expression, anchor, sentence): first pass from an empty cache, then `repeat` passes."""
    dates._normalize.cache_clear()
    started = time.perf_counter()
    for text, anchor, sentence in calls:
        dates.normalize(text, anchor, sentence)
    cold = len(calls) / (time.perf_counter() - started)
    started = time.perf_counter()
    for _ in range(repeat):
        for text, anchor, sentence in calls:
            dates.normalize(text, anchor, sentence)
    warm = repeat * len(calls) / (time.perf_counter() - started)
    return cold, warm
