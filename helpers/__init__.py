"""Helpers for the notebooks on Chinese local-government rule-of-law reports (法治政府建设报告).

A map of the stages, in the order of the notebooks. The names listed here are
the ones the notebooks teach; everything else stays in its module.

**Reading** (notebook 01; other formats in 05) — :mod:`helpers.corpus`,
:mod:`helpers.formats`, :mod:`helpers.manifest`
    ``read_report``, ``load_reports``, ``ReportError``, ``ReportWarning``,
    ``write_manifest``, ``detect_script``, ``safe_filename`` (a file name from an id, safely)

**Cleaning** (notebook 02) — :mod:`helpers.clean`
    ``clean_report``, ``clean_reports``, ``remove_furniture``, ``to_simplified``,
    ``normalise_width``, ``normalise_punctuation``, ``normalise_spaces``,
    ``repair_dates``, ``paragraphs``, ``sentences``, ``sections``

**Words and counts** (notebook 03) — :mod:`helpers.segmentation`,
:mod:`helpers.freq`, :mod:`helpers.plot`
    ``tokenizer``, ``segment``, ``load_vocabulary``, ``load_stopwords``,
    ``load_officialese``, ``gloss``, ``term_frequencies``, ``kwic``,
    ``collocations``, ``bar_top_terms``, ``word_cloud``, ``dispersion_plot``

**Comparing reports** (notebook 04) — :mod:`helpers.compare`,
:mod:`helpers.formulaic`, :mod:`helpers.indicators`, :mod:`helpers.plot`
    ``dtm``, ``tfidf``, ``keyness``, ``similarity``, ``load_themes``,
    ``theme_profile``, ``tag_sections``, ``tag_paragraphs``, ``shared_sentences``,
    ``formulaic_share``, ``extract_indicators``, ``indicator_scheme``, ``indicator_table``,
    ``heatmap``, ``keyness_bars``, ``comparison_cloud``

**Set-up** — :mod:`helpers.notebook`, :mod:`helpers.fonts`, :mod:`helpers.cache`,
:mod:`helpers.lab` (``python -m helpers.lab``: the Chinese font in JupyterLab)
    ``setup``, ``SEED``, ``set_cache_dir``, ``clear_cache``

**Exercises** — :mod:`helpers.exercises`
    ``exercises``: ``exercises.check(name, ...)`` says whether an answer is right, with a
    hint if not (answers are kept as fingerprints, never in a cell you read)

**At scale** — :mod:`helpers.parallel`, :mod:`helpers.scale` (``docs/scale.md``)
    ``use_dask``, ``count_reports``; every corpus function takes ``n_jobs``

Conventions, the same in every module:

- **Paths** work as in pandas: a relative path starts from the working directory
  (in JupyterLab, the notebook's own folder). Nothing is written inside the
  package; segmentations are cached in the user's cache folder
  (:mod:`helpers.cache`).
- **Reports in:** every function that takes several reports accepts the corpus
  table (columns ``id`` and ``clean`` or ``text``), a Series indexed by id, a
  dict id → text, or a list of texts (:func:`helpers.corpus.as_docs`).
- **Tables out:** a long table (one row per change, occurrence, figure …) has an
  ``id`` column; a wide table (report × term, report × theme, report ×
  indicator, report × report) is indexed by ``id``.
- **Segmentation options** (``vocabulary``, ``stopwords``, ``officialese``,
  ``keep_numbers``, ``extra_terms``, ``cache``) mean the same wherever words are
  counted (:data:`helpers.segmentation.OPTIONS`).
- **Arguments are checked**, with a message that states the allowed range.

Importing this package is quick and silent: heavy libraries (jieba, OpenCC,
matplotlib) are imported only inside the functions that need them.
"""

from . import exercises as exercises  # a module: helpers.exercises.check(...)
from .cache import clear_cache, set_cache_dir
from .clean import (
    clean_report,
    clean_reports,
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
    keyness,
    load_themes,
    similarity,
    tag_paragraphs,
    tag_sections,
    tfidf,
    theme_profile,
)
from .corpus import load_reports, read_report
from .errors import ReportError, ReportWarning
from .formulaic import formulaic_share, shared_sentences
from .freq import collocations, kwic, term_frequencies
from .indicators import extract_indicators, indicator_scheme, indicator_table
from .manifest import detect_script, safe_filename, write_manifest
from .notebook import SEED, setup
from .parallel import use_dask
from .plot import (
    bar_top_terms,
    comparison_cloud,
    dispersion_plot,
    heatmap,
    keyness_bars,
    word_cloud,
)
from .scale import count_reports
from .segmentation import (
    gloss,
    load_officialese,
    load_stopwords,
    load_vocabulary,
    segment,
    tokenizer,
)

__all__ = [
    "SEED",
    "ReportError",
    "ReportWarning",
    "bar_top_terms",
    "clean_report",
    "clean_reports",
    "clear_cache",
    "collocations",
    "comparison_cloud",
    "count_reports",
    "detect_script",
    "dispersion_plot",
    "dtm",
    "extract_indicators",
    "formulaic_share",
    "gloss",
    "heatmap",
    "indicator_scheme",
    "indicator_table",
    "keyness",
    "keyness_bars",
    "kwic",
    "load_officialese",
    "load_reports",
    "load_stopwords",
    "load_themes",
    "load_vocabulary",
    "normalise_punctuation",
    "normalise_spaces",
    "normalise_width",
    "paragraphs",
    "read_report",
    "remove_furniture",
    "repair_dates",
    "safe_filename",
    "sections",
    "segment",
    "sentences",
    "set_cache_dir",
    "setup",
    "shared_sentences",
    "similarity",
    "tag_paragraphs",
    "tag_sections",
    "term_frequencies",
    "tfidf",
    "theme_profile",
    "to_simplified",
    "tokenizer",
    "use_dask",
    "word_cloud",
    "write_manifest",
]
