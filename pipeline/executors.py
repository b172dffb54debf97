"""Where batches of stories are processed: in this process, in a pool of processes, or on a Dask cluster.

Each executor runs the same function, `extraction.extract_batch`, on the same batches and yields the results in
input order, with only a few batches in flight, so the tables written do not depend on how a run was spread and
memory does not grow with the input. The pipeline is built once per process: in a pool by the initializer, on Dask
by a worker plugin (`on_dask.py`); only `extraction.Settings` travel.
"""
from __future__ import annotations

import multiprocessing
from multiprocessing import forkserver
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from itertools import islice

from spacy.language import Language

from .extraction import BatchRows, Settings, extract_batch, nlp_for
from .records import Story

# Batches submitted ahead of the one being collected, per worker: enough to keep every worker busy while the
# parent writes, few enough that memory stays flat.
BATCHES_AHEAD_PER_WORKER = 2


def batched(stories: Iterable[Story], size: int) -> Iterator[list[Story]]:
    iterator = iter(stories)
    while batch := list(islice(iterator, size)):
        yield batch


def in_order(submit: Callable[[list[Story]], object], batches: Iterable[list[Story]], ahead: int) -> Iterator[BatchRows]:
    """Results of `submit(batch).result()` in the order of the batches, with at most `ahead` batches pending."""
    pending: deque = deque()
    for batch in batches:
        pending.append(submit(batch))
        if len(pending) >= ahead:
            yield pending.popleft().result()
    while pending:
        yield pending.popleft().result()


class InProcess:
    """Batches processed one after the other by this process's pipeline (`nlp`, or one built from the settings)."""

    def __init__(self, settings: Settings, nlp: Language | None = None):
        self.settings = settings
        self.nlp = nlp

    def map(self, batches: Iterable[list[Story]]) -> Iterator[BatchRows]:
        for batch in batches:
            yield extract_batch(batch, self.settings, self.nlp)

    def close(self) -> None:
        pass


def _load_pipeline(settings: Settings) -> None:
    nlp_for(settings)


def start_forkserver() -> None:
    """Worker processes are forked from a fork server that imported spaCy and the pipeline once, not from this
    process: forking a process whose other threads may hold a lock (a Dask event loop, a progress bar, a library's
    pool) can leave the child waiting on it forever, and spawning each worker afresh imports spaCy again (2.7 s of
    CPU a worker). The server is single-threaded; it is started here so that its imports are ours, not those of the
    first library to ask for it."""
    multiprocessing.set_forkserver_preload(["pipeline.extraction"])
    forkserver.ensure_running()


class ProcessPool:
    """Batches spread over `processes` worker processes, each loading the pipeline once, at start."""

    def __init__(self, settings: Settings, processes: int):
        start_forkserver()
        context = multiprocessing.get_context("forkserver")
        self.settings = settings
        self.processes = processes
        self.pool = ProcessPoolExecutor(processes, mp_context=context, initializer=_load_pipeline, initargs=(settings,))

    def map(self, batches: Iterable[list[Story]]) -> Iterator[BatchRows]:
        submit = lambda batch: self.pool.submit(extract_batch, batch, self.settings)  # noqa: E731
        return in_order(submit, batches, BATCHES_AHEAD_PER_WORKER * self.processes)

    def close(self) -> None:
        self.pool.shutdown(cancel_futures=True)


def executor_for(settings: Settings, processes: int = 1, dask: str | None = None, nlp: Language | None = None):
    """The executor a run asks for: Dask when given an address (or `local`), else a pool of `processes`, else this
    process."""
    if dask:
        from .on_dask import DaskExecutor  # distributed is imported only by runs that use it

        return DaskExecutor(settings, dask, workers=processes if processes > 1 else None)
    if processes > 1:
        return ProcessPool(settings, processes)
    return InProcess(settings, nlp)
