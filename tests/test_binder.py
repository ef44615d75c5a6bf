"""The Binder (repo2docker) configuration installs only what `make lab` installs, pinned.

repo2docker reads binder/ (and then ignores the top folder's environment.yml):
runtime.txt picks Python, requirements.txt is installed with pip, postBuild runs last.
Binder itself cannot be reached from the machines that run these tests, so this checks
the files, not a build.
"""

from __future__ import annotations

import os
import re
import shlex
import tomllib
from pathlib import Path

from support import ROOT

BINDER = ROOT / "binder"
PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)(\[[^\]]*\])?==([A-Za-z0-9.+!-]+)$")


def requirements(path: Path) -> dict[str, str]:
    """Package -> pinned version of a requirements file, following `-r` includes."""
    pins: dict[str, str] = {}
    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.split(" #")[0].strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("-r "):
            pins |= requirements((path.parent / line[3:].strip()).resolve())
            continue
        match = PIN.match(line)
        assert match, f"{path.name}: {line!r} is not pinned as name==version"
        pins[match.group(1).lower().replace("_", "-")] = match.group(3)
    return pins


def test_binder_installs_exactly_the_learners_pinned_list() -> None:
    binder = requirements(BINDER / "requirements.txt")
    learners = requirements(ROOT / "requirements.txt")
    assert binder == learners
    assert binder["jupyterlab"] and binder["mplfonts"]  # the lab and the font it serves
    maintainers = set(requirements(ROOT / "requirements-dev.txt")) - set(learners)
    assert {"pytest", "selenium", "ruff"} <= maintainers  # tools stay out of Binder
    assert not maintainers & set(binder)


def test_binder_python_is_the_tested_one() -> None:
    runtime = (BINDER / "runtime.txt").read_text().strip()
    assert re.fullmatch(r"python-3\.\d+", runtime), runtime
    conda = re.search(r"python=(3\.\d+)", (ROOT / "environment.yml").read_text()).group(1)
    assert runtime == f"python-{conda}"
    requires = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["requires-python"]
    minimum = re.search(r">=\s*3\.(\d+)", requires).group(1)
    assert int(runtime.split(".")[1]) >= int(minimum)


def test_post_build_installs_nothing_unpinned_and_sets_up_the_lab() -> None:
    script = BINDER / "postBuild"
    assert os.access(script, os.X_OK), "repo2docker runs postBuild only if it is executable"
    commands = [
        shlex.split(line)
        for line in script.read_text().splitlines()
        if line.strip() and not line.lstrip().startswith(("#", "set "))
    ]
    for words in commands:
        if "pip" in words and "install" in words:
            arguments = words[words.index("install") + 1 :]
            assert "--no-deps" in arguments, words  # dependencies come from the pinned list
            assert [a for a in arguments if not a.startswith("--")] == ["-e", "."], words
    assert any(words[:3] == ["python", "-m", "helpers.lab"] for words in commands)
    assert any("--prefix" in words for words in commands)  # a conda env, named explicitly


def test_ci_runs_the_readme_commands_without_make_as_written() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("### Without make", 1)[1].split("```bash", 1)[1].split("```", 1)[0]
    typed = [line.split("#")[0].strip() for line in section.strip().splitlines()]
    assert typed[0] == "python -m venv .venv" and typed[1].startswith(".venv\\Scripts\\activate")
    script = (ROOT / ".ci" / "without-make").read_text(encoding="utf-8")
    ran = script.split("# --- README: Without make (after activating) ---", 1)[1]
    ran = ran.split("# --- end ---", 1)[0].strip().splitlines()
    # After creating and activating the environment, word for word; the script starts
    # `jupyter lab` itself, with a port and token it can check.
    assert ran == typed[2:-1] and typed[-1] == "jupyter lab"
    assert "\njupyter lab --no-browser" in script
    assert "make" not in " ".join(ran).split()
    assert "bash .ci/without-make" in (ROOT / ".ci" / "run").read_text()
