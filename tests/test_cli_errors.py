"""What a user sees on the command line for bad input: the Vietnamese message naming file and place, a
non-zero exit, and never a Python traceback unless `--debug` asks for one."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT, copy_project, keep_only

BAD = Path(__file__).parent / "data" / "bad"


def baocao(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    """The CLI in a wide terminal, so that rich does not fold a message across lines of its table."""
    env = os.environ | {"COLUMNS": "1000", "PYTHONPATH": str(ROOT / "lib")}
    return subprocess.run([sys.executable, "-m", "baocao.cli", *args], cwd=cwd, capture_output=True, text=True, env=env)


def plant(root: Path, bad: str, target: str) -> None:
    shutil.copyfile(BAD / bad, keep_only(root / target))


def huge_register(root: Path) -> None:
    path = keep_only(root / "data" / "2024" / "so-theo-doi.csv")
    header = path.read_text(encoding="utf-8").split("\n", 3)[:3]
    path.write_text("\n".join(header + ["1,Bộ Quốc phòng,,,1765/BC-DV,14/12/2024,673/BC-DV,24/5/2024"] * 100_000) + "\n",
                    encoding="utf-8")


def unreadable_register(root: Path) -> None:
    """A folder where the register should be: what a root user cannot simulate with chmod 000."""
    path = root / "data" / "2024" / "so-theo-doi.csv"
    path.unlink()
    path.mkdir()


# case → (how to break a copy of the project, the command, what the user must read)
CASES = {
    "params-unknown-key": (lambda root: plant(root, "params-unknown-key.yml", "params/2024.yml"), "check",
                           ["params/2024.yml", "22", "signer.authorty", "khóa không có trong mẫu tham số (gõ nhầm?); có phải «authority»?"]),
    "params-yaml-syntax": (lambda root: plant(root, "params-yaml-syntax.yml", "params/2024.yml"), "render",
                           ["params/2024.yml", "14", "YAML không hợp lệ (mapping values are not allowed in this context)"]),
    "prose-unknown-placeholder": (lambda root: plant(root, "prose-unknown-placeholder.md", "data/2024/prose/mo-dau.md"), "check",
                                  ["data/2024/prose/mo-dau.md", "submissions.provinces.anual_report.received",
                                   "Có phải: submissions.provinces.annual_report.received"]),
    "prose-unclosed-block": (lambda root: plant(root, "prose-unclosed-block.md", "data/2024/prose/mo-dau.md"), "render",
                             ["data/2024/prose/mo-dau.md", "lỗi cú pháp: khối «{% if … %}» chưa đóng: thêm «{% endif %}»"]),
    "register-cp1258": (lambda root: plant(root, "register-cp1258.csv", "data/2024/so-theo-doi.csv"), "check",
                        ["data/2024/so-theo-doi.csv", "tệp CSV không mã hóa UTF-8", "«CSV UTF-8 (Comma delimited) (*.csv)»"]),
    "register-binary": (lambda root: plant(root, "register-binary.csv", "data/2024/so-theo-doi.csv"), "render",
                        ["data/2024/so-theo-doi.csv", "tệp không phải bảng CSV (nội dung nhị phân)"]),
    "register-huge": (huge_register, "check", ["data/2024/so-theo-doi.csv", "100003 dòng", "bảng quá lớn: quá 50000 dòng có dữ liệu"]),
    "register-folder": (unreadable_register, "check", ["data/2024/so-theo-doi.csv", "đây là một thư mục, không phải tệp"]),
    "register-missing": (lambda root: (root / "data" / "2024" / "so-theo-doi.csv").unlink(), "check",
                         ["data/2024/so-theo-doi.csv", "không tìm thấy tệp: kiểm tra tên tệp và thư mục"]),
    "params-missing": (lambda root: (root / "params" / "2024.yml").unlink(), "check",
                       ["params/2024.yml", "không tìm thấy tệp tham số"]),
}


@pytest.fixture(scope="module")
def pristine(tmp_path_factory) -> Path:
    return copy_project(tmp_path_factory.mktemp("pristine"))


def broken(pristine: Path, tmp_path: Path, case: str) -> Path:
    root = tmp_path / "project"
    shutil.copytree(pristine, root)
    CASES[case][0](root)
    return root


@pytest.mark.parametrize("case", sorted(CASES))
def test_bad_input_prints_the_message_and_no_traceback(pristine, tmp_path, case):
    root = broken(pristine, tmp_path, case)
    _, command, expected = CASES[case]
    result = baocao(command, "--year", "2024", cwd=root)
    shown = result.stdout + result.stderr
    assert result.returncode == 1, shown
    for text in expected:
        assert text in shown, (text, shown)
    assert "Traceback" not in shown and "Lỗi không mong đợi" not in shown


def test_debug_adds_the_traceback_to_the_same_message(pristine, tmp_path):
    root = broken(pristine, tmp_path, "params-unknown-key")
    plain = baocao("check", "--year", "2024", cwd=root)
    debug = baocao("--debug", "check", "--year", "2024", cwd=root)
    assert plain.returncode == debug.returncode == 1
    assert "Traceback" not in plain.stderr and "Traceback (most recent call last)" in debug.stderr
    message = "khóa không có trong mẫu tham số (gõ nhầm?); có phải «authority»?"
    assert message in plain.stderr and message in debug.stderr
