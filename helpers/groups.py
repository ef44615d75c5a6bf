"""Comparing groups of reports: provinces, levels of government, periods, one government's years.

Introduced in ``notebooks/06_research_workflow.ipynb``.

A research question is nearly always about groups ("do district reports admit
more problems than city reports?"), not about one report against another. Each
function here takes the corpus table and ``by``: a column of it (``province``,
``level``, ``report_year`` …), ``"period"`` (the national Outline a report's year
falls under, see :func:`period`), or your own mapping of id -> group. A report
whose group is unknown is put in the group ``"(unknown)"``, never dropped
silently.

**Two ways to give a group's rate of a term**, and why both are here:

- the **mean of report rates**: each report's count per 10,000 words, averaged
  over the group's reports. Every report counts equally, however long it is;
- the **pooled rate**: the group's count over the group's words, per 10,000.
  A long report weighs more: it is the rate of the group's text, not of its
  reports.

They differ when long and short reports use a term at different rates. For "how
much does a typical report of this group say about X" use the mean; for "how
much of this group's text is about X", the pooled rate.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from .compare import KEYNESS_COLUMNS, keyness, load_themes
from .corpus import as_docs
from .indicators import extract_indicators
from .segmentation import check_options, corpus_counts

__all__ = [
    "PERIODS",
    "group_keyness",
    "group_labels",
    "group_rates",
    "group_themes",
    "indicator_panel",
    "over_time",
    "period",
]

UNKNOWN = "(unknown)"

#: The national plans a report's year falls under: (first year, last year, label).
PERIODS = (
    (1900, 2014, "before 2015"),
    (2015, 2020, "2015–2020 Outline"),
    (2021, 2025, "2021–2025 Outline"),
    (2026, 2100, "after 2025"),
)


def period(year) -> str:
    """The national Outline whose years a report year falls in (法治政府建设实施纲要).

    Example:
        >>> period(2013), period(2019), period(2023), period(None)
        ('before 2015', '2015–2020 Outline', '2021–2025 Outline', '(unknown)')
    """
    if year is None or pd.isna(year):
        return UNKNOWN
    return next((label for first, last, label in PERIODS if first <= int(year) <= last), UNKNOWN)


def group_labels(reports, by) -> pd.Series:
    """Each report's group, indexed by id: from a column, ``"period"``, or a mapping id -> group.

    Example:
        >>> table = pd.DataFrame(
        ...     {"id": ["a", "b"], "text": ["甲。", "乙。"], "report_year": [2019, None]}
        ... )
        >>> group_labels(table, "period").to_dict()
        {'a': '2015–2020 Outline', 'b': '(unknown)'}
    """
    ids = list(as_docs(reports))
    if isinstance(by, Mapping | pd.Series):
        labels = pd.Series([by.get(i) for i in ids], index=ids, dtype=object)
    elif isinstance(by, str):
        if not isinstance(reports, pd.DataFrame) or "id" not in reports.columns:
            raise TypeError(
                f"by={by!r} names a column: pass the corpus table (with an id column), or give "
                "by as a dict or Series of id -> group."
            )
        table = reports.set_index("id")
        if by == "period" and "period" not in table.columns:
            if "report_year" not in table.columns:
                raise ValueError("by='period' needs a report_year column.")
            labels = table["report_year"].map(period)
        elif by in table.columns:
            labels = table[by]
        else:
            columns = ", ".join(map(str, table.columns[:12]))
            raise ValueError(f"by={by!r} is not a column of the table (it has: {columns}).")
    else:
        raise TypeError(f"by takes a column name or a mapping of id -> group; got {by!r}.")
    labels = labels.astype(object).where(labels.notna(), UNKNOWN).map(str)
    labels.index = pd.Index(ids, name="id")
    return labels.rename("group")


def _counts(reports, n_jobs, options):
    counts = corpus_counts(reports, n_jobs=n_jobs, **options)
    words = np.asarray(counts.matrix.sum(axis=1)).ravel()
    return counts, words


def group_rates(
    reports, by, *, terms=None, min_reports: int = 1, n_jobs: int | None = None, **segment_options
) -> pd.DataFrame:
    """Each group's rate of each term: the mean of its reports' rates, and the pooled rate.

    A long table: ``group``, ``term``, ``reports`` (in the group), ``using``
    (reports of the group that use the term), ``mean_per_10k`` (the mean of
    the reports' per-10k rates), ``pooled_per_10k`` (the group's count per
    10,000 of its words) and ``english``. ``terms`` limits the table to some
    terms; ``min_reports`` keeps terms used by at least that many reports of
    the whole corpus. Sorted by group, then mean rate.

    Example:
        >>> table = pd.DataFrame({"id": ["a", "b", "c"], "text": ["依法行政。" * 9 + "行政复议。",
        ...     "行政复议。", "依法行政。"], "level": ["district", "district", "county"]})
        >>> rates = group_rates(table, "level", terms=["行政复议"]).set_index("group")
        >>> rates.loc["district", ["mean_per_10k", "pooled_per_10k"]].tolist()
        [5500.0, 1818.18]
    """
    from .segmentation import gloss

    check_options(segment_options)
    labels = group_labels(reports, by)
    counts, words = _counts(reports, n_jobs, segment_options)
    matrix = counts.matrix.tocsc()
    keep = np.diff(matrix.indptr) >= min_reports
    if terms is not None:
        wanted = set(terms)
        keep &= np.array([term in wanted for term in counts.terms])
    columns = np.flatnonzero(keep)
    rates = matrix[:, columns].multiply(1 / np.maximum(words, 1)[:, None]).tocsc() * 10_000
    rows = []
    for group in sorted(set(labels)):
        members = np.flatnonzero((labels == group).to_numpy())
        sub, sub_rates = matrix[members][:, columns], rates[members]
        mean = np.asarray(sub_rates.sum(axis=0)).ravel() / len(members)
        pooled = np.asarray(sub.sum(axis=0)).ravel() / max(words[members].sum(), 1) * 10_000
        using = np.diff(sub.tocsc().indptr)
        for k, j in enumerate(columns):
            rows.append(
                {
                    "group": group,
                    "term": counts.terms[j],
                    "reports": len(members),
                    "using": int(using[k]),
                    "mean_per_10k": round(float(mean[k]), 2),
                    "pooled_per_10k": round(float(pooled[k]), 2),
                }
            )
    table = pd.DataFrame(
        rows, columns=["group", "term", "reports", "using", "mean_per_10k", "pooled_per_10k"]
    )
    table["english"] = pd.array([gloss(t) for t in table["term"]], dtype="string")
    table = table.sort_values(
        ["group", "mean_per_10k", "term"], ascending=[True, False, True], kind="stable"
    )
    return table.reset_index(drop=True)


def group_themes(reports, by, *, n_jobs: int | None = None, **segment_options) -> pd.DataFrame:
    """Each group's theme profile, as the mean of its reports' rates and as the pooled rate.

    A long table: ``group``, ``theme``, ``theme_zh``, ``reports``,
    ``mean_per_10k``, ``pooled_per_10k`` (see the module's docstring for the
    difference). The themes and their terms are those of :func:`helpers.theme_profile`.
    """
    check_options(segment_options)
    labels = group_labels(reports, by)
    counts, words = _counts(reports, n_jobs, segment_options)
    themes = load_themes()
    column = {term: j for j, term in enumerate(counts.terms)}
    rows = []
    for group in sorted(set(labels)):
        members = np.flatnonzero((labels == group).to_numpy())
        sub = counts.matrix[members]
        size = np.maximum(words[members], 1)
        for theme, terms in themes.groupby("theme", sort=False)["term"]:
            found = [column[t] for t in terms if t in column]
            hits = np.zeros(len(members))
            if found:
                hits = np.asarray(sub[:, found].sum(axis=1)).ravel()
            rows.append(
                {
                    "group": group,
                    "theme": theme,
                    "theme_zh": themes.loc[themes["theme"] == theme, "theme_zh"].iloc[0],
                    "reports": len(members),
                    "mean_per_10k": round(float((hits / size * 10_000).mean()), 1),
                    "pooled_per_10k": round(float(hits.sum() / size.sum() * 10_000), 1),
                }
            )
    return pd.DataFrame(rows)


def group_keyness(
    reports,
    by,
    *,
    against: str = "rest",
    min_count: int = 3,
    n_jobs: int | None = None,
    **segment_options,
) -> pd.DataFrame:
    """Keyness of each group's reports against the rest of the corpus (or against one group).

    The columns of :func:`helpers.keyness`, with ``group`` first (and
    ``against``): for each group, its reports' words added up against the other
    reports' (``against="rest"``) or against the reports of the group named by
    ``against``. The caveats of keyness hold, and one more: reports are not
    independent draws, so a group of few long reports can dominate its counts.
    """
    from .compare import dtm

    labels = group_labels(reports, by)
    matrix = dtm(reports, n_jobs=n_jobs, sparse=True, **segment_options)
    if against != "rest" and against not in set(labels):
        raise ValueError(
            f"against={against!r} is not a group; the groups are: {', '.join(sorted(set(labels)))}."
        )
    tables = []
    for group in sorted(set(labels)):
        if group == against:
            continue
        inside = (labels == group).to_numpy()
        other = ~inside if against == "rest" else (labels == against).to_numpy()
        if not other.any():
            continue  # a corpus of one group has nothing to compare it with
        table = keyness(matrix[inside], matrix[other], min_count=min_count)
        tables.append(table.assign(group=group, against=against))
    columns = ["group", "against", *KEYNESS_COLUMNS]
    if not tables:
        return pd.DataFrame(columns=columns)
    return pd.concat(tables, ignore_index=True)[columns]


def indicator_panel(
    reports, *, rows: str = "region", columns: str = "report_year", n_jobs: int | None = None
) -> pd.DataFrame:
    """The stated figures as a panel: one row per report and indicator, with its sentence.

    Columns: ``rows`` and ``columns`` (two columns of the corpus table, e.g.
    region and year), ``id``, ``indicator``, ``value``, ``unit``, ``text`` and
    ``sentence`` (the first figure each report states for the indicator). Pivot
    it for a region × year table (``panel.pivot_table(index="region",
    columns="report_year", values="value", aggfunc="first")``); the long table
    keeps every cell's source sentence, and shows when two reports fall in one cell.
    """
    if not isinstance(reports, pd.DataFrame) or "id" not in reports.columns:
        raise TypeError("indicator_panel takes the corpus table (with an id column).")
    for name in (rows, columns):
        if name not in reports.columns:
            raise ValueError(f"{name!r} is not a column of the corpus table.")
    figures = extract_indicators(reports, n_jobs=n_jobs).drop_duplicates(["id", "indicator"])
    meta = reports.set_index("id")[[rows, columns]]
    panel = figures.join(meta, on="id")
    order = [rows, columns, "id", "indicator", "value", "unit", "text", "sentence"]
    return panel[order].sort_values([rows, columns, "id"], kind="stable").reset_index(drop=True)


def over_time(reports, *, who: str = "region", year: str = "report_year") -> pd.DataFrame:
    """The governments with reports for two or more years: ``who``, ``year``, ``id``, sorted.

    Comparing one government with itself over the years is the one comparison
    in which place, level and author stay the same; this finds where the
    corpus allows it. Empty when no government has two years.
    """
    if not isinstance(reports, pd.DataFrame):
        raise TypeError("over_time takes the corpus table.")
    table = reports[[who, year, "id"]].dropna(subset=[who, year])
    years = table.groupby(who)[year].nunique()
    several = years[years >= 2].index
    found = table[table[who].isin(several)]
    return found.sort_values([who, year, "id"], kind="stable").reset_index(drop=True)
