"""Year-on-year change phrases: each kind of indicator compared the way readers expect."""
from __future__ import annotations

from decimal import Decimal

import pytest

from baocao.indicators import COUNT, INDEX, SHARE, Indicator, read_indicators
from baocao.params import load_params
from conftest import ROOT

PP = load_params(ROOT / "params" / "2024.yml").wording.percentage_points


def indicator(kind, value, previous=None, stated=None, numerator=None, denominator=None, year=2024, unit="%"):
    return Indicator(key="k", name="Chỉ số thử", year=year, value=Decimal(value), unit=unit, kind=kind,
                     numerator=None if numerator is None else Decimal(numerator),
                     denominator=None if denominator is None else Decimal(denominator),
                     previous=None if previous is None else Decimal(previous),
                     stated_change=None if stated is None else Decimal(stated), source="thử", illustrative=True)


def test_count_changes_relatively_in_percent():
    assert indicator(COUNT, "930", previous="1000", unit="lượt").change_text(PP) == "giảm 7% so với năm 2023"
    assert indicator(COUNT, "1125", previous="1000", unit="lượt").change_text(PP) == "tăng 12,5% so với năm 2023"


def test_index_changes_in_percentage_points_with_the_params_wording():
    assert PP == "điểm phần trăm"
    ind = indicator(INDEX, "84.38", previous="84.05", year=2023)
    assert ind.change_text(PP) == "tăng 0,33 điểm phần trăm so với năm 2022"
    assert ind.change_text("điểm %") == "tăng 0,33 điểm % so với năm 2022"


def test_share_is_recomputed_from_its_parts_and_compared_in_points():
    ind = indicator(SHARE, "49.39", previous="50", numerator="1133105", denominator="2301204")
    assert ind.value_text() == "49,24%"
    assert ind.change_text(PP) == "giảm 0,76 điểm phần trăm so với năm 2023"


def test_without_last_years_value_the_text_says_so():
    assert indicator(COUNT, "4479", unit="thủ tục").change_text(PP) == "chưa có số liệu năm 2023 để so sánh"


def test_stated_change_is_used_only_when_last_years_value_is_unknown():
    stated = indicator(COUNT, "337635", stated="-7", unit="lượt")
    assert stated.change() == (Decimal("-7"), "stated")
    assert stated.change_text(PP) == "giảm 7% so với năm 2023"
    both = indicator(COUNT, "1100", previous="1000", stated="-7", unit="lượt")
    assert both.change() == (Decimal(10), "computed")


def test_no_change_is_said_plainly():
    assert indicator(INDEX, "80", previous="80").change_text(PP) == "không đổi so với năm 2023"


@pytest.mark.parametrize("key, text", [
    ("citizen_visits", "giảm 7% so với năm 2023"),
    ("crowd_delegations", "giảm 23,5% so với năm 2023"),
    ("sipas_avg", "tăng 2,58 điểm phần trăm so với năm 2022"),
    ("internal_tthc_published", "chưa có số liệu năm 2023 để so sánh"),
])
def test_shipped_2024_indicators_read_as_the_report_printed_them(key, text):
    indicators, _ = read_indicators(ROOT / "data" / "2024" / "chi-so-quoc-gia.csv")
    assert indicators[key].change_text(PP) == text
