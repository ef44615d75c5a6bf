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

import os
import sys
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool

from .checks import check_int

__all__ = ["PARALLEL_FROM", "imap_reports", "map_reports", "resolve_n_jobs", "shutdown", "use_dask"]

#: With n_jobs=None, corpora of at least this many reports use every core. Below it,
#: starting processes costs more than it saves: cleaning and segmenting synthetic
#: reports of 15,500 characters on 2 cores, pool start included, 2 processes took
#: 1.11 times as long as 1 at 40 reports and 0.88 times at 80 (make bench-scale).
PARALLEL_FROM = 80
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
            f"use_dask takes a dask.distributed.Client (or None); got {type(client).__name__}."
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


_CACHING_MODULES = ("segmentation", "clean", "manifest", "indicators", "formulaic")


def _settings() -> tuple:
    """What a worker must share with the session that sends it work.

    The cache folder, and the fingerprints of the code that computes cached
    results: a worker started after the helpers' files were edited would run
    other code than the session that computes the cache keys.
    """
    import importlib

    from .cache import cache_dir, source_version

    fingerprints = {
        name: source_version(importlib.import_module(f"helpers.{name}"))
        for name in _CACHING_MODULES
    }
    return (cache_dir(), fingerprints)


def _run(task: tuple):
    """Run one report's work in a worker, with the settings of the session that sent it."""
    (folder, fingerprints), function, item = task
    import importlib

    from . import cache

    for name, expected in fingerprints.items():
        if cache.source_version(importlib.import_module(f"helpers.{name}")) != expected:
            raise RuntimeError(
                f"helpers/{name}.py changed after this session imported it, so a new worker "
                "would run other code than the session. Restart the kernel (or the script), "
                "or run helpers.parallel.shutdown() and import the helpers afresh."
            )
    if cache.cache_dir() != folder:
        cache.set_cache_dir(folder)
    return function(item)


_pool_now: dict[int, ProcessPoolExecutor] = {}  # at most one pool: {processes: pool}


def _start_method() -> str | None:
    """How worker processes start, or None when they cannot safely start here.

    "fork" (Linux) copies this process, dictionaries already loaded, and does not
    re-import your script; it is used only while this process runs one thread,
    because forking a process with threads (a notebook kernel has several) can
    deadlock. Otherwise workers start from a clean server process ("forkserver"),
    or from scratch ("spawn", Windows and macOS), and import the script that
    started them: a script without ``if __name__ == "__main__":`` around its
    work would run again in every worker, so then the work stays in one process.
    """
    import multiprocessing
    import threading

    methods = multiprocessing.get_all_start_methods()
    if "fork" in methods and sys.platform == "linux" and threading.active_count() == 1:
        return "fork"
    if _script_without_main_guard():
        return None
    return "forkserver" if "forkserver" in methods else "spawn"


def _script_without_main_guard() -> bool:
    """True when this process runs a script file whose code is not behind a main guard."""
    import re

    main = sys.modules.get("__main__")
    path = getattr(main, "__file__", None)
    if main is None or path is None or getattr(main, "__spec__", None) is not None:
        return False  # a notebook kernel, an interactive session, or python -m
    try:
        with open(path, encoding="utf-8") as f:
            source = f.read()
    except OSError:
        return True
    return re.search(r"""^if\s+__name__\s*==\s*["']__main__["']""", source, re.MULTILINE) is None


_warned = False


def _pool(processes: int) -> ProcessPoolExecutor | None:
    """The pool of worker processes, kept for the session (workers keep their dictionaries warm).

    One pool at a time: asking for another size shuts the first one down. None
    when workers cannot start safely here (see :func:`_start_method`).
    """
    import multiprocessing
    import warnings

    global _warned
    if processes in _pool_now:
        return _pool_now[processes]
    shutdown()  # its threads end with it, so the next pool may again fork safely
    method = _start_method()
    if method is None:
        if not _warned:
            _warned = True
            warnings.warn(
                "this script runs its work at the top level, so worker processes (which "
                "re-import it on this system) would run it again: working in one process. "
                'Put the script\'s work under `if __name__ == "__main__":` to use every core.',
                RuntimeWarning,
                stacklevel=4,
            )
        return None
    context = multiprocessing.get_context(method)
    if method == "forkserver":
        context.set_forkserver_preload(["helpers.segmentation", "helpers.clean"])
    _pool_now[processes] = ProcessPoolExecutor(max_workers=processes, mp_context=context)
    return _pool_now[processes]


def shutdown() -> None:
    """Stop the worker processes (they free their memory); the next corpus call starts new ones.

    Workers are kept between calls so that their dictionaries stay loaded; in a
    long notebook session, call this when the heavy work is done.
    """
    while _pool_now:
        _, pool = _pool_now.popitem()
        pool.shutdown(wait=True, cancel_futures=True)


def _forget_pool() -> None:
    """Drop a pool whose worker died (e.g. out of memory), so that the next call starts afresh."""
    while _pool_now:
        _, pool = _pool_now.popitem()
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
    pool = _pool(processes) if processes > 1 else None
    bar = None
    if progress:
        from tqdm.auto import tqdm

        bar = tqdm(total=len(items), desc=desc, unit="report", leave=False)
    try:
        if pool is None:
            for item in items:
                yield function(item)
                if bar is not None:
                    bar.update()
            return
        settings = _settings()
        tasks = ((settings, function, item) for item in items)
        chunk = max(1, min(32, len(items) // (processes * 8)))
        try:
            for result in pool.map(_run, tasks, chunksize=chunk):
                yield result
                if bar is not None:
                    bar.update()
        except BrokenProcessPool:
            _forget_pool()
            raise RuntimeError(
                "a worker process stopped abruptly (out of memory?). Try fewer processes "
                "(n_jobs=1) or a smaller corpus at a time."
            ) from None
    finally:
        if bar is not None:
            bar.close()
