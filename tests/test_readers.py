"""The bad-input corpus (tests/data/bad/, listed in tests/README.md): each file gives exactly the problems a
user would read, with row and column, and none gives a traceback. Also the reader details users rely on."""
from __future__ import annotations

import datetime as dt
import functools
from pathlib import Path

import pytest

from baocao.errors import BaocaoError, Problem
from baocao.indicators import read_indicators, read_unit_indicators
from baocao.narrative import read_prose_file, render_prose
from baocao.sandbox import ALLOWED
from baocao.params import load_params
from baocao.prose_filter import FENCE_MESSAGE, ONLY, REFUSED
from baocao.schemas import AMBIGUOUS, MACHINE_FORM, MIXED, VIETNAMESE
from baocao.readers import MAX_ROWS, _cell, read_sheets
from baocao.register import load_register
from baocao.facts import prose_context
from baocao.targets import read_targets
from baocao.stats import submission_facts
from conftest import ROOT

BAD = Path(__file__).parent / "data" / "bad"
E, W = "lỗi", "cảnh báo"
REPORT_DATE = dt.date(2025, 2, 27)  # Báo cáo 1385/BC-BNV

PLAN_NO, PLAN_DATE = "Kế hoạch – Số văn bản", "Kế hoạch – Ngày tháng văn bản"
ANNUAL_NO, ANNUAL_DATE = "Báo cáo năm – Số văn bản", "Báo cáo năm – Ngày tháng văn bản"
SCORING_DATE = "Báo cáo về tiêu chí chấm điểm, xếp loại, đánh giá công tác dân vận – Ngày tháng văn bản"
NAME = "Tên cơ quan"
DATE_FORM = "cần ngày tháng dạng ngày/tháng/năm, ví dụ 17/5/2024 hoặc 17/05/2024 (hoặc ô kiểu ngày của Excel)"
PAIR = "có số văn bản thì phải có ngày tháng văn bản và ngược lại"
MINISTRIES = "Bộ, cơ quan ngang Bộ, cơ quan thuộc Chính phủ"


def missing(unit: str, group: str = MINISTRIES) -> tuple:
    return (E, None, NAME, unit, f"thiếu đơn vị phải báo cáo năm 2024 (nhóm «{group}»): thêm một dòng cho đơn vị, "
                                 "để trống các ô nếu chưa gửi")


def twice(unit: str, first: int, second: int) -> list[tuple]:
    message = f"đơn vị «{unit}» có hai lần, ở dòng {first} và dòng {second}: giữ một dòng"
    return [(E, first, NAME, unit, message), (E, second, NAME, unit, message)]


HIDDEN = "trang tính ẩn này bị bỏ qua: chỉ đọc trang tính hiện đầu tiên «Bảng tổng hợp»"
TOO_LONG = "số có quá 15 chữ số: kiểm tra lại ô (dán nhầm một mã, hay nhiều số liền nhau?)"
NEGATIVE = "số lượng, tử số và mẫu số không thể âm"
FOREIGN = ("có chữ số không phải chữ số thường (chữ số toàn độ rộng hoặc chữ số Ả Rập, thường do dán từ trang web): "
           "gõ lại bằng bàn phím")
NOT_FOUND_HEADER = "không tìm thấy dòng tiêu đề có «STT» và «Tên cơ quan» trong 20 dòng đầu"
NOT_A_NUMBER = "cần một số viết kiểu máy (dấu chấm thập phân, không dấu phân cách nghìn), ví dụ 84.38"
DUP_KEY = "bị trùng: cùng giá trị ở các dòng 2, 4"
UNIT_DUP = "«par_index_ministries_avg» của Tây Ninh có hai lần, ở các dòng 2, 3: giữ một dòng"

def refused(what: str) -> str:
    return f"{what} không được dùng trong văn bản: {ALLOWED}"
BAD_YAML = ("YAML không hợp lệ ({}): thụt lề bằng dấu cách, không dùng phím Tab; "
            "giá trị có dấu «:» hoặc «#» đặt trong ngoặc kép")


def markup(row: int, element: str) -> list[tuple]:
    """Prose that holds markup (refused by `baocao.prose_filter`): the element's own message, on its line."""
    return [(E, row, None, None, f"{FENCE_MESSAGE if element == 'fence' else REFUSED[element]} ({ONLY})")]


