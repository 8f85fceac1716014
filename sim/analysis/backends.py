"""Where replications run: in this process, on a local process pool, or on Dask.

Why one small interface: Monte Carlo runs and variant sweeps only need "run this
function on these chunks and give the results back in order". Results are gathered
in submission order whatever finishes first, and every replication runs alone from
its own seed, so the numbers are bit for bit the same on every backend.

Work goes out in chunks (many replications a task) so a sweep of 100 variants x
1,000 replications makes a few thousand tasks, not a hundred thousand; at most
``window`` chunks are in flight at once, so neither the scheduler nor this process
holds every result at the same time. Only KPI dictionaries come back.
"""

from __future__ import annotations

import os
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from typing import Any, Literal, Protocol, TypeVar

from i18n import _

T = TypeVar("T")
R = TypeVar("R")
BackendName = Literal["serial", "process", "dask"]
BACKENDS: tuple[BackendName, ...] = ("serial", "process", "dask")


class Backend(Protocol):
    """Runs a function over items, yielding results in the items' order."""

    def map(self, fn: Callable[[T], R], items: Iterable[T]) -> Iterator[R]:
        """``fn`` of each item, in order, computed wherever the backend computes."""
        ...

    def close(self) -> None:
        """Release workers or the cluster connection."""
        ...


class SerialBackend:
    """Everything in this process: the reference the others must equal."""

    def map(self, fn: Callable[[T], R], items: Iterable[T]) -> Iterator[R]:
        """Compute in order, here."""
        return map(fn, items)

    def close(self) -> None:
        """Nothing to release."""


class _Windowed:
    """Submit at most ``window`` tasks ahead, yield results in submission order."""

    window: int

    def _submit(self, fn: Callable[[T], R], item: T) -> Any:
        raise NotImplementedError

    def _result(self, handle: Any) -> Any:
        raise NotImplementedError

    def _cancel(self, handle: Any) -> None:
        handle.cancel()

    def map(self, fn: Callable[[T], R], items: Iterable[T]) -> Iterator[R]:
        """Results in order, with a bounded number of tasks in flight.

        A caller that stops reading (closes the iterator, e.g. a staffing level whose
        verdict is decided) cancels the tasks not yet started.
        """
        pending: deque[Any] = deque()
        try:
            for item in items:
                pending.append(self._submit(fn, item))
                if len(pending) >= self.window:
                    yield self._result(pending.popleft())
            while pending:
                yield self._result(pending.popleft())
        finally:
            for handle in pending:
                self._cancel(handle)


class ProcessBackend(_Windowed):
    """A local pool of worker processes (the default)."""

    def __init__(self, workers: int | None = None) -> None:
        self.workers = max(1, workers or os.cpu_count() or 1)
        # One task waiting beyond one a worker: the pool starts it the moment a worker
        # frees. More in flight only costs a search that stops early (a staffing level
        # decided by its first miss): what was started runs on for nothing. Measured on
        # `drillsim staff`'s default search: 4 a worker, 6.5-6.8 s; this, 5.8-5.9 s.
        self.window = self.workers + 1
        self.pool = ProcessPoolExecutor(max_workers=self.workers)

    def _submit(self, fn: Callable[[T], R], item: T) -> Future[R]:
        return self.pool.submit(fn, item)

    def _result(self, handle: Future[R]) -> R:
        return handle.result()

    def close(self) -> None:
        """Stop the workers."""
        self.pool.shutdown(wait=True)


#: What a LocalCluster's workers do besides our tasks, turned down (bench/bench_backends.py
#: measures each): the statistical profiler samples every thread's stack 100 times a
#: second while holding the GIL the replication needs, and the memory and system monitors
#: poll psutil 10 and 2 times a second. A replication's memory is small and bounded (the
#: window), so nothing here needs them; a remote ``scheduler`` keeps its own config.
LOCAL_WORKER_CONFIG: dict[str, object] = {
    "distributed.worker.profile.enabled": False,
    "distributed.worker.memory.monitor-interval": "1s",
    "distributed.admin.system-monitor.interval": "5s",
}
#: Imported by each worker as it starts (in parallel), not by its first task: Dask spawns
#: fresh interpreters where the process pool forks this one, modules already loaded.
WORKER_PRELOAD = "sim.analysis.montecarlo"


class DaskBackend(_Windowed):
    """A Dask cluster: the one at ``scheduler``, or a LocalCluster started here."""

    def __init__(
        self, scheduler: str | None = None, workers: int | None = None, tuned: bool = True
    ) -> None:
        """``tuned=False`` keeps Dask's own worker defaults: bench/ measures against them."""
        try:
            import dask
            from dask.distributed import Client, LocalCluster
        except ImportError:
            raise RuntimeError(
                _("the dask backend needs the dask extra: pip install 'drillsim[dask]'")
            ) from None
        self.cluster = None
        if scheduler is None:
            n = max(1, workers or os.cpu_count() or 1)
            # The config is read when the nannies are built and shipped to the workers.
            with dask.config.set(LOCAL_WORKER_CONFIG if tuned else {}):
                self.cluster = LocalCluster(
                    n_workers=n,
                    threads_per_worker=1,
                    processes=True,
                    dashboard_address=None,
                    preload=[WORKER_PRELOAD] if tuned else [],
                )
            self.client = Client(self.cluster)
        else:
            self.client = Client(scheduler, timeout="30s")
        cores = sum(self.client.nthreads().values()) or 1
        self.window = 4 * cores

    def _submit(self, fn: Callable[[T], R], item: T) -> Any:
        # pure=False: two equal chunks are still two tasks (dask would otherwise merge them)
        return self.client.submit(fn, item, pure=False)

    def _result(self, handle: Any) -> Any:
        result = handle.result()
        handle.release()
        return result

    def close(self) -> None:
        """Close the client, and the cluster if this backend started it."""
        self.client.close()
        if self.cluster is not None:
            self.cluster.close()


def make_backend(
    name: BackendName = "process", workers: int | None = None, scheduler: str | None = None
) -> Backend:
    """The named backend; ``scheduler`` only for dask."""
    if name == "serial" or (name == "process" and workers == 1):
        return SerialBackend()
    if name == "process":
        return ProcessBackend(workers)
    if name == "dask":
        return DaskBackend(scheduler, workers)
    raise ValueError(
        _("unknown backend '{name}': use one of {names}").format(
            name=name, names=", ".join(BACKENDS)
        )
    )


def chunks(seq: list[T], size: int) -> list[list[T]]:
    """Consecutive pieces of at most ``size`` items."""
    size = max(1, size)
    return [seq[i : i + size] for i in range(0, len(seq), size)]
