"""Build a research appendix from one command (make appendix).

Runs notebooks/06_research_workflow.ipynb with papermill on the folder(s) you name,
and writes into OUT: the executed notebook and its HTML, tables/*.csv, figures/*.png,
MANIFEST.csv and README.md (see helpers/appendix.py). The progress bar names the
step that is running. Paths are taken from the folder you run it in.

Usage:
    make appendix CORPUS=path/to/reports [OUT=outputs/appendix] [GROUP_BY=period]
    python scripts/appendix.py --corpus FOLDER [--corpus FOLDER ...] --out OUT [--group-by COLUMN]
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOK = ROOT / "notebooks" / "06_research_workflow.ipynb"
NAME = "research_workflow"


def strip_timings(path: Path) -> None:
    """Remove what changes from run to run: papermill's times, and its random cell id."""
    import nbformat

    nb = nbformat.read(path, as_version=4)
    nb.metadata.get("papermill", {}).update(start_time=None, end_time=None, duration=None)
    for cell in nb.cells:
        if "injected-parameters" in cell.metadata.get("tags", []):
            cell.id = "injected-parameters"  # papermill gives it a new random id every run
        timings = cell.metadata.get("papermill", {})
        timings.update(start_time=None, end_time=None, duration=None)
        cell.metadata.pop("execution", None)
    nbformat.write(nb, path)


def problems_in(path: Path) -> list[str]:
    """Error or stderr outputs in the executed notebook, one message each."""
    import nbformat

    found = []
    for index, cell in enumerate(nbformat.read(path, as_version=4).cells):
        for output in cell.get("outputs", []):
            if output.get("output_type") == "error":
                found.append(f"cell {index}: {output.get('ename')}: {output.get('evalue')}")
            if output.get("output_type") == "stream" and output.get("name") == "stderr":
                found.append(f"cell {index} wrote to stderr: {output.get('text', '')[:200]!r}")
    return found


def to_html(path: Path) -> Path:
    from nbconvert import HTMLExporter

    body, _ = HTMLExporter(template_name="lab").from_filename(str(path))
    html = path.with_suffix(".html")
    html.write_text(body, encoding="utf-8")
    return html


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--corpus", action="append", required=True, help="a folder of reports (or several, a,b)"
    )
    parser.add_argument("--out", required=True, help="the appendix folder to write")
    parser.add_argument("--group-by", default="period", help="a manifest column, or period")
    args = parser.parse_args(argv)

    corpus = [f.rstrip("/") for given in args.corpus for f in given.split(",") if f.strip()]
    missing = [folder for folder in corpus if not Path(folder).is_dir()]
    if missing:
        sys.exit(f"error: no such folder: {', '.join(missing)} (paths start from {Path.cwd()})")
    from helpers.appendix import claim_folder

    out = Path(args.out)
    try:
        claim_folder(out)
    except FileExistsError as err:
        sys.exit(f"error: {err} (OUT=...)")
    command = "make appendix " + " ".join(
        [f"CORPUS={','.join(corpus)}", f"OUT={args.out}", f"GROUP_BY={args.group_by}"]
    )
    os.environ["FAZHI_PROGRESS"] = "0"  # helpers' own bars never enter the notebook
    os.environ.setdefault("PYTHONHASHSEED", "0")

    import papermill

    start = time.perf_counter()
    executed = out / f"{NAME}.ipynb"
    papermill.execute_notebook(
        str(NOTEBOOK),
        str(executed),
        parameters={
            "corpus": corpus,
            "out": args.out,
            "group_by": args.group_by,
            "command": command,
        },
        cwd=str(Path.cwd()),
        kernel_name="python3",
        progress_bar={"unit": "cell", "desc": "appendix"},
        log_output=False,
    )
    strip_timings(executed)
    html = to_html(executed)
    problems = problems_in(executed)
    seconds = time.perf_counter() - start
    print(f"{executed.as_posix()} and {html.name} written in {seconds:.1f} s")
    written = sorted(p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file())
    print(f"{len(written)} files in {out.as_posix()}/: " + ", ".join(written[:6]) + " …")
    if problems:
        print("The executed notebook has error output:\n  " + "\n  ".join(problems))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
