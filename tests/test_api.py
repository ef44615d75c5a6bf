"""One way to call the helpers: inputs, outputs, options and checks, the same everywhere."""

from __future__ import annotations

import hashlib
import importlib
import pkgutil
import re
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pandas as pd
import pytest
from support import ROOT, SEEDS

import helpers
from helpers import segmentation

# --------------------------------------------------------------------------
# Reports in: the corpus table, a Series, a dict or a list, with the same results
# --------------------------------------------------------------------------

CORPUS_FUNCTIONS = {
    # name: a call taking the reports in any form
    "term_frequencies": lambda r: helpers.term_frequencies(r, by_report=True, officialese=True),
    "dtm": lambda r: helpers.dtm(r, officialese=True),
    "keyness": lambda r: helpers.keyness("行政复议案件增加。依法行政。", r, officialese=True),
    "kwic": lambda r: helpers.kwic(r, "行政复议", window=5),
    "collocations": lambda r: helpers.collocations(r, min_count=3),
    "theme_profile": lambda r: helpers.theme_profile(r, officialese=True),
    "indicator_table": lambda r: helpers.indicator_table(r),
    "extract_indicators": lambda r: helpers.extract_indicators(r),
    "formulaic_share": lambda r: helpers.formulaic_share(r),
    "shared_sentences": lambda r: helpers.shared_sentences(r),
}


@pytest.mark.parametrize("name", CORPUS_FUNCTIONS)
def test_the_corpus_table_gives_what_the_dict_gives(name, clean_table, docs):
    call = CORPUS_FUNCTIONS[name]
    by_dict = call(docs)
    by_table = call(clean_table)
    by_series = call(clean_table.set_index("id")["clean"])
    pd.testing.assert_frame_equal(by_table, by_dict)
    pd.testing.assert_frame_equal(by_series, by_dict)


def test_a_list_is_labelled_by_position(docs):
    matrix = helpers.dtm(list(docs.values()))
    assert list(matrix.index) == ["0", "1", "2", "3", "4"]
    assert (matrix.to_numpy() == helpers.dtm(docs).to_numpy()).all()


def test_the_raw_table_is_read_from_its_text_column(reports, docs):
    # A table without a clean column is read from text: the raw, uncleaned report.
    raw = helpers.term_frequencies(reports).set_index("term")["count"]
    clean = helpers.term_frequencies(docs).set_index("term")["count"]
    assert raw["執法"] > 0 and "執法" not in clean  # Traditional script, uncleaned


@pytest.mark.parametrize("name", ["term_frequencies", "dtm", "kwic", "theme_profile"])
@pytest.mark.parametrize(
    ("wrong", "why"),
    [
        (42, "got int"),
        ("一份报告。", "single string"),
        (pd.DataFrame({"id": ["a"], "year": [2020]}), "no 'clean' or 'text' column"),
        (pd.DataFrame({"clean": ["报告。"]}), "needs an 'id' column"),
    ],
)
def test_what_is_not_a_corpus_is_refused_naming_what_is_accepted(name, wrong, why):
    with pytest.raises(TypeError, match=why) as err:
        CORPUS_FUNCTIONS[name](wrong)
    assert "the corpus table" in str(err.value) and "a dict of id -> text" in str(err.value)


# --------------------------------------------------------------------------
# Tables out: long tables have an id column, wide tables an id index
# --------------------------------------------------------------------------


def test_wide_tables_are_indexed_by_id_and_long_tables_have_an_id_column(clean_table):
    ids = list(clean_table["id"])
    wide = {
        "dtm": helpers.dtm(clean_table),
        "tfidf": helpers.tfidf(helpers.dtm(clean_table)),
        "similarity": helpers.similarity(helpers.dtm(clean_table)),
        "theme_profile": helpers.theme_profile(clean_table),
        "indicator_table": helpers.indicator_table(clean_table),
        "formulaic_share": helpers.formulaic_share(clean_table),
    }
    for name, table in wide.items():
        assert table.index.name == "id" and list(table.index) == ids, name
    assert list(wide["similarity"].columns) == ids
    long = {
        "kwic": helpers.kwic(clean_table, "行政复议"),
        "extract_indicators": helpers.extract_indicators(clean_table),
        "log": helpers.clean_reports(clean_table, log=True)[1],
    }
    for name, table in long.items():
        assert table.columns[0] == "id" and set(table["id"]) <= set(ids), name
    pairs = helpers.shared_sentences(clean_table)
    assert {"id_a", "id_b"} <= set(pairs.columns)


