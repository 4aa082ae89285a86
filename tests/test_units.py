import csv
import itertools
import re
from pathlib import Path

import pytest
from hypothesis import given, strategies as st

from baocao.units import NATIONAL_SLUG, Alias, Era, Unit, UnitNameError, UnitRegistry, slug

APPENDIX = Path(__file__).parents[1] / "data" / "2024" / "so-theo-doi.csv"
CHANGED_CODES = {"15", "24", "44", "52", "80", "82", "91"}

# Báo cáo 1385/BC-BNV, footnote 1 b) and c), as printed ("(có kế hoạch)" notes removed).
FOOTNOTE_MINISTRIES = (
    "Bộ Ngoại giao, Bộ Tư pháp, Bộ Tài chính, Bộ Công thương, Bộ Lao động – Thương binh và Xã hội, "
    "Bộ Giao thông vận tải, Bộ xây dựng, Bộ Thông tin và Truyền thông, Bộ Giáo dục và Đào tạo, "
    "Bộ Nông nghiệp và Phát triển nông thôn, Bộ Kế hoạch và Đầu tư, Bộ Y tế, Bộ Khoa học và Công nghệ, "
    "Bộ Văn hóa Thể thao và Du lịch, Bộ Tài nguyên và Môi trường, Văn phòng Chính phủ, Thanh tra Chính phủ, "
    "Ngân hàng Nhà nước, Ủy ban dân tộc, Đài Tiếng nói Việt Nam, Đài Truyền hình Việt Nam, "
    "Ban Quản lý lăng Chủ tịch Hồ Chí Minh, Thông tấn xã Việt Nam, Học viện Chính trị quốc gia Hồ Chí Minh, "
    "Viện Hàn Lâm Khoa học xã hội Việt Nam"
).split(", ")
FOOTNOTE_PROVINCES = (
    "An Giang, Bà Rịa – Vũng Tàu, Bắc Kạn, Bạc Liêu, Bình Định, Bình Thuận, Cà Mau, Đồng Nai, Gia Lai, Hà Nội, "
    "Hà Tĩnh, Lạng Sơn, Ninh Bình, Ninh Thuận, Quảng Nam, Quảng Trị, Thái Bình, Thanh Hóa, Huế, Hồ Chí Minh, "
    "Trà Vinh, Vĩnh Phúc"
).split(", ")


@pytest.fixture(scope="module")
def registry():
    return UnitRegistry.load()


def appendix_names(section):
    with APPENDIX.open(encoding="utf-8") as handle:
        rows = list(csv.reader(handle))
    start = next(i for i, row in enumerate(rows) if row[0] == section) + 1
    return [row[1] for row in itertools.takewhile(lambda row: row[0].isdigit(), rows[start:])]


@pytest.mark.parametrize(
    "variants",
    [
        ["Hòa Bình", "Hoà Bình", "UBND tỉnh Hoà Bình"],
        ["Khánh Hòa", "Khánh Hoà"],
        ["Bà Rịa – Vũng Tàu", "Bà Rịa - Vũng Tàu", "Bà Rịa-Vũng Tàu", "BR-VT"],
        ["Tây Ninh", "UBND tỉnh Tây Ninh", "Tỉnh Tây Ninh"],
        ["Hồ Chí Minh", "TP HCM", "TP. Hồ Chí Minh", "Thành phố Hồ Chí Minh", "UBND thành phố Hồ Chí Minh"],
        ["Huế", "Thừa Thiên Huế", "UBND thành phố Huế"],
        ["Đắk Lắk", "Đăk Lăk"],
        ["Đắk Nông", "Đăk Nông"],
    ],
)
def test_name_variants_resolve_to_one_province(registry, variants):
    assert len({registry.resolve(name, "province", 2024) for name in variants}) == 1


