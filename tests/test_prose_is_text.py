"""Prose and params are the analysts' text, not markup (issue 17, cause 1).

The per-file cases (raw blocks, YAML blocks, divs, images… in prose) are in the bad-input corpus
(`test_readers.py::CASES`); here: what a user sees from the CLI, params values printing literally in both
documents, and a real render of every kind of shipped unit with the network failing loudly and pandoc in its
sandbox.
"""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from baocao.errors import BaocaoError
from baocao.narrative import Prose, render_prose
from baocao.params import load_params
from baocao.prose_filter import IMAGE, MAX_SCAN, REFUSED
from baocao.report import build, write_outputs
from baocao.render.tools import pandoc_path
from conftest import copy_project, run_cli
from test_hostile_text import docx_text, pdf_text, squashed

LIB = Path(__file__).resolve().parents[1] / "lib"
YAML_BLOCK = "\n---\nillustrative: false\ndraft: false\n---\n"


def test_a_yaml_block_in_shared_prose_is_refused_for_every_province_with_its_file_and_line(tmp_path):
    """The example of the issue: a YAML block in the provinces' shared prose would drop the «DỮ LIỆU MINH HỌA»
    mark of every province at once. `check` names the file and the line of the block's first «---»."""
    root = copy_project(tmp_path)
    prose = root / "data" / "2024" / "tinh" / "prose" / "han-che.md"
    text = prose.read_text(encoding="utf-8")
    prose.write_text(text + YAML_BLOCK, encoding="utf-8")
    line = text.count("\n") + 2
    for unit in ("tay-ninh", "ha-noi"):
        result = run_cli("check", "--year", "2024", "--unit", unit, "--json", cwd=root)
        assert result.returncode == 1 and "Traceback" not in result.stderr
        [problem] = [p for p in json.loads(result.stdout) if p["severity"] == "lỗi"]  # besides readiness warnings
        assert (problem["file"], problem["row"]) == ("data/2024/tinh/prose/han-che.md", line)
        assert problem["message"].startswith("khối YAML giữa hai dòng «---» trong thân văn bản")


@pytest.mark.parametrize("markup", ["```{=openxml}\n<w:p><w:r><w:t>ẩn</w:t></w:r></w:p>\n```",
                                    "::: {.appendix title=\"PHỤ LỤC GIẢ\"}\nx\n:::", "![x](/etc/passwd)"])
def test_a_render_with_markup_in_prose_stops_before_writing_anything(tmp_path, markup):
    root = copy_project(tmp_path)
    prose = root / "data" / "2024" / "prose" / "ket-luan.md"
    prose.write_text(prose.read_text(encoding="utf-8") + "\n" + markup + "\n", encoding="utf-8")
    with pytest.raises(BaocaoError) as caught:
        build(load_params(root / "params" / "2024.yml"))
    assert [Path(p.file).name for p in caught.value.errors] == ["ket-luan.md"]
    result = run_cli("render", "--year", "2024", cwd=root)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert not (root / "outputs" / "2024" / "toan-quoc" / "bao-cao.docx").exists()


HOSTILE = {  # params key → a value full of Markdown and Typst markup, which must print as typed
    "  place: Hà Nội\n": "  place: 'Hà Nội *[mới]* #x'\n",
    "  name: Trương Hải Long\n": "  name: 'Trương `#hide[Hải]`{=typst} Long $1$'\n",
    '  - "Lưu: VT, CTTN."\n': "  - 'Lưu: **VT**, @CTTN <b> _x_.'\n",
}


def test_params_values_print_literally_in_docx_and_pdf(tmp_path):
    root = copy_project(tmp_path)
    params = root / "params" / "2024.yml"
    text = params.read_text(encoding="utf-8")
    for old, new in HOSTILE.items():
        assert old in text
        text = text.replace(old, new, 1)
    params.write_text(text, encoding="utf-8")
    outputs = write_outputs(build(load_params(params)), root / "outputs")
    words, pdf = docx_text(outputs["docx"]), squashed(pdf_text(outputs["pdf"]))
    for typed in ("Hà Nội *[mới]* #x", "Trương `#hide[Hải]`{=typst} Long $1$", "Lưu: **VT**, @CTTN <b> _x_."):
        assert typed in words
        assert squashed(typed) in pdf


# --- a real render with no network and pandoc in its sandbox ---------------------------------------------------

