"""Benchmark: the whole pipeline at N = 100, 300 and 1,000 SYNTHETIC reports (make bench-scale).

Prints figures; asserts nothing (a slow machine is not a failure). The corpus is
SYNTHETIC: the seeds' paragraphs recombined and altered by benchmarks/synthetic.py
(fixed random seed), written to a temporary folder, never mixed with real reports.

Each measurement runs in a new Python process with a new, empty cache folder, so
that nothing (memo, cache, loaded dictionaries) carries over unless it should:

- per N, every stage of the pipeline from raw files to every table: wall time,
  CPU time (this process and its worker processes), and the peak resident memory
  of all of them together (sampled every 20 ms);
- ratios measured in one run, at the largest N unless said otherwise:
  2 processes vs 1 (cleaning plus segmentation, uncached); a cached rerun vs the
  uncached run; LSH vs exact formulaic search (at N = 100: the exact search at
  1,000 reports is what LSH is for); jieba-rs vs jieba (through ``segment()``,
  and bare cutting); ``count_reports`` vs the same steps one by one; the whole
  pipeline vs bare ``jieba.lcut`` of the same text in one process (the anchor:
  what segmenting alone costs with the reference segmenter);
- a stages x N table, and from how many reports 2 processes pay for starting
  them (the evidence for ``helpers.parallel.PARALLEL_FROM``).

Usage:  make bench-scale      (or: .venv/bin/python benchmarks/scale.py [N ...])
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
SIZES = (100, 300, 1000)


# --------------------------------------------------------------------------
# Measuring one process tree
# --------------------------------------------------------------------------


class Meter:
    """Wall and CPU time of a stage, and the peak memory of this process plus its workers."""

    def __init__(self) -> None:
        import psutil

        self.process = psutil.Process()
        self.peak = 0
        self.stages: list[dict] = []
        self._stop = threading.Event()
        threading.Thread(target=self._sample, daemon=True).start()

    def _tree(self):
        return [self.process, *self.process.children(recursive=True)]

    def _rss(self) -> int:
        total = 0
        for proc in self._tree():
            with contextlib.suppress(Exception):  # a worker that just ended
                total += proc.memory_info().rss
        return total

    def _cpu(self) -> float:
        total = 0.0
        for proc in self._tree():
            with contextlib.suppress(Exception):  # a worker that just ended
                times = proc.cpu_times()
                total += times.user + times.system
        return total

    def _sample(self) -> None:
        while not self._stop.is_set():
            self.peak = max(self.peak, self._rss())
            time.sleep(0.02)

    def stage(self, name: str, function):
        cpu, wall = self._cpu(), time.perf_counter()
        result = function()
        self.stages.append(
            {
                "stage": name,
                "wall": time.perf_counter() - wall,
                "cpu": self._cpu() - cpu,
                "peak_mb": max(self.peak, self._rss()) / 2**20,
            }
        )
        return result


# --------------------------------------------------------------------------
# What runs in a child process
# --------------------------------------------------------------------------


def pipeline(folder: str, n_jobs: int | None) -> list[dict]:
    """Raw files to every table, as a research workflow runs it."""
    import helpers

    meter = Meter()
    reports = meter.stage("read", lambda: helpers.load_reports(folder, n_jobs=n_jobs))
    cleaned = meter.stage("clean", lambda: helpers.clean_reports(reports, n_jobs=n_jobs))
    meter.stage(
        "term frequencies",
        lambda: helpers.term_frequencies(cleaned, officialese=True, n_jobs=n_jobs),
    )
    matrix = meter.stage("dtm", lambda: helpers.dtm(cleaned, officialese=True, n_jobs=n_jobs))
    weights = meter.stage("tf-idf", lambda: helpers.tfidf(matrix))
    meter.stage("similarity (top 10)", lambda: helpers.similarity(weights, top_k=10))
    counts = meter.stage("dtm, untrimmed", lambda: helpers.dtm(cleaned, n_jobs=n_jobs))
    meter.stage("themes", lambda: helpers.theme_profile(counts))
    half = len(counts) // 2
    meter.stage(
        "keyness (half vs half)", lambda: helpers.keyness(counts.iloc[:half], counts.iloc[half:])
    )
    meter.stage("stated figures", lambda: helpers.indicator_table(cleaned, n_jobs=n_jobs))
    meter.stage("formulaic share", lambda: helpers.formulaic_share(cleaned, n_jobs=n_jobs))
    return meter.stages


def segmentation_only(folder: str, n_jobs: int, engine: str) -> list[dict]:
    """Cleaning and segmentation, uncached (for the processes ratio and the engines ratio)."""
    import helpers

    meter = Meter()
    reports = helpers.load_reports(folder, n_jobs=1)
    cleaned = meter.stage("clean", lambda: helpers.clean_reports(reports, n_jobs=n_jobs))
    meter.stage("segment", lambda: helpers.dtm(cleaned, n_jobs=n_jobs, engine=engine, cache=False))
    return meter.stages


def count_folder(folder: str) -> list[dict]:
    """helpers.count_reports: the one-pass pipeline a cluster runs, here on this machine's cores."""
    import helpers

    meter = Meter()
    meter.stage("count_reports", lambda: helpers.count_reports(folder, officialese=True))
    return meter.stages


