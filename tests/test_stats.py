"""Submission counts: on time, late (from the deadline day on), missing, and shares of the group."""
from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from baocao.params import Deadlines
from baocao.stats import document_stats, submission_facts, submissions_context

DUE = dt.date(2024, 12, 15)


def register(rows):
    """rows: (group, unit, annual report date or None, has plan)."""
    records = []
    for group, unit, date, plan in rows:
        records.append({"group": group, "unit": unit,
                        "plan_number": "1/KH" if plan else "", "plan_date": None,
                        "annual_report_number": "" if date is None else "2/BC", "annual_report_date": date,
                        "scoring_report_number": "", "scoring_report_date": None})
    return pd.DataFrame.from_records(records)


PROVINCES = register([
    ("provinces", "Huế", dt.date(2024, 12, 14), False),
    ("provinces", "Cà Mau", DUE, False),
    ("provinces", "An Giang", None, False),
    ("provinces", "Bắc Kạn", None, True),
])


def test_deadline_day_is_late_the_day_before_is_on_time():
    stats = document_stats(PROVINCES, "annual_report", DUE)
    assert (stats["received"], stats["on_time"], stats["late"], stats["missing"]) == (2, 1, 1, 2)
    assert stats["late_units"] == ["Cà Mau"]
    assert stats["due_before"] == "2024-12-15"  # the chart labels a document without one «(không có hạn)»


def test_without_a_deadline_nothing_is_late():
    stats = document_stats(PROVINCES, "annual_report", None)
    assert (stats["on_time"], stats["late"], stats["due_before"]) == (2, 0, None)


def test_missing_units_in_vietnamese_order_with_those_that_sent_a_plan():
    stats = document_stats(PROVINCES, "annual_report", DUE)
    assert stats["missing_units"] == ["An Giang", "Bắc Kạn"]
    assert stats["missing_with_plan"] == ["Bắc Kạn"]


def test_share_of_units_that_sent():
    assert document_stats(PROVINCES, "annual_report", DUE)["received_share"] == pytest.approx(50.0)


def test_every_group_and_document_is_counted_with_its_total():
    both = pd.concat([PROVINCES, register([("ministries", "Bộ Nội vụ", dt.date(2024, 12, 1), True)])])
    facts = submission_facts(both, Deadlines(plan=None, scoring_report=None, annual_report=DUE))
    assert facts["ministries"]["total"] == 1 and facts["provinces"]["total"] == 4
    assert facts["ministries"]["annual_report"]["received_share"] == pytest.approx(100.0)
    assert facts["provinces"]["scoring_report"]["missing"] == 4


def test_an_empty_group_has_no_share_and_a_plan_is_never_missing_with_a_plan():
    """facts.json must stay valid JSON (no NaN share) when a group has no unit; "sent a plan but not this
    document" is said of the reports only."""
    facts = submission_facts(PROVINCES, Deadlines(plan=None, scoring_report=None, annual_report=DUE))
    assert facts["ministries"]["total"] == 0 and facts["ministries"]["annual_report"]["received_share"] is None
    assert "missing_with_plan" not in facts["provinces"]["plan"]
    assert facts["provinces"]["scoring_report"]["missing_with_plan"] == ["Bắc Kạn"]


def test_what_prose_placeholders_print_of_the_counts():
    """`{{ submissions.provinces.annual_report.* }}` as the report prints them: counts with a leading zero,
    the share of the group, the lists joined in Vietnamese order (escaped: a name is text), nothing for the
    share of an empty group; a count stays a number a placeholder can compute with."""
    named = pd.concat([PROVINCES, register([("provinces", "Hà *Nội*", None, False)])])
    facts = submission_facts(named, Deadlines(plan=None, scoring_report=None, annual_report=DUE))
    shown = submissions_context(facts)
    annual = shown["provinces"]["annual_report"]
    assert (str(shown["provinces"]["total"]), str(annual["received"]), str(annual["late"]), str(annual["missing"])) == (
        "05", "02", "01", "03")
    assert str(annual["received_share"]) == "40,00%" and annual["missing"].value - annual["late"].value == 2
    assert annual["missing_units"] == "An Giang, Bắc Kạn, Hà \\*Nội\\*" and annual["late_units"] == "Cà Mau"
    assert shown["ministries"]["total"].value == 0 and shown["ministries"]["annual_report"]["received_share"] == ""
    assert set(annual) == {"received", "late", "received_share", "missing", "missing_units", "late_units"}
