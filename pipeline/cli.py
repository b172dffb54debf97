"""Command line: `python -m pipeline run|evaluate|corpus|report|export ...`, or `newsevents ...` where installed."""
from __future__ import annotations

import argparse
import json
import sys
from datetime import date
from pathlib import Path

from .extraction import DEFAULT_MODEL

DESCRIPTION = "Extract typed events (with actors, weapons, dates) from news text into Parquet tables."


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError as err:
        raise argparse.ArgumentTypeError(f"expected YYYY-MM-DD, got {text!r}") from err


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected a whole number of 1 or more, got {text!r}")
    return value


def program_name(argv0: str | None = None) -> str:
    """How the user ran us, for the help: `newsevents` (the installed console script) or `python -m pipeline`."""
    name = Path(argv0 if argv0 is not None else sys.argv[0]).name
    return "python -m pipeline" if name in ("__main__.py", "", "-c") else name


def parser() -> argparse.ArgumentParser:
    main = argparse.ArgumentParser(prog=program_name(), description=DESCRIPTION)
    commands = main.add_subparsers(dest="command", required=True)
    _add_run(commands)
    _add_evaluate(commands)
    _add_corpus(commands)
    _add_report(commands)
    _add_export(commands)
    return main


def _add_run(commands) -> None:
    run = commands.add_parser(
        "run",
        help="run the pipeline on files or folders",
        description=(
            "Run the pipeline on INPUT files or folders and write stories.parquet, entities.parquet, "
            "events.parquet and problems.parquet to --out. Inputs: .txt (an aggregated topic page with date lines "
            "such as 'Aug 2, 2019 - World', or a single article), .html/.htm (a web page's article) and .jsonl (one "
            'story a line: {"id": ..., "published": "YYYY-MM-DD", "headline": ..., "text": ...}), in any common '
            "encoding. Folders are read recursively. Each bad input or story is reported on one line "
            "('error: FILE:LINE: what is wrong and what was done') and listed in problems.parquet; the good stories "
            "are still written, and the exit status is 1 when anything was skipped. The tables in --out are replaced "
            "only by a run that read at least one story."
        ),
    )
    run.add_argument("inputs", nargs="+", metavar="INPUT", help="a .txt, .html or .jsonl file, or a folder of them")
    run.add_argument("--out", default="data/processed", type=Path, help="output folder (default: data/processed)")
    run.add_argument("--published", type=_date, metavar="YYYY-MM-DD",
                     help="publication date of single articles that carry none of their own; without it their relative dates stay unresolved")
    run.add_argument("--model", default=DEFAULT_MODEL, help=f"spaCy English pipeline to load (default: {DEFAULT_MODEL}; en_core_web_sm works too)")
    run.add_argument("--resources", type=Path, help="folder of gazetteers, weapon patterns and trigger lexicon (default: the project's models/)")
    run.add_argument("--batch-size", type=int, default=16, help="stories per spaCy batch (default: 16)")
    run.add_argument("--processes", type=_positive, default=1, metavar="N",
                     help="worker processes, each with its own copy of the model (default: 1, this process); with "
                          "--dask local, the number of Dask workers")
    run.add_argument("--dask", metavar="ADDRESS",
                     help="run the batches on Dask: 'local' starts a LocalCluster on this machine, tcp://HOST:PORT "
                          "uses a running scheduler (its workers need newsevents installed)")
    run.add_argument("--partition", choices=("month",),
                     help="write stories, entities and events as Hive-style datasets by publication year and month "
                          "(OUT/events/year=2019/month=08/...), one table to pandas, pyarrow and DuckDB")
    run.add_argument("--rebuild", action="store_true",
                     help="replace the tables in --out; without it, inputs already processed into them (same "
                          "content, by OUT/manifest.json) are skipped and new ones appended")
    run.add_argument("--quiet", action="store_true", help="no progress bar")


def _add_evaluate(commands) -> None:
    evaluate = commands.add_parser(
        "evaluate",
        help="score the pipeline against gold stories",
        description=(
            "Print precision, recall and F1 per event type, date and actor accuracy, entity F1 per label, and the "
            "B-cubed precision, recall and F1 of the cross-story event clusters where the set has cluster gold. Without "
            "--gold: the annotated corpus's train and test splits, ../shared/dev and the sample page, side by side. "
            "test and dev are held out: no error listing for them."
        ),
    )
    evaluate.add_argument("--gold", nargs="+", type=Path, metavar="FILE", help="gold JSON file(s) in the dev-set format instead")
    evaluate.add_argument("--model", default=DEFAULT_MODEL, help=f"spaCy English pipeline (default: {DEFAULT_MODEL})")
    evaluate.add_argument("--selection", choices=("rules", "model", "combined"),
                          help="how events are chosen (default: what the trained classifier's selection.json says)")
    evaluate.add_argument("--classifier", type=Path, default=None, metavar="DIR",
                          help="a trained event classifier's folder, e.g. one `python -m pipeline.training --out DIR` "
                               "wrote (default: the shipped models/event_classifier)")
    evaluate.add_argument("--compare", action="store_true", help="rules alone, the model alone and the two combined")
    evaluate.add_argument("--corpora", type=Path, default=None, metavar="DIR", help="the raw corpora (default: ../shared/corpora)")
    evaluate.add_argument("--errors", action="store_true", help="list every miss, false event and wrong date (not for test or dev)")
    evaluate.add_argument("--save-counts", type=Path, default=None, metavar="FILE",
                          help="write each story's scored counts, for a later run's --against")
    evaluate.add_argument("--against", type=Path, default=None, metavar="FILE",
                          help="how far each figure moved since the run that saved FILE, with 95%% intervals")


