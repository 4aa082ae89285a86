"""Claim check: numbers analysts typed in prose about report submissions, compared with the register.

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


def check_report(proses: list[Prose], facts: Facts, severity: str = WARNING,
                 root: Path | None = None) -> tuple[list[dict], list[Problem]]:
    """Every figure typed in the report's prose, against the facts of the same report."""
    records, problems = [], []
    if facts.submissions:  # a unit's own report has no register to check submission counts against
        records, problems = _check_submissions(proses, facts.submissions, facts.params.year, severity, root)
    return records, problems
