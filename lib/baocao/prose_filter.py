"""Prose is the analysts' text, not markup: only the Markdown an official report needs reaches the renderers.

A prose file goes, filled, into the report source that pandoc turns into DOCX and PDF, so anything pandoc
reads as markup would act on the whole document: a ```` ```{=openxml} ```` block or `` `…`{=typst} `` inline
injects fields or hidden text into one of the two documents only, a YAML block between two `---` lines changes
the report's metadata (drops the "DỰ THẢO" or "DỮ LIỆU MINH HỌA" marks), a `::: {.appendix}` div adds a fake
appendix, an image embeds any file of the computer (`![x](/etc/passwd)`) or fetches a URL. Charts come only
from baocao.

So the filled text is parsed by pandoc's own Markdown reader (the one the renderers use, so what is checked is
what they would read) and walked against an allow-list: paragraphs, emphasis, lists, footnotes, tables. Anything
else is refused with a message naming the file and the line where it starts. Lines that open or close a fenced
block, or an HTML comment, are refused even when they read as text alone: next to another file's text in the
report they would pair up with it.
"""
from __future__ import annotations

import functools
import json
import re
import subprocess
from typing import TYPE_CHECKING

from .errors import Problem

if TYPE_CHECKING:
    from .narrative import Prose

# The AST elements an official report's text is made of (pandoc's names).
ALLOWED = frozenset({
    "Para", "Plain", "BulletList", "OrderedList", "Table",  # blocks
    "Str", "Space", "SoftBreak", "LineBreak", "Emph", "Strong", "Underline", "Superscript", "Subscript",
    "Quoted", "Note",  # inlines
})
ONLY = "văn bản chỉ gồm đoạn văn, chữ đậm, chữ nghiêng, danh sách, chú thích cuối trang và bảng"
RAW = ("mã định dạng thô (khối «{=openxml}», «{=typst}», HTML, LaTeX, ghi chú «<!-- -->») không được dùng: xóa đoạn "
       "này; ghi chú cho người soạn viết trong «{# … #}»")
IMAGE = "hình ảnh không được chèn từ văn bản (biểu đồ do baocao vẽ từ số liệu): xóa «![…](…)»"
CODE = "mã (giữa dấu «`» hoặc đoạn thụt lề từ 4 dấu cách) không được dùng: bỏ dấu «`» hoặc bỏ thụt lề đầu dòng"
# Why each refused element is refused, and what to do instead.
REFUSED = {
    "RawBlock": RAW, "RawInline": RAW,
    "Meta": ("khối YAML giữa hai dòng «---» trong thân văn bản sẽ đổi siêu dữ liệu của cả báo cáo (dấu «DỰ THẢO», "
             "«DỮ LIỆU MINH HỌA»…): xóa khối này; phần đầu tệp chỉ ở đầu tệp và chỉ có muc, nguon, minh_hoa"),
    "Div": ("khối «:::» (hoặc thẻ HTML «<div>») dành cho chữ ký và phụ lục do baocao tạo, không được dùng trong văn "
            "bản: xóa các dòng «:::» hoặc thẻ"),
    "Span": "chữ kèm thuộc tính «[…]{…}» hoặc thẻ HTML «<span …>» không được dùng: bỏ phần «{…}» hoặc thẻ",
    "Image": IMAGE, "Figure": IMAGE,
    "Header": ("tiêu đề («# …», hoặc dòng «===»/«---» dưới một dòng chữ) không được dùng: tiêu đề mục lấy từ đề cương "
               "(outline) trong tệp tham số; muốn tách đoạn thì để một dòng trống"),
    "HorizontalRule": "đường kẻ ngang («---», «***») không được dùng: xóa dòng này",
    "CodeBlock": CODE, "Code": CODE,
    "Link": "liên kết «[…](…)» hoặc «<…>» không được dùng: ghi địa chỉ dạng chữ thường, không có ngoặc",
    "Cite": "«@…» được đọc là trích dẫn tài liệu: viết «\\@» nếu cần ký tự @",
    "Math": "«$…$» được đọc là công thức toán: viết «\\$» nếu cần ký tự $",
    "BlockQuote": "trích dẫn khối (dòng bắt đầu bằng «>») không được dùng: bỏ dấu «>» đầu dòng",
    "LineBlock": "khối dòng (dòng bắt đầu bằng «|») không được dùng: bỏ dấu «|» đầu dòng",
    "DefinitionList": "danh sách định nghĩa (dòng bắt đầu bằng «: » hoặc «~ ») không được dùng: bỏ dấu đầu dòng",
    "Strikeout": "chữ gạch ngang «~~…~~» không được dùng trong văn bản báo cáo",
    "SmallCaps": "chữ hoa nhỏ không được dùng trong văn bản báo cáo",
}
FENCE = re.compile(r"^ {0,3}(?:`{3,}|~{3,}|:{3,})|<!--")
FENCE_MESSAGE = ("dòng mở hoặc đóng khối («```», «~~~», «:::») hoặc ghi chú «<!--» không được dùng: đặt cạnh văn bản "
                 "của tệp khác trong báo cáo nó sẽ ghép thành khối; xóa dòng này")