def unknown_fact(name: str, *meant: str) -> tuple:
    return (E, 4, None, name, f"không có số liệu tên «{name}». Có phải: {', '.join(meant)}?")


# file → every problem it gives: (severity, Excel row, column, value, message). [] means accepted as is.
CASES: dict[str, list[tuple]] = {
    # accepted: what Excel and PDFs do to text must not stop anyone
    "register-nfd.csv": [],
    "register-old-tone-marks.csv": [],
    "register-trailing-spaces.csv": [],
    "register-utf16.csv": [],
    "register-iso-dates.csv": [],
    "targets-ok.csv": [],
    "indicators-utf16.csv": [],
    "indicators-utf8-bom.csv": [],
    # Excel as people leave it: what a person sees is what is read
    "register-invisible-characters.csv": [],
    "register-alt-enter.csv": [],
    "register-alt-enter.xlsx": [],
    "unit-indicators-invisible.csv": [],
    "register-hidden-first-sheet.xlsx": [(W, None, None, None, HIDDEN)] * 2,
    "register-alt-enter-rows.csv": [(E, 5, ANNUAL_DATE, "14/12", DATE_FORM)],
    # the file itself
    "register-empty.csv": [(E, None, None, None, "tệp rỗng: không có dòng nào")],
    "register-header-only.csv": [(E, 2, None, None, "sổ theo dõi không có dòng đơn vị nào")],
    "register-binary.csv": [(E, None, None, None, "tệp không phải bảng CSV (nội dung nhị phân): cần tệp văn bản CSV UTF-8 hoặc tệp Excel .xlsx")],
    "register-xlsx-named.csv": [(E, None, None, None, "tệp này là tệp Excel (.xlsx) nhưng mang đuôi .csv: đổi đuôi tệp thành .xlsx")],
    "register-cp1258.csv": [(E, 1, None, None,
                             "tệp CSV không mã hóa UTF-8 (có thể Excel đã lưu kiểu «CSV (Comma delimited)» theo bảng mã "
                             "Windows-1258/1252, làm hỏng chữ có dấu): mở tệp trong Excel, chọn File › Save As › "
                             "«CSV UTF-8 (Comma delimited) (*.csv)» rồi lưu lại")],
    "register-extra-sheet.xlsx": [(W, None, None, None, "trang tính này bị bỏ qua: chỉ đọc trang tính đầu tiên «Bảng tổng hợp»")],
    "register-formula.xlsx": [(E, 6, "C", "=2748+1", "ô chứa công thức: hãy dán giá trị (Paste Special › Values) thay cho công thức")],
    "register-merged-data.xlsx": [(E, 4, None, "E4:E5", "ô gộp (merge) trong dòng dữ liệu: bỏ gộp ô và ghi giá trị vào từng ô"),
                                  (E, 5, ANNUAL_NO, None, PAIR)],
    # the header
    "register-missing-column.csv": [(E, 1, None, None, "thiếu cột của: Báo cáo năm (mỗi loại văn bản cần hai cột «Số văn bản» "
                                                        "và «Ngày tháng văn bản» ở dòng tiêu đề thứ hai)")],
    "register-renamed-header.csv": [(E, None, None, None, NOT_FOUND_HEADER)],
    # cells
    "register-wrong-date.csv": [(E, 4, ANNUAL_DATE, "14/12", DATE_FORM)],
    "register-wrong-type.xlsx": [(E, 4, ANNUAL_DATE, "45640", DATE_FORM)],
    "register-impossible-date.csv": [(E, 4, SCORING_DATE, "31/02/2024", "ngày không có trên lịch (ví dụ 31/02/2024): kiểm tra lại ngày và tháng")],
    "register-date-after-report.csv": [(E, 4, ANNUAL_DATE, "14/12/2025", "văn bản không thể đề ngày sau ngày của chính báo cáo (27/02/2025)")],
    "register-date-before-window.csv": [(W, 7, PLAN_DATE, "17/5/2023", "ngày trước kỳ báo cáo (trước 01/01/2024): kiểm tra lại năm")],
    "register-number-without-date.csv": [(E, 4, ANNUAL_DATE, None, PAIR)],
    "register-kh-in-report-column.csv": [(W, 5, ANNUAL_NO, "568/KH-ĐUCA", "loại văn bản trong ký hiệu không phải báo cáo năm: kiểm tra văn bản có ghi đúng cột không")],
    "register-bc-in-plan-column.csv": [(W, 25, PLAN_NO, "842/BC-UBDT", "loại văn bản trong ký hiệu không phải kế hoạch: kiểm tra văn bản có ghi đúng cột không")],
    "register-unusual-symbol.csv": [(W, 29, ANNUAL_NO, "BHXH 4692", "số, ký hiệu không theo dạng thường gặp (ví dụ 1765/BC-DV, 568-BC/ĐUCA, 2644/UBND-VX): kiểm tra lại")],
    # units
    "register-duplicate-unit.csv": twice("Bộ Công an", 5, 6) + [missing("Bộ Ngoại giao")],
    "register-unknown-unit.csv": [(E, 35, NAME, "UBND tỉnh An Giag", 'Không nhận ra đơn vị "UBND tỉnh An Giag". Có phải: An Giang?'),
                                  missing("UBND tỉnh An Giang", "Địa phương")],
    "register-missing-unit.csv": [missing("Bộ Tư pháp")],
    "register-unit-before-group.csv": [(E, 3, None, "Bộ Quốc phòng", "dòng đơn vị nằm trước dòng nhóm («I Bộ, cơ quan…» hoặc «II Địa phương»)"),
                                       missing("Bộ Quốc phòng")],
    # indicators, per-unit indicators, targets
    "indicators-missing-column.csv": [(E, 1, "Nguồn", None, "thiếu cột bắt buộc")],
    "indicators-renamed-header.csv": [(E, 1, "Gia tri", None, "cột lạ, không có trong mẫu; có phải «Giá trị»?"),
                                      (E, 1, "Giá trị", None, "thiếu cột bắt buộc")],
    "indicators-wrong-type.csv": [(E, 2, "Giá trị", "84,38", MIXED.format(MACHINE_FORM, "84.38", VIETNAMESE))],
    # numbers as Vietnamese write them, and values no figure can have
    "indicators-semicolon-vietnamese.csv": [(W, 13, "Giá trị", "49.39", "tử số/mẫu số cho 49,24; báo cáo in giá trị tính lại"),
                                            (W, 33, "Giá trị", "81.8", "tử số/mẫu số cho 83,9; báo cáo in giá trị tính lại")],
    "indicators-semicolon-thousands.csv": [],
    "indicators-spaced-thousands.csv": [],
    "targets-semicolon-level.csv": [],
    "indicators-ambiguous-thousands.csv": [(E, 2, "Giá trị", "1.848", AMBIGUOUS), (E, 3, "Giá trị", "337.635", AMBIGUOUS)],
    "targets-ambiguous-level.csv": [(E, 2, "Mức chỉ tiêu", "1.500", AMBIGUOUS)],
    "indicators-semicolon-mixed.csv": [(E, 3, "Giá trị", "69.38", MIXED.format(VIETNAMESE, "1.133.105 hay 84,38", MACHINE_FORM))],
    "indicators-thirty-digits.csv": [(E, 2, "Giá trị", "123456789012345678901234567890", TOO_LONG),
                                     (E, 3, "Tử số", "11587600000000000000", TOO_LONG)],
    "indicators-number-forms.csv": [(E, row, "Giá trị", value, NOT_A_NUMBER)
                                    for row, value in ((2, "1e5"), (3, "NaN"), (4, "+337635"), (5, ".5"))],
    # impossible for their kind: warnings while drafting, errors with --final (test_final)
    "indicators-negative-count.csv": [(W, 2, "Giá trị", "-1848", NEGATIVE), (W, 3, "Tử số", "-5", NEGATIVE),
                                      (W, 3, "Giá trị", "69.38", "tử số/mẫu số cho 0,00; báo cáo in giá trị tính lại")],
    "indicators-share-over-100.csv": [(W, 2, "Giá trị", "171.56", "tỷ lệ phải từ 0 đến 100 (%)"),
                                      (W, 3, "Giá trị", "203.09", "tỷ lệ phải từ 0 đến 100 (%)"),
                                      (W, 3, "Tử số", "2301204", "tỷ lệ: tử số không thể lớn hơn mẫu số"),
                                      (W, 2, "Giá trị", "171.56", "tử số/mẫu số cho 69,38; báo cáo in giá trị tính lại")],
    "indicators-fullwidth-digits.csv": [(E, 2, "Giá trị", "８４.３８", FOREIGN), (E, 3, "Giá trị", "١٨٤٨", FOREIGN),
                                        (E, 4, "Năm", "２０２４", FOREIGN)],
    "register-fullwidth-date.csv": [(E, 4, ANNUAL_DATE, "１４/１２/２０２４", FOREIGN)],
    "register-arabic-indic-date.csv": [(E, 4, ANNUAL_DATE, "١٤/١٢/٢٠٢٤", FOREIGN), (E, 4, SCORING_DATE, "２０２４-０５-２４", FOREIGN)],
    "indicators-duplicate-key.csv": [(E, 2, "Mã chỉ số", "par_index_ministries_avg", DUP_KEY),
                                     (E, 4, "Mã chỉ số", "par_index_ministries_avg", DUP_KEY)],
    "indicators-bad-kind.csv": [(E, 2, "Loại", "phần trăm", "một trong: số lượng, chỉ số, tỷ lệ")],
    "indicators-bad-key.csv": [(E, 2, "Mã chỉ số", "PAR Index", "mã chỉ gồm chữ thường không dấu, chữ số và dấu gạch dưới, "
                                                                "bắt đầu bằng chữ, ví dụ citizen_visits")],
    "indicators-half-pair.csv": [(E, 3, "Mẫu số", None, "tử số và mẫu số phải có cả hai hoặc cùng để trống")],
    "indicators-header-only.csv": [(E, 1, None, None, "bảng chỉ có dòng tiêu đề, không có dòng dữ liệu nào")],
    "unit-indicators-unknown-unit.csv": [(E, 2, "Đơn vị (tỉnh, thành phố)", "Hà Tây", 'Không nhận ra đơn vị "Hà Tây". Có phải: Hà Nam?')],
    "unit-indicators-duplicate.csv": [(E, 2, "Mã chỉ số", "par_index_ministries_avg", UNIT_DUP),
                                      (E, 3, "Mã chỉ số", "par_index_ministries_avg", UNIT_DUP)],
    "targets-bad-comparison.csv": [(E, 2, "Phép so sánh", "≥", "một trong: >=, >, =, <=, <")],
    "targets-missing-level.csv": [(E, 2, "Mức chỉ tiêu", None, "không được để trống")],
    # prose front matter
    "prose-unknown-item.md": [(E, 2, "muc", "mo-dau-x", "«muc» phải là mã một mục của đề cương trong tệp tham số (outline)")],
    "prose-missing-item.md": [(E, 1, "muc", None, "thiếu khóa bắt buộc")],
    "prose-extra-key.md": [(E, 3, "tieu_de", None, "khóa lạ, không có trong mẫu; các khóa của mẫu: muc, nguon, minh_hoa")],
    "prose-bad-flag.md": [(E, 4, "minh_hoa", "có", "«minh_hoa» là true hoặc false")],
    "prose-bad-yaml.md": [(E, 2, None, None, "phần đầu tệp (YAML giữa hai dòng ---) không hợp lệ: expected ',' or ']', but got '<stream end>'")],
    "prose-cp1258.md": [(E, None, None, None, "tệp văn bản phải mã hóa UTF-8")],
    # prose placeholders, checked against the facts of the shipped 2024 data (the body starts on line 4)
    "prose-unknown-placeholder.md": [unknown_fact("submissions.provinces.anual_report.received",
                                                  "submissions.provinces.annual_report.received",
                                                  "submissions.provinces.annual_report.received_share",
                                                  "submissions.provinces.scoring_report.received")],
    "prose-undefined-attribute.md": [unknown_fact("indicators.citizen_visits.valu", "indicators.citizen_visits.value",
                                                  "indicators.citizen_visits.year", "indicators.citizen_visits.name")],
    "prose-unknown-in-condition.md": [unknown_fact("indicators.citizen_visit.value", "indicators.citizen_visits.value",
                                                   "indicators.citizen_visits.name", "indicators.citizen_visits.change")],
    "prose-unclosed-tag.md": [(E, 5, None, None, "lỗi cú pháp: thẻ «{% …» chưa đóng: thêm «%}» ở cuối thẻ")],
    "prose-unclosed-block.md": [(E, 5, None, None, "lỗi cú pháp: khối «{% if … %}» chưa đóng: thêm «{% endif %}» ở cuối đoạn thuộc khối")],
    "prose-unclosed-placeholder.md": [(E, 4, None, None, "lỗi cú pháp: chỗ giữ chỗ «{{ …» chưa đóng: thêm «}}» ở cuối, "
                                                         "ví dụ {{ indicators.citizen_visits.value }}")],
    "prose-stray-endif.md": [(E, 5, None, None, "lỗi cú pháp: thẻ «{% endif %}» không hợp lệ hoặc không có thẻ mở tương ứng: "
                                                "xóa thẻ hoặc sửa tên thẻ")],
    "prose-filter.md": [(E, 4, None, None, refused("bộ lọc «|»"))],
    "prose-template-trick.md": [(E, 4, None, None, "mẫu văn bản dùng thao tác không được phép: "
                                 + refused("thuộc tính «__mro__»"))],
    # params: the shipped params/2024.yml with one mistake; the column is the key
    # prose is text, not markup: what would act on the report is refused where it starts
    "prose-ok-markdown.md": [],
    "prose-raw-openxml-block.md": markup(6, "RawBlock"),
    "prose-raw-typst-inline.md": markup(4, "RawInline"),
    "prose-raw-html.md": markup(4, "Span"),
    "prose-raw-html-image.md": markup(6, "RawBlock"),
    "prose-html-comment.md": markup(5, "RawInline"),
    "prose-unclosed-comment.md": markup(6, "fence"),
    "prose-raw-latex.md": markup(6, "RawBlock"),
    "prose-yaml-block.md": markup(6, "Meta"),
    "prose-yaml-dots.md": markup(6, "Meta"),
    "prose-appendix-div.md": markup(4, "Div"),
    "prose-signature-div.md": markup(6, "Div"),
    "prose-unclosed-fence.md": markup(6, "fence"),
    "prose-image-file.md": markup(4, "Image"),
    "prose-image-url.md": markup(4, "Image"),
    "prose-image-reference.md": markup(4, "Image"),
    "prose-heading.md": markup(6, "Header"),
    "prose-setext-heading.md": markup(6, "Header"),
    "prose-rule.md": markup(6, "HorizontalRule"),
    "prose-custom-style.md": markup(4, "Span"),
    "prose-link.md": markup(4, "Link"),
    "prose-indented-code.md": markup(6, "CodeBlock"),
    "prose-cite.md": markup(4, "Cite"),
    "prose-math.md": markup(4, "Math"),
    "prose-set-trick.md": [(E, 4, None, None, "thẻ «{% set %}» không được dùng trong văn bản: chỉ được dùng tên số liệu (ví dụ {{ indicators.citizen_visits.value }}), phép tính + - * / và dấu ngoặc trên số liệu và số (ví dụ {{ submissions.provinces.total - submissions.provinces.annual_report.received }}), {% if … %} và {% for … in <số liệu> %}")],  # the sandbox refuses {% set %} before any markup is made
    "prose-comment-trick.md": markup(6, "Image"),
    "params-unknown-key.yml": [(E, 22, "signer.authorty", "KT. BỘ TRƯỞNG", "khóa không có trong mẫu tham số (gõ nhầm?); có phải «authority»?")],
    "params-wrong-date.yml": [(E, 15, "document.date", "2025-02-30",
                               "ngày không có trên lịch hoặc sai dạng: cần ngày có thật dạng YYYY-MM-DD, ví dụ 2025-02-27")],
    "params-missing-signer.yml": [(E, 21, "signer.name", None, "thiếu trường bắt buộc: thêm dòng «name: …»")],
    "params-wrong-type.yml": [(E, 26, "recipients", "Thủ tướng Chính phủ", "cần một danh sách: mỗi phần tử một dòng, bắt đầu bằng «- »")],
    "params-bad-outline-file.yml": [(E, 52, "outline.file", "params/outlines/khong-co.yml",
                                     "không tìm thấy tệp đề cương (đường dẫn tính từ thư mục dự án, nơi có thư mục params/): sửa đường dẫn")],
    "params-bad-outline-id.yml": [(E, 52, "outline.0.id", "Mở đầu", "chỉ gồm chữ thường không dấu, số và dấu gạch ngang")],
    "params-yaml-syntax.yml": [(E, 14, None, None, BAD_YAML.format("mapping values are not allowed in this context"))],
    "params-tab-indent.yml": [(E, 14, None, None, BAD_YAML.format("found a tab character that violates indentation"))],
}


