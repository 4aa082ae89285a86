"""What changed since the previous draft: the comparison behind `render --draft` (and `--so-voi`).

A unit's outputs keep what the next draft needs to compare with: `bao-cao.docx` (what reviewers read),
`bao-cao.md` (its source), `facts.json` (every number it shows) and `manifest.json` (the hashes of the input
files it was computed from). A draft compares itself with the output already in the unit's folder (read
before the new set is published: see `atomic.publish`), or with a named earlier output. The result is:

- in the DOCX, Word tracked changes for the text that changed (`render.tracked`);
- in the PDF, a bar in the margin beside each changed paragraph (the source wraps it in a `thay-doi` div,
  which `templates/baocao.lua` turns into `baocao-changed` of the Typst template);
- in the reviewers' annex (`review.annex`), every changed number, old → new, with the input file whose
  change changed it, and every changed paragraph.

A previous output that cannot be read is an error, never a silent "nothing changed": a draft claiming no
change must be true.
"""
from __future__ import annotations

import datetime as dt
import difflib
import hashlib
import json
import os
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

from . import atomic, manifest
from .errors import BaocaoError, Problem
from .execute import NOTEBOOK
from .markdown import escape
from .options import RenderOptions
from .params import Params
from .render import tracked
from .units import NATIONAL_SLUG
from .vnformat import number
from .vocabulary import DOCUMENTS, GROUPS

DOCX, SOURCE, FACTS = "bao-cao.docx", "bao-cao.md", "facts.json"
CLASS = "thay-doi"
OPEN, CLOSE = "::::: {." + CLASS + "}", ":::::"  # five colons: no other div of the source uses as many
SIGNATURE = "::: {.signature}"
FIX = ("chọn bản khác bằng --so-voi THƯ_MỤC, hoặc xóa các tệp kết quả cũ của đơn vị này để bắt đầu lại "
       "(bản dự thảo sau đó không có gì để so sánh)")

# Which inputs can change the numbers of each part of facts.json, in the order they are blamed.
SOURCES = {
    "submissions": ("register", "params"),
    "indicators": ("indicators", "compare.indicators", "params"),
    "targets": ("targets", "indicators", "params"),
    "compare": ("compare.submissions", "compare.indicators", "compare.weights", "register", "indicators"),
}
FIELD_WORDS = {
    "total": "số đơn vị phải gửi", "received": "số đơn vị đã gửi", "late": "số đơn vị gửi muộn",
    "on_time": "số đơn vị gửi đúng hạn", "missing": "số đơn vị chưa gửi", "received_share": "tỷ lệ đã gửi (%)",
    "value": "giá trị", "change": "mức thay đổi", "previous": "giá trị năm trước",
    "numerator": "tử số", "denominator": "mẫu số", "current": "giá trị năm nay", "level": "mức chỉ tiêu",
}
TEXT_OF = {"value": "value_text", "change": "change_text", "numerator": "numerator_text",
           "denominator": "denominator_text", "previous": "previous_text", "current": "current_text",
           "level": "level_text"}


@dataclass(frozen=True)
class Previous:
    """The output compared with, read whole before anything of the new run is written."""

    folder: Path
    docx_hash: str
    paragraphs: list[tracked.Paragraph]
    blocks: list[str]
    facts: dict
    inputs: dict | None  # its manifest's inputs; None when it has no readable manifest


@dataclass(frozen=True)
class NumberChange:
    label: str
    old: str
    new: str
    source: str  # the input file that changed it, as the annex prints it


@dataclass
class Changes:
    """What the annex, the PDF and the DOCX show of the comparison; `previous` None: nothing to compare
    with (the unit's first output)."""

    previous: Previous | None
    date: dt.date
    numbers: list[NumberChange] = field(default_factory=list)
    changed_blocks: list[int] = field(default_factory=list)  # indices into `body_blocks` of the new source
    paragraphs: list[str] = field(default_factory=list)  # one annex line per changed or deleted paragraph

    def annex(self, root: Path) -> str:
        """Section 5 of the reviewers' annex (Markdown)."""
        title = "**5. Thay đổi so với bản trước**"
        if self.previous is None:
            return "\n\n".join([title, "Chưa có bản trước của đơn vị này trong thư mục kết quả: đây là bản đầu "
                                       "tiên, không có gì để so sánh."])
        folder = self.previous.folder
        shown = folder.relative_to(root) if folder.is_relative_to(root) else folder
        against = escape(f"So với {shown / DOCX} (sha256 {self.previous.docx_hash[:12]}).")
        if not self.numbers and not self.paragraphs:
            return "\n\n".join([title, against, "Không có thay đổi nào về văn bản và số liệu so với bản trước."])
        numbers = [f"- {escape(c.label)}: {escape(c.old)} → {escape(c.new)} ({escape(c.source)})" for c in self.numbers]
        return "\n\n".join([
            title, against,
            "Số liệu đã thay đổi (cũ → mới, tệp đầu vào làm thay đổi):",
            "\n".join(numbers or ["- Không có số liệu nào thay đổi."]),
            "Đoạn văn đã thay đổi (bản DOCX ghi chúng dạng sửa đổi theo dõi của «baocao», bản PDF có vạch ở lề trái):",
            "\n".join(self.paragraphs or ["- Không có đoạn văn nào thay đổi."]),
        ])


