"""Command line: `baocao render`, `check`, `new-year` and `new-unit`. Only argument handling and printing live here."""
from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import traceback
from pathlib import Path

from rich.console import Console
from rich.table import Table

from .errors import ERROR, BaocaoError, Problem
from .params import load_params, params_path

NATIONAL = "toan-quoc"
# Outside a terminal (CI logs, pipes) rich would wrap the problem table at 80 columns; give it room.
WIDTH = shutil.get_terminal_size((160, 24)).columns
err = Console(stderr=True, highlight=False, width=WIDTH)
out = Console(highlight=False, width=WIDTH)


def _problem_table(problems: list[Problem], title: str) -> Table:
    table = Table(title=title, show_lines=False)
    for column in ("Mức", "Tệp", "Trang tính", "Dòng", "Cột", "Giá trị", "Vấn đề"):
        table.add_column(column, overflow="fold")
    for p in problems:
        table.add_row(p.severity, p.file, p.sheet or "", "" if p.row is None else str(p.row), p.column or "",
                      p.value or "", p.message)
    return table


def _report_problems(problems: list[Problem], as_json: bool = False, year: int | None = None) -> None:
    """The problem table (or JSON); with `year`, each problem says whose workspace holds its file (a unit's
    own `data/<year>/<slug>/`, or the shared data: `workspace` null)."""
    from .workspace import scope

    root = Path.cwd().resolve()
    problems = [p.relative_to(root) for p in problems]
    scopes = [scope(p.file, root, year) if year else None for p in problems]
    if as_json:
        out.print_json(json.dumps([p.to_dict() | ({"workspace": s} if year else {}) for p, s in zip(problems, scopes)],
                                  ensure_ascii=False))
        return
    errors = sum(p.severity == ERROR for p in problems)
    title = f"{errors} lỗi, {len(problems) - errors} cảnh báo"
    console = err if errors else out
    console.print(_problem_table(problems, title))
    if year:
        units = sorted({s for s in scopes if s})
        shared = scopes.count(None)
        console.print("; ".join([f"{scopes.count(u)} vấn đề trong không gian làm việc riêng của {u} (data/{year}/{u}/)"
                                 for u in units] + ([f"{shared} vấn đề trong dữ liệu chung"] if shared else [])) + ".")


def _params(args) -> Path:
    return Path(args.params) if args.params else params_path(args.year, args.unit, Path.cwd())


def cmd_check(args) -> int:
    """Validate everything the render would read; exit 1 on any error, 0 when only warnings remain.

    First every input file in one pass (all errors at once); when they are clean, the report is built as a
    render would build it, which adds the claim check and the outline items left empty.
    """
    from .checks import check_year
    from .report import build

    params = load_params(_params(args))
    problems = check_year(params)
    if not any(p.severity == ERROR for p in problems):
        problems = build(params, strict=args.strict).warnings
    if problems:
        _report_problems(problems, args.json, args.year)
    elif args.json:
        out.print_json("[]")
    else:
        out.print(f"Dữ liệu năm {args.year} hợp lệ: không có lỗi.")
    return 1 if any(p.severity == ERROR for p in problems) else 0


STATUS_TEXT = {"ok": "đã kết xuất", "skipped": "bỏ qua (không đổi)", "failed": "LỖI"}


def _summary(results: list, order: list[str]) -> Table:
    table = Table(title="Kết quả kết xuất")
    for column in ("Đơn vị", "Trạng thái", "Giây", "Tệp kết quả / lỗi"):
        table.add_column(column, overflow="fold")
    rank = {unit: i for i, unit in enumerate(order)}
    for r in sorted(results, key=lambda r: rank[r.unit]):
        status = STATUS_TEXT[r.status]
        table.add_row(r.unit, f"[red]{status}[/red]" if r.status == "failed" else status,
                      f"{r.seconds:.1f}" if r.status != "skipped" else "", r.error or ", ".join(r.outputs))
    return table


def cmd_render(args) -> int:
    from tqdm import tqdm

    from . import batch, outdirs

    outdirs.outputs_root(args.outputs)  # a NUL byte would otherwise end in a traceback
    units = batch.select_units(args.unit, args.year)
    if args.params and len(units) > 1:
        raise BaocaoError(Problem(file="--params", message="chỉ dùng --params khi kết xuất một đơn vị"))
    root = Path.cwd()
    plan = batch.plan(args.year, units, root, Path(args.outputs), force=args.force,
                      params_file=Path(args.params) if args.params else None, strict=args.strict,
                      draft=args.draft)
    results = list(plan.skipped)
    with batch.Workers(len(plan.jobs), root, args.jobs, args.scheduler) as workers:  # starting now; each unit goes once its data passes
        with tqdm(total=len(units), initial=len(results), unit="đơn vị", desc="Kết xuất", file=sys.stderr,
                  disable=None) as bar:
            for result in workers.run(batch.checked(plan)):
                results.append(result)
                bar.set_postfix_str(f"{result.unit}: {STATUS_TEXT[result.status]}")
                bar.update()
            bar.update(len(plan.rejected))
    results += plan.rejected
    if plan.errors_and_warnings:
        _report_problems(plan.errors_and_warnings)
    out.print(_summary(results, units))
    failed = [r.unit for r in results if r.status == "failed"]
    done = sum(r.status == "ok" for r in results)
    message = (f"Năm {args.year}: {done} đơn vị đã kết xuất, {len(plan.skipped)} bỏ qua vì không đổi, "
               f"{len(failed)} lỗi. Kết quả trong {Path(args.outputs) / str(args.year)}/")
    (err if failed else out).print(message)
    return 1 if failed else 0