@functools.cache
def facts_context() -> dict:
    """What prose placeholders see for the shipped 2024 data."""
    params = load_params(ROOT / "params" / "2024.yml")
    register, _ = load_register(params.path(params.data.submissions), 2024, report_date=params.document.date)
    indicators, _ = read_indicators(params.path(params.data.indicators))
    facts = {"submissions": submission_facts(register, params.deadlines),
             "indicators": {key: ind.facts(params.wording.percentage_points) for key, ind in indicators.items()}}
    return prose_context(params, facts)


def problems_of(path: Path) -> list[Problem]:
    """Every problem the reader of this kind of file reports, raised or returned."""
    name = path.name
    try:
        if name.startswith("register-"):
            _, problems = load_register(path, 2024, report_date=REPORT_DATE)
        elif name.startswith("indicators-"):
            _, problems = read_indicators(path)
        elif name.startswith("unit-indicators-"):
            _, problems = read_unit_indicators(path, 2024)
        elif name.startswith("targets-"):
            _, problems = read_targets(path, 2024)
        elif name.startswith("params-"):
            load_params(path)
            problems = []
        else:
            prose, problems = read_prose_file(path, ["mo-dau", "ket-luan"])
            if prose is not None:
                _, problems = render_prose(prose, facts_context())
    except BaocaoError as exc:
        problems = exc.problems
    return problems


