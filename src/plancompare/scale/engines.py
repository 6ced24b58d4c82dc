"""The engines that run the batch's worker functions: in-process, a local process pool, or Dask."""

from __future__ import annotations

from typing import Any, Callable, Iterator

from ..errors import InputError


def _as_done(futs: list[Any], as_completed: Callable[[list[Any]], Iterator[Any]]) -> Iterator[dict[str, Any]]:
    """Each future's result as it completes (the executor's own ``as_completed``); the rest cancelled
    when the caller stops early (an error, Ctrl-C)."""
    try:
        for f in as_completed(futs):
            yield f.result()
    finally:
        for f in futs:
            f.cancel()


class _Inline:
    name = "local"

    def run(self, fn: Callable[[dict[str, Any]], dict[str, Any]], specs: list[dict[str, Any]]) -> Iterator[dict[str, Any]]:
        for s in specs:
            yield fn(s)

    def close(self) -> None:
        pass


class _Local:
    name = "local"

    def __init__(self, workers: int) -> None:
        import multiprocessing as mp
        from concurrent.futures import ProcessPoolExecutor

        # forkserver: workers do not inherit the main process's threads (a progress bar) or memory
        self.ex = ProcessPoolExecutor(max_workers=workers, mp_context=mp.get_context("forkserver"))

    def run(self, fn: Callable[[dict[str, Any]], dict[str, Any]], specs: list[dict[str, Any]]) -> Iterator[dict[str, Any]]:
        from concurrent.futures import as_completed

        yield from _as_done([self.ex.submit(fn, s) for s in specs], as_completed)

    def close(self) -> None:
        self.ex.shutdown(wait=True, cancel_futures=True)


class _Dask:
    name = "dask"

    def __init__(self, workers: int, scheduler: str | None) -> None:
        import logging

        try:
            from dask.distributed import Client, LocalCluster
        except ImportError as e:  # pragma: no cover
            raise InputError("--engine dask needs dask[distributed]: pip install 'dask[distributed]'") from e
        self.cluster = None
        if scheduler:
            try:
                self.client = Client(scheduler, timeout="20s")
            except (OSError, TimeoutError) as e:
                raise InputError(f"cannot reach the Dask scheduler at {scheduler}: {e}") from e
        else:
            self.cluster = LocalCluster(n_workers=workers, processes=True, threads_per_worker=1, dashboard_address=None, silence_logs=logging.ERROR)
            self.client = Client(self.cluster)

    def run(self, fn: Callable[[dict[str, Any]], dict[str, Any]], specs: list[dict[str, Any]]) -> Iterator[dict[str, Any]]:
        from dask.distributed import as_completed

        yield from _as_done(self.client.map(fn, specs, key=[f"{fn.__name__}-{s['chunk_id']}" for s in specs], pure=False), as_completed)

    def close(self) -> None:
        self.client.close()
        if self.cluster is not None:
            self.cluster.close()


def _engine(engine: str, workers: int, scheduler: str | None) -> Any:
    if engine == "dask":
        return _Dask(workers, scheduler)
    if engine != "local":
        raise InputError(f"unknown engine '{engine}': use local or dask")
    if scheduler:
        raise InputError("--scheduler needs --engine dask")
    return _Inline() if workers <= 1 else _Local(workers)
