"""Claim check: numbers analysts typed in prose, compared with the register and the computed indicators.

Prose is meant to take its numbers from placeholders, but analysts paste last year's sentences and retype
counts by hand; the 2024 report printed "38/60 địa phương" while its own appendix showed 41/63, and
"26 bộ, ngành … gồm:" followed by 25 names. This module finds such literals and says where they disagree.

The rule (only claims about report submissions are checked, nothing else that looks like a fraction):

- Prose is cut into clauses at line breaks, semicolons, sentence ends and footnote brackets ("^[", "]").
- A clause is about submissions when it holds a submission phrase: a verb of sending or receiving
  ("nhận được", "tiếp nhận", "gửi", "nộp") followed by a document word ("kế hoạch", "báo cáo"). "không"
  or "chưa" before the verb makes it a claim about who did NOT send (compared with `missing`), otherwise
  about who did (compared with `received`).
- The document is named by the words after the verb: "chấm điểm" → scoring report, "báo cáo" → annual
  report, "kế hoạch" alone → plan (`DOCUMENT_WORDS`).
- In such a clause, "N/M <group>" is checked against `submissions.<group>.<document>.received` (or
  `missing`) and `.total`; "N <group> … gồm: A, B, …" is checked against the number of names listed and
  against the computed count. The group is the word right after the number (`GROUP_WORDS`).

So "37/63 các tỉnh, thành phố đi đầu trong triển khai gồm: …" is not checked: its clause names no
submission. Each disagreeing claim is one `Problem` (a warning; an error under `--strict`) giving the file,
line, the literal as typed and the computed value.
"""
from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from . import vnformat
from .errors import WARNING, Problem
from .narrative import Prose, read_prose
from .units import UnitNameError, UnitRegistry
from .vocabulary import UNIT_GROUP

if TYPE_CHECKING:
    from .facts import Facts

GROUP_WORDS = {
    "ministries": r"bộ,\s*ngành|bộ,\s*cơ quan(?:\s+ngang\s+bộ)?|bộ(?![\w,])",
    "provinces": r"địa phương|tỉnh,\s*thành phố|tỉnh(?![\w,])",
}
DOCUMENT_WORDS = (("scoring_report", "chấm điểm"), ("annual_report", "báo cáo"), ("plan", "kế hoạch"))
SUBMISSION = re.compile(r"(?P<negative>\b(?:không|chưa)\s+)?\b(?:nhận được|tiếp nhận|gửi|nộp)\s+(?:kế hoạch|báo cáo)",
                        re.IGNORECASE)
# Clause ends: a line break, ";", a footnote bracket, or a full stop that ends a sentence (not "TP. Huế").
CLAUSE_END = re.compile(r"\n|;|\^\[|\]|(?<!TP)(?<!Tp)\.(?=\s|$)")
_GROUP = "|".join(f"(?P<{g}>{words})" for g, words in GROUP_WORDS.items())
NUMBER_CLAIM = re.compile(
    rf"(?<![\d/.,])(?P<stated>\d{{1,3}})(?:\s*/\s*(?P<whole>\d{{1,3}}))?(?![\d/.,]\d)\**\s+(?:các\s+)?(?:{_GROUP})",
    re.IGNORECASE)
LIST_START = re.compile(r"\bgồm\s*:?\s*", re.IGNORECASE)
ANNOTATION = re.compile(r"\s*\([^)]*\)")


@dataclass(frozen=True)
class Claim:
    """One number typed in prose about who sent (or did not send) a document."""

    file: str
    line: int
    literal: str
    group: str
    document: str
    negative: bool
    stated: int
    whole: int | None
    listed: int | None

    @property
    def fact(self) -> str:
        return f"submissions.{self.group}.{self.document}.{'missing' if self.negative else 'received'}"


def _clauses(text: str):
    """(start offset, clause text) for every clause of `text`."""
    start = 0
    for end in CLAUSE_END.finditer(text):
        yield start, text[start:end.start()]
        start = end.end()
    yield start, text[start:]


def _document(words: str) -> str:
    return next(doc for doc, word in DOCUMENT_WORDS if word in words.casefold())


def count_names(listing: str, group: str, year: int, registry: UnitRegistry) -> int:
    """How many units a comma-separated list names; "Bộ Văn hóa, Thể thao và Du lịch" counts once.

    Two neighbouring pieces are one name when neither alone is a unit of the year's list but together
    they are; annotations like "(có kế hoạch)" are ignored.
    """
    pieces = [ANNOTATION.sub("", p).strip(" .*") for p in listing.split(",")]
    pieces = [p for p in pieces if p]

    def known(name: str) -> bool:
        try:
            registry.resolve(name, UNIT_GROUP[group], year)
            return True
        except UnitNameError:
            return False

    names, i = 0, 0
    while i < len(pieces):
        joined = i + 1 < len(pieces) and not known(pieces[i]) and known(f"{pieces[i]}, {pieces[i + 1]}")
        i += 2 if joined else 1
        names += 1
    return names