def outcome(path: Path) -> list[tuple]:
    return [(p.severity, p.row, p.column, p.value, p.message) for p in problems_of(path)]


@pytest.mark.parametrize("name", sorted(CASES))
def test_bad_input_gives_exactly_its_problems(name):
    assert outcome(BAD / name) == CASES[name]


def test_every_corpus_file_has_its_expected_outcome():
    files = {p.name for p in BAD.iterdir() if p.suffix != ".py"}
    assert files == set(CASES)
    assert len([n for n, found in CASES.items() if found]) >= 50


@pytest.mark.parametrize("name", sorted(n for n, found in CASES.items() if found))
def test_every_problem_names_its_file_and_sheet(name):
    """What a user needs to find the cell: the file, and in a workbook the sheet (the first, «Bảng tổng hợp»,
    except for the sheet a warning says is ignored)."""
    problems = problems_of(BAD / name)
    assert problems and {Path(p.file) for p in problems} == {BAD / name}
    sheets = {p.sheet for p in problems}
    if name == "register-extra-sheet.xlsx":
        assert sheets == {"Ghi chú"}
    elif name == "register-hidden-first-sheet.xlsx":  # its warnings name the hidden sheets left unread
        assert sheets == {"Bản cũ", "Ghi chú ẩn"}
    else:
        assert sheets == ({"Bảng tổng hợp"} if name.endswith(".xlsx") else {None})


