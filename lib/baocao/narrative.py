"""Analysts' prose, with named placeholders for computed facts, rendered in a sandbox.

Prose files are Markdown with YAML front matter; `{{ indicators.citizen_visits.value }}` stands where a
number goes, so numbers are never retyped. Templates come from many hands, so they run in Jinja's immutable
sandbox, and every placeholder is checked against the facts before rendering: an unknown name is reported
with its file, line and the closest known names.
"""
from __future__ import annotations

import difflib
from dataclasses import dataclass
from pathlib import Path

import yaml
from jinja2 import StrictUndefined, TemplateSyntaxError, nodes
from jinja2.sandbox import ImmutableSandboxedEnvironment, SecurityError

from .errors import Problem
from .filecache import by_file

_ENV = ImmutableSandboxedEnvironment(undefined=StrictUndefined, autoescape=False, keep_trailing_newline=True)


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
    front_text, body, body_line = split_front_matter(path.read_text(encoding="utf-8"))
    front = yaml.safe_load(front_text) or {} if front_text else {}
    return Prose(item=str(front.get("muc", path.stem)), path=path, front_matter=front, body=body, body_line=body_line)


def _dotted(node: nodes.Node) -> str | None:
    if isinstance(node, nodes.Name):
        return node.name
    if isinstance(node, nodes.Getattr) and (base := _dotted(node.node)):
        return f"{base}.{node.attr}"
    return None


def _placeholders(ast: nodes.Template) -> list[tuple[str, int]]:
    found = []
    for output in ast.find_all(nodes.Output):
        for node in output.nodes:
            if not isinstance(node, nodes.TemplateData):
                found.append((_dotted(node) or "", node.lineno))
    return found


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


def render_prose(prose: Prose, context: dict) -> tuple[str, list[Problem]]:
    """Fill the placeholders; problems name the file, line and placeholder, and suggest known names."""
    file = str(prose.path)
    try:
        ast = _ENV.parse(prose.body)
    except TemplateSyntaxError as exc:
        return "", [Problem(file=file, row=prose.body_line + exc.lineno - 1,
                            message=f"lỗi cú pháp chỗ giữ chỗ: {exc.message}")]
    known = _known(context)
    problems = []
    for dotted, line in _placeholders(ast):
        if not dotted:
            problems.append(Problem(file=file, row=prose.body_line + line - 1,
                                    message="chỗ giữ chỗ chỉ được là tên một số liệu, ví dụ {{ indicators.citizen_visits.value }}"))
        elif not _resolve(context, dotted):
            close = difflib.get_close_matches(dotted, known, n=3, cutoff=0.6)
            hint = f" Có phải: {', '.join(close)}?" if close else ""
            problems.append(Problem(file=file, row=prose.body_line + line - 1, value=dotted,
                                    message=f"không có số liệu tên «{dotted}».{hint}"))
    if problems:
        return "", problems
    try:
        return _ENV.from_string(prose.body).render(context), []
    except SecurityError as exc:
        return "", [Problem(file=file, message=f"mẫu văn bản dùng thao tác không được phép: {exc}")]