# --------------------------------------------------------------------------
# One set of segmentation options, checked
# --------------------------------------------------------------------------

SEGMENTING = {
    "segment": lambda **o: helpers.segment("推行一网通办。", **o),
    "term_frequencies": lambda **o: helpers.term_frequencies(["推行一网通办。"], **o),
    "dtm": lambda **o: helpers.dtm(["推行一网通办。"], **o),
    "keyness": lambda **o: helpers.keyness("推行一网通办。", "依法行政。", **o),
    "kwic": lambda **o: helpers.kwic(["推行一网通办。"], "推行", **o),
    "collocations": lambda **o: helpers.collocations(["推行一网通办。"], **o),
    "theme_profile": lambda **o: helpers.theme_profile(["推行一网通办。"], **o),
    "dispersion_plot": lambda **o: helpers.dispersion_plot(["推行一网通办。"], ["推行"], **o),
}


@pytest.mark.parametrize("name", SEGMENTING)
def test_every_segmenting_function_takes_the_same_options(name):
    import matplotlib

    matplotlib.use("Agg", force=True)
    SEGMENTING[name](
        vocabulary=True, stopwords=False, officialese=True, keep_numbers=True,
        extra_terms=["一网通"], cache=False,
    )  # fmt: skip
    # segment() has the options in its signature, so Python itself names the typo there.
    typo = "unexpected keyword argument" if name == "segment" else "unknown segmentation option"
    with pytest.raises(TypeError, match=f"{typo} 'stopword'"):
        SEGMENTING[name](stopword=False)
    with pytest.raises(TypeError, match="officialese must be True or False; got 'yes'"):
        SEGMENTING[name](officialese="yes")
    with pytest.raises(TypeError, match="extra_terms takes a list of terms"):
        SEGMENTING[name](extra_terms="开门立法")


def test_kwic_finds_exactly_the_words_that_are_counted(docs):
    for options in ({}, {"officialese": True}, {"stopwords": False}, {"keep_numbers": True}):
        table = helpers.term_frequencies(docs, **options).set_index("term")["count"]
        for term in ["行政复议", "工作", "的", "件"]:
            expected = int(table.get(term, 0))
            assert len(helpers.kwic(docs, term, **options)) == expected, (term, options)


def test_segment_spans_keeps_the_words_segment_keeps(docs):
    text = docs["jiaojiang-2023"]
    for options in ({}, {"officialese": True, "keep_numbers": True}):
        spans = segmentation.segment_spans(text, **options)
        assert [word for word, _ in spans] == helpers.segment(text, **options)
        assert all(text[start : start + len(word)] == word for word, start in spans)


def _frequencies(docs):
    return helpers.term_frequencies(docs)


NUMERIC_CHECKS = [
    (lambda d: helpers.kwic(d, "执法", window=2.5), "window must be an int in the range [0, inf)"),
    (lambda d: helpers.collocations(d, min_count=0), "min_count must be an int in the range [1,"),
    (lambda d: helpers.keyness("执法。", d, min_count=-3), "min_count must be an int in the range"),
    (lambda d: helpers.shared_sentences(d, threshold=0), "threshold must be a float in the"),
    (lambda d: helpers.shared_sentences(d, threshold=1.5), "threshold must be a float in the"),
    (lambda d: helpers.formulaic_share(d, n=0), "n must be an int in the range [1, inf)"),
    (lambda d: helpers.bar_top_terms(_frequencies(d), n=0), "n must be an int"),
    (lambda d: helpers.term_frequencies(d, by_report="yes"), "by_report must be True or False"),
]


@pytest.mark.parametrize(("call", "message"), NUMERIC_CHECKS)
def test_numeric_arguments_are_checked_with_the_allowed_range(docs, call, message):
    with pytest.raises((ValueError, TypeError), match=re.escape(message)):
        call(docs)


# --------------------------------------------------------------------------
# The package: names, modules, help
# --------------------------------------------------------------------------


def test_no_module_shares_its_name_with_a_function():
    for found in pkgutil.iter_modules(helpers.__path__):
        module = importlib.import_module(f"helpers.{found.name}")
        assert getattr(helpers, found.name) is module, f"helpers.{found.name} is not the module"
        assert found.name not in helpers.__all__


