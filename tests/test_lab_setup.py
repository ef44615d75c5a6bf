"""helpers.lab writes JupyterLab's settings into an environment, and only there."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from helpers import lab


def test_setup_lab_switches_on_the_extension_css_and_first_page(tmp_path: Path) -> None:
    written = lab.setup_lab(tmp_path)
    enable = tmp_path / "etc/jupyter/jupyter_server_config.d/fazhi-reports.json"
    settings = tmp_path / "etc/jupyter/jupyter_server_config.json"
    assert written == [enable, settings]
    assert json.loads(enable.read_text()) == {
        "ServerApp": {"jpserver_extensions": {"helpers.lab": True}}
    }
    assert json.loads(settings.read_text()) == {
        "LabApp": {"custom_css": True, "default_url": "/lab/tree/notebooks/01_reading.ipynb"}
    }
    assert sorted(p.name for p in tmp_path.rglob("*") if p.is_file()) == [
        "fazhi-reports.json", "jupyter_server_config.json"
    ]  # fmt: skip


def test_setup_lab_keeps_other_settings_and_gives_the_same_files_twice(tmp_path: Path) -> None:
    settings = tmp_path / "etc/jupyter/jupyter_server_config.json"
    settings.parent.mkdir(parents=True)
    settings.write_text('{"ServerApp": {"port": 9999}, "LabApp": {"collaborative": true}}')
    lab.setup_lab(tmp_path)
    first = settings.read_bytes()
    lab.setup_lab(tmp_path)
    assert settings.read_bytes() == first
    assert json.loads(first) == {
        "ServerApp": {"port": 9999},
        "LabApp": {
            "collaborative": True,
            "custom_css": True,
            "default_url": "/lab/tree/notebooks/01_reading.ipynb",
        },
    }


@pytest.mark.parametrize("content", ["{not json", "[1, 2]", '{"LabApp": 3}'])
def test_a_broken_settings_file_is_named_and_left_alone(tmp_path: Path, content: str) -> None:
    settings = tmp_path / "etc/jupyter/jupyter_server_config.json"
    settings.parent.mkdir(parents=True)
    settings.write_text(content)
    with pytest.raises(ValueError, match=r"jupyter_server_config\.json.*Fix or remove it"):
        lab.setup_lab(tmp_path)
    assert settings.read_text() == content


def test_the_command_refuses_a_system_python_without_a_prefix(tmp_path: Path) -> None:
    # A Python whose prefix is its base prefix (no venv), with no conda variables.
    code = (
        "import sys; sys.base_prefix = sys.prefix; from helpers import lab;"
        "sys.exit(lab.main([]))"
    )
    env = {"PATH": "/usr/bin:/bin", "PYTHONPATH": str(Path(lab.__file__).parent.parent)}
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env)
    assert result.returncode == 2
    assert "not a virtual or conda environment" in result.stderr
    assert "python -m venv .venv" in result.stderr


def test_the_command_with_a_prefix_writes_there(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "helpers.lab", "--prefix", str(tmp_path)],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    assert str(tmp_path / "etc/jupyter/jupyter_server_config.json") in result.stdout
    assert (tmp_path / "etc/jupyter/jupyter_server_config.d/fazhi-reports.json").exists()
