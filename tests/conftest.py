"""Shared fixtures: the project root, and one real render of the 2024 national report per test session."""
from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def copy_project(target: Path) -> Path:
    """A scratch copy of what a render reads (params, data, notebook), so tests may change it freely."""
    for name in ("params", "data", "notebooks"):
        shutil.copytree(ROOT / name, target / name)
    return target


def run_cli(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "baocao.cli", *args], cwd=cwd, capture_output=True, text=True)


@pytest.fixture(scope="session")
def rendered_2024(tmp_path_factory) -> Path:
    """outputs/2024/toan-quoc/ of a render from a copy of the shipped data, made once per session."""
    root = copy_project(tmp_path_factory.mktemp("project"))
    result = run_cli("render", "--year", "2024", cwd=root)
    assert result.returncode == 0, result.stdout + result.stderr
    return root / "outputs" / "2024" / "toan-quoc"