def test_the_top_level_names_are_the_map_in_the_package_docstring():
    doc = helpers.__doc__
    for name in helpers.__all__:
        assert f"``{name}``" in doc, f"{name} is exported but not on the map"
        assert getattr(helpers, name).__doc__, f"{name} has no docstring"
    code = "\n".join(
        cell.source
        for path in (ROOT / "notebooks").glob("*.ipynb")
        for cell in nbformat.read(path, as_version=4).cells
        if cell.cell_type == "code"
    )
    # For scripts and for your own code, not for a lesson: the cache's controls, the
    # cluster switch, the warning class to filter.
    library = {"set_cache_dir", "clear_cache", "use_dask", "count_reports", "ReportWarning"}
    unused = [
        name
        for name in helpers.__all__
        if not re.search(rf"\bhelpers\.{name}\b", code) and name not in library
    ]
    assert unused == [], f"top-level names no notebook's code uses: {unused}"


def test_importing_the_helpers_is_quick_and_silent():
    heavy = "{'jieba', 'opencc', 'matplotlib'}"
    code = f"import sys, helpers; print(sorted({heavy} & set(sys.modules)))"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]" and done.stderr == ""


# --------------------------------------------------------------------------
# A library's manners: installed elsewhere, it reads relative paths and writes nowhere else
# --------------------------------------------------------------------------


IGNORED = {".git", ".venv", "outputs", "__pycache__", ".pytest_cache", ".ruff_cache", "_build"}


def tree_digest(folder: Path) -> dict[str, str]:
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and not IGNORED & set(p.relative_to(folder).parts)
    }


def test_a_plain_pip_install_works_from_any_folder_and_writes_only_to_the_cache(tmp_path):
    """A non-editable install, used from an unrelated folder, like a researcher's project."""
    site, project, home = tmp_path / "site", tmp_path / "project", tmp_path / "home"
    source = tmp_path / "source"  # a copy: building writes build/ folders beside the source
    project.mkdir()
    source.mkdir()
    for name in ["pyproject.toml", "README.md", "LICENSE"]:
        shutil.copy(ROOT / name, source / name)
    skip = shutil.ignore_patterns("__pycache__")
    shutil.copytree(ROOT / "helpers", source / "helpers", ignore=skip)
    shutil.copytree(SEEDS, project / "my_reports")
    repo_before = tree_digest(ROOT)
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--no-build-isolation",
         "--target", str(site), str(source)],
        check=True, capture_output=True, cwd=tmp_path,
    )  # fmt: skip
    installed_before = tree_digest(site / "helpers")
    code = (
        "import helpers, pathlib; "
        "assert pathlib.Path(helpers.__file__).parent.parent == pathlib.Path(sys.argv[1]); "
        "reports = helpers.clean_reports(helpers.load_reports('my_reports')); "
        "print(len(reports), helpers.term_frequencies(reports).iloc[0]['term'], "
        "helpers.cache.cache_dir())"
    )
    env = {"HOME": str(home), "PATH": "/usr/bin:/bin", "PYTHONPATH": str(site)}
    done = subprocess.run(
        [sys.executable, "-c", "import sys; " + code, str(site)],
        capture_output=True, text=True, cwd=project, env=env,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    count, top, cache_folder = done.stdout.split()
    assert (count, top) == ("5", "工作")
    assert Path(cache_folder).is_relative_to(home)  # the user's cache folder (platformdirs)
    assert any(Path(cache_folder).rglob("*"))  # and it was used
    assert tree_digest(site / "helpers") == installed_before  # nothing written in the package
    assert tree_digest(ROOT) == repo_before  # nor in the repository
    assert sorted(p.name for p in project.iterdir()) == ["my_reports"]  # nor in the project


def test_every_library_the_package_imports_is_declared_in_pyproject():
    import ast
    import tomllib

    declared = {
        re.split(r"[<>=!~ \[]", requirement)[0].lower().replace("_", "-")
        for requirement in tomllib.loads((ROOT / "pyproject.toml").read_text())["project"][
            "dependencies"
        ]
    }
    import_names = {"docx": "python-docx", "bs4": "beautifulsoup4", "opencc": "opencc"}
    optional = {"dask", "distributed", "rjieba", "tqdm"}  # checked where used, with a clear error
    optional.add("jupyter_server")  # helpers.lab: loaded only by the JupyterLab server itself
    imported = set()
    for path in (ROOT / "helpers").glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                imported |= {alias.name.split(".")[0] for alias in node.names}
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                imported.add(node.module.split(".")[0])
    third_party = {
        name for name in imported if name not in sys.stdlib_module_names and name != "helpers"
    }
    missing = sorted(
        name
        for name in third_party - optional
        if import_names.get(name, name).lower().replace("_", "-") not in declared
    )
    assert missing == [], f"imported by helpers/ but not in pyproject dependencies: {missing}"