def test_utf8_with_and_without_bom_read_the_same(tmp_path):
    text = "Mã chỉ số,Tên chỉ số\nx,Bà Rịa – Vũng Tàu\n"
    (tmp_path / "bom.csv").write_bytes(text.encode("utf-8-sig"))
    (tmp_path / "plain.csv").write_bytes(text.encode("utf-8"))
    assert read_sheets(tmp_path / "bom.csv")[0].rows == read_sheets(tmp_path / "plain.csv")[0].rows
    assert read_sheets(tmp_path / "bom.csv")[0].rows[0][0] == "Mã chỉ số"


def test_numbers_written_the_vietnamese_way_read_as_the_same_figures():
    """The whole national table saved by a Vietnamese Excel (semicolon CSV, 1.133.105 and 84,38) gives the same
    indicators as the shipped one; and the issue's example: «1.848» and «337.635» are thousands, printed so."""
    shipped, _ = read_indicators(ROOT / "data" / "2024" / "chi-so-quoc-gia.csv")
    vietnamese, _ = read_indicators(BAD / "indicators-semicolon-vietnamese.csv")
    assert vietnamese == shipped
    thousands, _ = read_indicators(BAD / "indicators-semicolon-thousands.csv")
    assert {key: i.value_text() for key, i in thousands.items()} == {"internal_tthc_published": "1.848",
                                                                    "citizen_visits": "337.635"}
    spaced, _ = read_indicators(BAD / "indicators-spaced-thousands.csv")
    assert [(str(i.value), str(i.numerator)) for i in spaced.values()] == [("1848", "None"), ("337635", "None"),
                                                                          ("69.38", "1158760")]
    [target], _ = read_targets(BAD / "targets-semicolon-level.csv", 2024)
    assert str(target.level) == "80.5"


