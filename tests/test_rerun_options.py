"""A re-run compares everything that changes a byte of output or the exit code (issue 17, cause 2): the
render options as one object (`baocao.options.RenderOptions`), and params that agree with `--year`/`--unit`.

A unit rendered under other options is rendered again (a draft is never skipped as "không đổi" after a final
render, nor left in place as final after a draft; `--strict` after a lenient render checks again and fails),
and `--params` naming another year's or another unit's file is refused before anything is written.
"""
from __future__ import annotations

import itertools
import json
import shutil
from dataclasses import fields
from pathlib import Path

import pytest

from baocao import batch, cli, manifest
from baocao.errors import BaocaoError
from baocao.options import RenderOptions
from baocao.params import load_unit_params
from conftest import ROOT, pretend_rendered
from test_cli_errors import baocao as run_cli  # a wide terminal: messages are not folded
from test_batch import make_project
from test_claims import FOOTNOTE_1

UNITS = ["toan-quoc", "an-giang"]
OPTIONS = [f.name for f in fields(RenderOptions) if f.default is False]  # the switches; `--so-voi`: test_redline


@pytest.fixture
def project(tmp_path) -> Path:
    return make_project(tmp_path)


def _to_run(root: Path, options: RenderOptions) -> list[str]:
    return [job.unit for job in batch.plan(2024, UNITS, root, root / "outputs", options=options).jobs]


@pytest.mark.parametrize("option", OPTIONS)
def test_a_unit_rendered_under_other_options_is_rendered_again(project, option):
    plain, changed = RenderOptions(), RenderOptions(**{option: True})
    pretend_rendered(project, 2024, UNITS, plain)
    assert _to_run(project, plain) == []
    assert _to_run(project, changed) == UNITS
    pretend_rendered(project, 2024, UNITS, changed)
    assert _to_run(project, changed) == []
    assert _to_run(project, plain) == UNITS  # and back: the earlier option's outputs are not taken as these


def test_every_combination_of_options_has_its_own_key_and_its_own_flag(project):
    """Derived from the one object: a new field is a new flag of the commands that take it and a new part of
    the fingerprint, with nothing else to remember."""
    combos = [RenderOptions(**dict(zip(OPTIONS, values))) for values in itertools.product([False, True], repeat=len(OPTIONS))]
    params = load_unit_params(2024, "an-giang", project)
    notebook = project / "notebooks" / "bao_cao.ipynb"
    keys = {manifest.fingerprint(params, notebook, False, {}, {}, options).key for options in combos}
    assert len(keys) == len(combos)
    for name in OPTIONS:
        args = cli.parser().parse_args(["render", "--year", "2024", f"--{name}"])
        assert RenderOptions.from_args(args) == RenderOptions(**{name: True})


def _said(result) -> str:
    return " ".join((result.stdout + result.stderr).split())


def test_draft_after_a_final_render_makes_the_draft_and_back(project):
    first = run_cli("render", "--year", "2024", "--unit", "an-giang", cwd=project)
    assert first.returncode == 0 and "1 đơn vị đã kết xuất, 0 bỏ qua" in _said(first), _said(first)
    draft = run_cli("render", "--year", "2024", "--unit", "an-giang", "--draft", cwd=project)
    assert draft.returncode == 0 and "1 đơn vị đã kết xuất, 0 bỏ qua" in _said(draft), _said(draft)
    recorded = json.loads((project / "outputs/2024/an-giang/manifest.json").read_text(encoding="utf-8"))
    assert recorded["parameters"]["options"]["draft"] is True
    notebook = (project / "outputs/2024/an-giang/bao-cao.ipynb").read_text(encoding="utf-8")
    assert '\\"draft\\": True' in notebook  # the notebook was run with the option
    again = run_cli("render", "--year", "2024", "--unit", "an-giang", "--draft", cwd=project)
    assert "0 đơn vị đã kết xuất, 1 bỏ qua" in _said(again), _said(again)
    final = run_cli("render", "--year", "2024", "--unit", "an-giang", cwd=project)
    assert "1 đơn vị đã kết xuất, 0 bỏ qua" in _said(final), _said(final)


def test_strict_after_a_lenient_render_checks_again_and_fails(project):
    shutil.copy(FOOTNOTE_1, project / "data" / "2024" / "prose" / "chu-thich.md")  # two wrong typed figures
    lenient = run_cli("render", "--year", "2024", cwd=project)
    assert lenient.returncode == 0, _said(lenient)
    strict = run_cli("render", "--year", "2024", "--strict", cwd=project)
    said = _said(strict)
    assert strict.returncode == 1, said
    assert "chu-thich.md" in said and "38/60 địa phương" in said and "0 bỏ qua vì không đổi, 1 lỗi" in said, said


# --params against --year/--unit: (arguments, what the user reads)
MISMATCHES = {
    "2024-file-under-2025": (["render", "--year", "2025", "--params", "params/2024.yml"],
                             "tệp tham số là của năm 2024, không phải năm 2025 (--year)"),
    "national-file-under-a-province": (["render", "--year", "2024", "--unit", "ha-noi", "--params", "params/2024.yml"],
                                       "tệp tham số là của đơn vị «toan-quoc», không phải «ha-noi» (--unit)"),
    "province-file-as-national": (["render", "--year", "2024", "--params", "params/2024/ha-noi.yml"],
                                  "tệp tham số là của đơn vị «ha-noi», không phải «toan-quoc» (--unit)"),
    "last-years-province": (["render", "--year", "2025", "--unit", "tay-ninh", "--params", "params/2024/tay-ninh.yml"],
                            "tệp tham số là của năm 2024, không phải năm 2025 (--year)"),
    "check-too": (["check", "--year", "2025", "--params", "params/2024.yml"],
                  "tệp tham số là của năm 2024, không phải năm 2025 (--year)"),
}


@pytest.mark.parametrize("case", MISMATCHES)
def test_params_that_disagree_with_year_or_unit_are_refused_before_any_output(tmp_path, case):
    root = tmp_path
    shutil.copytree(ROOT / "params", root / "params")
    args, message = MISMATCHES[case]
    result = run_cli(*args, cwd=root)
    said = _said(result)
    assert result.returncode == 1 and message in said and "Traceback" not in said, said
    assert not (root / "outputs").exists()


def test_params_of_the_same_year_and_unit_are_accepted():
    assert load_unit_params(2024, "ha-noi", ROOT, ROOT / "params/2024/ha-noi.yml").unit == "ha-noi"
    with pytest.raises(BaocaoError) as caught:
        load_unit_params(2025, "ha-noi", ROOT, ROOT / "params/2024/ha-noi.yml")
    assert [p.column for p in caught.value.problems] == ["year"]