def formulaic(folder: str, method: str) -> list[dict]:
    import helpers

    meter = Meter()
    cleaned = helpers.clean_reports(helpers.load_reports(folder))
    meter.stage(f"formulaic {method}", lambda: helpers.formulaic_share(cleaned, method=method))
    return meter.stages


def anchor(folder: str) -> list[dict]:
    """Bare jieba.lcut over the same text (each raw report), in this one process; and rjieba's."""
    import rjieba

    import helpers
    from helpers import segmentation

    texts = list(helpers.load_reports(folder)["text"])
    jieba = segmentation._import_jieba()
    jieba.initialize()
    rust = rjieba.Jieba()  # jieba-rs with its own dictionary, as jieba.lcut uses jieba's
    jieba.lcut("预热。"), rust.cut("预热。")
    meter = Meter()
    meter.stage("bare jieba.lcut", lambda: [jieba.lcut(text) for text in texts])
    meter.stage("bare rjieba cut", lambda: [rust.cut(text) for text in texts])
    return meter.stages


def child(kind: str, folder: str, *args: str) -> None:
    functions = {
        "pipeline": lambda: pipeline(folder, None),
        "segmentation": lambda: segmentation_only(folder, int(args[0]), args[1]),
        "formulaic": lambda: formulaic(folder, args[0]),
        "anchor": lambda: anchor(folder),
        "count": lambda: count_folder(folder),
    }
    print(json.dumps(functions[kind]()))


# --------------------------------------------------------------------------
# The parent: runs the children, prints the tables
# --------------------------------------------------------------------------


