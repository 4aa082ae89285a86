"""Analysts' prose, with named placeholders for computed facts, rendered in a sandbox.

Prose files are Markdown with YAML front matter; `{{ indicators.citizen_visits.value }}` stands where a
number goes, so numbers are never retyped. Templates come from many hands, so they run in Jinja's immutable
sandbox, and every placeholder is checked against the facts before rendering: an unknown name is reported
with its file, line and the closest known names.
"""
from __future__ import annotations

import difflib
import functools
import re
from dataclasses import dataclass
from pathlib import Path

import yaml
from jinja2 import StrictUndefined, Template, TemplateError, TemplateSyntaxError, nodes
from jinja2.sandbox import ImmutableSandboxedEnvironment, SecurityError

from .errors import BaocaoError, Problem, unreadable
from .filecache import by_file


def sandbox(**options) -> ImmutableSandboxedEnvironment:
    """The one environment prose templates run in; the notebook adds a `finalize` that marks each figure."""
    return ImmutableSandboxedEnvironment(undefined=StrictUndefined, autoescape=False, keep_trailing_newline=True,
                                         **options)


_ENV = sandbox()


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


@by_file
def read_prose(path: Path) -> Prose:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise BaocaoError(unreadable(path, exc, "tệp văn bản")) from None
    front_text, body, body_line = split_front_matter(text)
    front = yaml.safe_load(front_text) or {} if front_text else {}
    return Prose(item=str(front.get("muc", path.stem)), path=path, front_matter=front, body=body, body_line=body_line)


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


def _not_a_name(ast: nodes.Template) -> list[int]:
    """Lines of `{{ … }}` that hold something other than a plain fact name (a filter, a call, arithmetic)."""
    return [node.lineno for output in ast.find_all(nodes.Output) for node in output.nodes
            if not isinstance(node, nodes.TemplateData) and _dotted(node) is None]


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
    """A prose body analysed once: the lines of `{{ … }}` that are not a plain name, the facts it reads,
    and the compiled template."""

    not_names: tuple[int, ...]
    reads: tuple[tuple[str, int], ...]
    template: Template


@functools.lru_cache(maxsize=1024)
def _parsed(body: str) -> _Parsed:
    """Parse and compile once per process: a batch fills the same prose for unit after unit, and Jinja's
    parser and compiler cost more than filling. Raises TemplateSyntaxError (not cached)."""
    ast = _ENV.parse(body)
    stored = {node.name for node in ast.find_all(nodes.Name) if node.ctx in ("store", "param")}
    return _Parsed(tuple(_not_a_name(ast)), tuple(_names(ast, stored)), _ENV.from_string(body))


def render_prose(prose: Prose, context: dict) -> tuple[str, list[Problem]]:
    """Fill the placeholders; problems name the file, line and placeholder, and suggest known names."""
    file = str(prose.path)
    try:
        parsed = _parsed(prose.body)
    except TemplateSyntaxError as exc:
        return "", [_syntax_problem(prose, exc)]
    problems = [Problem(file=file, row=prose.body_line + line - 1,
                        message="chỗ giữ chỗ chỉ được là tên một số liệu, ví dụ {{ indicators.citizen_visits.value }}")
                for line in parsed.not_names]
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
        return parsed.template.render(context), []
    except SecurityError as exc:
        return "", [Problem(file=file, message=f"mẫu văn bản dùng thao tác không được phép: {exc}")]
    except TemplateError as exc:  # e.g. a loop over a number: the template is wrong, not the program
        return "", [Problem(file=file, message=f"không điền được chỗ giữ chỗ: {exc}")]
