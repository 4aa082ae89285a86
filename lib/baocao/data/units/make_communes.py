"""Write communes.csv: the 3,321 communes (xã, phường, đặc khu) of the 34 provinces from 1 July 2025.

The communes were set by the 2025 resolutions of Ủy ban Thường vụ Quốc hội on each province's commune
arrangement (Tây Ninh: Nghị quyết 1682/NQ-UBTVQH15 of 16/6/2025). Typing 3,321 names from 34 resolutions
by hand would invite typos, so the list is taken from the MIT-licensed `vietnamadminunits` package (its
2025 table), which transcribes them; baocao reads only the CSV at run time. Run again after upgrading the
package, then review the diff:

    PYTHONPATH=lib python lib/baocao/data/units/make_communes.py

Names are written in baocao's printed form (`names.normalize`: " – " between words, as for provinces).
The kind is taken from the commune's full name ("Phường Việt Hòa"): in four rows of vietnamadminunits 1.0.4
(Hải Phòng, Cần Thơ) the separate type column contradicts the full name, and the name is what the
resolution prints. The script lists those rows so that a reviewer sees them.
"""
from __future__ import annotations

import csv
import io
import sys
from pathlib import Path

from baocao.names import normalize

OUTPUT = Path(__file__).with_name("communes.csv")
ERA = "2025"
KINDS = ("xã", "phường", "đặc khu")
COLUMNS = ("era", "province_code", "code", "name", "kind")


def rows_from_package() -> tuple[list[dict[str, str]], list[str]]:
    """The CSV rows, ordered by province code then commune code, and the type disagreements noticed."""
    from vietnamadminunits.database import get_data

    records = get_data(["provinceCode", "wardCode", "ward", "wardShort", "wardType"], "admin_units")
    rows, notes = [], []
    for record in sorted(records, key=lambda r: (r["provinceCode"], r["wardCode"])):
        kind = next(k for k in KINDS if record["ward"].casefold().startswith(k + " "))
        if kind != record["wardType"].casefold():
            notes.append(f'{record["provinceCode"]} {record["wardCode"]} "{record["ward"]}": '
                         f'wardType {record["wardType"]}, written as {kind}')
        rows.append({"era": ERA, "province_code": record["provinceCode"], "code": record["wardCode"],
                     "name": normalize(record["wardShort"]), "kind": kind})
    return rows, notes


def csv_text(rows: list[dict[str, str]]) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue()


def main() -> int:
    rows, notes = rows_from_package()
    OUTPUT.write_text(csv_text(rows), encoding="utf-8")
    print(f"{OUTPUT}: {len(rows)} communes")
    for note in notes:
        print("  type taken from the name:", note)
    return 0


if __name__ == "__main__":
    sys.exit(main())
