"""Document numbers and symbols ("số, ký hiệu văn bản") as the register records them.

Nghị định 30/2020 writes a state document as `<number>/<type>-<agency>` ("1765/BC-DV", "171/KH-UBND-BDVTU")
and a công văn without a type (`2644/UBND-VX`, `713/SNV-XDCQ&CTTN`, `1001/SNV-XDCQ, TCBC`); party bodies
write `<number>-<type>/<agency>` ("568-BC/ĐUCA"). Parsing is only for warnings a reviewer acts on: a form
none of these explains, or a type that contradicts the column (a plan, KH, typed where a report belongs).
Nothing is ever rejected for its symbol: agencies write them in many ways and the register keeps them as sent.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

# Type abbreviations of Nghị định 30/2020 (Phụ lục III) and of party documents (Quy định 66-QĐ/TW).
TYPES = {
    "NQ": "nghị quyết", "QĐ": "quyết định", "CT": "chỉ thị", "QC": "quy chế", "QyĐ": "quy định",
    "TC": "thông cáo", "TB": "thông báo", "HD": "hướng dẫn", "CTr": "chương trình", "KH": "kế hoạch",
    "PA": "phương án", "ĐA": "đề án", "DA": "dự án", "BC": "báo cáo", "BB": "biên bản", "TTr": "tờ trình",
    "HĐ": "hợp đồng", "CĐ": "công điện", "TTh": "bản thỏa thuận", "GUQ": "giấy ủy quyền", "GM": "giấy mời",
    "GGT": "giấy giới thiệu", "GNP": "giấy nghỉ phép", "PG": "phiếu gửi", "PC": "phiếu chuyển", "PB": "phiếu báo",
}
# For each register column, the types that say the document is something else.
CONTRADICTING = {"plan": {"BC"}, "annual_report": {"KH"}, "scoring_report": {"KH"}}
EXAMPLES = "1765/BC-DV, 568-BC/ĐUCA, 2644/UBND-VX"

_WORD = r"[^\W\d_]\w*"
_AGENCY = rf"{_WORD}(?:(?:-|&|,\s?){_WORD})*"
_STATE = re.compile(rf"^(\d+)/({_AGENCY})$")
_PARTY = re.compile(rf"^(\d+)-({_WORD})/({_AGENCY})$")


@dataclass(frozen=True)
class Symbol:
    number: str
    type: str | None  # None: a công văn
    agency: str

    @property
    def type_name(self) -> str:
        return TYPES.get(self.type, "công văn") if self.type else "công văn"


def parse_symbol(text: str) -> Symbol | None:
    """The number, type and agency of a symbol; None when it has none of the known forms."""
    text = text.strip()
    if match := _PARTY.match(text):
        number, kind, agency = match.groups()
        return Symbol(number, kind, agency) if kind in TYPES else None
    if match := _STATE.match(text):
        number, rest = match.groups()
        kind, _, agency = rest.partition("-")
        if kind in TYPES:
            return Symbol(number, kind, agency) if agency else None
        return Symbol(number, None, rest)
    return None


def is_usual(text: str) -> bool:
    return text == "" or parse_symbol(text) is not None


def fits_column(text: str, document: str) -> bool:
    """False when the symbol's type names another kind of document than the column records."""
    symbol = parse_symbol(text) if text else None
    return symbol is None or symbol.type not in CONTRADICTING[document]