@pytest.mark.parametrize(
    "variants",
    [
        ["Bộ Công Thương", "Bộ Công thương"],
        ["Bộ Lao động – Thương binh và Xã hội", "Bộ Lao động - Thương Binh và Xã hội", "Bộ LĐTBXH"],
        ["Bộ Văn hóa, Thể thao và Du lịch", "Bộ Văn hóa Thể thao và Du lịch"],
        ["Ngân hàng Nhà nước Việt Nam", "Ngân hàng Nhà nước", "NHNN"],
        ["Viện Hàn lâm Khoa học và Công nghệ Việt Nam", "Viện Hàn lâm Khoa học và Công nghệ VN"],
    ],
)
def test_name_variants_resolve_to_one_ministry(registry, variants):
    assert len({registry.resolve(name, "ministry", 2024) for name in variants}) == 1


def test_every_appendix_name_resolves_in_its_listed_order(registry):
    assert [registry.resolve(n, "ministry", 2024) for n in appendix_names("I")] == registry.expected("ministry", 2024)
    provinces = [registry.resolve(n, "province", 2024) for n in appendix_names("II")]
    assert sorted(provinces, key=lambda unit: unit.code) == sorted(registry.expected("province", 2024), key=lambda unit: unit.code)


def test_every_footnote_name_resolves_to_a_distinct_unit(registry):
    assert len({registry.resolve(name, "ministry", 2024) for name in FOOTNOTE_MINISTRIES}) == 25
    assert len({registry.resolve(name, "province", 2024) for name in FOOTNOTE_PROVINCES}) == 22


def test_unknown_name_is_quoted_with_the_closest_unit(registry):
    with pytest.raises(UnitNameError) as error:
        registry.resolve("Bắc Cạn", "province", 2024)
    assert str(error.value) == 'Không nhận ra đơn vị "Bắc Cạn". Có phải: Bắc Kạn?'
    assert [unit.name for unit in error.value.candidates] == ["Bắc Kạn"]


def test_missing_diacritics_are_suggested_not_matched(registry):
    with pytest.raises(UnitNameError, match='"Ha Nam". Có phải: Hà Nam\\?'):
        registry.resolve("Ha Nam", "province", 2024)


def test_name_with_nothing_close_says_which_list_was_searched(registry):
    with pytest.raises(UnitNameError, match="danh sách tỉnh, thành phố năm 2024"):
        registry.resolve("Xyz", "province", 2024)


def test_a_merged_province_points_to_its_successor(registry):
    with pytest.raises(UnitNameError, match="không còn trong danh sách tỉnh, thành phố năm 2025; từ năm 2025 thuộc: Bắc Ninh"):
        registry.resolve("Bắc Giang", "province", 2025)


def test_a_new_ministry_in_an_old_year_lists_what_it_came_from(registry):
    with pytest.raises(UnitNameError, match="Bộ Nông nghiệp và Phát triển nông thôn, Bộ Tài nguyên và Môi trường"):
        registry.resolve("Bộ Nông nghiệp và Môi trường", "ministry", 2024)


def test_a_name_shared_by_two_units_lists_both():
    era = Era("province", "2008", 2008, "test")
    units = [Unit("province", "2008", "01", "Hà Nội", "thành phố", "Hà Nội"), Unit("province", "2008", "35", "Hà Nam", "tỉnh", "Hà Nam")]
    registry = UnitRegistry([era], units, [Alias("province", "Hà", "Hà Nội"), Alias("province", "Hà", "Hà Nam")])
    with pytest.raises(UnitNameError, match='Tên "Hà" ứng với nhiều đơn vị: Hà Nội, Hà Nam') as error:
        registry.resolve("Hà", "province", 2020)
    assert len(error.value.candidates) == 2


@pytest.mark.parametrize(
    ("group", "year", "count"),
    [("province", 2024, 63), ("province", 2025, 34), ("province", 2030, 34), ("ministry", 2024, 30), ("ministry", 2025, 22)],
)
def test_expected_unit_counts(registry, group, year, count):
    assert len(registry.expected(group, year)) == count


def test_year_before_any_list_is_refused(registry):
    with pytest.raises(ValueError, match="Chưa có danh sách tỉnh, thành phố cho năm 2007"):
        registry.expected("province", 2007)


def test_unknown_group_is_refused(registry):
    with pytest.raises(ValueError, match='Nhóm đơn vị "district"'):
        registry.expected("district", 2024)


