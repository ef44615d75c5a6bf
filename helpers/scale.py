"""At scale: a whole folder of reports to counts, with the text never leaving the workers.

For a few hundred reports, the notebooks' way is best: load the corpus table,
clean it, count (every corpus function takes ``n_jobs``). For tens of thousands
(every county report since 2015 is about 25,000 reports, 400 million characters),
holding every text in one table is the bottleneck. :func:`count_reports` sends
each file's whole pipeline to a worker process, or to a Dask cluster after
``helpers.use_dask(client)``:

    read → clean → segment → count words, and the figures the report states

and brings back only the counts and a few numbers per report. The results are
the same as the step-by-step functions give (``tests/test_scale.py`` checks it).
``docs/scale.md`` explains how to run it on a cluster, and what it costs.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from .checks import check_int
from .clean import _cleaned
from .corpus import DEFAULT_MAX_BYTES, PROBLEM_COLUMNS, corpus_table, read_report, survey_folder
from .errors import ReportError, shown
from .indicators import INDICATORS, _cached_figures
from .manifest import infer_metadata
from .parallel import map_reports
from .segmentation import check_options, segment

__all__ = ["CorpusCounts", "count_reports"]


@dataclass(frozen=True)
class _Counted:
    """What a worker sends back for one report: everything but its text."""

    sha256: str
    format: str
    encoding: str | None
    newline: str
    n_bytes: int
    chars: int
    inferred: dict
    flags: str
    words: Counter
    figures: dict  # indicator -> the first value the report states


def _count_one(task: tuple[Path, int, dict]) -> _Counted | str:
    """One report's whole pipeline, in any process or on a cluster worker."""
    path, max_bytes, options = task
    try:
        report = read_report(path, max_bytes=max_bytes)
    except ReportError as err:
        return str(err).removeprefix(shown(path) + ": ")
    clean, meta, _ = _cleaned(report.text)
    figures: dict[str, float] = {}
    for row in _cached_figures(clean):
        figures.setdefault(row["indicator"], row["value"])
    return _Counted(
        sha256=report.sha256,
        format=report.format,
        encoding=report.encoding,
        newline=report.newline,
        n_bytes=report.n_bytes,
        chars=report.chars,
        inferred=infer_metadata(report.text),
        flags="; ".join(meta["flags"]),
        words=Counter(segment(clean, **options)),
        figures=figures,
    )


@dataclass(frozen=True)
class CorpusCounts:
    """What :func:`count_reports` found.

    - ``reports``: the corpus table without the texts (manifest columns, format,
      encoding, bytes, chars, source, flags, and ``words``: the report's word count);
    - ``dtm``: report × term counts, sparse-backed, indexed by ``id``, as
      :func:`helpers.dtm` gives them (no min_df/max_df trimming);
    - ``indicators``: report × indicator, as :func:`helpers.indicator_table`;
    - ``problems``: the refused or questionable files, as ``load_reports(errors="collect")``.
    """

    reports: pd.DataFrame
    dtm: pd.DataFrame
    indicators: pd.DataFrame
    problems: pd.DataFrame

    def __repr__(self) -> str:
        return (
            f"CorpusCounts({len(self.reports):,} reports, {self.dtm.shape[1]:,} terms, "
            f"{len(self.problems)} problems)"
        )


def count_reports(
    folder,
    *,
    manifest: str | Path | None = "manifest.csv",
    formats=None,
    max_bytes: int = DEFAULT_MAX_BYTES,
    n_jobs: int | None = None,
    **segment_options,
) -> CorpusCounts:
    """Read, clean, segment and count every report of ``folder``, one worker task per file.

    The folder is read by the rules of :func:`helpers.load_reports` (the same
    manifest checks, ids and problems; refusals are collected, never raised).
    ``n_jobs`` as everywhere (:mod:`helpers.parallel`); after
    ``helpers.use_dask(client)`` the tasks run on the cluster, whose workers
    must see the same folder path (a shared file system). Segmentation options
    as in :func:`helpers.segment`.
    """
    from scipy import sparse

    check_int("max_bytes", max_bytes, low=1)
    check_options(segment_options)
    problems: list[dict] = []

    def problem(file: str, reason: str, *, loaded: bool) -> None:
        problems.append({"file": file, "reason": reason, "loaded": loaded})

    survey = survey_folder(folder, manifest=manifest, formats=formats, problem=problem)
    tasks = [(path, max_bytes, segment_options) for path in survey.readable]
    counted = map_reports(_count_one, tasks, n_jobs=n_jobs, desc="counting")
    kept = []
    for path, found in zip(survey.readable, counted, strict=True):
        meta = survey.metadata(path, found, problem)
        if meta is not None:
            kept.append((meta, found))
    kept.sort(key=lambda pair: pair[0]["file"])
    rows = [
        meta
        | {
            "sha256": found.sha256,
            "format": found.format,
            "encoding": found.encoding or "",
            "newline": found.newline,
            "bytes": found.n_bytes,
            "chars": found.chars,
            "text": "",
        }
        for meta, found in kept
    ]
    reports = corpus_table(rows).drop(columns="text")
    reports["flags"] = [found.flags for _, found in kept]
    reports["words"] = [sum(found.words.values()) for _, found in kept]
    ids = pd.Index(list(reports["id"]), name="id")

    column: dict[str, int] = {}
    cells_row, cells_col, values = [], [], []
    for row, (_, found) in enumerate(kept):
        for term, n in found.words.items():
            cells_row.append(row)
            cells_col.append(column.setdefault(term, len(column)))
            values.append(n)
    terms = np.array(list(column), dtype=object)
    matrix = sparse.csc_matrix(
        (np.array(values, dtype=np.int64), (cells_row, cells_col)), shape=(len(kept), len(terms))
    )
    totals = np.asarray(matrix.sum(axis=0)).ravel()
    order = np.lexsort((terms.astype(str), -totals))
    counts = pd.DataFrame.sparse.from_spmatrix(
        matrix[:, order].tocsr(), index=ids, columns=list(terms[order])
    )
    counts.index.name, counts.columns.name = "id", "term"

    stated = pd.DataFrame(
        [found.figures for _, found in kept], index=ids, columns=list(INDICATORS), dtype=float
    ).dropna(axis=1, how="all")
    stated.columns.name = "indicator"
    problem_table = pd.DataFrame(problems, columns=PROBLEM_COLUMNS)
    problem_table = problem_table.sort_values("file", kind="stable").reset_index(drop=True)
    return CorpusCounts(reports, counts, stated, problem_table)