def find_claims(text: str, file: str, year: int, first_line: int = 1) -> list[Claim]:
    """Every submission claim in `text`; `first_line` is the file line `text` starts on."""
    registry = UnitRegistry.load()
    claims = []
    for offset, clause in _clauses(text):
        phrase = SUBMISSION.search(clause)
        if not phrase:
            continue
        document = _document(clause[phrase.start():])
        for match in NUMBER_CLAIM.finditer(clause):
            group = next(g for g in GROUP_WORDS if match.group(g))
            listing = LIST_START.search(clause, match.end())
            claims.append(Claim(
                file=file, line=first_line + text.count("\n", 0, offset + match.start()),
                literal=" ".join(match.group(0).replace("*", "").split()), group=group, document=document,
                negative=bool(phrase.group("negative")), stated=int(match.group("stated")),
                whole=int(match.group("whole")) if match.group("whole") else None,
                listed=count_names(clause[listing.end():], group, year, registry) if listing else None))
    return claims


def _computed_text(claim: Claim, stats: dict, total: int) -> str:
    value = stats["missing" if claim.negative else "received"]
    return vnformat.fraction(value, total) if claim.whole is not None else vnformat.count(value)


def disagreements(claim: Claim, submissions: dict) -> list[str]:
    """What in `claim` differs from the computed facts (empty when it agrees), in Vietnamese."""
    group = submissions[claim.group]
    stats = group[claim.document]
    computed = stats["missing" if claim.negative else "received"]
    found = []
    if claim.stated != computed or (claim.whole is not None and claim.whole != group["total"]):
        found.append(f"sổ theo dõi tính được {_computed_text(claim, stats, group['total'])} ({claim.fact})")
    if claim.listed is not None and claim.listed != claim.stated:
        found.append(f"danh sách kèm theo kể {vnformat.count(claim.listed)} tên")
    return found


def check(claims: list[Claim], submissions: dict, severity: str = WARNING) -> tuple[list[dict], list[Problem]]:
    """(records for facts.json, one Problem per claim that disagrees with the computed facts)."""
    records, problems = [], []
    for claim in claims:
        found = disagreements(claim, submissions)
        group = submissions[claim.group]
        computed = _computed_text(claim, group[claim.document], group["total"])
        records.append(asdict(claim) | {"fact": claim.fact, "computed": computed, "agrees": not found})
        if found:
            problems.append(Problem(file=claim.file, row=claim.line, value=claim.literal, severity=severity,
                                    message=f"số liệu gõ tay «{claim.literal}» khác số liệu tính toán: "
                                            + "; ".join(found) + ". Hãy dùng chỗ giữ chỗ {{ submissions… }}."))
    return records, problems


def _relative(records: list[dict], root: Path | None) -> list[dict]:
    """Records name their file relative to `root` (facts.json travels without the project)."""
    for record in records:
        if root is not None and Path(record["file"]).is_relative_to(root):
            record["file"] = Path(record["file"]).relative_to(root).as_posix()
    return records


def check_prose(paths: list[Path], submissions: dict, year: int, severity: str = WARNING,
                root: Path | None = None) -> tuple[list[dict], list[Problem]]:
    """Check every prose file; files are named relative to `root` in the records, in full in the problems."""
    return _check_submissions([read_prose(path) for path in paths], submissions, year, severity, root)


def _check_submissions(proses: list[Prose], submissions: dict, year: int, severity: str,
                       root: Path | None) -> tuple[list[dict], list[Problem]]:
    claims = [claim for prose in proses for claim in find_claims(prose.body, str(prose.path), year, prose.body_line)]
    records, problems = check(claims, submissions, severity)
    return _relative(records, root), problems


# --- indicators and their change ---------------------------------------------------------------------------
#
# A clause names an indicator by its full name or by the acronym in brackets in its name ("PAR INDEX",
# "SIPAS"). In such a clause a typed change ("tăng 6,1%", "giảm 0,33 điểm phần trăm") is compared with the
# change the report computes for that indicator (its year-on-year table when there is one, which may say
# «không so sánh được»), and a lone typed share ("đạt 84,38%") with its value. A typed change in a clause that
# names no indicator but a year ("so với năm 2024") must be one of the changes the report computes.

CHANGE = re.compile(r"\b(?P<verb>tăng|giảm)\s+(?:\w+\s+){0,2}?(?P<number>\d{1,3}(?:\.\d{3})*(?:,\d+)?)\s*(?:%|điểm phần trăm)",
                    re.IGNORECASE)
