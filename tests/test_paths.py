"""Output paths never leave the outputs folder: a unit slug with `../`, an absolute path, a backslash or a NUL
byte is refused with a Vietnamese message before anything is written."""
from __future__ import annotations


import pytest

from baocao import cli, outdirs
from baocao.errors import BaocaoError

HOSTILE = {
    "../../etc": "«..»",
    "..": "«..»",
    "tay-ninh/../../x": "«..»",
    "/tmp/x": "tuyệt đối",
    "C:\\Windows": "tuyệt đối",
    "\\\\server\\share": "tuyệt đối",
    "a\\b": "phân cách",
    "a/b": "phân cách",
    "tay\0ninh": "NUL",
    "": "rỗng",
    "Tây Ninh": "không được phép",
}


@pytest.mark.parametrize(("unit", "reason"), HOSTILE.items())
def test_a_unit_that_is_not_a_plain_slug_is_refused(unit, reason, tmp_path):
    with pytest.raises(BaocaoError) as caught:
        outdirs.unit_dir(tmp_path / "outputs", 2024, unit)
    problem = caught.value.problems[0]
    assert reason in problem.message and "tay-ninh" in problem.message
    assert problem.file == "--unit" and problem.value == repr(unit)
    assert list(tmp_path.iterdir()) == []


def test_a_slug_gives_its_folder_under_the_year(tmp_path):
    assert outdirs.unit_dir(tmp_path / "outputs", 2024, "tay-ninh") == (tmp_path / "outputs" / "2024" / "tay-ninh").resolve()


def test_a_link_inside_outputs_that_points_outside_is_refused(tmp_path):
    year = tmp_path / "outputs" / "2024"
    year.mkdir(parents=True)
    (tmp_path / "elsewhere").mkdir()
    (year / "tay-ninh").symlink_to(tmp_path / "elsewhere")
    with pytest.raises(BaocaoError, match="ngoài thư mục kết quả"):
        outdirs.unit_dir(tmp_path / "outputs", 2024, "tay-ninh")


def test_file_names_sent_back_by_a_remote_worker_stay_in_the_unit_folder(tmp_path):
    assert outdirs.inside(tmp_path, "bao-cao.pdf", "máy chạy") == tmp_path / "bao-cao.pdf"
    for name in ("../bao-cao.pdf", "/etc/passwd", "..\\x.pdf", "a\0.pdf"):
        with pytest.raises(BaocaoError, match="tên không dùng được làm đường dẫn"):
            outdirs.inside(tmp_path, name, "máy chạy")


@pytest.mark.parametrize(("args", "expected"), [
    (["--unit", "../../tmp/x"], "chứa «..»"),
    (["--unit", "toan-quoc,/tmp/x"], "đường dẫn tuyệt đối"),
    (["--outputs", "kq\0"], "ký tự NUL"),
])
def test_the_command_refuses_hostile_paths_with_a_message_and_writes_nothing(args, expected, tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    assert cli.main(["render", "--year", "2024", *args]) == 1
    printed = " ".join(capsys.readouterr().err.split())
    assert expected in printed and "Traceback" not in printed
    assert list(tmp_path.iterdir()) == []
