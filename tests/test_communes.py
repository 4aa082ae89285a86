"""The shipped 2025 commune list (lib/baocao/data/units/communes.csv) and commune name matching."""
from collections import Counter

import pytest

from baocao.communes import CommuneList
from baocao.names import normalize
from baocao.units import UnitNameError, UnitRegistry


@pytest.fixture(scope="module")
def registry():
    return UnitRegistry.load()


@pytest.fixture(scope="module")
def communes():
    return CommuneList.load()


@pytest.fixture(scope="module")
def tay_ninh(registry):
    return registry.resolve("Tây Ninh", "province", 2025)


def test_34_provinces_3321_communes_and_tay_ninh_96(registry, communes, tay_ninh):
    per_province = {p.name: communes.of(p, 2025) for p in registry.expected("province", 2025)}
    assert len(per_province) == 34 and all(per_province.values())
    assert sum(len(c) for c in per_province.values()) == 3321
    kinds = Counter(c.kind for c in per_province["Tây Ninh"])
    assert len(per_province["Tây Ninh"]) == 96 and kinds == {"xã": 82, "phường": 14}
    everywhere = Counter(c.kind for found in per_province.values() for c in found)
    assert everywhere == {"xã": 2621, "phường": 687, "đặc khu": 13}


def test_the_list_agrees_with_vietnamadminunits(registry, communes):
    """Independent cross-check (test-only dependency): every code and name of every province; the kind per
    province by count, since four rows of the package contradict their own full names (make_communes.py)."""
    pytest.importorskip("vietnamadminunits")
    from vietnamadminunits.database import get_data

    theirs = get_data(["provinceCode", "wardCode", "wardShort", "wardType"], "admin_units")
    ours = [c for p in registry.expected("province", 2025) for c in communes.of(p, 2025)]
    assert {(c.province.code, c.code, c.name) for c in ours} == {
        (r["provinceCode"], r["wardCode"], normalize(r["wardShort"])) for r in theirs}
    assert Counter((c.province.code, c.kind) for c in ours) == Counter(
        (r["provinceCode"], r["wardType"].casefold()) for r in theirs)


def test_the_list_states_its_source(communes):
    assert "Ủy ban Thường vụ Quốc hội" in communes.basis(2025) and "1682/NQ-UBTVQH15" in communes.basis(2025)


@pytest.mark.parametrize("typed", ["Tân Biên", "xã Tân Biên", "UBND xã Tân Biên", "Ủy ban nhân dân xã Tân Biên", "  XÃ TÂN BIÊN "])
def test_commune_spellings_resolve(communes, tay_ninh, typed):
    commune = communes.resolve(typed, tay_ninh, 2025)
    assert (commune.full_name, commune.display_name) == ("xã Tân Biên", "UBND xã Tân Biên")


def test_old_tone_placement_matches(communes, tay_ninh):
    assert communes.resolve("Phường Tân Ninh", tay_ninh, 2025) == communes.resolve("phuờng Tân Ninh".replace("uờ", "ườ"), tay_ninh, 2025)
    hoa = next(c for c in communes.of(tay_ninh, 2025) if c.name.endswith("Hòa"))
    assert communes.resolve(hoa.name.replace("Hòa", "Hoà"), tay_ninh, 2025) == hoa


def test_a_commune_without_its_marks_is_suggested_not_matched(communes, tay_ninh):
    with pytest.raises(UnitNameError, match='Không nhận ra đơn vị "xa Tan Bien". Có phải: xã Tân Biên'):
        communes.resolve("xa Tan Bien", tay_ninh, 2025)


def test_a_commune_of_another_province_says_where_it_is(registry, communes):
    hanoi = registry.resolve("Hà Nội", "province", 2025)
    with pytest.raises(UnitNameError, match='"Phường Long An" không thuộc thành phố Hà Nội; .*tỉnh Tây Ninh'):
        communes.resolve("Phường Long An", hanoi, 2025)


def test_communes_are_listed_in_official_order(communes, tay_ninh):
    names = [c.full_name for c in communes.of(tay_ninh, 2025)]
    assert names[0].startswith("phường") and names[-1].startswith("xã")
    assert names.index("xã Bến Cầu") < names.index("xã Cầu Khởi")


def test_no_commune_list_before_2025(communes, tay_ninh, registry):
    old = registry.resolve("Tây Ninh", "province", 2024)
    with pytest.raises(ValueError, match="Chưa có danh sách xã, phường, đặc khu cho năm 2024"):
        communes.of(old, 2024)
