"""Regenerate the bad-input corpus of this folder and the Excel forms of data/2024 from the shipped CSVs.

Run from the project root: `python tests/data/bad/make_files.py`. Each bad file is the shipped table with one
planted fault (or a tiny table of its own), so that its test can assert the exact list of problems.
tests/README.md lists what each file returns.
"""
from __future__ import annotations

import csv
import io
import re
import unicodedata
from pathlib import Path

from baocao.tablefiles import csv_text, indicators_workbook, register_workbook

ROOT = Path(__file__).resolve().parents[3]
HERE = Path(__file__).resolve().parent
DATA = ROOT / "data" / "2024"


def rows(path: Path) -> list[list[str]]:
    return list(csv.reader(path.read_text(encoding="utf-8").splitlines()))


def edited(table: list[list[str]], edits: dict[tuple[int, int], str]) -> list[list[str]]:
    """A copy with cells replaced; keys are (Excel row, 1-based column)."""
    copy = [list(row) for row in table]
    for (row, column), value in edits.items():
        copy[row - 1][column - 1] = value
    return copy


# --- the corpus ----------------------------------------------------------------------------------------------

def write(name: str, content: str | bytes) -> None:
    path = HERE / name
    path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))


def register_cases(register: list[list[str]]) -> None:
    cases = {
        "register-missing-column.csv": edited(register, {(2, 6): ""}),
        "register-renamed-header.csv": edited(register, {(1, 2): "Tên đơn vị"}),
        "register-wrong-date.csv": edited(register, {(4, 6): "14/12"}),
        "register-impossible-date.csv": edited(register, {(4, 8): "31/02/2024"}),
        "register-duplicate-unit.csv": edited(register, {(6, 2): "Bộ Công an"}),
        "register-unknown-unit.csv": edited(register, {(35, 2): "UBND tỉnh An Giag"}),
        "register-trailing-spaces.csv": edited(register, {(4, 2): "  Bộ Quốc phòng  ", (4, 5): "1765/BC-DV ", (4, 6): " 14/12/2024"}),
        "register-old-tone-marks.csv": edited(register, {(65, 2): "UBND tỉnh Khánh Hoà", (63, 2): "UBND tỉnh Hoà Bình",
                                                         (20, 2): "Bộ Văn hoá, Thể thao và Du lịch"}),
        "register-date-after-report.csv": edited(register, {(4, 6): "14/12/2025"}),
        "register-date-before-window.csv": edited(register, {(7, 4): "17/5/2023"}),
        "register-kh-in-report-column.csv": edited(register, {(5, 5): "568/KH-ĐUCA"}),
        "register-bc-in-plan-column.csv": edited(register, {(25, 3): "842/BC-UBDT"}),
        "register-unusual-symbol.csv": edited(register, {(29, 5): "BHXH 4692"}),
        "register-number-without-date.csv": edited(register, {(4, 6): ""}),
        "register-iso-dates.csv": edited(register, {(4, 6): "2024-12-14", (4, 8): "2024-05-24"}),
    }
    for name, table in cases.items():
        write(name, csv_text(table))
    without = [row for i, row in enumerate(register, start=1) if i != 8]
    write("register-missing-unit.csv", csv_text(without))
    moved = register[:2] + [register[3], register[2]] + register[4:]
    write("register-unit-before-group.csv", csv_text(moved))
    write("register-header-only.csv", csv_text(register[:2]))
    write("register-empty.csv", b"")
    write("register-nfd.csv", unicodedata.normalize("NFD", csv_text(register)))
    write("register-utf16.csv", csv_text(register, delimiter="\t").encode("utf-16"))
    write("register-cp1258.csv", csv_text(register).encode("cp1258", errors="replace"))
    write("register-binary.csv", bytes(range(256)) * 4)

    book = register_workbook(register)
    buffer = io.BytesIO()
    book.save(buffer)
    write("register-xlsx-named.csv", buffer.getvalue())

    book = register_workbook(register)
    book.active.merge_cells("E4:E5")
    book.save(HERE / "register-merged-data.xlsx")
    book = register_workbook(register)
    book.active["C6"] = "=2748+1"
    book.save(HERE / "register-formula.xlsx")
    book = register_workbook(register)
    book.create_sheet("Ghi chú")["A1"] = "Số liệu tổng hợp đến 31/12/2024"
    book.save(HERE / "register-extra-sheet.xlsx")
    book = register_workbook(register)
    book.active["F4"] = 45640  # a date whose date format was lost: Excel shows the serial number
    book.active["F4"].number_format = "General"
    book.save(HERE / "register-wrong-type.xlsx")