MAX_SCAN = 50_000  # characters; the longest shipped prose file has under 15 000

# pandoc's JSON names these values too (alignments, list numbering, quote and math kinds, citation modes); they
# are parts of an element, not elements.
_PARTS = frozenset({
    "AlignLeft", "AlignRight", "AlignCenter", "AlignDefault", "ColWidth", "ColWidthDefault", "DefaultStyle",
    "Example", "Decimal", "LowerRoman", "UpperRoman", "LowerAlpha", "UpperAlpha", "DefaultDelim", "Period",
    "OneParen", "TwoParens", "SingleQuote", "DoubleQuote", "DisplayMath", "InlineMath", "AuthorInText",
    "SuppressAuthor", "NormalCitation",
})


def _names(node) -> set[str]:
    """Every element name in a piece of pandoc's JSON AST."""
    if isinstance(node, dict):
        return ({node["t"]} if "t" in node else set()) | _names(node.get("c"))
    if isinstance(node, list):
        return set().union(*map(_names, node)) if node else set()
    return set()


def _refused_names(text: str) -> set[str]:
    """The names of what the text, read by the renderers' reader, holds outside the allow-list ("Meta" for a
    metadata block). One plain, fast pandoc run: the common case, text that is only text, costs no more."""
    from .render.tools import pandoc_path

    result = subprocess.run([pandoc_path(), "--sandbox", "--from", "markdown", "--to", "json"], input=text,
                            capture_output=True, text=True, encoding="utf-8", check=True)
    ast = json.loads(result.stdout)
    return ({"Meta"} if ast["meta"] else set()) | (_names(ast["blocks"]) - ALLOWED - _PARTS)


# Run by `pandoc lua` to find where refused elements start. For a line, parse the text from it to the end with the
# renderers' reader and count the refused elements: a count larger from a line than from the next one means an
# element starts there (a YAML or div block is whole only once its first line is included). Text starting inside
# a block may read differently ("key: value" above the closing "---" of a YAML block is a heading), so a count
# holds at a line only while every longer text (from an earlier line) has it. Paragraph starts are scanned first,
# then every line of a paragraph that shows a start. Then the element's last line: the first where the text from
# its start holds it; an inline element (inside a paragraph of many lines) is on the first line without which it
# is gone. Prints [[line, last line, name], …].
_SCAN = """
local allowed = {%s}
local lines = {}
for line in (io.read("a") .. "\\n"):gmatch("(.-)\\n") do lines[#lines + 1] = line end
local inline = {}
local function refused(from, to, neutral)  -- neutral: a line read as the plain word "x" instead
  local found, text = {}, {}
  for line = from, to do text[#text + 1] = line == neutral and "x" or lines[line] end
  local doc = pandoc.read(table.concat(text, "\\n"), "markdown")
  local function count(el)
    if not allowed[el.t] then found[el.t] = (found[el.t] or 0) + 1 end
  end
  doc:walk({ Inline = function(el) inline[el.t] = true; count(el) end, Block = count })
  for _ in pairs(doc.meta) do found.Meta = (found.Meta or 0) + 1 end
  return found
end
local least = {}  -- line → {name → count from that line, at most that of any earlier line scanned}
local function scan(line, before)
  least[line] = {}
  for tag, n in pairs(refused(line, #lines)) do
    least[line][tag] = before and math.min(n, least[before][tag] or 0) or n
  end
end
local function starts(at, after)  -- names whose count drops from line `at` to `after`
  local found = {}
  for tag, n in pairs(least[at]) do
    if n > (after and least[after][tag] or 0) then found[#found + 1] = tag end
  end
  return found
end
local heads = {}
for line = 1, #lines do
  if line == 1 or (lines[line - 1]:match("^%%s*$") and not lines[line]:match("^%%s*$")) then heads[#heads + 1] = line end
end
for i, line in ipairs(heads) do scan(line, heads[i - 1]) end
local result = {}
for i, head in ipairs(heads) do
  local after = heads[i + 1]
  if #starts(head, after) > 0 then
    local last = (after or #lines + 1) - 1
    for line = head + 1, last do scan(line, line - 1) end
    for line = head, last do
      for _, tag in ipairs(starts(line, line < last and line + 1 or after)) do
        local stop = line
        while stop < #lines and not refused(line, stop)[tag] do stop = stop + 1 end
        local at = line
        if inline[tag] then
          local n = refused(line, stop)[tag]
          while at < stop and (refused(line, stop, at)[tag] or 0) >= n do at = at + 1 end
        end
        result[#result + 1] = { at, stop, tag }
      end
    end
  end
end
print(pandoc.json.encode(result))
""" % ", ".join(f"{tag} = true" for tag in sorted(ALLOWED))