SHARE_LITERAL = re.compile(r"(?<![\d,.])(?P<number>\d{1,3}(?:,\d+)?)\s*%")
SINCE_YEAR = re.compile(r"\bso với (?:năm )?\d{4}\b", re.IGNORECASE)
ACRONYM = re.compile(r"\(([A-Z][A-Z ]*[A-Z])\)")


def _tags(indicator) -> list[str]:
    return [indicator.name.casefold(), *(m.lower() for m in ACRONYM.findall(indicator.name))]


def _typed(match: re.Match) -> tuple[Decimal, int]:
    """A typed number (Vietnamese: "6,1", "1.250") and how many decimals it was typed with."""
    text = match["number"]
    return vnformat.parse(text), len(text.split(",")[1]) if "," in text else 0


def _change_of(key: str, facts: Facts) -> Decimal | None:
    """The change the report prints for indicator `key`: its year-on-year row when compared, else its own."""
    if facts.comparison is not None:
        row = next((r for r in facts.comparison.indicators if r.current.key == key), None)
        if row is not None:
            return None if row.mapped.value is None else row.against.change()[0]
    return facts.indicators[key].change()[0]


def _same(computed: Decimal | None, sign: int, magnitude: Decimal, decimals: int) -> bool:
    return computed is not None and (computed * sign).quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP) == magnitude


def _record(prose: Prose, line: int, literal: str, fact: str, computed: str, agrees: bool) -> dict:
    return {"file": str(prose.path), "line": line, "literal": literal, "kind": "indicator", "fact": fact,
            "computed": computed, "agrees": agrees}


def _indicator_claims(prose: Prose, facts: Facts) -> list[dict]:
    records = []
    changes = {key: _change_of(key, facts) for key in facts.indicators}
    for offset, clause in _clauses(prose.body):
        folded = clause.casefold()
        named = [key for key, ind in facts.indicators.items() if any(tag in folded for tag in _tags(ind))]
        line = prose.body_line + prose.body.count("\n", 0, offset)
        typed_changes = list(CHANGE.finditer(clause))
        for match in typed_changes:
            magnitude, decimals = _typed(match)
            sign = 1 if match["verb"].casefold() == "tăng" else -1
            literal = " ".join(match.group(0).split())
            if len(named) == 1:
                key = named[0]
                computed = changes[key]
                text = "không so sánh được" if computed is None else vnformat.number(computed, max(decimals, 1))
                records.append(_record(prose, line, literal, f"indicators.{key}.change", text,
                                       _same(computed, sign, magnitude, decimals)))
            elif not named and SINCE_YEAR.search(clause):
                known = [c for c in changes.values() if c is not None]
                agrees = any(_same(c, sign, magnitude, decimals) for c in known)
                records.append(_record(prose, line, literal, "indicators.*.change",
                                       "; ".join(vnformat.number(c, max(decimals, 1)) for c in known) or "không có", agrees))
        shares = [m for m in SHARE_LITERAL.finditer(clause) if not any(c.start() <= m.start() < c.end() for c in typed_changes)]
        if len(named) == 1 and len(shares) == 1 and facts.indicators[named[0]].unit == "%":
            indicator, (value, decimals) = facts.indicators[named[0]], _typed(shares[0])
            computed = indicator.computed_value.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
            records.append(_record(prose, line, shares[0].group(0), f"indicators.{named[0]}.value",
                                   indicator.value_text(), computed == value))
    return records


def check_report(proses: list[Prose], facts: Facts, severity: str = WARNING, root: Path | None = None,
                 submissions: bool = True, indicators: bool = True) -> tuple[list[dict], list[Problem]]:
    """Every figure typed in the report's prose, against the facts of the same report: submission counts
    against the register, indicator values and changes against the indicators and the year-on-year table.
    `submissions` / `indicators`: whether those facts come from tables that could be read."""
    records, problems = [], []
    if submissions and facts.submissions:  # a unit's own report has no register to check counts against
        records, problems = _check_submissions(proses, facts.submissions, facts.params.year, severity, root)
    found = [record for prose in proses for record in _indicator_claims(prose, facts)] if indicators else []
    problems += [Problem(file=r["file"], row=r["line"], value=r["literal"], severity=severity,
                         message=f"số liệu gõ tay «{r['literal']}» khác số liệu tính toán của báo cáo: {r['computed']} "
                                 f"({r['fact']}). Hãy dùng chỗ giữ chỗ, ví dụ {{{{ indicators.<mã>.change }}}}.")
                 for r in found if not r["agrees"]]
    return records + _relative(found, root), problems
