"""Helpers for the notebooks on Chinese local-government rule-of-law reports.

One module per stage of the pipeline, in the order of the notebooks:

- :mod:`helpers.corpus` — reading raw reports and their manifest (notebook 01)
- :mod:`helpers.clean` — cleaning, with a log of every change (notebook 02)
- :mod:`helpers.segment`, :mod:`helpers.freq`, :mod:`helpers.plot` — words,
  counts and figures (notebook 03)
- :mod:`helpers.compare`, :mod:`helpers.indicators` — comparing reports and
  the figures they state (notebook 04)
- :mod:`helpers.documents` — HTML, Word and PDF reports, whole folders (notebook 05)
- :mod:`helpers.fonts`, :mod:`helpers.notebook` — the Chinese font and ``setup()``

Importing this package is quick and silent: heavy libraries (jieba, OpenCC,
matplotlib) are imported only inside the functions that need them.
"""

from .clean import (
    LOG_COLUMNS,
    CleanResult,
    Step,
    clean_report,
    clean_reports,
    cleaning_log,
    drop_blank_lines,
    normalise_punctuation,
    normalise_spaces,
    normalise_width,
    paragraphs,
    remove_furniture,
    repair_dates,
    sections,
    sentences,
    to_simplified,
)
from .compare import (
    dtm,
    formulaic_share,
    keyness,
    load_themes,
    shared_sentences,
    similarity,
    tag_sections,
    tfidf,
    theme_profile,
)
from .corpus import (
    REPO_ROOT,
    Report,
    ReportError,
    ReportWarning,
    detect_script,
    infer_metadata,
    load_reports,
    read_manifest,
    read_report,
)
from .documents import SUPPORTED_FORMATS, load_documents, read_document, write_manifest
from .fonts import font_name, font_path, use_chinese_font
from .freq import as_docs, collocations, kwic, log_likelihood, ngrams, term_frequencies
from .indicators import INDICATORS, extract_indicators, indicator_table, parse_number
from .notebook import SEED, setup
from .plot import (
    bar_top_terms,
    comparison_cloud,
    dispersion_plot,
    heatmap,
    keyness_bars,
    show_comparison_cloud,
    show_word_cloud,
    term_label,
    word_cloud,
)
from .segment import (
    clear_cache,
    gloss,
    load_officialese,
    load_stopwords,
    load_vocabulary,
    segment,
    segment_spans,
    tokenizer,
)

__all__ = [
    "INDICATORS",
    "LOG_COLUMNS",
    "REPO_ROOT",
    "SEED",
    "SUPPORTED_FORMATS",
    "CleanResult",
    "Report",
    "ReportError",
    "ReportWarning",
    "Step",
    "as_docs",
    "bar_top_terms",
    "clean_report",
    "clean_reports",
    "cleaning_log",
    "clear_cache",
    "collocations",
    "comparison_cloud",
    "detect_script",
    "dispersion_plot",
    "drop_blank_lines",
    "dtm",
    "extract_indicators",
    "font_name",
    "font_path",
    "formulaic_share",
    "gloss",
    "heatmap",
    "indicator_table",
    "infer_metadata",
    "keyness",
    "keyness_bars",
    "kwic",
    "load_documents",
    "load_officialese",
    "load_reports",
    "load_stopwords",
    "load_themes",
    "load_vocabulary",
    "log_likelihood",
    "ngrams",
    "normalise_punctuation",
    "normalise_spaces",
    "normalise_width",
    "paragraphs",
    "parse_number",
    "read_document",
    "read_manifest",
    "read_report",
    "remove_furniture",
    "repair_dates",
    "sections",
    "segment",
    "segment_spans",
    "sentences",
    "setup",
    "shared_sentences",
    "show_comparison_cloud",
    "show_word_cloud",
    "similarity",
    "tag_sections",
    "term_frequencies",
    "term_label",
    "tfidf",
    "theme_profile",
    "to_simplified",
    "tokenizer",
    "use_chinese_font",
    "word_cloud",
    "write_manifest",
]