def _add_corpus(commands) -> None:
    corpus = commands.add_parser(
        "corpus",
        help="the annotated corpus: draw, skeleton, import, export",
        description=(
            "The project's annotated corpus keeps story ids, offsets and fields, never the texts, which stay in "
            "../shared/corpora. 'export' joins them again into train.json and test.json in the dev-set schema."
        ),
    )
    corpus.add_argument("--corpora", type=Path, default=None, metavar="DIR",
                        help="the raw corpora (default: ../shared/corpora beside the checkout, or $NEWSEVENTS_SHARED/corpora)")
    corpus_commands = corpus.add_subparsers(dest="corpus_command", required=True)
    draw = corpus_commands.add_parser("draw", help="rerun the seeded draw of data/gold/corpus/draw.json")
    draw.add_argument("--check", action="store_true", help="only check that the draw reproduces split.json")
    skeleton = corpus_commands.add_parser("skeleton", help="write unannotated stories in the dev-set schema, to annotate")
    skeleton.add_argument("ids", nargs="+", metavar="ID")
    skeleton.add_argument("--out", type=Path, required=True, metavar="FILE")
    imported = corpus_commands.add_parser("import", help="store filled-in gold files as offset annotations")
    imported.add_argument("files", nargs="+", type=Path, metavar="FILE")
    imported.add_argument("--second", action="store_true",
                          help="a second, independent annotation of train stories, kept apart to measure agreement")
    export = corpus_commands.add_parser("export", help="write DIR/train.json and DIR/test.json with their texts")
    export.add_argument("--out", type=Path, required=True, metavar="DIR")
    agreement = corpus_commands.add_parser(
        "agreement", help="score a second, independent annotation of the same stories against the first (default: "
                          "the corpus's second annotations against its own)")
    agreement.add_argument("files", nargs="*", type=Path, metavar="FIRST SECOND")
    candidates = corpus_commands.add_parser(
        "candidates", help="print groups of gold events of a split to read as possible cross-story clusters")
    candidates.add_argument("split", choices=("train", "test"))


def _add_report(commands) -> None:
    report = commands.add_parser(
        "report",
        help="write one self-contained HTML report of a run's tables",
        description=(
            "Write one HTML file that opens with no network: a timeline of event clusters at their dates' "
            "granularity, events per week by type, who acts on whom, a map of where events happened, and a "
            "sortable, searchable table of the events with their evidence sentences."
        ),
    )
    report.add_argument("out_dir", type=Path, metavar="OUT_DIR", help="the folder a run wrote its tables to")
    report.add_argument("--out", type=Path, default=Path("report.html"), metavar="FILE", help="the HTML file (default: report.html)")


def _add_export(commands) -> None:
    export = commands.add_parser(
        "export",
        help="write the events for other tools (PLOVER/POLECAT-style JSON lines)",
        description=(
            "Write one JSON object a line per event: PLOVER event type, mode and context, actor and recipient with "
            "ISO 3166 alpha-3 country codes, date and granularity, location, story id, cluster id, evidence and "
            "trigger offsets, and our modality and attributed source. Bare statements, which PLOVER does not code, "
            "are skipped and counted on stderr."
        ),
    )
    export.add_argument("out_dir", type=Path, metavar="OUT_DIR", help="the folder a run wrote its tables to")
    export.add_argument("--format", choices=("plover",), default="plover", help="record format (default: plover)")
    export.add_argument("--out", type=Path, required=True, metavar="FILE", help="the JSON lines file to write")


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    if args.command == "run":
        from .runner import run
        from .store import OutputError

        try:
            summary = run(
                args.inputs, args.out, published=args.published, model=args.model, resources=args.resources,
                batch_size=args.batch_size, progress=not args.quiet and sys.stderr.isatty(),
                processes=args.processes, dask=args.dask, partition=args.partition, rebuild=args.rebuild,
            )
        except OutputError as err:
            print(f"error: {err}; nothing was run", file=sys.stderr)
            return 2
        for problem in summary.problems:
            print(problem, file=sys.stderr)
        print(summary.line())
        return 1 if summary.errors or not (summary.written or summary.already_done) else 0
    if args.command == "corpus":
        return corpus_command(args)
    if args.command in ("report", "export"):
        return view_command(args)
    return evaluate_command(args)


