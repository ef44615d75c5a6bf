"""Benchmark: helpers.segment against bare jieba on the same text.

Prints figures; asserts nothing (a slow machine is not a failure).
Text: the five cleaned seed reports, repeated until the text is about 1 MB of
UTF-8. Measured, each on the same text:

- bare ``jieba.lcut`` (precise mode, dictionary already loaded);
- ``helpers.segment`` with an empty cache (segmenting + filtering + writing
  the cache file);
- ``helpers.segment`` again with the cache on disk only (a new session);
- ``helpers.segment`` again with the cache in memory (same session).

Usage:  make bench     (or: .venv/bin/python benchmarks/segment.py)
"""

from __future__ import annotations

import shutil
import tempfile
import time
import tracemalloc
from pathlib import Path

import helpers
from helpers import cache
from helpers import segmentation as seg

ROOT = Path(__file__).resolve().parent.parent


def measure(label: str, function, prepare=lambda: None, repeat: int = 3) -> float:
    """Best wall time of ``repeat`` runs, then one more run under tracemalloc for memory.

    Timing and memory are separate runs: tracemalloc slows Python code down.
    ``prepare`` runs before each run, outside the timing (e.g. emptying the cache).
    """
    best = float("inf")
    for _ in range(repeat):
        prepare()
        start = time.perf_counter()
        function()
        best = min(best, time.perf_counter() - start)
    prepare()
    tracemalloc.start()
    function()
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    print(f"{label:<40} {best:8.3f} s   peak Python memory {peak / 2**20:6.1f} MiB")
    return best


def main() -> None:
    helpers.set_cache_dir(tempfile.mkdtemp(prefix="fazhi-bench-"))  # an empty cache of its own
    reports = helpers.clean_reports(helpers.load_reports(ROOT / "seeds"))
    corpus = "\n".join(reports["clean"])
    copies = -(-1_000_000 // len(corpus.encode("utf-8")))
    text = "\n".join([corpus] * copies)
    print(
        f"text: {len(text):,} characters, {len(text.encode('utf-8')):,} bytes UTF-8 "
        f"({copies} copies of the five cleaned reports)"
    )

    jieba = seg._import_jieba()
    jieba.initialize()
    seg.tokenizer(True)  # load dictionaries outside the timings
    jieba.lcut("预热。")

    def forget_memory() -> None:  # a new session: the cache file is on disk only
        for memo in cache.Memo._all:
            memo.clear()

    bare = measure("bare jieba.lcut", lambda: jieba.lcut(text))
    uncached = measure(
        "helpers.segment, empty cache", lambda: helpers.segment(text), helpers.clear_cache
    )
    on_disk = measure(
        "helpers.segment, cache on disk", lambda: helpers.segment(text), forget_memory
    )
    in_memory = measure("helpers.segment, cache in memory", lambda: helpers.segment(text))

    chars = len(text)
    print()
    print(
        f"throughput: bare jieba {chars / bare / 1000:,.0f}k chars/s; "
        f"helpers.segment uncached {chars / uncached / 1000:,.0f}k chars/s"
    )
    print(f"uncached / bare jieba:           {uncached / bare:5.2f}x   (target <= 1.2x)")
    print(f"speed-up, cache on disk:         {uncached / on_disk:5.1f}x   (target >= 20x)")
    print(f"speed-up, cache in memory:       {uncached / in_memory:5.1f}x")
    folder = cache.cache_dir()
    helpers.clear_cache()
    shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