def cmd_new_year(args) -> int:
    from .newyear import new_year

    for line in new_year(Path.cwd(), args.year, args.source).lines():
        out.print(line, markup=False)
    return 0


def cmd_new_unit(args) -> int:
    from .newunit import new_unit

    for line in new_unit(Path.cwd(), args.year, args.unit).summary(f"Không gian làm việc của {args.unit}, năm {args.year}:"):
        out.print(line, markup=False)
    return 0


def parser() -> argparse.ArgumentParser:
    top = argparse.ArgumentParser(prog="baocao", description="Báo cáo công tác dân vận chính quyền: kiểm tra dữ liệu và kết xuất DOCX/PDF.")
    top.add_argument("--debug", action="store_true", help="in chi tiết kỹ thuật (traceback) khi có lỗi")
    commands = top.add_subparsers(dest="command", required=True)
    for name, help_text, handler in (("render", "kết xuất báo cáo (DOCX, PDF, facts.json, sổ tính đã chạy)", cmd_render),
                                     ("check", "kiểm tra toàn bộ dữ liệu đầu vào, báo mọi lỗi một lần", cmd_check)):
        sub = commands.add_parser(name, help=help_text)
        sub.add_argument("--year", type=int, required=True, help="năm báo cáo, ví dụ 2024")
        sub.add_argument("--unit", default=NATIONAL, help="đơn vị: toan-quoc (mặc định), mã tỉnh như tay-ninh"
                         + (", danh sách cách nhau bởi dấu phẩy, hoặc all (toàn quốc và mọi tỉnh)" if name == "render" else ""))
        sub.add_argument("--params", help="tệp tham số (mặc định params/<năm>.yml)")
        sub.add_argument("--strict", action="store_true",
                         help="coi số liệu gõ tay trong văn bản trái với số liệu tính toán là lỗi (mặc định: cảnh báo)")
        sub.set_defaults(handler=handler)
    render = commands.choices["render"]
    render.add_argument("--outputs", default="outputs", help="thư mục kết quả (mặc định outputs/)")
    render.add_argument("--jobs", type=int, default=os.cpu_count() or 1,
                        help="số đơn vị chạy song song (mặc định: số lõi CPU)")
    render.add_argument("--draft", action="store_true",
                        help="bản dự thảo: dấu «DỰ THẢO» trên mọi trang và phụ lục rà soát (nguồn dữ liệu, cảnh báo, đối chiếu số liệu)")
    render.add_argument("--force", action="store_true", help="kết xuất lại cả đơn vị không có gì thay đổi")
    render.add_argument("--scheduler", metavar="tcp://MÁY:CỔNG",
                        help="gửi các đơn vị tới một cụm Dask distributed có sẵn thay vì chạy trên máy này")
    commands.choices["check"].add_argument("--json", action="store_true", help="in kết quả dạng JSON")
    new = commands.add_parser("new-year", help="tạo tham số và mẫu dữ liệu rỗng của năm mới từ năm trước; không ghi đè tệp đã có")
    new.add_argument("year", type=int, help="năm mới, ví dụ 2025")
    new.add_argument("--from", dest="source", type=int, required=True, help="năm lấy làm mẫu, ví dụ 2024")
    new.set_defaults(handler=cmd_new_year)
    unit = commands.add_parser("new-unit", help="tạo không gian làm việc riêng của một tỉnh (data/<năm>/<mã tỉnh>/): "
                                                 "văn bản chung và mẫu sổ theo dõi; không ghi đè tệp đã có")
    unit.add_argument("--year", type=int, required=True, help="năm báo cáo, ví dụ 2025")
    unit.add_argument("--unit", required=True, help="mã tỉnh, ví dụ tay-ninh")
    unit.set_defaults(handler=cmd_new_unit)
    return top


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        return args.handler(args)
    except BaocaoError as exc:  # the user's input: the table says what to fix; where it was found is for --debug
        if args.debug:
            traceback.print_exc()
        _report_problems(exc.problems, getattr(args, "json", False))
        return 1
    except Exception as exc:  # the last line of defence: a message, and the traceback only on request
        if args.debug:
            traceback.print_exc()
        err.print(f"Lỗi không mong đợi: {type(exc).__name__}: {exc}. Chạy lại với --debug để xem chi tiết.")
        return 2


if __name__ == "__main__":
    sys.exit(main())
