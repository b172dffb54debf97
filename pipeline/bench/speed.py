"""Speed and memory of the whole pipeline, against bare spaCy in the same run.

    python -m pipeline.bench.speed [INPUT ...] [--repeat N]

Prints words per second for bare spaCy (the same model, every pipe) and for the
full pipeline on the same stories, their ratio, the peak memory of this
process, how much of the pipeline's time the dates stage takes, and
`dates.normalize` calls per second on the input's date expressions.
Figures are noisy on shared machines: compare ratios, not absolute numbers.
"""
from __future__ import annotations

import argparse
import cProfile
import json
import pstats
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import spacy

from . import normalize_rates
from ..extraction import DEFAULT_MODEL, build_nlp, process
from ..segment import read_stories


def _words_per_second(seconds: float, words: int) -> float:
    return words / seconds if seconds else 0.0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m pipeline.bench.speed", description=__doc__.split("\n\n")[0])
    parser.add_argument("inputs", nargs="*", default=["data/raw"], help="files or folders (default: data/raw)")
    parser.add_argument("--repeat", type=int, default=20, help="passes over the input (default 20)")
    parser.add_argument("--model", default=DEFAULT_MODEL)
    args = parser.parse_args(argv)

    stories = list(read_stories(args.inputs, lambda problem: print(problem, file=sys.stderr)))
    stories = stories * args.repeat
    words = sum(story.word_count for story in stories)
    if not words:
        print("no stories to measure", file=sys.stderr)
        return 2

    bare = spacy.load(args.model)
    started = time.perf_counter()
    for _ in bare.pipe((story.text for story in stories), batch_size=16):
        pass
    bare_seconds = time.perf_counter() - started

    nlp = build_nlp(args.model)
    started = time.perf_counter()
    events = sum(len(doc._.events) for _, doc in process(nlp, stories, lambda problem: None))
    full_seconds = time.perf_counter() - started

    profiler = cProfile.Profile()
    profiler.enable()
    for _ in process(nlp, stories, lambda problem: None):
        pass
    profiler.disable()
    stats = pstats.Stats(profiler)
    profiled_total = sum(row[2] for row in stats.stats.values())
    dates_seconds = sum(
        row[3] for (path, _, name), row in stats.stats.items() if path.endswith("dates.py") and name == "normalize"
    )
    bare_rate, full_rate = _words_per_second(bare_seconds, words), _words_per_second(full_seconds, words)
    print(f"{len(stories)} stories, {words:,} words ({args.repeat} passes), {events} events")
    print(f"bare spaCy ({args.model}): {bare_rate:,.0f} words/s")
    print(f"full pipeline:             {full_rate:,.0f} words/s  (ratio to bare spaCy {full_rate / bare_rate:.2f})")
    print(f"dates stage: {100 * dates_seconds / profiled_total:.1f}% of pipeline time (cProfile, {dates_seconds:.3f} s of {profiled_total:.2f} s)")

    expressions = [(ent.text, story.published, ent.sent.text) for story, doc in process(nlp, stories[: len(stories) // args.repeat], lambda p: None)
                   for ent in doc.ents if ent.label_ in ("DATE", "TIME") and story.published]
    cold, warm = normalize_rates(expressions, 200)
    print(f"normalize: {cold:,.0f} calls/s first pass, {warm:,.0f} calls/s cached, on {len(expressions)} expressions of the input")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak memory of this benchmark: {peak:,.0f} MiB")
    originals = stories[: len(stories) // args.repeat]
    small, large = _streaming_peak(originals, args.repeat, args.model), _streaming_peak(originals, 5 * args.repeat, args.model)
    print(f"streaming run peak memory: {small:,.0f} MiB for {args.repeat}x the input, {large:,.0f} MiB for {5 * args.repeat}x")
    return 0


def _streaming_peak(stories, copies: int, model: str) -> float:
    """Peak memory of a whole `pipeline.run` over `copies` copies of the stories, as JSONL, in a fresh process."""
    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / "stories.jsonl"
        with source.open("w", encoding="utf-8") as handle:
            for copy in range(copies):
                for story in stories:
                    record = {"id": f"{story.story_id}#{copy}", "published": story.published.isoformat() if story.published else None, "text": story.text}
                    handle.write(json.dumps(record) + "\n")
        # VmHWM, not ru_maxrss: Linux hands a child its parent's ru_maxrss across fork and exec.
        code = (
            "import re, pipeline; "
            f"pipeline.run([{str(source)!r}], out={str(Path(folder) / 'out')!r}, model={model!r}); "
            "print(re.search(r'VmHWM:\\s+(\\d+)', open('/proc/self/status').read()).group(1))"
        )
        result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
        return int(result.stdout.split()[-1]) / 1024


if __name__ == "__main__":
    sys.exit(main())