def excel_cases(register: list[list[str]], unit_indicators: list[list[str]]) -> None:
    """Tables as people leave them: hidden sheets, invisible characters pasted with a name, Alt+Enter inside a
    cell. All are read as a person sees them (the register's row 4 is Bộ Quốc phòng, row 35 An Giang)."""
    book = register_workbook(register)
    stale = book.create_sheet("Bản cũ", 0)  # an old copy, hidden, first
    stale["A1"] = "Bản nháp cũ, không dùng"
    stale.sheet_state = "hidden"
    book.create_sheet("Ghi chú ẩn").sheet_state = "veryHidden"
    book.save(HERE / "register-hidden-first-sheet.xlsx")
    invisible = {(4, 2): "\u200bBộ Quốc phòng\ufeff", (5, 2): "Bộ\u00a0Công\u202fan", (6, 2): "Bộ Ngoại\u2060 giao",
                 (35, 2): "UBND tỉnh An Gi\u00adang", (8, 2): "Bộ Tư\u2007pháp\u200d"}
    write("register-invisible-characters.csv", csv_text(edited(register, invisible)))
    breaks = {(4, 2): "Bộ Quốc\nphòng", (35, 2): "UBND tỉnh\r\nAn Giang", (6, 2): "Bộ Ngoại\u2028giao"}
    write("register-alt-enter.csv", csv_text(edited(register, breaks)))
    register_workbook(edited(register, breaks)).save(HERE / "register-alt-enter.xlsx")
    # a line break inside row 4's name, and a bad date on row 5: the message must still say row 5
    write("register-alt-enter-rows.csv", csv_text(edited(register, {(4, 2): "Bộ Quốc\nphòng", (5, 6): "14/12"})))
    header, first, second = unit_indicators[0], unit_indicators[1], unit_indicators[2]
    write("unit-indicators-invisible.csv", csv_text([header, ["\ufeffTây\u00a0Ninh\u200b", *first[1:]],
                                                     ["Tây\nNinh", *second[1:]]]))


def indicator_cases(indicators: list[list[str]]) -> None:
    header, first, second = indicators[0], indicators[1], indicators[11]  # an index and a share
    small = [header, first, second]
    value, kind, numerator, key = (header.index(c) for c in ("Giá trị", "Loại", "Tử số", "Mã chỉ số"))
    cases = {
        "indicators-missing-column.csv": [row[:-2] + row[-1:] for row in small],
        "indicators-renamed-header.csv": [[("Gia tri" if c == "Giá trị" else c) for c in header], first, second],
        "indicators-wrong-type.csv": [header, [*first[:value], "84,38", *first[value + 1:]], second],
        "indicators-duplicate-key.csv": [header, first, second, first],
        "indicators-bad-kind.csv": [header, [*first[:kind], "phần trăm", *first[kind + 1:]], second],
        "indicators-half-pair.csv": [header, first, [*second[:numerator + 1], "", *second[numerator + 2:]]],
        "indicators-bad-key.csv": [header, [*first[:key], "PAR Index", *first[key + 1:]], second],
        "indicators-header-only.csv": [header],
        "unit-indicators-unknown-unit.csv": [["Đơn vị", *header], ["Hà Tây", *first], ["Tây Ninh", *second]],
        "unit-indicators-duplicate.csv": [["Đơn vị", *header], ["Tây Ninh", *first], ["tỉnh Tây Ninh", *first]],
    }
    for name, table in cases.items():
        write(name, csv_text(table))
    write("indicators-utf16.csv", csv_text(small, delimiter="\t").encode("utf-16"))  # Excel's «Unicode Text»
    write("indicators-utf8-bom.csv", csv_text(small).encode("utf-8-sig"))  # Excel's «CSV UTF-8»


