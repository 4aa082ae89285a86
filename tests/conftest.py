"""Shared fixtures: the project root, and one real render per test session of each report users get:
the 2024 and 2025 national reports and Tây Ninh's 2025 report."""
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


def keep_only(path: Path) -> Path:
    """Remove the other-format twin of a table (x.xlsx beside x.csv) before a test edits `path`: an analyst who
    edits one file keeps only that one (one table, one file: see `readers.table_file`)."""
    from baocao.readers import table_candidates

    for twin in table_candidates(path)[1:]:
        twin.unlink(missing_ok=True)
    return path


def run_cli(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "baocao.cli", *args], cwd=cwd, capture_output=True, text=True)


def _render_real(tmp_path_factory, year: int, unit: str) -> Path:
    """outputs/<year>/<unit>/ of a CLI render from a copy of the shipped data: what a user really gets."""
    root = copy_project(tmp_path_factory.mktemp(f"project-{year}-{unit}"))
    result = run_cli("render", "--year", str(year), "--unit", unit, cwd=root)
    assert result.returncode == 0, result.stdout + result.stderr
    return root / "outputs" / str(year) / unit


@pytest.fixture(scope="session")
def rendered_2024(tmp_path_factory) -> Path:
    """The real 2024 national report (Báo cáo 1385/BC-BNV), rendered once per session."""
    return _render_real(tmp_path_factory, 2024, "toan-quoc")


@pytest.fixture(scope="session")
def rendered_2025(tmp_path_factory) -> Path:
    """The 2025 national report (34 provinces, 22 ministries, sample data), rendered once per session."""
    return _render_real(tmp_path_factory, 2025, "toan-quoc")


@pytest.fixture(scope="session")
def rendered_2025_tay_ninh(tmp_path_factory) -> Path:
    """Tây Ninh's own 2025 report (a merged province, with targets and a comparison), rendered once."""
    return _render_real(tmp_path_factory, 2025, "tay-ninh")


REAL_REPORTS = ("rendered_2024", "rendered_2025", "rendered_2025_tay_ninh")


@pytest.fixture(scope="session", params=REAL_REPORTS)
def real_report(request) -> Path:
    """Each report baocao really writes, for assertions that must hold for all of them."""
    return request.getfixturevalue(request.param)