def test_each_of_the_63_provinces_has_exactly_one_successor(registry):
    new_units = set(registry.expected("province", 2025))
    for unit in registry.expected("province", 2024):
        assert len(registry.successors(unit)) == 1, unit.name
        assert registry.successors(unit)[0] in new_units
    predecessors = [old for new in new_units for old in registry.predecessors(new)]
    assert sorted(p.code for p in predecessors) == sorted(u.code for u in registry.expected("province", 2024))


def test_seven_codes_change_meaning_with_the_era(registry):
    shared = {u.code for u in registry.expected("province", 2024)} & {u.code for u in registry.expected("province", 2025)}
    changed = {code for code in shared if registry.unit("province", "2008", code).name != registry.unit("province", "2025", code).name}
    assert changed == CHANGED_CODES


def test_merged_ministries_point_to_their_successor(registry):
    labour = registry.resolve("Bộ Lao động – Thương binh và Xã hội", "ministry", 2024)
    assert [unit.name for unit in registry.successors(labour)] == ["Bộ Nội vụ"]
    finance = registry.resolve("Bộ Tài chính", "ministry", 2025)
    assert {unit.name for unit in registry.predecessors(finance)} == {"Bộ Tài chính", "Bộ Kế hoạch và Đầu tư"}
    assert all(registry.predecessors(unit) for unit in registry.expected("ministry", 2025))


def test_the_five_agencies_of_2025_are_flagged_unconfirmed(registry):
    unconfirmed = [unit.name for unit in registry.expected("ministry", 2025) if not unit.confirmed]
    assert unconfirmed == [
        "Thông tấn xã Việt Nam", "Đài Tiếng nói Việt Nam", "Đài Truyền hình Việt Nam",
        "Viện Hàn lâm Khoa học xã hội Việt Nam", "Viện Hàn lâm Khoa học và Công nghệ Việt Nam",
    ]


def test_display_names(registry):
    assert registry.resolve("An Giang", "province", 2024).display_name == "UBND tỉnh An Giang"
    assert registry.resolve("Cần Thơ", "province", 2024).display_name == "UBND thành phố Cần Thơ"
    assert registry.resolve("Bộ Quốc phòng", "ministry", 2024).display_name == "Bộ Quốc phòng"


@pytest.mark.parametrize(
    ("name", "expected"),
    [("Tây Ninh", "tay-ninh"), ("Bà Rịa – Vũng Tàu", "ba-ria-vung-tau"), ("Đắk Lắk", "dak-lak"), ("Bộ Văn hóa, Thể thao và Du lịch", "bo-van-hoa-the-thao-va-du-lich")],
)
def test_slug(name, expected):
    assert slug(name) == expected


def test_national_slug_cannot_be_a_unit_slug(registry):
    slugs = [u.slug for g in ("province", "ministry") for y in (2024, 2025) for u in registry.expected(g, y)]
    assert NATIONAL_SLUG not in slugs
    assert len(set(slugs[:63])) == 63


@given(st.text(max_size=40))
def test_slug_is_always_a_safe_file_name(text):
    try:
        value = slug(text)
    except ValueError:
        return
    assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", value)


def test_slug_of_punctuation_only_is_refused():
    with pytest.raises(ValueError, match='Không tạo được tên tệp từ "../"'):
        slug("../")


def test_units_agree_with_vietnamadminunits(registry):
    """Independent cross-check of codes, names and the 63 → 34 mapping (test-only dependency)."""
    pytest.importorskip("vietnamadminunits")
    from vietnamadminunits import convert_address
    from vietnamadminunits.database import get_data

    for year, table in ((2024, "admin_units_legacy"), (2025, "admin_units")):
        theirs = {row["provinceCode"]: row["provinceShort"] for row in get_data(["provinceCode", "provinceShort"], table)}
        ours = {unit.code: unit.name for unit in registry.expected("province", year)}
        assert ours == {code: name.replace(" - ", " – ") for code, name in theirs.items()}
    for unit in registry.expected("province", 2024):
        converted = convert_address(f"{unit.kind.capitalize()} {unit.name.replace(' – ', ' - ')}")
        assert [new.code for new in registry.successors(unit)] == [converted.province_code], unit.name