def test_semicolon_csv_is_split_on_semicolons(tmp_path):
    (tmp_path / "t.csv").write_text("Mã chỉ số;Giá trị\nx;1,5\n", encoding="utf-8")
    assert read_sheets(tmp_path / "t.csv")[0].rows == [["Mã chỉ số", "Giá trị"], ["x", "1,5"]]


def test_unsupported_extension_says_what_is_supported(tmp_path):
    (tmp_path / "t.xls").write_bytes(b"x")
    with pytest.raises(BaocaoError, match=r"«\.xls» không được hỗ trợ. Hỗ trợ: \.csv, \.xlsx"):
        read_sheets(tmp_path / "t.xls")


def test_excel_numbers_read_as_they_show():
    assert _cell(66.0, "0.0") == "66.0"  # the decimals the report prints
    assert _cell(0.6938, "0.00%") == "69.38"
    assert _cell(dt.datetime(2024, 5, 17), "dd/mm/yyyy") == dt.date(2024, 5, 17)
    assert _cell("  Ho\u0300a Bi\u0300nh ", "@") == "Hòa Bình"  # NFC, outer spaces gone


def test_excel_register_keeps_merged_two_level_header():
    sheet = read_sheets(ROOT / "data" / "2024" / "so-theo-doi.xlsx")[0]
    assert (1, 3, 1, 4) in sheet.merged  # «Kế hoạch» over its two columns
    assert sheet.rows[0][2:5] == ["Kế hoạch", None, "Báo cáo năm"]
    assert sheet.rows[3][5] == dt.date(2024, 12, 14)  # a real date cell