def run(kind: str, folder: Path, cache: Path, *args: str) -> list[dict]:
    env = os.environ | {"FAZHI_CACHE_DIR": str(cache), "FAZHI_PROGRESS": "0"}
    done = subprocess.run(
        [sys.executable, __file__, "--child", kind, str(folder), *args],
        capture_output=True, text=True, env=env, check=False,
    )  # fmt: skip
    if done.returncode:
        sys.exit(f"{kind} failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def total(stages: list[dict], key: str = "wall") -> float:
    return sum(stage[key] for stage in stages)


def stage(stages: list[dict], name: str) -> dict:
    return next(one for one in stages if one["stage"] == name)


def main(sizes: tuple[int, ...]) -> None:
    sys.path.insert(0, str(HERE))
    import synthetic

    scratch = Path(tempfile.mkdtemp(prefix="fazhi-bench-scale-"))
    print(f"SYNTHETIC corpora (benchmarks/synthetic.py) in {scratch}; {os.cpu_count()} cores\n")
    results: dict[int, dict] = {}
    try:
        for n in sizes:
            folder = synthetic.make_corpus(n, scratch / f"synthetic-{n}")
            cache = scratch / f"cache-{n}"
            uncached = run("pipeline", folder, cache)
            cached = run("pipeline", folder, cache)  # a rerun: same files, warm cache
            shutil.rmtree(cache)
            bare = run("anchor", folder, cache)
            results[n] = {"uncached": uncached, "cached": cached, "anchor": bare}
            print(f"N = {n:,} reports")
            print(f"  {'stage':<24}{'wall s':>9}{'CPU s':>9}{'peak MB':>10}{'cached wall s':>15}")
            for first, again in zip(uncached, cached, strict=True):
                print(
                    f"  {first['stage']:<24}{first['wall']:>9.2f}{first['cpu']:>9.2f}"
                    f"{first['peak_mb']:>10.0f}{again['wall']:>15.2f}"
                )
            peak = max(one["peak_mb"] for one in uncached)
            print(
                f"  {'whole pipeline':<24}{total(uncached):>9.2f}{total(uncached, 'cpu'):>9.2f}"
                f"{peak:>10.0f}{total(cached):>15.2f}"
            )
            anchor_stage = stage(bare, "bare jieba.lcut")
            print(
                f"  anchor, bare jieba.lcut of the same text, one process: "
                f"{anchor_stage['wall']:.2f} s wall, {anchor_stage['cpu']:.2f} s CPU\n"
            )

        print("Stages x N: wall seconds (CPU seconds), uncached")
        print(f"  {'stage':<24}" + "".join(f"{f'N = {n:,}':>18}" for n in sizes))
        for position, first in enumerate(results[sizes[0]]["uncached"]):
            at = [results[n]["uncached"][position] for n in sizes]
            cells = "".join(f"{one['wall']:>9.2f} ({one['cpu']:>5.2f})" for one in at)
            print(f"  {first['stage']:<24}{cells}")
        cells = "".join(
            f"{total(results[n]['uncached']):>9.2f} ({total(results[n]['uncached'], 'cpu'):>5.2f})"
            for n in sizes
        )
        print(f"  {'whole pipeline':<24}{cells}\n")

        n = sizes[-1]
        folder = scratch / f"synthetic-{n}"
        one = run("segmentation", folder, scratch / "cache-one", "1", "auto")
        two = run("segmentation", folder, scratch / "cache-two", "2", "auto")
        reference = run("segmentation", folder, scratch / "cache-jieba", "1", "jieba")
        counted = run("count", folder, scratch / "cache-count")
        small = scratch / f"synthetic-{sizes[0]}"
        exact = run("formulaic", small, scratch / "cache-exact", "exact")
        lsh = run("formulaic", small, scratch / "cache-lsh", "lsh")
        uncached, cached, bare = (results[n][k] for k in ("uncached", "cached", "anchor"))
        lcut, rust = stage(bare, "bare jieba.lcut"), stage(bare, "bare rjieba cut")
        steps = [
            stage(uncached, name)
            for name in ("read", "clean", "term frequencies", "stated figures")
        ]
        print(f"Ratios, measured in this run (N = {n:,} unless said otherwise)")
        rows = [
            ("whole pipeline, uncached ÷ bare jieba.lcut", uncached, [lcut], "wall <= 1.0"),
            ("cached rerun ÷ bare jieba.lcut", cached, [lcut], "wall <= 0.15"),
            ("cached rerun ÷ uncached run", cached, uncached, ""),
            ("clean + segment: 1 process ÷ 2 processes", one, two, "wall >= 1.7"),
            ("segment(): jieba ÷ jieba-rs (1 process)", reference[1:], one[1:], ""),
            ("bare cut: jieba.lcut ÷ jieba-rs", [lcut], [rust], ""),
            (f"formulaic, N = {sizes[0]}: exact ÷ MinHash + LSH", exact, lsh, ""),
            ("count_reports ÷ read, clean, count, figures", counted, steps, ""),
        ]
        print(f"  {'':<48}{'wall':>7}{'CPU':>7}")
        for label, top, bottom, target in rows:
            wall, cpu = total(top) / total(bottom), total(top, "cpu") / total(bottom, "cpu")
            note = f"target {target}" if target else ""
            print(f"  {label:<48}{wall:>7.2f}{cpu:>7.2f}   {note}")
        peak = max(one["peak_mb"] for one in uncached)
        label = "peak memory, whole pipeline (all processes)"
        print(f"  {label:<46}{peak:>6.0f} MB  target < 1536")
        label = "peak memory, count_reports (all processes)"
        print(f"  {label:<46}{counted[0]['peak_mb']:>6.0f} MB")
        print(f"  {'throughput, whole pipeline uncached':<46}{n / total(uncached):>6.1f} reports/s")
        per_report = total(uncached, "cpu") / n
        print(f"  {'CPU per report, whole pipeline uncached':<46}{per_report:>6.3f} s")
        print(f"  {'CPU per report, count_reports':<46}{total(counted, 'cpu') / n:>6.3f} s\n")

        print("When do 2 processes pay? clean + segment, uncached, pool start included (wall s)")
        print(f"  {'reports':>8}{'1 process':>12}{'2 processes':>14}{'1 / 2':>8}")
        for size in (10, 20, 40, 80, 160):
            corpus = synthetic.make_corpus(size, scratch / f"small-{size}")
            alone = run("segmentation", corpus, scratch / f"cache-small-{size}-1", "1", "auto")
            pair = run("segmentation", corpus, scratch / f"cache-small-{size}-2", "2", "auto")
            ratio = total(alone) / total(pair)
            print(f"  {size:>8}{total(alone):>12.2f}{total(pair):>14.2f}{ratio:>8.2f}")
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        child(*sys.argv[2:])
    else:
        main(tuple(int(a) for a in sys.argv[1:]) or SIZES)