def render_date() -> dt.date:
    """The date tracked changes carry: today (UTC), or the day of `SOURCE_DATE_EPOCH` when it is set, so a
    rebuild can reproduce a draft byte for byte."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        return dt.datetime.fromtimestamp(int(epoch), dt.timezone.utc).date()
    return dt.datetime.now(dt.timezone.utc).date()


# --- the body of a report source --------------------------------------------------------------------------

_LIST_ITEM = re.compile(r"(?:[-*+]|\d+[.)])\s")


def _split(markdown: str) -> tuple[str, list[str], str]:
    """(front matter, the body's blocks, the rest from the signature on). A block is what stands between
    blank lines; the items of one list stay one block (a bar beside one item must not cut the list)."""
    end = markdown.index("\n---\n", 4) + len("\n---\n")
    at = markdown.index(SIGNATURE, end)
    blocks: list[str] = []
    for block in (b.strip("\n") for b in markdown[end:at].split("\n\n")):
        if not block.strip():
            continue
        if blocks and _LIST_ITEM.match(block) and _LIST_ITEM.match(blocks[-1]):
            blocks[-1] += "\n\n" + block
        else:
            blocks.append(block)
    return markdown[:end], blocks, markdown[at:]


def body_blocks(markdown: str) -> list[str]:
    """The body's blocks as written before any was marked changed (an earlier draft's marks removed)."""
    head, blocks, tail = _split(markdown)
    unmarked = "\n\n".join(b for b in blocks if b not in (OPEN, CLOSE))
    unmarked = "\n".join(line for line in unmarked.split("\n") if line not in (OPEN, CLOSE))
    return _split(f"{head}{unmarked}\n\n{tail}")[1]


def mark_blocks(markdown: str, indices: list[int]) -> str:
    """The source with the body blocks `indices` wrapped in the `thay-doi` div (the PDF's margin bar)."""
    if not indices:
        return markdown
    head, blocks, tail = _split(markdown)
    chosen = set(indices)
    blocks = [f"{OPEN}\n{b}\n{CLOSE}" if i in chosen else b for i, b in enumerate(blocks)]
    return head + "\n\n".join(blocks) + "\n\n" + tail


_FENCE = re.compile(r"^:{3,}\s*(?:\{[^}]*\})?\s*$", re.MULTILINE)


def _content(block: str) -> str:
    """The block without the div fences around it (anchors other code wraps blocks in), white space as one
    space: what is compared, so that only a change a reader can see counts."""
    return " ".join(_FENCE.sub("", block).split())


_MARKUP = re.compile(r"\[\^[^\]]*\]|\\(.)|[*_#]|^[-+*]\s|^\d+[.)]\s|^\s*[+|].*$", re.MULTILINE)


def _excerpt(block: str, words: int = 14) -> str:
    """The block's first words as a reader sees them; a table is named as one (its figures are listed above)."""
    block = _FENCE.sub("", block).strip()
    if block.startswith(("+", "|")):
        return "bảng số liệu"
    plain = " ".join(_MARKUP.sub(lambda m: m.group(1) or "", block).split())
    cut = plain.split(" ")
    return " ".join(cut[:words]) + (" …" if len(cut) > words else "")


def _where(blocks: list[str], index: int) -> str:
    """The heading the block stands under («mục 1. Công tác …»), or "" before the first heading."""
    for block in reversed(blocks[:index]):
        if block.startswith("#"):
            return "mục " + _excerpt(block, 8)
    return ""


def _paragraph_changes(old: list[str], new: list[str]) -> tuple[list[int], list[str]]:
    key = [_content(b) for b in old], [_content(b) for b in new]
    changed, lines = [], []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, *key, autojunk=False).get_opcodes():
        if op == "equal":
            continue
        for j in range(j1, j2):
            changed.append(j)
            kind = "sửa" if op == "replace" and j - j1 < i2 - i1 else "mới"
            where = _where(new, j)
            lines.append(f"- {kind}{', ' + escape(where) if where else ''}: «{escape(_excerpt(new[j]))}»")
        for i in range(i1 + (j2 - j1 if op == "replace" else 0), i2):
            lines.append(f"- đã xóa: «{escape(_excerpt(old[i]))}»")
    return changed, lines


