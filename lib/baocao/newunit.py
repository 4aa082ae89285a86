"""`baocao new-unit --year 2025 --unit tay-ninh`: start a province's own workspace, `data/<year>/<slug>/`.

It copies the shared province prose (each file then belongs to the unit: edit it, add placeholders, without
touching any other province) and writes the empty templates of the unit's own register (`so-theo-doi.csv`:
every commune of the province listed, the sở, ban, ngành group empty) and of its list of sở, ban, ngành
(`so-nganh.csv`). Existing files are never overwritten, so running it twice is harmless. The workspace is
read by convention (`baocao.workspace`): no params edit is needed.
"""
from __future__ import annotations

from pathlib import Path

from .communes import CommuneList
from .errors import BaocaoError, Problem
from .newyear import Templates, register_table
from .narrative import prose_files
from .params import load_unit_params
from .subunits import ILLUSTRATIVE, NAME, Departments, SubunitRoster
from .tablefiles import csv_text
from .units import NATIONAL_SLUG, UnitRegistry
from .workspace import PROSE, TABLES, folder


def new_unit(root: Path, year: int, slug: str) -> Templates:
    """Write the workspace of `slug` for `year`, keeping every existing file."""
    root = root.resolve()
    if slug == NATIONAL_SLUG:
        raise BaocaoError(Problem(file="--unit", value=slug, message="báo cáo toàn quốc không có không gian làm việc "
                                  "riêng: dữ liệu của nó ở data/<năm>/; chọn một tỉnh, ví dụ --unit tay-ninh"))
    params = load_unit_params(year, slug, root)  # an unknown slug is reported here, with the closest ones
    result = Templates(root=root)
    base = params.path(folder(root, year, slug))  # a workspace that is a link leading outside is refused
    shared = params.path(params.data.prose)
    for path in prose_files(shared):
        result.text(base / PROSE / path.name, params.path(path).read_text(encoding="utf-8"))
    registry = UnitRegistry.load()
    try:
        roster = SubunitRoster(Departments((), illustrative=False), params.unit_record, year, CommuneList.load())
        roster.expected("communes")
    except ValueError as exc:  # no commune list for that year
        result.todo.append(f"chưa tạo sổ theo dõi các đơn vị của tỉnh: {exc}")
    else:
        result.text(base / f"{TABLES['subunits']}.csv", csv_text(register_table(year, registry, roster)))
        result.text(base / f"{TABLES['departments']}.csv", csv_text([[NAME, ILLUSTRATIVE]]))
        result.todo += [
            f"{result.rel(base / TABLES['departments'])}.csv: mỗi sở, ban, ngành phải báo cáo một dòng.",
            f"{result.rel(base / TABLES['subunits'])}.csv: thêm các sở, ban, ngành vào nhóm I; ghi số và ngày văn bản "
            "của từng đơn vị đã gửi, để trống ô của đơn vị chưa gửi.",
            f"params/{year}/{slug}.yml: hạn gửi của tỉnh (deadlines) cho các đơn vị.",
        ]
    result.todo += [f"{result.rel(base / PROSE)}/: văn bản riêng của tỉnh; tệp cùng tên thay cho tệp chung "
                    f"{result.rel(shared)}/.",
                    f"kiểm tra: baocao check --year {year} --unit {slug}"]
    return result
