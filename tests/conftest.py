"""Shared fixtures: the project root, and one real render per test session of each report users get:
the 2024 and 2025 national reports and Tây Ninh's 2025 report."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from PIL import Image, ImageChops, ImageFilter, ImageStat

ROOT = Path(__file__).resolve().parents[1]
REFERENCE = Path(__file__).parent / "reference"
REFERENCE_DPI = 75
WINDOW_RADIUS_PX = 6  # a 13-pixel (4.4 mm) window slid over the page: about one printed digit
MAX_MEAN_DIFFERENCE = 4.0  # whole page, grey levels 0-255
MAX_WINDOW_DIFFERENCE = 16.0  # any one window: a page number that vanishes gives 30 or more


def copy_project(target: Path) -> Path:
    """A scratch copy of what a render reads (params, data, notebook), so tests may change it freely."""
    for name in ("params", "data", "notebooks"):
        shutil.copytree(ROOT / name, target / name)
    return target


def run_generator(root: Path, script: str) -> None:
    """Run a sample generator of the data (`data/…/tao_….py`) in the copy `root` with this checkout's package."""
    result = subprocess.run([sys.executable, script], cwd=root, env=os.environ | {"PYTHONPATH": str(ROOT / "lib")},
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


def replace_once(path: Path, old: str, new: str) -> None:
    """Edit a file of a scratch project: `old`, which must be there, becomes `new`."""
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def pretend_rendered(root: Path, year: int, units: list[str], options=None) -> None:
    """Manifests as a successful run (under `options`, a `RenderOptions`) writes them, so that `batch.plan`
    can tell what changed (no kernel started)."""
    from baocao import batch, manifest
    from baocao.options import RenderOptions

    with batch.plan(year, units, root, root / "outputs", force=True, options=options or RenderOptions()) as plan:
        for job in plan.jobs:
            outdir = Path(job.outdir)
            outdir.mkdir(parents=True, exist_ok=True)
            (outdir / "bao-cao.md").write_text(job.unit, encoding="utf-8")
            manifest.write(outdir, job.fingerprint, batch.OK, 1.0, ["bao-cao.md"])


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


APT_PACKAGES = {"soffice": "libreoffice-writer", "pdftoppm": "poppler-utils"}


def require(tool: str) -> str:
    """The path of a client program (LibreOffice, poppler); skip without it, fail when CI demands it
    (BAOCAO_REQUIRE_CLIENTS=1)."""
    path = shutil.which(tool)
    if path is None:
        reason = f"Thiếu chương trình '{tool}' (gói Debian {APT_PACKAGES[tool]})"
        if os.environ.get("BAOCAO_REQUIRE_CLIENTS") == "1":
            pytest.fail(reason + " trong khi BAOCAO_REQUIRE_CLIENTS=1")
        pytest.skip(reason)
    return path


def libreoffice_pdf(docx: Path, work: Path) -> Path:
    """``docx`` converted to PDF by LibreOffice in ``work``, seeing the vendored fonts through fontconfig
    (a fresh profile each time, so no user setting changes the layout)."""
    from baocao.render.tools import FONTS_DIR

    soffice = require("soffice")
    work.mkdir(parents=True, exist_ok=True)
    fonts_conf = work / "fonts.conf"
    fonts_conf.write_text(
        '<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "fonts.dtd">\n<fontconfig>\n'
        '  <include ignore_missing="yes">/etc/fonts/fonts.conf</include>\n'
        f"  <dir>{FONTS_DIR}</dir>\n  <cachedir>{work / 'fc-cache'}</cachedir>\n</fontconfig>\n",
        encoding="utf-8",
    )
    result = subprocess.run(
        [soffice, f"-env:UserInstallation={(work / 'profile').as_uri()}", "--headless",
         "--convert-to", "pdf", "--outdir", str(work), str(docx)],
        env={**os.environ, "FONTCONFIG_FILE": str(fonts_conf)},
        capture_output=True, text=True, timeout=300, check=False,
    )
    converted = work / docx.with_suffix(".pdf").name
    assert result.returncode == 0 and converted.is_file(), result.stdout + result.stderr
    return converted


def rasterise(pdf: Path, page_index: int, target: Path) -> Image.Image:
    """Page ``page_index`` of ``pdf`` in grey at the reference resolution."""
    number = str(page_index + 1)
    subprocess.run([require("pdftoppm"), "-png", "-r", str(REFERENCE_DPI), "-gray", "-f", number, "-l", number,
                    "-singlefile", str(pdf), str(target.with_suffix(""))], check=True)
    return Image.open(target).convert("L")


def assert_matches_reference(image: Image.Image, name: str) -> None:
    """The page looks like the stored one: on the whole and in every small window (so that a small thing
    that disappears, such as the page number, is noticed)."""
    reference = REFERENCE / name
    if os.environ.get("BAOCAO_UPDATE_REFERENCE") == "1":
        image.save(reference, optimize=True)
    expected = Image.open(reference).convert("L")
    assert image.size == expected.size, f"{name}: page size changed {expected.size} -> {image.size}"
    difference = ImageChops.difference(image, expected)
    mean = ImageStat.Stat(difference).mean[0]
    assert mean <= MAX_MEAN_DIFFERENCE, f"{name}: mean pixel difference {mean:.2f}"
    worst = ImageStat.Stat(difference.filter(ImageFilter.BoxBlur(WINDOW_RADIUS_PX))).extrema[0][1]
    assert worst <= MAX_WINDOW_DIFFERENCE, f"{name}: a small part of the page differs by {worst} on average"


def refused(params_file: Path) -> list:
    """The problems `report.build` refuses the report of `params_file` with (it must refuse it)."""
    from baocao.errors import BaocaoError
    from baocao.params import load_params
    from baocao.report import build

    with pytest.raises(BaocaoError) as caught:
        build(load_params(params_file))
    return caught.value.problems