def view_command(args: argparse.Namespace) -> int:
    """`report` and `export`: both read a run's tables and write one file."""
    if not any((args.out_dir / name).exists() for name in ("events.parquet", "events")):
        print(f"error: {args.out_dir}: no events table; give the folder a run wrote ({program_name()} run ... --out DIR)",
              file=sys.stderr)
        return 2
    if args.command == "report":
        from .report import write_report

        print(f"report -> {write_report(args.out_dir, args.out)}")
        return 0
    from .export import export_plover

    summary = export_plover(args.out_dir, args.out)
    if summary.skipped:
        print(summary.note(), file=sys.stderr)
    print(f"{summary.written} events -> {summary.path}")
    return 0


def evaluate_command(args: argparse.Namespace) -> int:
    from .evaluate import (HELD_OUT, changes_since, evaluate_stories, gold_sets, load_gold, load_story_counts,
                           save_story_counts, set_name, side_by_side)
    from .extraction import build_nlp

    if args.gold:
        missing = [path for path in args.gold if not path.exists()]
        for path in missing:
            print(f"error: {path}: no such gold file", file=sys.stderr)
        sets = {set_name(path): (load_gold(path), path) for path in args.gold if path.exists()}
    else:
        missing, sets = [], gold_sets(args.corpora)
    if not sets:
        print("error: no gold set to evaluate against", file=sys.stderr)
        return 1
    if args.classifier and not (args.classifier / "selection.json").exists():
        print(f"error: {args.classifier}: not a trained event classifier (no selection.json)", file=sys.stderr)
        return 1
    if args.compare and (args.save_counts or args.against):
        print("error: --save-counts and --against take one way of choosing events, not --compare", file=sys.stderr)
        return 1
    try:
        before = load_story_counts(args.against) if args.against else None
    except (OSError, ValueError) as error:
        print(f"error: {args.against}: {error}", file=sys.stderr)
        return 1
    for selection in (("rules", "model", "combined") if args.compare else (args.selection,)):
        nlp = build_nlp(args.model, selection=selection, classifier=args.classifier)
        reports = [evaluate_stories(name, stories, nlp, path) for name, (stories, path) in sets.items()]
        if selection:
            print(f"== events chosen by: {selection}")
        print(side_by_side(reports))
        if before is not None:
            print(changes_since(before, reports, args.against))
        if args.save_counts:
            print(f"story counts -> {save_story_counts(reports, args.save_counts)}")
        if args.errors:
            for report in reports:
                if report.name in HELD_OUT:
                    print(f"(no error listing for {report.name}: it is held out)")
                    continue
                print(f"== errors on {report.name}")
                for line in report.errors:
                    print(f"  {line}")
    return 1 if missing else 0


def corpus_command(args: argparse.Namespace) -> int:
    from . import corpus

    corpora = args.corpora or corpus.default_corpora_dir()
    try:
        if args.corpus_command == "draw":
            rows = corpus.draw_from_config(corpora)
            if args.check:
                same = rows == list(corpus.load_split().values())
                print("the draw reproduces split.json" if same else "error: the draw no longer reproduces split.json")
                return 0 if same else 1
            corpus.save_split(rows)
            print(f"{len(rows)} stories drawn -> {corpus.SPLIT_FILE}")
        elif args.corpus_command == "skeleton":
            split = corpus.load_split()
            stories = corpus.corpus_stories(corpora, args.ids, split)
            rows = [corpus.skeleton(stories[i], split[i]["corpus"]) for i in args.ids]
            args.out.write_text(json.dumps(rows, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
            print(f"{len(rows)} stories -> {args.out}")
        elif args.corpus_command == "import":
            into = corpus.SECOND_ANNOTATIONS if args.second else corpus.ANNOTATIONS
            ids = corpus.import_gold(args.files, corpora, into)
            print(f"{len(ids)} stories imported -> {into}")
        elif args.corpus_command == "agreement":
            return agreement_command(args.files, corpora)
        elif args.corpus_command == "candidates":
            print_cluster_candidates(corpus.gold_splits(corpora)[args.split], corpus.cluster_candidates)
        else:
            counts = corpus.export(args.out, corpora)
            print(", ".join(f"{name}: {count} stories" for name, count in counts.items()) + f" -> {args.out}")
    except corpus.CorpusError as err:
        print(f"error: {err}", file=sys.stderr)
        return 1
    return 0


def agreement_command(files: list[Path], corpora: Path) -> int:
    from . import corpus
    from .evaluate import agreement, load_gold

    if len(files) not in (0, 2):
        print("error: give two gold files (the first annotation, then the second) or none", file=sys.stderr)
        return 2
    first, second = (load_gold(files[0]), load_gold(files[1])) if files else corpus.annotation_pairs(corpora)
    print(f"{len(first)} stories annotated twice")
    print(agreement(first, second).text())
    return 0


def print_cluster_candidates(stories: list[dict], find_candidates) -> None:
    """Each group of candidate events with what to decide them on (to the terminal only: texts stay out of the
    repository)."""
    by_id = {story["id"]: story for story in stories}
    for group in find_candidates(stories):
        print(f"-- {len(group)} events")
        for story_id, index in group:
            event = by_id[story_id]["events"][index]
            print(f"  [{json.dumps(story_id)}, {index}] {event['type']} {event['date']} actor={event['actor']} "
                  f"target={event['target']} location={event['location']} | {event['evidence']}")

