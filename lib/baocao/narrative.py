"""Analysts' prose, with named placeholders for computed facts, rendered in a sandbox.

Prose files are Markdown with YAML front matter; `{{ indicators.citizen_visits.value }}` stands where a
number goes, so numbers are never retyped, and `{{ a - b }}` where a figure is derived from two facts.
Templates come from many hands, so they run in a bounded sandbox (`sandbox`), and every placeholder is
checked against the facts before rendering: an unknown name is reported with its file, line and the closest
known names.
"""
from __future__ import annotations

import difflib
import functools
import re
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import yaml
from jinja2 import Template, TemplateError, TemplateSyntaxError, nodes
from jinja2.sandbox import SecurityError

from . import prose_filter, schemas, yamlsafe
from .errors import BaocaoError, Problem, unreadable
from .filecache import by_file
from .params import key_lines
from .sandbox import ENV, TemplateLimit, loop_problems, refusals, render


@dataclass(frozen=True)
class Prose:
    item: str
    path: Path
    front_matter: dict
    body: str
    body_line: int  # line of the file where the body starts, for messages


def split_front_matter(text: str) -> tuple[str, str, int]:
    """(front matter YAML text, body, line where the body starts); no front matter: ("", text, 1).

    The YAML text starts on line 2 of the file."""
    if text.startswith("---\n"):
        end = text.find("\n---", 4)
        if end != -1:
            rest = text[end + 4:]
            return text[4:end], rest[1:] if rest.startswith("\n") else rest, text[: end + 4].count("\n") + 2
    return "", text, 1


# What editors and file systems leave beside a prose file: macOS resource forks (`._x.md`), LibreOffice and Word
# lock files (`.~lock.x.md#`, `~$x.md`), Finder's `.DS_Store`, other hidden files. None is an analyst's text.
_LITTER = re.compile(r"^(?:\.|~\$)")


def prose_files(folder: Path) -> list[Path]:
    """The prose files of a folder, in name order: its `*.md` files, without the litter editors leave."""
    return sorted(path for path in folder.glob("*.md") if not _LITTER.match(path.name)) if folder.is_dir() else []


@by_file
def read_prose(path: Path) -> Prose:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise BaocaoError(unreadable(path, exc, "tệp văn bản")) from None
    front_text, body, body_line = split_front_matter(text)
    front = yamlsafe.load(front_text, str(path), first_line=2) or {} if front_text else {}
    return Prose(item=str(front.get("muc", path.stem)), path=path, front_matter=front, body=body, body_line=body_line)


def _front_matter_lines(path: Path) -> dict[str, int]:
    """Front-matter key → its line in the file (the block starts on line 2), for messages about a key."""
    front, _, _ = split_front_matter(path.read_text(encoding="utf-8"))
    return {key[0]: line + 1 for key, line in key_lines(front).items() if len(key) == 1}


def read_prose_file(path: Path, ids: list[str]) -> tuple[Prose | None, list[Problem]]:
    """One prose file and the problems of its front matter (None when it cannot be used)."""
    try:
        prose = read_prose(path)
    except UnicodeDecodeError:
        return None, [Problem(file=str(path), message="tệp văn bản phải mã hóa UTF-8")]
    except yamlsafe.AliasRefused as exc:
        return None, exc.problems
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        return None, [Problem(file=str(path), row=mark.line + 2 if mark else None,  # front matter starts on line 2
                              message="phần đầu tệp (YAML giữa hai dòng ---) không hợp lệ: "
                                      + str(getattr(exc, "problem", exc)))]
    if not isinstance(prose.front_matter, dict):
        return None, [Problem(file=str(path), row=2, message="phần đầu tệp phải là các dòng «khóa: giá trị», ví dụ «muc: mo-dau»")]
    lines = _front_matter_lines(path)
    frame = pd.DataFrame([prose.front_matter], index=[1], dtype=object)
    found = schemas.validate(frame, schemas.front_matter_schema(ids), file=str(path), header_row=None, noun="khóa")
    problems = [Problem(**{**p.to_dict(), "row": lines.get(p.column or "", 1)}) for p in found]
    return (None if problems else prose), problems


def read_prose_paths(paths: list[Path], ids: list[str]) -> tuple[list[Prose], list[Problem]]:
    """Every usable prose file of `paths` (`prose_files`); each `muc` names an outline item, and only one
    file may fill an item."""
    proses, problems, owner = [], [], {}
    for path in paths:
        prose, found = read_prose_file(path, ids)
        problems += found
        if prose is None:
            continue
        if prose.item in owner:
            problems.append(Problem(file=str(path), row=_front_matter_lines(path).get("muc"), column="muc", value=prose.item,
                                    message=f"mục này đã có văn bản ở tệp {owner[prose.item].name}: mỗi mục một tệp"))
            continue
        owner[prose.item] = path
        proses.append(prose)
    return proses, problems


def _dotted(node: nodes.Node) -> str | None:
    if isinstance(node, nodes.Name):
        return node.name
    if isinstance(node, nodes.Getattr) and (base := _dotted(node.node)):
        return f"{base}.{node.attr}"
    return None


def _names(node: nodes.Node, stored: set[str]) -> list[tuple[str, int]]:
    """Every fact a template reads, as (dotted name, line): the longest `a.b.c` chains anywhere in it (in
    `{{ … }}` and in `{% if … %}` alike), except names the template itself assigns (loop variables)."""
    dotted = _dotted(node) if isinstance(node, (nodes.Name, nodes.Getattr)) else None
    if dotted is not None and getattr(node, "ctx", "load") == "load":
        return [] if dotted.split(".")[0] in stored else [(dotted, node.lineno)]
    return [found for child in node.iter_child_nodes() for found in _names(child, stored)]