def vietnamese(text: str) -> str:
    """A machine-form number as Vietnamese write it: 1133105 → 1.133.105, 84.38 → 84,38; other text as is."""
    if not re.fullmatch(r"-?\d+(\.\d+)?", text):
        return text
    whole, _, decimals = text.partition(".")
    grouped = f"{int(whole):,}".replace(",", ".")
    return grouped + ("," + decimals if decimals else "")


def number_cases(indicators: list[list[str]], register: list[list[str]]) -> None:
    """Numbers as Vietnamese write them, and values no figure can have. Rows of the shipped indicators: 2 an index
    (84.38), 5 a count (1848), 12 a share (69.38 = 1158760/1670220), 27 a count (337635)."""
    header = indicators[0]
    index, count, share, visits = indicators[1], indicators[4], indicators[11], indicators[26]
    value, numerator, denominator = (header.index(c) for c in ("Giá trị", "Tử số", "Mẫu số"))

    def at(row: list[str], column: int, text: str) -> list[str]:
        return [*row[:column], text, *row[column + 1:]]

    numbers = {header.index(c) for c in ("Giá trị", "Tử số", "Mẫu số", "Giá trị năm trước", "Thay đổi theo nguồn (%)")}
    as_vietnamese = [header] + [[vietnamese(cell) if i in numbers else cell for i, cell in enumerate(row)]
                                for row in indicators[1:]]
    write("indicators-semicolon-vietnamese.csv", csv_text(as_vietnamese, delimiter=";"))
    thousands = [header, count, visits]
    write("indicators-semicolon-thousands.csv",
          csv_text([header] + [at(row, value, vietnamese(row[value])) for row in thousands[1:]], delimiter=";"))
    write("indicators-spaced-thousands.csv", csv_text([header, at(count, value, "1 848"), at(visits, value, "337\u00a0635"),
                                                       at(share, numerator, "1 158 760")]))
    write("indicators-ambiguous-thousands.csv", csv_text([header] + [at(row, value, vietnamese(row[value])) for row in thousands[1:]]))
    write("indicators-semicolon-mixed.csv", csv_text([header, at(index, value, "84,38"), share], delimiter=";"))
    write("indicators-thirty-digits.csv", csv_text([header, at(count, value, "123456789012345678901234567890"),
                                                    at(share, numerator, "11587600000000000000")]))
    write("indicators-number-forms.csv", csv_text([header, at(index, value, "1e5"), at(count, value, "NaN"),
                                                   at(visits, value, "+337635"), at(share, value, ".5")]))
    write("indicators-negative-count.csv", csv_text([header, at(count, value, "-1848"), at(share, numerator, "-5")]))
    write("indicators-share-over-100.csv", csv_text([header, at(share, value, "171.56"),
                                                     at(at(at(indicators[12], numerator, "2301204"), denominator, "1133105"),
                                                        value, "203.09")]))
    write("indicators-fullwidth-digits.csv", csv_text([header, at(index, value, "８４.３８"), at(count, value, "١٨٤٨"),
                                                       at(visits, header.index("Năm"), "２０２４")]))
    write("register-fullwidth-date.csv", csv_text(edited(register, {(4, 6): "１４/１２/２０２４"})))
    write("register-arabic-indic-date.csv", csv_text(edited(register, {(4, 6): "١٤/١٢/٢٠٢٤", (4, 8): "２０２４-０５-２４"})))
    write("targets-semicolon-level.csv", csv_text([TARGET_HEADER, at(TARGET, 4, "80,5")], delimiter=";"))
    write("targets-ambiguous-level.csv", csv_text([TARGET_HEADER, at(TARGET, 4, "1.500")]))


