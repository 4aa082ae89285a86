"""The same inputs give the same bytes: a reviewer can re-run a report and diff nothing."""
from __future__ import annotations

from baocao.report import build_for, write_outputs
from conftest import ROOT


def test_two_renders_of_the_national_report_are_byte_identical(tmp_path):
    first = write_outputs(build_for(2024, root=ROOT), tmp_path / "a")
    second = write_outputs(build_for(2024, root=ROOT), tmp_path / "b")
    assert first.keys() == second.keys()
    for kind in ("docx", "pdf", "facts", "source"):
        assert first[kind].read_bytes() == second[kind].read_bytes(), kind
    figures = sorted((tmp_path / "a" / "figures").glob("*.png"))
    assert figures and all(f.read_bytes() == (tmp_path / "b" / "figures" / f.name).read_bytes() for f in figures)
