"""Command line: `python -m pipeline run ...` and `python -m pipeline evaluate ...`."""
from __future__ import annotations

import argparse
import sys
from datetime import date
from pathlib import Path

from .runner import DEFAULT_MODEL

DESCRIPTION = "Extract typed events (with actors, weapons, dates) from news text into Parquet tables."


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError as err:
        raise argparse.ArgumentTypeError(f"expected YYYY-MM-DD, got {text!r}") from err


def parser() -> argparse.ArgumentParser:
    main = argparse.ArgumentParser(prog="python -m pipeline", description=DESCRIPTION)
    commands = main.add_subparsers(dest="command", required=True)

    run = commands.add_parser(
        "run",
        help="run the pipeline on files or folders",
        description=(
            "Run the pipeline on INPUT files or folders and write stories.parquet, entities.parquet and "
            "events.parquet to --out. Inputs: .txt (an aggregated topic page with date lines such as "
            "'Aug 2, 2019 - World', or a single article) and .jsonl (one story a line: "
            '{"id": ..., "published": "YYYY-MM-DD", "headline": ..., "text": ...}). Folders are read recursively. '
            "Bad input is reported with its file and line and skipped; the good stories are still written, "
            "and the exit status is 1."
        ),
    )
    run.add_argument("inputs", nargs="+", metavar="INPUT", help="a .txt or .jsonl file, or a folder of them")
    run.add_argument("--out", default="data/processed", type=Path, help="output folder (default: data/processed)")
    run.add_argument("--published", type=_date, metavar="YYYY-MM-DD",
                     help="publication date of single articles that carry none of their own; without it their relative dates stay unresolved")
    run.add_argument("--model", default=DEFAULT_MODEL, help=f"spaCy English pipeline to load (default: {DEFAULT_MODEL}; en_core_web_sm works too)")
    run.add_argument("--resources", type=Path, help="folder of gazetteers, weapon patterns and trigger lexicon (default: the project's models/)")
    run.add_argument("--batch-size", type=int, default=16, help="stories per spaCy batch (default: 16)")
    run.add_argument("--quiet", action="store_true", help="no progress bar")

    evaluate = commands.add_parser(
        "evaluate",
        help="score the pipeline against gold stories",
        description="Print precision, recall and F1 per event type, date accuracy, and entity F1 per label against gold files in the dev-set format.",
    )
    evaluate.add_argument("--gold", nargs="+", required=True, type=Path, metavar="FILE", help="gold JSON file(s)")
    evaluate.add_argument("--model", default=DEFAULT_MODEL, help=f"spaCy English pipeline (default: {DEFAULT_MODEL})")
    evaluate.add_argument("--errors", action="store_true", help="list every miss, false event and wrong date")
    return main


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    if args.command == "run":
        from .runner import run

        summary = run(
            args.inputs, args.out, published=args.published, model=args.model, resources=args.resources,
            batch_size=args.batch_size, progress=not args.quiet and sys.stderr.isatty(),
        )
        for problem in summary.problems:
            print(f"error: {problem}", file=sys.stderr)
        print(summary.line())
        return 1 if summary.problems else 0
    from .evaluate import evaluate
    from .runner import build_nlp

    nlp = build_nlp(args.model)
    status = 0
    for path in args.gold:
        if not path.exists():
            print(f"error: {path}: no such gold file", file=sys.stderr)
            status = 1
            continue
        report = evaluate(path, nlp=nlp)
        print(report.text())
        if args.errors:
            for line in report.errors:
                print(f"  {line}")
    return status
