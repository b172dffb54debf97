"""Batches on a Dask cluster: the same batch function as a local run (`executors.py`), on the cluster's workers.

`--dask local` starts a LocalCluster on this machine; `--dask tcp://HOST:PORT` uses a running scheduler (started by
dask-jobqueue, Dask Kubernetes, a cloud service, or `dask scheduler` and `dask worker` by hand). A worker needs this
package installed, with its spaCy model; the pipeline is built once per worker, when it joins.
"""
from __future__ import annotations

from collections.abc import Iterable, Iterator

import dask
from distributed import Client, LocalCluster
from distributed.diagnostics.plugin import WorkerPlugin

from .executors import BATCHES_AHEAD_PER_WORKER, in_order, start_forkserver
from .extraction import BatchRows, Settings, extract_batch, nlp_for
from .records import Story

# What the workers of a LocalCluster do besides our tasks, made rarer: the statistical profiler samples the task's
# stack every 10 ms (spaCy's stacks are deep), the memory and system monitors poll every 0.1 and 0.5 s. Measured on
# 100 Reuters stories, the workers' CPU beyond the tasks' own went from 6.0 s to 2.3 s, the scheduler's process's from
# 3.9 s to 2.1 s (of about 25 s of tasks).
# Dask starts its workers with MALLOC_TRIM_THRESHOLD_=65536, which also fixes glibc's mmap threshold at 128 KiB: each
# of the model's arrays is then mapped afresh and its pages faulted in (on 300 stories in one process: 2.65 million
# page faults against 0.12, 14.3 s of system time against 2.0, of 92). extract_batch trims the heap after each batch
# instead. And the workers are forked from the fork server of `executors.start_forkserver`, which has imported spaCy
# and the pipeline, rather than spawned to import them again (2.7 s of CPU each). A running cluster keeps its own
# settings.
LOCAL_WORKER_SETTINGS = {
    "distributed.worker.profile.enabled": False,
    "distributed.worker.memory.monitor-interval": "1s",
    "distributed.admin.system-monitor.interval": "2s",
    "distributed.nanny.pre-spawn-environ.MALLOC_TRIM_THRESHOLD_": None,
    "distributed.worker.multiprocessing-method": "forkserver",
}


class DaskExecutor:
    """Batches spread over the workers of a Dask cluster: `local` starts a LocalCluster of `workers` single-threaded
    worker processes on this machine; any other address (`tcp://HOST:PORT`) is a running scheduler, whose workers
    need this package (and its spaCy model) installed."""

    def __init__(self, settings: Settings, address: str, workers: int | None = None):
        self.settings = settings
        self.cluster = None
        if address == "local":
            start_forkserver()
            with dask.config.set(LOCAL_WORKER_SETTINGS):  # the nannies pass the settings to the workers they start
                self.cluster = LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                                            dashboard_address=None)
            self.client = Client(self.cluster)
        else:
            self.client = Client(address)
        self.client.register_plugin(PipelineOnWorker(settings))
        self.threads = max(1, sum(self.client.nthreads().values()))

    def map(self, batches: Iterable[list[Story]]) -> Iterator[BatchRows]:
        # pure=False: two identical batches are still two batches to process, never one cached result.
        submit = lambda batch: self.client.submit(extract_batch, batch, self.settings, pure=False)  # noqa: E731
        return in_order(submit, batches, BATCHES_AHEAD_PER_WORKER * self.threads)

    def close(self) -> None:
        self.client.close()
        if self.cluster is not None:
            self.cluster.close()


class PipelineOnWorker(WorkerPlugin):
    """Builds the pipeline once when a worker joins, so every task on it finds it loaded (`extraction.nlp_for`)."""

    name = "newsevents-pipeline"

    def __init__(self, settings: Settings):
        self.settings = settings

    def setup(self, worker) -> None:
        nlp_for(self.settings)
