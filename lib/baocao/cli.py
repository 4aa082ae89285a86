"""Command line: `baocao render`, `check`, `new-year`, `new-unit` and `review`. Only argument handling and
printing live here."""
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
from .options import RenderOptions
from .params import FIRST_YEAR, LAST_YEAR, load_unit_params
from .units import NATIONAL_SLUG
# Outside a terminal (CI logs, pipes) rich would wrap the problem table at 80 columns; give it room.
WIDTH = shutil.get_terminal_size((160, 24)).columns
err = Console(stderr=True, highlight=False, width=WIDTH)
out = Console(highlight=False, width=WIDTH)


def _units_text(units: list[str], every: int) -> str:
    """The units a problem belongs to, short: a shared file's problem is found by every unit that reads it."""
    if len(units) == every > 1:
        return f"mọi đơn vị ({every})"
    return ", ".join(units) if len(units) <= 3 else f"{', '.join(units[:3])}, … ({len(units)} đơn vị)"


def _problem_table(found: dict[Problem, list[str]], title: str, every: int) -> Table:
    table = Table(title=title, show_lines=False)
    columns = ("Đơn vị",) * bool(every) + ("Mức", "Tệp", "Trang tính", "Dòng", "Cột", "Giá trị", "Vấn đề")
    for column in columns:
        table.add_column(column, overflow="fold")
    for p, units in found.items():
        table.add_row(*[_units_text(units, every)] * bool(every), p.severity, p.file, p.sheet or "",
                      "" if p.row is None else str(p.row), p.column or "", p.value or "", p.message)
    return table


def _report_problems(problems: list[Problem] | dict[str, list[Problem]], as_json: bool = False,
                     year: int | None = None) -> None:
    """Print problems as one table (or JSON); given per unit, each problem is printed once with the units
    it belongs to. With `year`, each problem also says whose workspace holds its file (a unit's own
    `data/<year>/<slug>/`, or the shared data: `workspace` null)."""
    from .workspace import scope

    by_unit = problems if isinstance(problems, dict) else {"": problems}
    root = Path.cwd().resolve()
    found: dict[Problem, list[str]] = {}
    for unit, listed in by_unit.items():
        for p in listed:
            found.setdefault(p.relative_to(root), []).append(unit)
    every = len(by_unit) if isinstance(problems, dict) else 0
    scopes = {p: scope(p.file, root, year) for p in found} if year else {}
    if as_json:
        out.print_json(json.dumps([p.to_dict() | ({"units": units} if every else {})
                                   | ({"workspace": scopes[p]} if year else {}) for p, units in found.items()],
                                  ensure_ascii=False))
        return
    errors = sum(p.severity == ERROR for p in found)
    title = f"{errors} lỗi, {len(found) - errors} cảnh báo"
    if every == 1:  # one unit: named in the title rather than on every row
        title, every = f"{next(iter(by_unit))}: {title}", 0
    console = err if errors else out
    console.print(_problem_table(found, title, every))
    if year:
        listed = list(scopes.values())
        units, shared = sorted({s for s in listed if s}), listed.count(None)
        console.print("; ".join([f"{listed.count(u)} vấn đề trong không gian làm việc riêng của {u} (data/{year}/{u}/)"
                                 for u in units] + ([f"{shared} vấn đề trong dữ liệu chung"] if shared else [])) + ".")


def _params_file(args, units: list[str]) -> Path | None:
    if args.params and len(units) > 1:
        raise BaocaoError(Problem(file="--params", message="chỉ dùng --params với một đơn vị"))
    return Path(args.params) if args.params else None


def _check_options(args) -> dict:
    """What `checks.check` takes of the render options (a draft changes the documents, not the check)."""
    options = RenderOptions.from_args(args)
    return {"strict": options.strict, "final": options.final}


def cmd_check(args) -> int:
    """Check what `render` with the same options would use, unit by unit, with the same check (`checks.check`);
    exit 1 on any error, 0 when only warnings remain. Every problem of every unit is listed at once."""
    from . import batch, checks
    from .inputs import read_inputs

    units = batch.select_units(args.unit, args.year)
    params_file = _params_file(args, units)
    found: dict[str, list[Problem]] = {}
    for unit in units:
        try:
            params = load_unit_params(args.year, unit, Path.cwd(), params_file)
        except BaocaoError as exc:  # this unit's params: reported with the other units' problems
            if args.debug:
                traceback.print_exc()
            found[unit] = exc.problems
            continue
        found[unit] = checks.check(read_inputs(params), **_check_options(args)).problems
    if any(found.values()):
        _report_problems(found, args.json, args.year)
    elif args.json:
        out.print_json("[]")
    else:
        out.print(f"Năm {args.year}: {len(units)} đơn vị hợp lệ, không có lỗi"
                  + (", sẵn sàng trình ký." if args.final else "."))
    return 1 if any(p.severity == ERROR for listed in found.values() for p in listed) else 0


