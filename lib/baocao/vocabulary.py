"""The words for document kinds and unit groups, declared once.

The register's headers, the appendix, the charts, the sentences the program writes and the unit list's
messages each need a wording of the same few things; each wording lives here, so that renaming a document
kind or a group is one edit, and modules that need a word (the charts, the figures) need not import one
another for it.
"""
from __future__ import annotations

# Document kinds, in the order of the appendix columns, with the title the register and appendix print.
DOCUMENTS = {
    "plan": "Kế hoạch",
    "annual_report": "Báo cáo năm",
    "scoring_report": "Báo cáo về tiêu chí chấm điểm, xếp loại, đánh giá công tác dân vận",
}
# A register header cell announces a document when it starts with these words (analysts shorten titles).
DOCUMENT_HEADER_START = {"plan": "kế hoạch", "annual_report": "báo cáo năm", "scoring_report": "báo cáo về tiêu chí"}
# Short labels under the bars of a chart ("\n": where the label wraps).
DOCUMENT_CHART_LABELS = {"plan": "Kế hoạch", "annual_report": "Báo cáo\nnăm", "scoring_report": "Báo cáo\nchấm điểm"}

# How a unit stands with a document, in the order of a chart's stacked bars.
STATUSES = {"on_time": "Gửi đúng hạn", "late": "Gửi muộn", "missing": "Chưa gửi"}

# Groups of the register, with the title of their row in the register and the appendix ("II Địa phương").
GROUPS = {"ministries": "Bộ, cơ quan ngang Bộ, cơ quan thuộc Chính phủ", "provinces": "Địa phương"}
GROUP_OF_TITLE = {title: key for key, title in GROUPS.items()}
# A group inside a sentence ("41/63 địa phương"), and as a chart's title ("Địa phương (63 đơn vị)").
GROUP_WORDS = {"ministries": "bộ, ngành", "provinces": "địa phương"}
GROUP_CHART_LABELS = {group: words[0].upper() + words[1:] for group, words in GROUP_WORDS.items()}
# The register's group → the unit list's group (`UnitRegistry`), and the unit list's groups in its messages.
UNIT_GROUP = {"ministries": "ministry", "provinces": "province"}
UNIT_GROUP_LABELS = {"province": "tỉnh, thành phố", "ministry": "bộ, ngành", "commune": "xã, phường, đặc khu"}

# A province's register of its sub-units (`baocao.subunits`): its groups, titled and inside a sentence.
SUBUNIT_GROUPS = {"departments": "Sở, ban, ngành", "communes": "Xã, phường, đặc khu"}
SUBUNIT_GROUP_WORDS = {"departments": "sở, ban, ngành", "communes": "xã, phường, đặc khu"}
