"""Write Tây Ninh's ILLUSTRATIVE 2025 workspace samples: its list of sở, ban, ngành and its register of sub-units.

No register of Tây Ninh's 2025 submissions is public, so this script makes one up, reproducibly (seeded: a
rerun writes the same files), to show what a province's own report looks like:

- `so-nganh.csv`: sở, ban, ngành of a province organised as from 01/3/2025 (the departments Kế hoạch
  696/KH-UBND names, and the usual others); `Minh họa = có`: the province replaces it with its own list.
- `so-theo-doi.csv`: the register in the national layout (`baocao.register`), one row per sở, ban, ngành
  and per commune of Tây Ninh from 01/7/2025 (96: 82 xã, 14 phường, from the shipped commune list). Most units
  sent each document, some after Tây Ninh's deadlines (params/2025/tay-ninh.yml), some nothing; numbers look
  like real symbols, dates fall within 2025. Like the national sample, a commune's plan is dated before
  01/7/2025 under the commune's new name. `illustrative: true` in params/2025/tay-ninh.yml marks the report.
- `tieu-chi-cham-diem.csv`, `xep-loai.csv`, `cham-diem.csv`: the scoring rubric and the scores. The six
  criteria and their weights (10, 10, 20, 20, 20, 20 = 100 points) are those the issue gives for Quyết định
  1563/QĐ-UBND ngày 01/8/2022 of UBND tỉnh Tây Ninh; their names are paraphrased (the sixth is not known)
  and Kế hoạch 696/KH-UBND (2025) cites Quyết định 908/QĐ-UBND ngày 14/4/2023 for the criteria, so the
  rubric must be checked against the decision in force: every row `Minh họa = có`. The bands (Tốt from 90,
  Khá from 70, Trung bình from 50) are illustrative too. Every unit that sent its scoring report has scores:
  each criterion between 85% of its maximum and the maximum, in half points; the self-score a few points
  above the reviewed total.

Run from the project folder: PYTHONPATH=lib python data/2025/tay-ninh/tao_du_lieu_minh_hoa.py
"""
from __future__ import annotations

import datetime as dt
import random
from pathlib import Path

from baocao.communes import CommuneList
from baocao.names import strip_diacritics
from baocao.params import load_params
from baocao.register import DOCUMENTS
from baocao.schemas import DATE_HEADER, NUMBER_HEADER
from baocao.subunits import GROUPS
from baocao.tablefiles import GROUP_NUMBERS, csv_text

YEAR = 2025
FOLDER = Path(__file__).resolve().parent
ROOT = FOLDER.parents[2]
DEPARTMENTS = [
    "Văn phòng Ủy ban nhân dân tỉnh", "Sở Nội vụ", "Sở Tư pháp", "Sở Tài chính", "Sở Công Thương",
    "Sở Nông nghiệp và Môi trường", "Sở Xây dựng", "Sở Khoa học và Công nghệ", "Sở Giáo dục và Đào tạo", "Sở Y tế",
    "Sở Văn hóa, Thể thao và Du lịch", "Thanh tra tỉnh", "Ban Quản lý Khu kinh tế tỉnh", "Công an tỉnh",
    "Bộ Chỉ huy Quân sự tỉnh",
]
# Share of units that sent each document, and of those the share sent on or after the deadline.
SENT = {"plan": 0.9, "annual_report": 0.85, "scoring_report": 0.8}
LATE = {"plan": 0.1, "annual_report": 0.12, "scoring_report": 0.15}
# Dates around each deadline: on-time documents in the weeks before it, late ones in the days after.
BEFORE, AFTER = 40, 20
KIND = {"plan": "KH", "annual_report": "BC", "scoring_report": "BC"}


def _agency(name: str) -> str:
    """"Sở Nội vụ" → "SNV", "UBND xã Tân Biên" → "UBND": the agency part of a document symbol."""
    if name.startswith("UBND "):
        return "UBND"
    return "".join(word[0] for word in strip_diacritics(name).replace(",", "").split() if word != "va").upper()


