"""The sandbox prose templates run in: what a template may do, and how much work it may make.

Prose comes from many hands, so a template may only read facts (`{{ indicators.citizen_visits.value }}`),
do arithmetic on them (`{{ tong - dat }}`, a share `{{ dat / tong * 100 }}`), and use `{% if %}` and
`{% for %}` over facts. Everything else — filters, calls, `{% set %}`, `{% include %}`, powers, string
operators, attributes starting with `_` — is refused before rendering with a message naming the line and
saying what is allowed (`refusals`). The work is bounded three ways: numbers and results have a size limit,
nested loops a number of turns (`loop_problems`, from the sizes of the facts they run over), and a
template a time limit while it renders (`render`).

Arithmetic works on `Number`s, the facts' printed text with the value it stands for: the result is printed
by the same Vietnamese rules as every other number (`vnformat`).
"""
from __future__ import annotations

import sys
import time
from decimal import Decimal, InvalidOperation
from typing import Any

from jinja2 import StrictUndefined, Template, nodes
from jinja2.sandbox import ImmutableSandboxedEnvironment

from . import vnformat

MAX_NUMBER = Decimal(10) ** 12  # a number typed in a template
MAX_RESULT = Decimal(10) ** 15  # a result: more than any figure of a report
MAX_LOOP_TURNS = 10_000  # all nested loops of a template together
MAX_SECONDS = 2.0  # to fill one template
ALLOWED = ("chỉ được dùng tên số liệu (ví dụ {{ indicators.citizen_visits.value }}), phép tính + - * / và dấu ngoặc "
           "trên số liệu và số (ví dụ {{ submissions.provinces.total - submissions.provinces.annual_report.received }}), "
           "{% if … %} và {% for … in <số liệu> %}")


class Number(str):
    """A fact as printed ("1.133.105", "84,38%") that also knows its value, so that templates can compute
    with it. `kind` is "year" for a year (printed without a thousands separator), "literal" for a number
    typed in the template, "" for any other fact."""

    value: Decimal
    kind: str

    def __new__(cls, text: str, value, kind: str = "") -> "Number":
        number = super().__new__(cls, text)
        number.value, number.kind = Decimal(str(value)), kind
        return number


class TemplateLimit(Exception):
    """A template asked for more than the sandbox allows while rendering (Vietnamese message); `line` is
    the line of the template where it happened, when known."""

    line: int | None = None


def _operand(value: Any) -> Number:
    if isinstance(value, Number):
        return value
    if isinstance(value, (int, float, Decimal)) and not isinstance(value, bool):
        return Number(str(value), value, "literal")
    raise TemplateLimit(f"phép tính chỉ dùng được với số liệu là số, không dùng được với «{value}»")


def _result(value: Decimal, operands: list[Number]) -> Number:
    """The result printed the Vietnamese way; a year moved by a literal ({{ report.year - 1 }}) stays a year."""
    if abs(value) > MAX_RESULT:
        raise TemplateLimit(f"kết quả phép tính quá lớn (trên {vnformat.number(MAX_RESULT)})")
    integral = value == value.to_integral_value()
    kinds = {o.kind for o in operands}
    if integral and "year" in kinds and kinds <= {"year", "literal"}:
        return Number(str(int(value)), value, "year")
    return Number(vnformat.number(value, 0 if integral else 2), value)


