"""Throughput and peak memory as the input grows, one process against several, whole processes in the same run.

    python -m pipeline.bench.scale [--corpus ../shared/corpora/reuters2016.jsonl] [--sizes 300 1200 all]
                                   [--modes bare one processes dask] [--workers 2] [--repeat N]

For each size (the first N stories of the corpus), each mode runs as a fresh process over the same JSONL file:
`bare` is spaCy's model alone (every pipe, the same batch size), `one` the pipeline in one process, `processes`
with `--processes WORKERS`, `dask` on a LocalCluster of WORKERS workers. Prints words per second, the ratio to bare
spaCy and to one process, and the peak memory of the whole process tree (the sum over the run's processes,
sampled every 0.2 s), then how peak memory grew from the smallest size to the largest. With `--repeat N` the modes
run N times in turn and the fastest run of each counts (the one least disturbed by the rest of the machine). Run
it on a quiet machine: the figures are shares of the same cores.
"""
from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psutil

from ..extraction import DEFAULT_MODEL

BARE_SPACY = """
import json, sys, spacy
nlp = spacy.load(sys.argv[2])
texts = (json.loads(line)["text"] for line in open(sys.argv[1], encoding="utf-8"))
for _ in nlp.pipe(texts, batch_size=16):
    pass
"""


def _command(mode: str, source: Path, out: Path, workers: int, model: str) -> list[str]:
    if mode == "bare":
        return [sys.executable, "-c", BARE_SPACY, str(source), model]
    command = [sys.executable, "-m", "pipeline", "run", str(source), "--out", str(out), "--quiet", "--rebuild",
               "--model", model]
    if mode == "processes":
        command += ["--processes", str(workers)]
    elif mode == "dask":
        command += ["--dask", "local", "--processes", str(workers)]
    return command


def _tree_rss(process: psutil.Process) -> int:
    total = 0
    for member in [process, *process.children(recursive=True)]:
        try:
            total += member.memory_info().rss
        except psutil.NoSuchProcess:
            pass
    return total


def measure(command: list[str]) -> tuple[float, float]:
    """Seconds and peak MiB of the command's whole process tree."""
    started = time.perf_counter()
    child = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    watched = psutil.Process(child.pid)
    peak = 0
    while child.poll() is None:
        try:
            peak = max(peak, _tree_rss(watched))
        except psutil.NoSuchProcess:
            break
        time.sleep(0.2)
    seconds = time.perf_counter() - started
    if child.returncode not in (0, 1):  # 1: some story was skipped, as a run reports it; anything else failed
        raise RuntimeError(f"{' '.join(command[:4])} failed ({child.returncode}): {child.stderr.read()[-2000:]}")
    return seconds, peak / 2**20


def subset(corpus: Path, size: str, folder: Path) -> tuple[Path, int, int]:
    """The first `size` stories (all with 'all') as a JSONL file; its stories and words."""
    lines = corpus.read_text(encoding="utf-8").splitlines()
    lines = lines if size == "all" else lines[: int(size)]
    path = folder / f"stories-{size}.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path, len(lines), sum(len(json.loads(line)["text"].split()) for line in lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m pipeline.bench.scale", description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=Path, default=Path("../shared/corpora/reuters2016.jsonl"))
    parser.add_argument("--sizes", nargs="+", default=["300", "1200", "all"])
    parser.add_argument("--modes", nargs="+", default=["bare", "one", "processes", "dask"],
                        choices=["bare", "one", "processes", "dask"])
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--repeat", type=int, default=1, help="runs of each mode, in turn; the fastest counts")
    parser.add_argument("--model", default=DEFAULT_MODEL)
    args = parser.parse_args(argv)
    if not args.corpus.exists():
        print(f"error: {args.corpus}: no such corpus", file=sys.stderr)
        return 2
    peaks: dict[str, list[float]] = {}
    print(f"{'stories':>7} {'words':>9} {'mode':<18} {'words/s':>8} {'/bare':>6} {'/one':>6} {'peak MiB':>9}")
    with tempfile.TemporaryDirectory() as folder:
        for size in args.sizes:
            source, stories, words = subset(args.corpus, size, Path(folder))
            runs: dict[str, list[tuple[float, float]]] = {mode: [] for mode in args.modes}
            for _ in range(args.repeat):
                for mode in args.modes:
                    runs[mode].append(measure(_command(mode, source, Path(folder) / "out", args.workers, args.model)))
            rates = {mode: words / min(seconds for seconds, _ in found) for mode, found in runs.items()}
            for mode, found in runs.items():
                peak = max(peak for _, peak in found)
                peaks.setdefault(mode, []).append(peak)
                label = f"{mode} ({args.workers})" if mode in ("processes", "dask") else mode
                bare = f"{rates[mode] / rates['bare']:.2f}" if "bare" in rates else "-"
                one = f"{rates[mode] / rates['one']:.2f}" if "one" in rates else "-"
                print(f"{stories:>7} {words:>9,} {label:<18} {rates[mode]:>8,.0f} {bare:>6} {one:>6} {peak:>9,.0f}",
                      flush=True)
    for mode, values in peaks.items():
        if len(values) > 1:
            print(f"peak memory of {mode}: {values[-1] / values[0]:.2f}x from {args.sizes[0]} to {args.sizes[-1]} stories")
    return 0


if __name__ == "__main__":
    sys.exit(main())