def _known(context: dict, prefix: str = "") -> list[str]:
    """Every placeholder a template may use: the dotted paths to the leaves of the context."""
    names = []
    for key, value in context.items():
        name = f"{prefix}{key}"
        names.extend(_known(value, name + ".") if isinstance(value, dict) else [name])
    return names


def _resolve(context: dict, dotted: str) -> bool:
    value = context
    for part in dotted.split("."):
        if not isinstance(value, dict) or part not in value:
            return False
        value = value[part]
    return True


# Jinja's syntax errors, said the way an analyst fixes them: (what Jinja says, where the faulty tag opens, what
# to do). The first match wins; the problem points at the opening, which is the line a person must edit.
_SYNTAX = (
    (r"block that needs to be closed is '(\w+)'", lambda m: r"{%-?\s*" + m[1] + r"\b",
     lambda m: f"khối «{{% {m[1]} … %}}» chưa đóng: thêm «{{% end{m[1]} %}}» ở cuối đoạn thuộc khối"),
    (r"end of statement block'", lambda m: r"{%", lambda m: "thẻ «{% …» chưa đóng: thêm «%}» ở cuối thẻ"),
    (r"end of print statement'|unexpected '}'", lambda m: r"{{",
     lambda m: "chỗ giữ chỗ «{{ …» chưa đóng: thêm «}}» ở cuối, ví dụ {{ indicators.citizen_visits.value }}"),
    (r"unknown tag '(\w+)'", lambda m: r"{%-?\s*" + m[1] + r"\b",
     lambda m: f"thẻ «{{% {m[1]} %}}» không hợp lệ hoặc không có thẻ mở tương ứng: xóa thẻ hoặc sửa tên thẻ"),
    (r"Missing end of comment", lambda m: r"{#", lambda m: "ghi chú «{# …» chưa đóng: thêm «#}» ở cuối"),
)


def _syntax_problem(prose: Prose, exc: TemplateSyntaxError) -> Problem:
    line = exc.lineno
    for pattern, opener, say in _SYNTAX:
        if match := re.search(pattern, exc.message or ""):
            message = say(match)
            lines = [prose.body[: m.start()].count("\n") + 1 for m in re.finditer(opener(match), prose.body)]
            line = max((n for n in lines if n <= exc.lineno), default=line)
            break
    else:
        message = f"{exc.message}; chỗ giữ chỗ có dạng {{{{ indicators.citizen_visits.value }}}}"
    return Problem(file=str(prose.path), row=prose.body_line + line - 1, message=f"lỗi cú pháp: {message}")


@dataclass(frozen=True)
class _Parsed:
    """A prose body analysed once: what the sandbox refuses in it (line, message), the facts it reads, its
    syntax tree (to bound its loops) and the compiled template."""

    refused: tuple[tuple[int, str], ...]
    reads: tuple[tuple[str, int], ...]
    ast: nodes.Template
    template: Template


@functools.lru_cache(maxsize=1024)
def _parsed(body: str) -> _Parsed:
    """Parse and compile once per process: a batch fills the same prose for unit after unit, and Jinja's
    parser and compiler cost more than filling. Raises TemplateSyntaxError (not cached)."""
    ast = ENV.parse(body)
    stored = {node.name for node in ast.find_all(nodes.Name) if node.ctx in ("store", "param")}
    return _Parsed(tuple(refusals(ast)), tuple(_names(ast, stored)), ast, ENV.from_string(body))


def render_prose(prose: Prose, context: dict) -> tuple[str, list[Problem]]:
    """Fill the placeholders; problems name the file, line and placeholder, and suggest known names."""
    file = str(prose.path)
    try:
        parsed = _parsed(prose.body)
    except TemplateSyntaxError as exc:
        return "", [_syntax_problem(prose, exc)]
    problems = [Problem(file=file, row=prose.body_line + line - 1, message=message) for line, message in parsed.refused]
    if not problems:  # the size of loops is known from the facts they run over
        problems = [Problem(file=file, row=prose.body_line + line - 1, message=message)
                    for line, message in loop_problems(parsed.ast, context, _dotted)]
    unknown = [(dotted, line) for dotted, line in parsed.reads if not _resolve(context, dotted)]
    known = _known(context) if unknown else []
    for dotted, line in unknown:
        close = difflib.get_close_matches(dotted, known, n=3, cutoff=0.6)
        hint = f" Có phải: {', '.join(close)}?" if close else ""
        problems.append(Problem(file=file, row=prose.body_line + line - 1, value=dotted,
                                message=f"không có số liệu tên «{dotted}».{hint}"))
    if problems:
        return "", sorted(problems, key=lambda p: p.row or 0)
    try:
        return prose_filter.checked(prose, render(parsed.template, context))  # text, not markup
    except TemplateLimit as exc:
        return "", [Problem(file=file, row=None if exc.line is None else prose.body_line + exc.line - 1, message=str(exc))]
    except SecurityError as exc:
        return "", [Problem(file=file, message=f"mẫu văn bản dùng thao tác không được phép: {exc}")]
    except TemplateError as exc:  # e.g. a loop over a number: the template is wrong, not the program
        return "", [Problem(file=file, message=f"không điền được chỗ giữ chỗ: {exc}")]