class Sandbox(ImmutableSandboxedEnvironment):
    """Jinja's immutable sandbox whose + - * / compute on `Number`s (and refuse anything else)."""

    intercepted_binops = frozenset(["+", "-", "*", "/", "//", "%", "**"])
    intercepted_unops = frozenset(["-", "+"])

    def call_binop(self, context, operator: str, left: Any, right: Any) -> Number:
        a, b = _operand(left), _operand(right)
        try:
            value = {"+": a.value + b.value, "-": a.value - b.value, "*": a.value * b.value}.get(operator)
            if operator == "/":
                value = a.value / b.value
        except (ZeroDivisionError, InvalidOperation):
            raise TemplateLimit("phép chia cho 0: kiểm tra số liệu ở mẫu số") from None
        if value is None:  # refused before rendering; kept here so no other operator can ever run
            raise TemplateLimit(f"phép tính «{operator}» không được dùng")
        return _result(value, [a, b])

    def call_unop(self, context, operator: str, arg: Any) -> Number:
        a = _operand(arg)
        return _result(-a.value if operator == "-" else a.value, [a])


ENV = Sandbox(undefined=StrictUndefined, autoescape=False, keep_trailing_newline=True)

# What each refused construct is called in a message.
_REFUSED = {
    nodes.Filter: "bộ lọc «|»", nodes.Call: "lời gọi hàm «(…)»", nodes.Test: "phép thử «is …»",
    nodes.Pow: "lũy thừa «**»", nodes.FloorDiv: "phép chia lấy phần nguyên «//»", nodes.Mod: "phép lấy dư «%»",
    nodes.Concat: "phép nối chuỗi «~»", nodes.Getitem: "chỉ số «[…]»", nodes.Slice: "chỉ số «[…]»",
    nodes.Assign: "thẻ «{% set %}»", nodes.AssignBlock: "thẻ «{% set %}»", nodes.Include: "thẻ «{% include %}»",
    nodes.Import: "thẻ «{% import %}»", nodes.FromImport: "thẻ «{% import %}»", nodes.Extends: "thẻ «{% extends %}»",
    nodes.Macro: "thẻ «{% macro %}»", nodes.CallBlock: "thẻ «{% call %}»", nodes.FilterBlock: "thẻ «{% filter %}»",
    nodes.With: "thẻ «{% with %}»", nodes.Block: "thẻ «{% block %}»", nodes.List: "danh sách viết trong mẫu",
    nodes.Tuple: "bộ giá trị viết trong mẫu", nodes.Dict: "từ điển viết trong mẫu", nodes.CondExpr: "biểu thức «… if … else …»",
}
_ALLOWED = (nodes.Template, nodes.Output, nodes.TemplateData, nodes.Name, nodes.Getattr, nodes.Const, nodes.Add,
            nodes.Sub, nodes.Mul, nodes.Div, nodes.Neg, nodes.Pos, nodes.If, nodes.Compare, nodes.Operand, nodes.And,
            nodes.Or, nodes.Not, nodes.For)
_ARITHMETIC = (nodes.Add, nodes.Sub, nodes.Mul, nodes.Div, nodes.Neg, nodes.Pos)


def _refusal(node: nodes.Node, parent: nodes.Node | None) -> str | None:
    """Why `node` is refused, or None."""
    if not isinstance(node, _ALLOWED):
        return _REFUSED.get(type(node), f"cấu trúc «{type(node).__name__}»")
    if isinstance(node, nodes.Getattr) and node.attr.startswith("_"):
        return f"thuộc tính «{node.attr}»"
    if isinstance(node, nodes.Const):
        if isinstance(node.value, str) and isinstance(parent, _ARITHMETIC):
            return "chuỗi ký tự trong phép tính"
        if isinstance(node.value, (int, float)) and not isinstance(node.value, bool) and abs(Decimal(str(node.value))) > MAX_NUMBER:
            return f"số quá lớn (tối đa {vnformat.number(MAX_NUMBER)})"
        if isinstance(node.value, str) and (isinstance(parent, nodes.Output) or len(node.value) > 200):
            return "chuỗi ký tự viết trong chỗ giữ chỗ"
    if isinstance(node, nodes.For) and (node.recursive or node.test is not None or not isinstance(node.iter, (nodes.Name, nodes.Getattr))):
        return "vòng lặp «{% for %}» không chạy trên một số liệu"
    return None