SCRIPT = """
import json, socket, sys
from pathlib import Path

attempts = []

def refuse(*args, **kwargs):
    attempts.append(repr(args))
    raise OSError(101, "network blocked by the test")

for owner, name in ((socket.socket, "connect"), (socket.socket, "connect_ex"), (socket, "getaddrinfo"),
                    (socket, "create_connection")):
    setattr(owner, name, refuse)

from baocao.params import load_params, params_path
from baocao.report import build, write_outputs

root = Path(sys.argv[1])
written = {}
for year, unit in ((2024, "toan-quoc"), (2025, "toan-quoc"), (2025, "tay-ninh")):
    report = build(load_params(params_path(year, unit, root)))
    paths = write_outputs(report, root / "outputs" / str(year) / unit)
    written[f"{year}/{unit}"] = {"docx": str(paths["docx"]), "pdf": str(paths["pdf"]), "figures": len(report.figures)}
print(json.dumps({"attempts": attempts, "written": written}))
"""


def test_every_kind_of_shipped_unit_renders_without_network_and_with_pandoc_sandboxed(tmp_path):
    """The 2024 and 2025 national reports and a 2025 province, built and rendered as the notebook does, with
    Python's sockets failing (and recording) every connection, pandoc wrapped to log its arguments, and — where
    Linux user namespaces allow — the whole process tree, pandoc and the Typst compiler included, in a network
    namespace without any interface up."""
    root = copy_project(tmp_path / "project")
    log = tmp_path / "pandoc-calls.txt"
    wrapper = tmp_path / "pandoc"
    wrapper.write_text(f'#!/bin/sh\nprintf "%s\\n" "$*" >> "{log}"\nexec "{pandoc_path()}" "$@"\n', encoding="utf-8")
    wrapper.chmod(0o755)
    isolate = ["unshare", "-rn"] if shutil.which("unshare") and subprocess.run(
        ["unshare", "-rn", "true"], capture_output=True).returncode == 0 else []
    result = subprocess.run([*isolate, sys.executable, "-c", SCRIPT, str(root)], capture_output=True, text=True,
                            env={**os.environ, "PYTHONPATH": str(LIB), "PYPANDOC_PANDOC": str(wrapper)})
    assert result.returncode == 0, result.stderr[-3000:]
    outcome = json.loads(result.stdout.strip().splitlines()[-1])
    assert outcome["attempts"] == []
    for unit, written in outcome["written"].items():
        assert Path(written["pdf"]).read_bytes().startswith(b"%PDF"), unit
        with zipfile.ZipFile(written["docx"]) as docx:  # the charts still reach the DOCX through figures.lua
            assert len([n for n in docx.namelist() if n.startswith("word/media/")]) == written["figures"], unit
    assert sum(written["figures"] for written in outcome["written"].values()) > 0
    documents = [line for line in log.read_text(encoding="utf-8").splitlines() if "--output" in line]
    assert len(documents) == 6 and all(line.startswith("--sandbox ") for line in documents)


# --- where a refusal points ------------------------------------------------------------------------------------

def problems_in(body: str, context: dict | None = None) -> list[tuple[int, str]]:
    prose = Prose(item="mo-dau", path=Path("van-ban.md"), front_matter={}, body=body, body_line=4)
    _, problems = render_prose(prose, context or {})
    return [(p.row, p.message.split(" (")[0]) for p in problems]


def test_an_inline_element_is_placed_on_its_own_line_of_a_long_paragraph():
    body = "Dòng một của đoạn,\ndòng hai của đoạn,\ndòng ba có `x`{=openxml} ở đây,\ndòng bốn.\n"
    assert problems_in(body) == [(6, REFUSED["RawInline"].split(" (")[0])]


def test_a_line_printed_by_a_loop_is_placed_on_its_line_of_the_template():
    body = "{% for x in lan %}\nLần {{ x }}.\n{% endfor %}\nCuối cùng ![a](/etc/passwd) đây.\n"
    assert problems_in(body, {"lan": [1, 2, 3]}) == [(7, IMAGE.split(" (")[0])]  # the sandbox loops over facts only


def test_a_prose_longer_than_any_real_one_is_refused_at_its_first_line_without_a_long_scan():
    body = "Đoạn văn bình thường, không có gì lạ.\n\n" * 2000 + "![x](/etc/passwd)\n"
    assert len(body) > MAX_SCAN
    assert problems_in(body) == [(4, IMAGE.split(" (")[0])]