STATUS_TEXT = {"ok": "đã kết xuất", "skipped": "bỏ qua (không đổi)", "failed": "LỖI",
               "stopped": "dừng (Ctrl-C): giữ kết quả cũ"}
INTERRUPTED = 130  # the exit code of a command stopped by Ctrl-C (128 + SIGINT)


def _summary(results: list, order: list[str]) -> Table:
    table = Table(title="Kết quả kết xuất")
    for column in ("Đơn vị", "Trạng thái", "Giây", "Tệp kết quả / lỗi"):
        table.add_column(column, overflow="fold")
    rank = {unit: i for i, unit in enumerate(order)}
    for r in sorted(results, key=lambda r: rank[r.unit]):
        status = STATUS_TEXT[r.status]
        table.add_row(r.unit, f"[red]{status}[/red]" if r.status == "failed" else status,
                      f"{r.seconds:.1f}" if r.status not in ("skipped", "stopped") else "", r.error or ", ".join(r.outputs))
    return table


def cmd_render(args) -> int:
    from tqdm import tqdm

    from . import batch, outdirs

    outdirs.outputs_root(args.outputs)  # a NUL byte or a file would otherwise end in a traceback
    units = batch.select_units(args.unit, args.year)
    params_file = _params_file(args, units)
    from .redline import option_problems

    if problems := option_problems(RenderOptions.from_args(args), units):
        raise BaocaoError(problems)
    if args.scheduler:
        batch.check_scheduler(args.scheduler)
    root = Path.cwd()
    interrupted = False
    with batch.plan(args.year, units, root, Path(args.outputs), force=args.force,
                    params_file=params_file,
                    options=RenderOptions.from_args(args)) as plan:  # holds the units' locks until the end
        results = list(plan.skipped)
        try:
            with batch.Workers(len(plan.jobs), root, args.jobs, args.scheduler) as workers:  # starting now; each unit goes once its data passes
                with tqdm(total=len(units), initial=len(results), unit="đơn vị", desc="Kết xuất", file=sys.stderr,
                          disable=None) as bar:
                    for result in workers.run(batch.checked(plan)):
                        results.append(result)
                        bar.set_postfix_str(f"{result.unit}: {STATUS_TEXT[result.status]}")
                        bar.update()
                    bar.update(len(plan.rejected))
        except KeyboardInterrupt:  # the units running were stopped and published nothing (see Workers)
            interrupted = True
    results += plan.rejected
    if interrupted:
        finished = {r.unit for r in results}
        results += [batch.UnitResult(unit=unit, status=batch.STOPPED) for unit in units if unit not in finished]
    if any(plan.problems.values()):
        _report_problems(plan.problems, year=args.year)
    out.print(_summary(results, units))
    failed = [r.unit for r in results if r.status == "failed"]
    done = sum(r.status == "ok" for r in results)
    counts = f"{done} đơn vị đã kết xuất, {len(plan.skipped)} bỏ qua vì không đổi, {len(failed)} lỗi"
    if interrupted:
        stopped = sum(r.status == batch.STOPPED for r in results)
        err.print(f"Đã dừng theo yêu cầu (Ctrl-C). Năm {args.year}: {counts}, {stopped} chưa xong (giữ nguyên kết "
                  "quả cũ). Chạy lại lệnh để kết xuất phần còn lại.")
        return INTERRUPTED
    message = f"Năm {args.year}: {counts}. Kết quả trong {Path(args.outputs) / str(args.year)}/"
    (err if failed else out).print(message)
    return 1 if failed else 0


def cmd_new_year(args) -> int:
    from .newyear import new_year

    for line in new_year(Path.cwd(), args.year, args.source).lines():
        out.print(line, markup=False)
    return 0