def test_a_huge_register_is_refused_at_once_with_its_size(tmp_path):
    """100,000 units pasted into the register: one message, not a hundred thousand (nor minutes of checking)."""
    header = (ROOT / "data" / "2024" / "so-theo-doi.csv").read_text(encoding="utf-8").split("\n", 3)[:3]
    line = "1,Bộ Quốc phòng,,,1765/BC-DV,14/12/2024,673/BC-DV,24/5/2024"
    (tmp_path / "so-theo-doi.csv").write_text("\n".join(header + [line] * 100_000) + "\n", encoding="utf-8")
    with pytest.raises(BaocaoError) as caught:
        load_register(tmp_path / "so-theo-doi.csv", 2024, report_date=REPORT_DATE)
    [problem] = caught.value.problems
    assert problem.file == str(tmp_path / "so-theo-doi.csv") and problem.value == "100003 dòng"
    assert problem.message.startswith(f"bảng quá lớn: quá {MAX_ROWS} dòng có dữ liệu")


def refuse(*args, **kwargs):
    raise PermissionError(13, "Permission denied")


@pytest.mark.parametrize("suffix, reader", [(".csv", read_sheets), (".xlsx", read_sheets), (".yml", load_params),
                                            (".md", lambda path: read_prose_file(path, []))])
def test_missing_locked_or_folder_files_name_the_path(tmp_path, monkeypatch, suffix, reader):
    """Missing, a folder of that name, or locked (Excel holds it open). Tests may run as root, who opens even a
    chmod 000 file, so the lock is simulated by a refused read."""
    path = tmp_path / f"so-theo-doi{suffix}"

    def message() -> str:
        with pytest.raises(BaocaoError) as caught:
            reader(path)
        [problem] = caught.value.problems
        assert problem.file == str(path)
        return problem.message

    assert message().startswith("không tìm thấy")
    path.mkdir()
    assert message().startswith("đây là một thư mục, không phải")
    path.rmdir()
    path.write_text("x", encoding="utf-8")
    monkeypatch.setattr(Path, "read_bytes", refuse)
    monkeypatch.setattr(Path, "read_text", refuse)
    assert "(tệp đang mở trong Excel hoặc tài khoản không có quyền đọc): đóng tệp trong Excel" in message()
