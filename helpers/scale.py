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
from .compare import _table
from .corpus import DEFAULT_MAX_BYTES, Problems, corpus_table, read_report, survey_folder
from .errors import ReportError, shown
from .indicators import INDICATORS, _cached_figures, first_figures
from .manifest import infer_metadata
from .parallel import imap_reports
from .segmentation import CountsBuilder, PackedCounts, check_options, segment

__all__ = ["CorpusCounts", "count_reports"]

EXTRA = ("flags", "words", "figures")  # kept beside the corpus table's columns, added after


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
    words: PackedCounts
    figures: dict  # indicator -> the first value the report states


def _count_one(task: tuple[Path, int, dict]) -> _Counted | str:
    """One report's whole pipeline, in any process or on a cluster worker."""
    path, max_bytes, options = task
    try:
        report = read_report(path, max_bytes=max_bytes)
    except ReportError as err:
        return err.without_name(shown(path))  # both languages: the session chooses
    clean, meta, _ = _cleaned(report.text)
    return _Counted(
        sha256=report.sha256,
        format=report.format,
        encoding=report.encoding,
        newline=report.newline,
        n_bytes=report.n_bytes,
        chars=report.chars,
        inferred=infer_metadata(report.text),
        flags="; ".join(meta["flags"]),
        words=PackedCounts.pack(Counter(segment(clean, **options))),
        figures=first_figures(_cached_figures(clean)),
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
    check_int("max_bytes", max_bytes, low=1)
    options = check_options(segment_options)  # "auto" resolved here: every worker uses this engine
    problem = Problems(folder, "collect")
    survey = survey_folder(folder, manifest=manifest, formats=formats, problem=problem)
    tasks = [(path, max_bytes, options) for path in survey.readable]
    counted = imap_reports(_count_one, tasks, n_jobs=n_jobs, desc="counting")
    rows, words = [], CountsBuilder()  # each report's words are added up as they come, then dropped
    for path, found in zip(survey.readable, counted, strict=True):
        meta = survey.metadata(path, found, problem)
        if meta is None:
            continue
        words.add(found.words)
        rows.append(
            meta
            | {
                "sha256": found.sha256,
                "format": found.format,
                "encoding": found.encoding or "",
                "newline": found.newline,
                "bytes": found.n_bytes,
                "chars": found.chars,
                "text": "",
                "flags": found.flags,
                "words": found.words.total,
                "figures": found.figures,
            }
        )
    order = sorted(range(len(rows)), key=lambda i: rows[i]["file"])  # the corpus table's order
    rows = [rows[i] for i in order]
    reports = corpus_table([{k: v for k, v in row.items() if k not in EXTRA} for row in rows])
    reports = reports.drop(columns="text")
    for column in ("flags", "words"):
        reports[column] = [row[column] for row in rows]
    ids = pd.Index(list(reports["id"]), name="id")

    counts = words.finish(list(ids))
    matrix = counts.matrix[order].tocsc()
    totals = np.asarray(matrix.sum(axis=0)).ravel()
    columns = np.lexsort((counts.terms.astype(str), -totals))  # as helpers.dtm sorts them
    table = _table(matrix[:, columns], ids, list(counts.terms[columns]), sparse=True)

    stated = pd.DataFrame(
        [row["figures"] for row in rows], index=ids, columns=list(INDICATORS), dtype=float
    ).dropna(axis=1, how="all")
    stated.columns.name = "indicator"
    return CorpusCounts(reports, table, stated, problem.table())
