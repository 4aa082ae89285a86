"""Shared tables are read once per process, and read again as soon as the analyst saves the file."""
import os
import shutil
from pathlib import Path

from baocao.indicators import read_unit_indicators

ROOT = Path(__file__).resolve().parents[1]


def test_a_saved_table_is_read_again_and_an_unchanged_one_is_not(tmp_path):
    path = tmp_path / "chi-so-tinh.csv"
    shutil.copyfile(ROOT / "data/2024/chi-so-tinh.csv", path)
    first, _ = read_unit_indicators(path, 2024)
    assert read_unit_indicators(path, 2024)[0] is first  # same file: the validated table is reused

    text = path.read_text(encoding="utf-8")
    old = first["Tây Ninh"]["citizen_visits"].value
    row = next(line for line in text.splitlines() if line.startswith("Tây Ninh,citizen_visits,"))
    path.write_text(text.replace(row, row.replace(f",{old},", ",123456,", 1)), encoding="utf-8")
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000))  # a save within the same clock tick

    again, _ = read_unit_indicators(path, 2024)
    assert again["Tây Ninh"]["citizen_visits"].value == 123456
    assert again["An Giang"] == first["An Giang"]