TARGET_HEADER = ["Đơn vị", "Mã chỉ tiêu", "Nội dung chỉ tiêu", "Phép so sánh", "Mức chỉ tiêu", "Đơn vị tính", "Mã chỉ số", "Nguồn", "Minh họa"]
TARGET = ["Tây Ninh", "online_dossiers", "Tỷ lệ hồ sơ thủ tục hành chính trực tuyến", ">=", "80", "%",
          "online_dossiers_localities", "Ví dụ minh họa, không phải số liệu thật", "có"]


def target_cases() -> None:
    write("targets-ok.csv", csv_text([TARGET_HEADER, TARGET]))
    write("targets-bad-comparison.csv", csv_text([TARGET_HEADER, [*TARGET[:3], "≥", *TARGET[4:]]]))
    write("targets-missing-level.csv", csv_text([TARGET_HEADER, [*TARGET[:4], "", *TARGET[5:]]]))


def prose_cases() -> None:
    body = "Nội dung.\n"
    write("prose-unknown-item.md", f"---\nmuc: mo-dau-x\n---\n{body}")
    write("prose-extra-key.md", f"---\nmuc: mo-dau\ntieu_de: Mở đầu\n---\n{body}")
    write("prose-bad-flag.md", f"---\nmuc: mo-dau\nnguon: Báo cáo 1385/BC-BNV\nminh_hoa: có\n---\n{body}")
    write("prose-missing-item.md", f"---\nnguon: Báo cáo 1385/BC-BNV\n---\n{body}")
    write("prose-bad-yaml.md", f"---\nmuc: [mo-dau\n---\n{body}")
    write("prose-cp1258.md", "---\nmuc: mo-dau\n---\nCông tác dân vận năm 2024.\n".encode("cp1258", errors="replace"))
    # placeholders: the body starts on line 4, after the three lines of front matter
    templates = {
        "prose-unknown-placeholder.md": "Có {{ submissions.provinces.anual_report.received }} tỉnh đã gửi báo cáo.\n",
        "prose-undefined-attribute.md": "Tiếp {{ indicators.citizen_visits.valu }} lượt công dân.\n",
        "prose-unknown-in-condition.md": "{% if indicators.citizen_visit.value %}\nCó số liệu.\n{% endif %}\n",
        "prose-unclosed-tag.md": "Mở đầu.\n{% if indicators.citizen_visits.value\nCó số liệu.\n",
        "prose-unclosed-block.md": "Mở đầu.\n{% if indicators.citizen_visits.value %}\nCó số liệu.\n\nKết luận.\n",
        "prose-unclosed-placeholder.md": "Tiếp {{ indicators.citizen_visits.value lượt công dân.\n",
        "prose-stray-endif.md": "Mở đầu.\n{% endif %}\n",
        "prose-filter.md": "Năm {{ report.year | int + 1 }}.\n",
        "prose-template-trick.md": "{{ ''.__class__.__mro__ }}\n",
    }
    for name, template in templates.items():
        write(name, f"---\nmuc: mo-dau\n---\n{template}")
    markup_cases()