def _review_table(review) -> Table:
    from .review_import import COLUMNS

    table = Table(title=f"{review.docx.name}: {len(review.rows)} sửa đổi và góp ý")
    for column in COLUMNS:
        table.add_column(column, overflow="fold")
    for row in review.rows:
        table.add_row(*row.cells())
    return table


def cmd_review(args) -> int:
    """List the tracked changes and comments of a reviewed DOCX by prose file and line, into the terminal and
    a workbook; with --apply, write the text changes into the prose files (all or none)."""
    from . import atomic, batch, outdirs, review_import

    units = batch.select_units(args.unit, args.year)
    if len(units) != 1:
        raise BaocaoError(Problem(file="--unit", value=args.unit, message="bản góp ý là của một đơn vị: ghi một mã đơn vị"))
    unit = units[0]
    docx = Path(args.docx)
    outdir = outdirs.unit_dir(outdirs.outputs_root(args.outputs), args.year, unit)
    review = review_import.read_review(docx, Path.cwd(), outdir, args.year, unit)
    written = review_import.apply(review) if args.apply and not review.conflicts else []  # a conflict: none
    listing = Path(args.listing) if args.listing else docx.with_name(f"{docx.stem}.gop-y.xlsx")
    atomic.write_bytes(listing, review_import.listing_workbook(review))
    out.print(_review_table(review))
    out.print(f"Danh sách để xử lý: {listing}", markup=False)
    if not args.apply:
        ready = sum(row.action == review_import.TEXT_EDIT for row in review.rows)
        out.print(f"{ready} sửa đổi ghi được vào tệp văn bản: chạy lại với --apply để ghi.")
        return 0
    if review.conflicts:
        err.print(f"{len(review.conflicts)} sửa đổi xung đột với tệp văn bản hiện tại: không ghi tệp nào. Sửa tay "
                  "các đoạn đó (hoặc từ chối sửa đổi trong Word) rồi chạy lại.")
        return 1
    out.print(f"Đã ghi {len(written)} tệp văn bản: " + ", ".join(os.path.relpath(p) for p in written), markup=False)
    if manual := sum(row.action == review_import.MANUAL for row in review.rows):
        out.print(f"{manual} chỗ sửa không ghi tự động được (cột «Xử lý»: sửa tay): sửa các đoạn đó bằng tay.")
    return 0


def cmd_new_unit(args) -> int:
    from .newunit import new_unit

    for line in new_unit(Path.cwd(), args.year, args.unit).summary(f"Không gian làm việc của {args.unit}, năm {args.year}:"):
        out.print(line, markup=False)
    return 0


def _year(text: str) -> int:
    try:
        year = int(text)
    except ValueError:
        year = None
    if year is None or not FIRST_YEAR <= year <= LAST_YEAR:
        raise argparse.ArgumentTypeError(f"«{text}»: năm cần là số nguyên từ {FIRST_YEAR} đến {LAST_YEAR}, ví dụ 2025")
    return year


def _jobs(text: str) -> int:
    try:
        jobs = int(text)
    except ValueError:
        jobs = 0
    if jobs < 1:
        raise argparse.ArgumentTypeError(f"«{text}»: số đơn vị chạy song song cần là số nguyên dương, ví dụ --jobs 2")
    return jobs


# argparse's own messages (it has no Vietnamese catalogue), by their English start.
_ARGPARSE_MESSAGES = {
    "the following arguments are required:": "thiếu tham số bắt buộc:",
    "unrecognized arguments:": "tham số không nhận ra:",
    "expected one argument": "cần một giá trị sau tham số này",
    "invalid choice:": "lựa chọn không hợp lệ:",
    "argument ": "tham số ",
}


class _Parser(argparse.ArgumentParser):
    """argparse that reports a wrong command line in Vietnamese (usage, then «lỗi: …»), exit code 2."""

    def error(self, message: str):
        for english, vietnamese in _ARGPARSE_MESSAGES.items():
            message = message.replace(english, vietnamese)
        self.print_usage(sys.stderr)
        self.exit(2, f"{self.prog}: lỗi: {message}\n")