def _cells(rng: random.Random, name: str, deadlines) -> list[str]:
    cells = []
    for doc in DOCUMENTS:
        due = getattr(deadlines, doc)
        if rng.random() >= SENT[doc]:
            cells += ["", ""]
            continue
        late = rng.random() < LATE[doc]
        date = due + dt.timedelta(days=rng.randrange(0, AFTER)) if late else due - dt.timedelta(days=rng.randrange(1, BEFORE))
        cells += [f"{rng.randrange(10, 400)}/{KIND[doc]}-{_agency(name)}", f"{date.day}/{date.month}/{date.year}"]
    return cells


def register_rows(units: dict[str, list[str]], deadlines, seed: int = YEAR) -> list[list[str]]:
    """The register table (two header rows, a group row per group, one row per unit)."""
    rng = random.Random(seed)
    header = ["STT", "Tên cơ quan"] + [c for title in DOCUMENTS.values() for c in (title, "")]
    sub = ["", ""] + [NUMBER_HEADER, DATE_HEADER] * len(DOCUMENTS)
    rows = [header, sub]
    for number, (group, names) in zip(GROUP_NUMBERS, units.items()):
        rows.append([number, GROUPS[group]] + [""] * 2 * len(DOCUMENTS))
        rows += [[str(stt), name] + _cells(rng, name, deadlines) for stt, name in enumerate(names, start=1)]
    return rows


RUBRIC_SOURCE = "Quyết định 1563/QĐ-UBND ngày 01/8/2022 của UBND tỉnh Tây Ninh"
CRITERIA = [("tc1", "Lãnh đạo, chỉ đạo, hướng dẫn thực hiện công tác dân vận", 10),
            ("tc2", "Tiếp công dân, giải quyết khiếu nại, tố cáo", 10),
            ("tc3", "Phối hợp với Mặt trận Tổ quốc và các tổ chức chính trị - xã hội", 20),
            ("tc4", "Cải cách hành chính", 20),
            ("tc5", "Thực hiện dân chủ ở cơ sở", 20),
            ("tc6", "Tiêu chí thứ sáu (tên chưa đối chiếu)", 20)]
BANDS = [("tot", "Tốt", 90), ("kha", "Khá", 70), ("trung_binh", "Trung bình", 50), ("yeu", "Yếu", 0)]


def scoring_tables(register: list[list[str]], seed: int = YEAR + 1) -> dict[str, list[list[str]]]:
    """The rubric, the bands and the scores of every unit of `register` that sent its scoring report."""
    rng = random.Random(seed)
    scores = [["Tên cơ quan", "Tự chấm"] + [code for code, _, _ in CRITERIA] + ["Minh họa"]]
    number_column = 2 + 2 * list(DOCUMENTS).index("scoring_report")
    for row in register[2:]:
        if not row[0].isdigit() or not row[number_column]:
            continue
        points = [rng.randrange(int(maximum * 1.7), maximum * 2 + 1) / 2 for _, _, maximum in CRITERIA]
        total = sum(points)
        own = min(100.0, total + rng.randrange(0, 9) / 2)
        scores.append([row[1], f"{own:g}"] + [f"{p:g}" for p in points] + ["có"])
    return {
        "tieu-chi-cham-diem.csv": [["Mã tiêu chí", "Tiêu chí", "Điểm tối đa", "Nguồn", "Minh họa"]]
        + [[code, name, str(maximum), RUBRIC_SOURCE, "có"] for code, name, maximum in CRITERIA],
        "xep-loai.csv": [["Mã xếp loại", "Xếp loại", "Điểm từ", "Nguồn", "Minh họa"]]
        + [[code, name, str(lowest), "Mức minh họa, chưa đối chiếu với văn bản của tỉnh", "có"] for code, name, lowest in BANDS],
        "cham-diem.csv": scores,
    }


def main() -> None:
    params = load_params(ROOT / "params" / "2025" / "tay-ninh.yml")
    communes = CommuneList.load().of(params.unit_record, YEAR)
    (FOLDER / "so-nganh.csv").write_text(csv_text([["Tên cơ quan", "Minh họa"]] + [[n, "có"] for n in DEPARTMENTS]),
                                         encoding="utf-8")
    units = {"departments": DEPARTMENTS, "communes": [f"UBND {c.full_name}" for c in communes]}
    register = register_rows(units, params.deadlines)
    (FOLDER / "so-theo-doi.csv").write_text(csv_text(register), encoding="utf-8")
    for name, rows in scoring_tables(register).items():
        (FOLDER / name).write_text(csv_text(rows), encoding="utf-8")


if __name__ == "__main__":
    main()