def markup_cases() -> None:
    """Prose is text: markup that would act on the report (raw blocks, metadata, divs, images…) is refused, with the
    line where it starts (the body starts on line 4)."""
    bodies = {
        "prose-ok-markdown.md": "Đoạn có **chữ đậm**, *nghiêng* và \"ngoặc kép\"^[Chú thích cuối trang.].\n\n"
                                "- một\n- hai\n\n1. thứ nhất\n2. thứ hai\n\n| Cột | Số |\n|---|---|\n| a | 1 |\n",
        "prose-raw-openxml-block.md": "Đoạn văn.\n\n```{=openxml}\n<w:p><w:r><w:t>chữ ẩn</w:t></w:r></w:p>\n```\n",
        "prose-raw-typst-inline.md": "Số liệu `#hide[ẩn]`{=typst} đã kiểm tra.\n",
        "prose-raw-html.md": "Đoạn <span style=\"display:none\">ẩn</span> văn.\n",
        "prose-raw-html-image.md": "Đoạn văn.\n\n<img src=\"/etc/passwd\">\n",
        "prose-html-comment.md": "Đoạn văn.\n<!-- ghi chú nội bộ -->\n",
        "prose-unclosed-comment.md": "Đoạn văn.\n\n<!-- phần còn lại của báo cáo\n",
        "prose-raw-latex.md": "Đoạn văn.\n\n\\newpage\n",
        "prose-yaml-block.md": "Đoạn văn.\n\n---\ndraft: false\nillustrative: false\n---\n\nTiếp.\n",
        "prose-yaml-dots.md": "Đoạn văn.\n\n---\ntitle: Báo cáo khác\n...\n",
        "prose-appendix-div.md": "::: {.appendix title=\"PHỤ LỤC GIẢ\"}\nBảng giả.\n:::\n",
        "prose-signature-div.md": "Đoạn văn.\n\n::: {.signature}\n:::\n",
        "prose-unclosed-fence.md": "Đoạn văn.\n\n```{=openxml}\n",
        "prose-image-file.md": "![x](/etc/passwd)\n",
        "prose-image-url.md": "Xem ![biểu đồ](https://example.com/a.png) dưới đây.\n",
        "prose-image-reference.md": "Đoạn văn ![x][a].\n\n[a]: /etc/hostname\n",
        "prose-heading.md": "Đoạn văn.\n\n# PHẦN GIẢ\n",
        "prose-setext-heading.md": "Đoạn văn.\n\nMục giả\n=======\n",
        "prose-rule.md": "Đoạn văn.\n\n***\n\nTiếp.\n",
        "prose-custom-style.md": "[Ẩn]{custom-style=\"Signature Marker\"} trong đoạn.\n",
        "prose-link.md": "Xem [tại đây](file:///etc/passwd).\n",
        "prose-indented-code.md": "Đoạn văn.\n\n    đoạn thụt lề bốn dấu cách\n",
        "prose-cite.md": "Góp ý gửi @ban-dan-van.\n",
        "prose-math.md": "Chi phí $x+1$ đồng.\n",
        "prose-set-trick.md": "{% set x = \"![a](/etc/passwd)\" %}Đoạn {{ x }} văn.\n",
        "prose-comment-trick.md": "Đoạn văn.\n\n!{# ghép #}[a](/etc/passwd)\n",
    }
    for name, body in bodies.items():
        write(name, f"---\nmuc: mo-dau\n---\n{body}")


def params_cases() -> None:
    """Each is the shipped params/2024.yml with one planted mistake; a regular expression marks what is replaced."""
    good = (ROOT / "params" / "2024.yml").read_text(encoding="utf-8")
    cases = {
        "params-unknown-key.yml": (r"  authority: ", "  authorty: "),
        "params-wrong-date.yml": (r"  date: 2025-02-27\n", "  date: 2025-02-30\n"),
        "params-missing-signer.yml": (r"  name: Trương Hải Long\n", ""),
        "params-wrong-type.yml": (r"recipients:\n(  - .*\n)+", "recipients: Thủ tướng Chính phủ\n"),
        "params-bad-outline-file.yml": (r"outline:\n(  .*\n|\n)+", "outline:\n  file: params/outlines/khong-co.yml\n\n"),
        "params-bad-outline-id.yml": (r"  - id: mo-dau\n", "  - id: Mở đầu\n"),
        "params-yaml-syntax.yml": (r"  place: Hà Nội\n", "  place: Hà Nội: trụ sở Bộ\n"),
        "params-tab-indent.yml": (r"  place: Hà Nội\n", "\tplace: Hà Nội\n"),
    }
    for name, (pattern, replacement) in cases.items():
        text, count = re.subn(pattern, replacement, good, count=1)
        assert count == 1, name
        write(name, text)


def main() -> None:
    register = rows(DATA / "so-theo-doi.csv")
    indicators = rows(DATA / "chi-so-quoc-gia.csv")
    register_workbook(register).save(DATA / "so-theo-doi.xlsx")
    indicators_workbook(indicators).save(DATA / "chi-so-quoc-gia.xlsx")
    register_cases(register)
    excel_cases(register, rows(DATA / "chi-so-tinh.csv"))
    indicator_cases(indicators)
    target_cases()
    number_cases(indicators, register)
    prose_cases()
    params_cases()


if __name__ == "__main__":
    main()
