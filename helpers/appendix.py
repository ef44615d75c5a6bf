"""A research appendix: every table as CSV, every figure as PNG, and a record to rebuild them.

Introduced in ``notebooks/06_research_workflow.ipynb``; ``make appendix`` runs that
notebook on your folder and writes its appendix.

An :class:`Appendix` writes into one folder (and nowhere else):

- ``tables/<name>.csv``: UTF-8 with a byte-order mark, so that spreadsheet
  programs show Chinese correctly; a text cell that begins with ``=``, ``+``,
  ``-``, ``@``, a tab or a carriage return gets a leading ``'``, so that a
  spreadsheet shows it as text instead of running it as a formula (a page's
  title is untrusted input);
- ``figures/<name>.png``: without the software-version metadata matplotlib
  writes by default, so the same figure gives the same bytes;
- ``MANIFEST.csv``: the SHA-256 of every input report and of every data file
  the analysis read (the vocabulary, stopwords, officialese and themes lists,
  jieba's dictionary, OpenCC's conversion tables), the parameters, the command,
  the Python and package versions, the random seed, and every file written;
- ``README.md``: what is where, and how to rebuild it.

Nothing in these files depends on the time or the machine, so rebuilding from
the same input gives the same bytes. Writing into a folder that holds anything
but an earlier appendix is refused: nothing of yours is overwritten.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import json
import platform
import re
import subprocess
from importlib import metadata
from pathlib import Path

import pandas as pd

from .cache import write_atomically
from .notebook import SEED

__all__ = ["Appendix", "claim_folder", "data_files", "spreadsheet_safe"]

_MARK = ".fazhi-appendix"  # a folder with this file is an appendix that may be rebuilt
_NAME = re.compile(r"^[a-z0-9][a-z0-9_-]*$")
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_PACKAGES = (
    "pandas", "numpy", "scipy", "matplotlib", "jieba", "rjieba", "OpenCC", "wordcloud",
    "mplfonts", "datasketch", "charset-normalizer", "pypdf",
    "papermill", "nbclient", "ipykernel",
)  # fmt: skip


def spreadsheet_safe(value):
    """A cell a spreadsheet shows as text: a leading ``'`` before ``= + - @``, tab or return.

    Example:
        >>> spreadsheet_safe('=HYPERLINK("http://x.example","点击")'), spreadsheet_safe("报告")
        ('\\'=HYPERLINK("http://x.example","点击")', '报告')
    """
    if isinstance(value, str) and value.startswith(_FORMULA_STARTS):
        return "'" + value
    return value


def _package_file(package: str, *parts: str) -> Path | None:
    from importlib.util import find_spec

    spec = find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        return None
    return Path(next(iter(spec.submodule_search_locations)), *parts)


def data_files() -> dict[str, Path]:
    """The data files every analysis reads, by the name the manifest gives them."""
    files = {
        f"helpers/data/{path.name}": path
        for path in sorted((Path(__file__).parent / "data").glob("*"))
        if path.suffix in (".csv", ".txt")
    }
    jieba_dict = _package_file("jieba", "dict.txt")
    if jieba_dict is not None:
        files["jieba/dict.txt"] = jieba_dict
    opencc = _package_file("opencc", "clib", "share", "opencc")
    if opencc is not None:
        config = opencc / "t2s.json"
        files["opencc/t2s.json"] = config
        for name in re.findall(r'"file":\s*"([^"]+)"', config.read_text(encoding="utf-8")):
            files[f"opencc/{name}"] = opencc / name
    return files


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _git_commit() -> str:
    """The project's git commit (with "+changes" if the work tree differs), or "" outside git."""
    root = Path(__file__).resolve().parent.parent
    try:
        commit = subprocess.run(
            ["git", "-C", str(root), "rev-parse", "HEAD"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        changed = subprocess.run(
            ["git", "-C", str(root), "status", "--porcelain", "--", "helpers"],
            capture_output=True, text=True, check=True,
        ).stdout.strip()  # fmt: skip
    except (OSError, subprocess.CalledProcessError):
        return ""
    return commit + ("+changes" if changed else "")


def claim_folder(folder: str | Path) -> Path:
    """Make ``folder`` an appendix folder: new, empty, or an earlier appendix; else refuse.

    A marker file (``.fazhi-appendix``) says that the folder holds an appendix,
    which a later build may replace. A folder holding anything else is refused,
    so that nothing of yours is overwritten.
    """
    folder = Path(folder)
    if folder.exists():
        if not folder.is_dir():
            raise FileExistsError(f"{folder.as_posix()} is a file; name a folder.")
        if any(folder.iterdir()) and not (folder / _MARK).exists():
            raise FileExistsError(
                f"{folder.as_posix()} holds files that are not an appendix: nothing is "
                "overwritten. Name a new or empty folder."
            )
    folder.mkdir(parents=True, exist_ok=True)
    write_atomically(folder / _MARK, b"written by helpers.appendix\n", inside=folder)
    return folder


class Appendix:
    """The folder of a research appendix (see the module's docstring).

    Example:
        >>> import tempfile
        >>> with tempfile.TemporaryDirectory() as folder:
        ...     appendix = Appendix(Path(folder) / "appendix", parameters={"corpus": "seeds"})
        ...     path = appendix.table("demo", pd.DataFrame({"id": ["a"], "title": ["=1+1"]}))
        ...     path.read_bytes().decode("utf-8-sig")
        "id,title\\r\\na,'=1+1\\r\\n"
    """

    def __init__(self, folder: str | Path, *, parameters: dict, command: str = ""):
        self.folder = Path(folder)
        self.parameters = dict(parameters)
        self.command = command
        self.inputs: list[tuple[str, str, int]] = []  # (file as given, SHA-256, bytes)
        claim_folder(self.folder)
        for part in ("tables", "figures"):
            (self.folder / part).mkdir(parents=True, exist_ok=True)
            for old in (self.folder / part).glob("*.csv" if part == "tables" else "*.png"):
                old.unlink()  # an earlier build's files: rebuilt from scratch

    def __repr__(self) -> str:
        return f"Appendix({self.folder.as_posix()!r}, {len(self.written())} files)"

    def _path(self, part: str, name: str, suffix: str) -> Path:
        if not _NAME.match(name):
            raise ValueError(
                f"{name!r} is not a usable file name: use lower-case letters, digits, - and _."
            )
        return self.folder / part / f"{name}{suffix}"

    def table(self, name: str, table: pd.DataFrame) -> Path:
        """Save a table as ``tables/<name>.csv`` (its index too, when the index is named)."""
        path = self._path("tables", name, ".csv")
        safe = table.map(spreadsheet_safe) if len(table) else table.copy()
        safe.index = safe.index.map(spreadsheet_safe)
        buffer = io.StringIO()
        safe.to_csv(buffer, index=table.index.name is not None, lineterminator="\r\n")
        write_atomically(path, buffer.getvalue().encode("utf-8-sig"), inside=self.folder)
        return path

    def figure(self, name: str, figure) -> Path:
        """Save a matplotlib figure as ``figures/<name>.png``, the same bytes every time."""
        path = self._path("figures", name, ".png")
        buffer = io.BytesIO()
        figure.savefig(
            buffer, format="png", dpi=100, bbox_inches="tight", metadata={"Software": None}
        )
        write_atomically(path, buffer.getvalue(), inside=self.folder)
        return path

    def record_inputs(self, reports: pd.DataFrame, folders: dict[str, str]) -> None:
        """Note every input report; ``folders`` maps each id to the folder it was read from."""
        for row in reports.itertuples():
            shown = (Path(folders[row.id]) / row.file).as_posix()
            self.inputs.append((shown, row.sha256, int(row.bytes)))

    def written(self) -> list[Path]:
        """The tables and figures written so far, in name order."""
        return sorted([*self.folder.glob("tables/*.csv"), *self.folder.glob("figures/*.png")])

    def finish(self) -> pd.DataFrame:
        """Write ``MANIFEST.csv`` and ``README.md``; return the manifest as a table."""
        rows = [{"kind": "command", "name": "command", "value": self.command}]
        rows += [
            {"kind": "parameter", "name": key, "value": json.dumps(value, ensure_ascii=False)}
            for key, value in sorted(self.parameters.items())
        ]
        rows.append({"kind": "seed", "name": "random seed", "value": str(SEED)})
        rows.append({"kind": "software", "name": "python", "value": platform.python_version()})
        rows.append({"kind": "software", "name": "helpers (git commit)", "value": _git_commit()})
        for package in _PACKAGES:
            with contextlib.suppress(metadata.PackageNotFoundError):
                rows.append(
                    {"kind": "software", "name": package, "value": metadata.version(package)}
                )
        for shown, digest, size in sorted(self.inputs):
            rows.append({"kind": "input", "name": shown, "sha256": digest, "bytes": size})
        for name, path in data_files().items():
            rows.append(
                {
                    "kind": "data",
                    "name": name,
                    "sha256": _sha256(path),
                    "bytes": path.stat().st_size,
                }
            )
        for path in self.written():
            rows.append(
                {
                    "kind": "output",
                    "name": path.relative_to(self.folder).as_posix(),
                    "sha256": _sha256(path),
                    "bytes": path.stat().st_size,
                }
            )
        manifest = pd.DataFrame(rows, columns=["kind", "name", "value", "sha256", "bytes"])
        manifest["bytes"] = manifest["bytes"].astype("Int64")
        buffer = io.StringIO()
        manifest.map(spreadsheet_safe).to_csv(buffer, index=False, lineterminator="\r\n")
        data = buffer.getvalue().encode("utf-8-sig")
        write_atomically(self.folder / "MANIFEST.csv", data, inside=self.folder)
        readme = self._readme().encode("utf-8")
        write_atomically(self.folder / "README.md", readme, inside=self.folder)
        return manifest

    def _readme(self) -> str:
        tables = "\n".join(f"- `{p.relative_to(self.folder).as_posix()}`" for p in self.written())
        parameters = "\n".join(
            f"- `{key}` = `{json.dumps(value, ensure_ascii=False)}`"
            for key, value in sorted(self.parameters.items())
        )
        return f"""# Research appendix (研究附录)

Written by the rule-of-law reports project's research workflow
(`notebooks/06_research_workflow.ipynb`), from the raw report files listed in `MANIFEST.csv`.

## What is where

- `research_workflow.ipynb` and `research_workflow.html`: the executed notebook, every step
  with its explanation and its output (when built with `make appendix`);
- `tables/`: every table, as CSV (UTF-8 with a byte-order mark; a text cell that would start
  a spreadsheet formula begins with `'`);
- `figures/`: every figure, as PNG;
- `MANIFEST.csv`: the SHA-256 of every input report and every data file the analysis read,
  the parameters, the command, Python and package versions, the random seed, and the SHA-256
  of every table and figure, to check them.

{tables}

## How to rebuild it

From a copy of the project at the commit named in `MANIFEST.csv`, with the reports at the paths
it lists:

    {self.command or "make appendix CORPUS=<folder> OUT=<folder>"}

The parameters of this build:

{parameters}

The same input gives the same tables, figures and manifest, byte for byte.
"""
