"""Submission statistics: who sent each document, who was late, who sent nothing.

Every count the report prints about submissions comes from here, computed from the register, so the text
and the appendix can never disagree (the 2024 report said "38/60 địa phương" while its appendix showed 41/63).
"""
from __future__ import annotations

import datetime as dt

import pandas as pd

from . import vnformat
from .collation import sorted_vi
from .markdown import escape
from .params import Deadlines
from .sandbox import Number
from .vocabulary import DOCUMENTS, GROUPS


def document_stats(group: pd.DataFrame, doc: str, due: dt.date | None) -> dict:
    """Counts and unit lists for one document kind within one group of units."""
    sent = group[f"{doc}_number"] != ""
    late = sent & group[f"{doc}_date"].map(lambda d: due is not None and d is not None and d >= due)
    stats = {
        "received": int(sent.sum()),
        "late": int(late.sum()),
        "on_time": int((sent & ~late).sum()),
        "missing": int((~sent).sum()),
        "received_share": float(sent.sum() / len(group) * 100) if len(group) else None,
        "due_before": due.isoformat() if due else None,
        "missing_units": sorted_vi(group.loc[~sent, "unit"]),
        "late_units": sorted_vi(group.loc[late, "unit"]),
    }
    if doc != "plan":
        with_plan = ~sent & (group["plan_number"] != "")
        stats["missing_with_plan"] = sorted_vi(group.loc[with_plan, "unit"])
    return stats


def submission_facts(register: pd.DataFrame, deadlines: Deadlines, groups: dict[str, str] = GROUPS) -> dict:
    """`submissions.<group>.<document>.*` for every group and document, plus each group's total (the national
    register's groups by default; a province's register of sub-units has its own, see `baocao.subunits`)."""
    facts = {}
    for group in groups:
        rows = register[register["group"] == group]
        facts[group] = {"total": len(rows)} | {
            doc: document_stats(rows, doc, getattr(deadlines, doc)) for doc in DOCUMENTS
        }
    return facts


def submissions_context(submissions: dict) -> dict:
    """What prose placeholders see of `submission_facts`: every count and list formatted the Vietnamese way,
    numbers as `Number`s so that a placeholder may compute with them ({{ a - b }})."""
    def count(n: int) -> Number:
        return Number(vnformat.count(n), n)

    return {
        group: {"total": count(g["total"])} | {
            doc: {"received": count(s["received"]), "late": count(s["late"]),
                  "received_share": Number(vnformat.percent(s["received"], g["total"]), s["received_share"]) if g["total"] else "",
                  "missing": count(s["missing"]), "missing_units": vnformat.join(map(escape, s["missing_units"])),
                  "late_units": vnformat.join(map(escape, s["late_units"]))}
            for doc, s in g.items() if doc != "total"}
        for group, g in submissions.items()}