# --- numbers ----------------------------------------------------------------------------------------------

def _leaves(value, path: tuple = ()) -> dict[tuple, object]:
    if isinstance(value, dict):
        return {k: v for key, item in value.items() for k, v in _leaves(item, path + (key,)).items()}
    if isinstance(value, list) and all(isinstance(item, dict) for item in value):
        return {k: v for i, item in enumerate(value) for k, v in _leaves(item, path + (i,)).items()}
    return {path: value}


def _is_number(value) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _label(path: tuple, facts: dict) -> str:
    section = path[0]
    if section == "submissions" and len(path) >= 3:
        group = GROUPS.get(path[1], path[1])
        if path[2] == "total":
            return f"{group}: {FIELD_WORDS['total']}"
        return f"{group} — {DOCUMENTS.get(path[2], path[2])}: {FIELD_WORDS.get(path[-1], path[-1])}"
    named, owner = None, facts  # the innermost record on the path with a name (an indicator, a target)
    for part in path[:-1]:
        owner = owner[part]
        if isinstance(owner, dict) and isinstance(owner.get("name") or owner.get("text"), str):
            named = owner.get("name") or owner.get("text")
    if named is None:
        return ".".join(str(p) for p in path)
    where = {"targets": "chỉ tiêu ", "compare": f"so sánh với năm {facts['compare'].get('year')}, "}.get(section, "")
    return f"{where}{named}: {FIELD_WORDS.get(path[-1], path[-1])}"


def _shown(path: tuple, facts: dict, value) -> str:
    """A value as the report prints it: the computed text beside it when facts.json has one."""
    if value is None:
        return "không có"
    parent = facts
    for part in path[:-1]:
        parent = parent[part]
    text = parent.get(TEXT_OF.get(path[-1], ""), None) if isinstance(parent, dict) else None
    if isinstance(text, str) and text:
        return text
    if isinstance(value, float):
        return number(round(value, 2))
    return number(value) if _is_number(value) else str(value)


def _changed_inputs(previous: Previous, params: Params) -> set[str] | None:
    """Names of the inputs (`manifest.fingerprint`'s) whose hash differs from the previous run's; None when
    the previous output has no manifest to tell."""
    if previous.inputs is None:
        return None
    now = manifest.fingerprint(params, params.root / NOTEBOOK, params.unit == NATIONAL_SLUG, {}, {}).inputs
    return {name for name in now.keys() | previous.inputs.keys()
            if (now.get(name) or {}).get("sha256") != (previous.inputs.get(name) or {}).get("sha256")}


def _source(section: str, changed: set[str] | None, previous: Previous, params: Params) -> str:
    if changed is None:
        return "không rõ tệp nào: bản trước không có manifest.json"
    for name in SOURCES.get(section, ()):
        if name in changed:
            entry = previous.inputs.get(name) or {}
            path = Path(entry.get("path", name))
            return f"do {path.relative_to(params.root) if path.is_relative_to(params.root) else path} thay đổi"
    return "các tệp dữ liệu của mục này không đổi: do tham số hoặc phiên bản baocao"


def _number_changes(previous: Previous, facts: dict, params: Params) -> list[NumberChange]:
    old, new = _leaves(previous.facts), _leaves(facts)
    changed = _changed_inputs(previous, params)
    found = []
    for path in new:
        if path[0] not in SOURCES or path[-1] == "year" or path not in old:
            continue
        before, after = old[path], new[path]
        if not (_is_number(before) or _is_number(after)) or before == after:
            continue
        shown = _shown(path, previous.facts, before), _shown(path, facts, after)
        if shown[0] != shown[1]:  # a difference the report cannot show (beyond its decimals) is none to a reader
            found.append(NumberChange(_label(path, facts), *shown, _source(path[0], changed, previous, params)))
    return found