def refusals(ast: nodes.Template) -> list[tuple[int, str]]:
    """(line, message) for every construct the sandbox does not allow, outermost first."""
    found = []

    def walk(node: nodes.Node, parent: nodes.Node | None) -> None:
        why = _refusal(node, parent)
        if why is not None:
            prefix = "mẫu văn bản dùng thao tác không được phép: " if why.startswith("thuộc tính") else ""
            found.append((node.lineno, f"{prefix}{why} không được dùng trong văn bản: {ALLOWED}"))
            return
        for child in node.iter_child_nodes():
            walk(child, node)

    walk(ast, None)
    return found


def _lookup(context: dict, dotted: str) -> Any:
    value: Any = context
    for part in dotted.split("."):
        if not isinstance(value, dict) or part not in value:
            return None
        value = value[part]
    return value


def _largest(value: Any) -> int:
    """The size of the largest dict, list or text among `value` and what it holds."""
    if isinstance(value, dict):
        return max([len(value), *(_largest(v) for v in value.values())])
    if isinstance(value, (list, tuple)):
        return max([len(value), *(_largest(v) for v in value)])
    return len(value) if isinstance(value, str) else 1


def loop_problems(ast: nodes.Template, context: dict, dotted) -> list[tuple[int, str]]:
    """(line, message) for nested loops that would turn more than MAX_LOOP_TURNS times. A loop over a fact
    turns as many times as the fact has items (a text: characters); over a loop variable, at most as many
    as the largest fact. `dotted(node)` gives "a.b.c" for a name or attribute chain."""
    largest = None
    found = []

    def size(node: nodes.For, loop_names: set[str]) -> int:
        nonlocal largest
        name = dotted(node.iter) or ""
        if name.split(".")[0] in loop_names:
            largest = largest if largest is not None else _largest(context)
            return largest
        value = _lookup(context, name)
        return len(value) if isinstance(value, (dict, list, tuple, str)) else 1

    def walk(node: nodes.Node, turns: int, loop_names: set[str]) -> None:
        if isinstance(node, nodes.For):
            turns *= max(size(node, loop_names), 1)
            if turns > MAX_LOOP_TURNS:
                found.append((node.lineno, f"vòng lặp quá lớn: khoảng {vnformat.number(turns)} lượt, tối đa "
                                           f"{vnformat.number(MAX_LOOP_TURNS)} lượt cho mọi vòng lặp lồng nhau"))
                return
            loop_names = loop_names | {node.target.name}  # a Name: a tuple target is refused
        for child in node.iter_child_nodes():
            walk(child, turns, loop_names)

    walk(ast, 1, set())
    return found


def render(template: Template, context: dict) -> str:
    """Fill `template`, stopping with TemplateLimit once it has run MAX_SECONDS.

    The clock is read on every line the compiled template runs (a trace function on its frames only), so a
    loop with no output is stopped too."""
    limit = MAX_SECONDS
    deadline = time.monotonic() + limit

    def on_line(frame, event, arg):
        if time.monotonic() > deadline:
            raise TemplateLimit(f"mẫu văn bản chạy quá {vnformat.trimmed(limit, 1)} giây: bỏ bớt vòng lặp")
        return on_line

    def on_call(frame, event, arg):
        return on_line if frame.f_code.co_filename == "<template>" else None

    previous = sys.gettrace()
    sys.settrace(on_call)
    try:
        return template.render(context)
    except TemplateLimit as exc:
        exc.line = _template_line(exc.__traceback__)
        raise
    finally:
        sys.settrace(previous)


def _template_line(tb) -> int | None:
    """The template line of the innermost template frame of `tb` (Jinja rewrites the traceback of an error
    raised while rendering so that its template frames carry the template's own line numbers)."""
    line = None
    while tb is not None:
        if tb.tb_frame.f_code.co_filename == "<template>":
            line = tb.tb_lineno
        tb = tb.tb_next
    return line