@functools.lru_cache(maxsize=2048)
def refused_elements(text: str) -> tuple[tuple[int, int, str], ...]:
    """(line, last line, pandoc element name) of every element outside the allow-list, or () for text that is
    only text. Memoized: a batch fills the same prose for unit after unit. Finding the lines reads the text once
    per paragraph; a text longer than any prose (MAX_SCAN) has each refused kind reported on its first line."""
    names = _refused_names(text)
    if not names or len(text) > MAX_SCAN:
        return tuple((1, 1, name) for name in sorted(names))
    from .render.tools import pandoc_path

    result = subprocess.run([pandoc_path(), "lua", "-e", _SCAN], input=text, capture_output=True, text=True,
                            encoding="utf-8", check=True)
    located = {tuple(element) for element in json.loads(result.stdout)}
    unplaced = names - {name for _, _, name in located}  # never let an element through for want of its line
    return tuple(sorted(located | {(1, 1, name) for name in unplaced}))


def _source_line(body: list[str], filled: list[str], line: int) -> int:
    """The line of the template body that printed line `line` of the filled text: the nearest body line with the
    same text (`{% if %}` blocks and loops shift lines), or the same number when the line holds a placeholder."""
    text = filled[line - 1] if line <= len(filled) else None
    same = [number for number, source in enumerate(body, start=1) if source == text]
    return min(same, key=lambda number: abs(number - line)) if same else min(line, max(len(body), 1))


def markup_problems(prose: Prose, filled: str) -> list[Problem]:
    """Every refused construct of the filled prose, one problem per line and kind, on the line of the file where
    it starts (an inline one: the line it is on). A fence line of a refused block is reported with the block."""
    filled_lines, body = filled.split("\n"), prose.body.split("\n")
    elements = refused_elements(filled)
    found = [(line, REFUSED.get(tag, f"phần tử «{tag}» không được dùng")) for line, _, tag in elements]
    fences = [number for number, text in enumerate(filled_lines, start=1) if FENCE.search(text)]
    # A refused block opened by a fence is closed by the next fence, reported with it.
    closing = {next((n for n in fences if n > line), None) for line, _, _ in elements if line in fences}
    covered = {n for line, last, _ in elements for n in range(line, last + 1)} | closing
    found += [(number, FENCE_MESSAGE) for number in fences if number not in covered]
    rows = {(prose.body_line + _source_line(body, filled_lines, line) - 1, message) for line, message in found}
    return [Problem(file=str(prose.path), row=row, message=f"{message} ({ONLY})") for row, message in sorted(rows)]


def checked(prose: Prose, filled: str) -> tuple[str, list[Problem]]:
    """The filled prose when it is only text, or "" and why not."""
    problems = markup_problems(prose, filled)
    return ("" if problems else filled), problems