def compare(previous: Previous | None, markdown: str, facts: dict, params: Params, date: dt.date) -> Changes:
    """The changes of the new source `markdown` (its body) and `facts` since `previous`."""
    changes = Changes(previous=previous, date=date)
    if previous is None:
        return changes
    changes.changed_blocks, changes.paragraphs = _paragraph_changes(previous.blocks, body_blocks(markdown))
    changes.numbers = _number_changes(previous, facts, params)
    return changes


# --- reading the previous output --------------------------------------------------------------------------

def published_folder(outdir: Path) -> Path:
    """The unit's folder of `outdir`, which is its staging folder while a batch renders (see `atomic`)."""
    outdir = Path(outdir)
    if atomic.is_stage(outdir):
        return outdir.with_name(outdir.name[1:-len(atomic.STAGE_MARK)])
    return outdir


def _problem(path: Path, message: str) -> Problem:
    return Problem(file=str(path), message=f"{message}: {FIX}")


def _read_previous(folder: Path, named: bool) -> tuple[Previous | None, list[Problem]]:
    files = {name: folder / name for name in (DOCX, SOURCE, FACTS)}
    present = [name for name, path in files.items() if path.exists()]
    if not named and DOCX not in present and DOCX not in manifest.outputs(folder):
        return None, []  # no document yet (the unit's first output): nothing to compare with
    problems = [_problem(path, "bản trước để so sánh thiếu tệp này") for name, path in files.items()
                if name not in present]
    if problems:
        return None, problems
    try:
        paragraphs = tracked.read_paragraphs(files[DOCX])
        docx_hash = hashlib.sha256(files[DOCX].read_bytes()).hexdigest()
    except (OSError, zipfile.BadZipFile, KeyError, etree.XMLSyntaxError, ValueError) as exc:
        problems.append(_problem(files[DOCX], f"tệp DOCX của bản trước hỏng hoặc không đọc được ({type(exc).__name__})"))
    try:
        blocks = body_blocks(files[SOURCE].read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        problems.append(_problem(files[SOURCE], f"tệp nguồn của bản trước hỏng hoặc không đọc được ({type(exc).__name__})"))
    try:
        facts = json.loads(files[FACTS].read_text(encoding="utf-8"))
        if not isinstance(facts, dict):
            raise ValueError("not an object")
    except (OSError, ValueError) as exc:
        problems.append(_problem(files[FACTS], f"tệp facts.json của bản trước hỏng hoặc không đọc được ({type(exc).__name__})"))
    if problems:
        return None, problems
    recorded = manifest.read(folder)
    inputs = recorded.get("inputs") if recorded else None
    return Previous(folder=folder, docx_hash=docx_hash, paragraphs=paragraphs, blocks=blocks, facts=facts,
                    inputs=inputs if isinstance(inputs, dict) else None), []


def load(params: Params, outdir: Path | None, so_voi: str = "") -> Previous | None:
    """The output a draft of `params`'s unit compares with: `so_voi` (a folder of outputs, or a file in it)
    when given, otherwise the unit's own folder (None there: its first output). Raises `BaocaoError` when it
    is missing, unreadable, or of another unit or year."""
    if so_voi:
        named = Path(so_voi)
        if not named.exists():
            raise BaocaoError(Problem(file="--so-voi", value=so_voi,
                                      message="không tìm thấy bản kết quả trước này: ghi thư mục kết quả của đơn vị, "
                                              "ví dụ --so-voi outputs/2024/toan-quoc"))
        folder = named if named.is_dir() else named.parent
    else:
        folder = published_folder(outdir)
    previous, problems = _read_previous(folder, named=bool(so_voi))
    if problems:
        raise BaocaoError(problems)
    if previous is not None:
        year, unit = previous.facts.get("year"), previous.facts.get("unit")
        if (year, unit) != (params.year, params.unit):
            raise BaocaoError(Problem(
                file=str(folder / FACTS), value=f"{unit}, {year}",
                message=f"bản trước này là kết quả của đơn vị «{unit}» năm {year}, không phải của «{params.unit}» "
                        f"năm {params.year}: so sánh với một bản trước của chính đơn vị và năm này"))
    return previous


def option_problems(options: RenderOptions, units: list[str]) -> list[Problem]:
    """`--so-voi` names one earlier output of one unit, and only a draft shows changes."""
    if not options.so_voi:
        return []
    problems = []
    if not options.draft:
        problems.append(Problem(file="--so-voi", value=options.so_voi,
                                message="chỉ dùng --so-voi cùng --draft: bản trình ký không ghi thay đổi"))
    if len(units) > 1:
        problems.append(Problem(file="--so-voi", value=options.so_voi, message="chỉ dùng --so-voi với một đơn vị"))
    return problems