def parser() -> argparse.ArgumentParser:
    top = _Parser(prog="baocao", description="Báo cáo công tác dân vận chính quyền: kiểm tra dữ liệu và kết xuất DOCX/PDF.")
    top.add_argument("--debug", action="store_true", help="in chi tiết kỹ thuật (traceback) khi có lỗi")
    commands = top.add_subparsers(dest="command", required=True)
    for name, help_text, handler in (("render", "kết xuất báo cáo (DOCX, PDF, facts.json, sổ tính đã chạy)", cmd_render),
                                     ("check", "kiểm tra toàn bộ dữ liệu đầu vào, báo mọi lỗi một lần", cmd_check)):
        sub = commands.add_parser(name, help=help_text)
        sub.add_argument("--year", type=_year, required=True, help="năm báo cáo, ví dụ 2024")
        sub.add_argument("--unit", default=NATIONAL_SLUG, help=f"đơn vị: {NATIONAL_SLUG} (mặc định), mã tỉnh như tay-ninh, "
                         "danh sách cách nhau bởi dấu phẩy, hoặc all (toàn quốc và mọi tỉnh)")
        sub.add_argument("--params", help="tệp tham số (mặc định params/<năm>.yml)")
        for option, option_help, metavar in RenderOptions.flags(name):
            kind = {"action": "store_true"} if metavar is None else {"metavar": metavar, "default": ""}
            sub.add_argument(f"--{option.replace('_', '-')}", dest=option, help=option_help, **kind)
        sub.set_defaults(handler=handler)
    render = commands.choices["render"]
    render.add_argument("--outputs", default="outputs", help="thư mục kết quả (mặc định outputs/)")
    render.add_argument("--jobs", type=_jobs, default=os.cpu_count() or 1,
                        help="số đơn vị chạy song song (mặc định: số lõi CPU)")
    render.add_argument("--force", action="store_true", help="kết xuất lại cả đơn vị không có gì thay đổi")
    render.add_argument("--scheduler", metavar="tcp://MÁY:CỔNG",
                        help="gửi các đơn vị tới một cụm Dask distributed có sẵn thay vì chạy trên máy này")
    commands.choices["check"].add_argument("--json", action="store_true", help="in kết quả dạng JSON")
    new = commands.add_parser("new-year", help="tạo tham số và mẫu dữ liệu rỗng của năm mới từ năm trước; không ghi đè tệp đã có")
    new.add_argument("year", type=_year, help="năm mới, ví dụ 2025")
    new.add_argument("--from", dest="source", type=_year, required=True, help="năm lấy làm mẫu, ví dụ 2024")
    new.set_defaults(handler=cmd_new_year)
    review = commands.add_parser("review", help="nhận góp ý từ bản Word: liệt kê sửa đổi và ghi chú theo tệp văn bản "
                                                 "và dòng; --apply ghi sửa đổi vào tệp văn bản")
    review.add_argument("docx", help="tệp DOCX đã góp ý (sửa đổi được theo dõi, ghi chú)")
    review.add_argument("--year", type=_year, required=True, help="năm báo cáo, ví dụ 2024")
    review.add_argument("--unit", default=NATIONAL_SLUG, help=f"đơn vị: {NATIONAL_SLUG} (mặc định) hoặc mã tỉnh như tay-ninh")
    review.add_argument("--outputs", default="outputs", help="thư mục kết quả của lần kết xuất (mặc định outputs/)")
    review.add_argument("--apply", action="store_true",
                        help="ghi các sửa đổi chữ vào tệp văn bản (chỉ khi không có xung đột; ghi tất cả hoặc không tệp nào)")
    review.add_argument("--listing", metavar="TỆP.xlsx",
                        help="nơi ghi danh sách góp ý (mặc định cạnh tệp DOCX: <tên>.gop-y.xlsx)")
    review.set_defaults(handler=cmd_review)
    unit = commands.add_parser("new-unit", help="tạo không gian làm việc riêng của một tỉnh (data/<năm>/<mã tỉnh>/): "
                                                 "văn bản chung và mẫu sổ theo dõi; không ghi đè tệp đã có")
    unit.add_argument("--year", type=_year, required=True, help="năm báo cáo, ví dụ 2025")
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
    except KeyboardInterrupt:  # Ctrl-C before any unit ran (`render` sums up its own units)
        if args.debug:
            traceback.print_exc()
        err.print("Đã dừng theo yêu cầu (Ctrl-C); chạy lại lệnh để làm tiếp.")
        return INTERRUPTED
    except Exception as exc:  # the last line of defence: a message, and the traceback only on request
        if args.debug:
            traceback.print_exc()
        err.print(f"Lỗi không mong đợi: {type(exc).__name__}: {exc}. Chạy lại với --debug để xem chi tiết.")
        return 2


if __name__ == "__main__":
    sys.exit(main())
