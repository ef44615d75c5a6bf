"""Execute every notebook top to bottom in a fresh kernel and save its outputs.

This is how stored outputs are refreshed (`make run`): never edit outputs by
hand. Notebooks run in file-name order, each in its own new kernel, with the
notebook's folder as working directory. After the run, any output written to
stderr is listed, because strict nbval would compare it and it usually holds
noise (timings, paths) that must be silenced at its source.

After a full run it also exports every figure of every notebook to
outputs/figures/ and writes outputs/MANIFEST.csv: each file under outputs/
with its size and SHA-256, plus the Python and package versions, so that a
paper's appendix can cite exactly what was produced.

Usage:  python scripts/run_notebooks.py [NOTEBOOK ...]
"""

from __future__ import annotations

import base64
import csv
import hashlib
import os
import platform
import sys
import time
from importlib import metadata
from pathlib import Path

import nbformat
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOK_DIRS = [ROOT / "notebooks", ROOT / "notebooks" / "solutions", ROOT / "notebooks" / "zh"]
OUTPUTS = ROOT / "outputs"
PACKAGES = [
    "pandas", "matplotlib", "jieba", "OpenCC", "wordcloud", "mplfonts", "numpy",
    "charset-normalizer", "pypdf", "nbclient", "ipykernel",
]  # fmt: skip


def notebooks(args: list[str]) -> list[Path]:
    if args:
        return [Path(a).resolve() for a in args]
    found: list[Path] = []
    for folder in NOTEBOOK_DIRS:
        found += sorted(folder.glob("[0-9][0-9]_*.ipynb"))
    return found


def stderr_outputs(nb: nbformat.NotebookNode) -> list[tuple[int, str]]:
    found = []
    for index, cell in enumerate(nb.cells):
        for output in cell.get("outputs", []):
            if output.get("output_type") == "stream" and output.get("name") == "stderr":
                found.append((index, output.get("text", "")[:200]))
    return found


def run(path: Path) -> float:
    nb = nbformat.read(path, as_version=4)
    start = time.perf_counter()
    client = NotebookClient(
        nb,
        kernel_name="python3",
        timeout=600,
        record_timing=False,  # no timestamps in the stored notebook
        resources={"metadata": {"path": str(path.parent)}},
    )
    client.execute()
    seconds = time.perf_counter() - start
    nb.metadata.pop("widgets", None)
    nbformat.write(nb, path)
    for index, text in stderr_outputs(nb):
        print(f"  WARNING {path.name} cell {index} wrote to stderr: {text!r}")
    return seconds


def export_figures(paths: list[Path]) -> int:
    """Write every PNG output to outputs/figures/<notebook>_cell<NN>_<k>.png."""
    folder = OUTPUTS / "figures"
    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.glob("*.png"):
        old.unlink()
    count = 0
    for path in paths:
        nb = nbformat.read(path, as_version=4)
        for index, cell in enumerate(nb.cells):
            pngs = [
                o["data"]["image/png"]
                for o in cell.get("outputs", [])
                if "image/png" in o.get("data", {})
            ]
            for k, png in enumerate(pngs, start=1):
                edition = "zh_" if path.parent.name == "zh" else ""
                name = f"{edition}{path.stem}_cell{index:02d}_{k}.png"
                (folder / name).write_bytes(base64.b64decode(png))
                count += 1
    return count


def write_manifest() -> Path:
    """outputs/MANIFEST.csv: every output file (size, SHA-256) and the software versions."""
    target = OUTPUTS / "MANIFEST.csv"
    rows = [{"kind": "python", "name": "python", "version": platform.python_version()}]
    rows += [
        {"kind": "package", "name": name, "version": metadata.version(name)} for name in PACKAGES
    ]
    for path in sorted(p for p in OUTPUTS.rglob("*") if p.is_file() and p != target):
        data = path.read_bytes()
        rows.append(
            {
                "kind": "file",
                "name": path.relative_to(ROOT).as_posix(),
                "bytes": len(data),
                "sha256": hashlib.sha256(data).hexdigest(),
            }
        )
    with open(target, "w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=["kind", "name", "version", "bytes", "sha256"])
        writer.writeheader()
        writer.writerows(rows)
    return target


def main(args: list[str]) -> int:
    os.environ.setdefault("PYTHONHASHSEED", "0")
    os.environ["FAZHI_PROGRESS"] = "0"  # stored outputs never hold a progress bar
    total = 0.0
    paths = notebooks(args)
    for path in paths:
        seconds = run(path)
        total += seconds
        print(f"{path.relative_to(ROOT)}: executed in {seconds:.1f} s")
    print(f"all notebooks: {total:.1f} s")
    if not args:
        figures = export_figures(paths)
        manifest = write_manifest()
        print(f"{figures} figures in outputs/figures/; {manifest.relative_to(ROOT)} written")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
