"""Corpus-scale work: the same per-report function over many reports, on every core or a cluster.

Every helper that does work per report (cleaning, segmentation and counting,
theme profiles, stated figures) takes ``n_jobs`` and hands the reports to
:func:`map_reports`:

- ``n_jobs=None`` (the default): every core when the corpus is large enough to
  pay for starting processes (:data:`PARALLEL_FROM` reports), one otherwise;
- ``n_jobs=1``: in this process; ``n_jobs=k``: k processes; ``n_jobs=-1``: every core.

The results are the same, in the same order, whichever way they were computed:
each report's work is a pure function of its text and options.

**Beyond one machine.** After ``helpers.use_dask(client)`` the same functions
send their per-report work to a Dask cluster (``client`` is a
``dask.distributed.Client``; see ``docs/scale.md``); ``helpers.use_dask(None)``
comes back to local processes.

**Progress.** A progress bar (tqdm) shows on long work in an interactive
terminal or notebook session, never in CI logs or when ``FAZHI_PROGRESS=0``;
notebooks run by nbval or papermill set that, so no bar enters stored outputs.
"""

from __future__ import annotations

import functools
import os
import sys
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool

from .checks import check_int

__all__ = ["PARALLEL_FROM", "imap_reports", "map_reports", "resolve_n_jobs", "use_dask"]

#: With n_jobs=None, corpora of at least this many reports use every core. Below it,
#: starting processes costs more than it saves (measured by benchmarks/scale.py).
PARALLEL_FROM = 40
#: Work on at least this many reports shows a progress bar (in an interactive session).
PROGRESS_FROM = 200

_client = None  # a dask.distributed.Client, after use_dask(client)


def use_dask(client=None):
    """Send per-report work to a Dask cluster from now on; ``None`` goes back to local processes.

    ``client`` is a ``dask.distributed.Client`` (for a laptop, ``Client(LocalCluster())``;
    for a scheduler on an HPC system, see ``docs/scale.md``). Each report's work
    (reading, cleaning, segmenting, counting) then runs on a worker, and only its
    result comes back. Returns the previous client (or None).
    """
    global _client
    if client is not None and not (hasattr(client, "map") and hasattr(client, "gather")):
        raise TypeError(
            "use_dask takes a dask.distributed.Client (or None); "
            f"got {type(client).__name__}."
        )
    previous, _client = _client, client
    return previous


def _cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # macOS, Windows
        return os.cpu_count() or 1


def resolve_n_jobs(n_jobs: int | None, n_items: int) -> int:
    """How many processes to use for ``n_items`` reports (see the module's docstring).

    Example:
        >>> resolve_n_jobs(1, 1000), resolve_n_jobs(None, 3)
        (1, 1)
    """
    if n_jobs is None:
        return _cores() if n_items >= PARALLEL_FROM else 1
    n_jobs = check_int("n_jobs", n_jobs, low=-1)
    if n_jobs == 0:
        raise ValueError(
            "n_jobs must be None, -1 (every core) or a number of processes >= 1; got 0."
        )
    return max(1, min(_cores() if n_jobs == -1 else n_jobs, n_items or 1))


def _show_progress(n_items: int) -> bool:
    if n_items < PROGRESS_FROM or os.environ.get("CI") or os.environ.get("FAZHI_PROGRESS") == "0":
        return False
    return sys.stderr.isatty() or "ipykernel" in sys.modules


def _settings() -> tuple:
    """The session's settings a worker process must share (today: the cache folder)."""
    from .cache import cache_dir

    return (cache_dir(),)


def _run(task: tuple):
    """Run one report's work in a worker, with the settings of the session that sent it."""
    (folder,), function, item = task
    from . import cache

    if cache.cache_dir() != folder:
        cache.set_cache_dir(folder)
    return function(item)


_pools: dict[int, ProcessPoolExecutor] = {}


@functools.cache  # decided once per session, so that all pools start their workers alike
def _start_method() -> str:
    """How worker processes start.

    "fork" (Linux) copies this process, dictionaries already loaded, and does not
    re-import your script; it is used only while this process runs one thread,
    because forking a process with threads (a notebook kernel has several) can
    deadlock. Otherwise workers start from a clean server process ("forkserver"),
    or from scratch ("spawn", Windows), and import the helpers themselves.
    """
    import multiprocessing
    import threading

    methods = multiprocessing.get_all_start_methods()
    if "fork" in methods and sys.platform == "linux" and threading.active_count() == 1:
        return "fork"
    return "forkserver" if "forkserver" in methods else "spawn"


def _pool(processes: int) -> ProcessPoolExecutor:
    """A pool of worker processes, kept for the session (workers keep their dictionaries warm)."""
    import multiprocessing

    if processes not in _pools:
        method = _start_method()
        context = multiprocessing.get_context(method)
        if method == "forkserver":
            context.set_forkserver_preload(["helpers.segmentation", "helpers.clean"])
        _pools[processes] = ProcessPoolExecutor(max_workers=processes, mp_context=context)
    return _pools[processes]


def _forget_pool(processes: int) -> None:
    """Drop a pool whose worker died (e.g. out of memory), so that the next call starts afresh."""
    pool = _pools.pop(processes, None)
    if pool is not None:
        pool.shutdown(wait=False, cancel_futures=True)


def map_reports(
    function: Callable,
    items: Sequence,
    *,
    n_jobs: int | None = None,
    desc: str = "reports",
) -> list:
    """``[function(item) for item in items]``, on one core, several, or a Dask cluster.

    ``function`` must be a module-level function (so that other processes can
    load it) and pure: the result depends on the item alone. Order is kept.

    Example:
        >>> map_reports(len, ["甲乙", "丙"], n_jobs=1)
        [2, 1]
    """
    return list(imap_reports(function, items, n_jobs=n_jobs, desc=desc))


def imap_reports(
    function: Callable,
    items: Sequence,
    *,
    n_jobs: int | None = None,
    desc: str = "reports",
) -> Iterator:
    """Like :func:`map_reports`, but yields each result as soon as it is there, in order.

    A caller that folds the results as they come (adding up counts) never holds
    them all at once.
    """
    items = list(items)
    progress = _show_progress(len(items))
    if _client is not None:
        tasks = [(_settings(), function, item) for item in items]
        futures = _client.map(_run, tasks, pure=False)
        if progress:
            from dask.distributed import progress as dask_progress

            dask_progress(futures)
        for future in futures:
            yield future.result()
        return
    processes = resolve_n_jobs(n_jobs, len(items))
    bar = None
    if progress:
        from tqdm.auto import tqdm

        bar = tqdm(total=len(items), desc=desc, unit="report", leave=False)
    try:
        if processes == 1:
            for item in items:
                yield function(item)
                if bar is not None:
                    bar.update()
            return
        settings = _settings()
        tasks = ((settings, function, item) for item in items)
        chunk = max(1, min(16, len(items) // (processes * 8)))
        try:
            for result in _pool(processes).map(_run, tasks, chunksize=chunk):
                yield result
                if bar is not None:
                    bar.update()
        except BrokenProcessPool:
            _forget_pool(processes)
            raise RuntimeError(
                "a worker process stopped abruptly (out of memory?). Try fewer processes "
                "(n_jobs=1) or a smaller corpus at a time."
            ) from None
    finally:
        if bar is not None:
            bar.close()
