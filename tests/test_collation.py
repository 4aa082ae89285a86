import csv
import random
import re
import unicodedata
from pathlib import Path

import pytest
from hypothesis import given, strategies as st

from baocao.collation import sort_key, sorted_vi
from baocao.names import normalize
from baocao.units import UnitRegistry

APPENDIX = Path(__file__).parents[1] / "data" / "2024" / "so-theo-doi.csv"
LETTERS = "aăâbcdđeêghiklmnoôơpqrstuưvxy"
NAMES = st.text(alphabet=LETTERS + "ÂĐƠàảãáạằắặầấậèéẹềếệìíịòóọồốộờớợùúụừứựỳýỵ –-", max_size=20)

# The 63 provinces in official-list order, with Huế and Hồ Chí Minh where their current names sort.
OFFICIAL_63 = [
    "An Giang", "Bà Rịa – Vũng Tàu", "Bắc Giang", "Bắc Kạn", "Bạc Liêu", "Bắc Ninh", "Bến Tre", "Bình Định",
    "Bình Dương", "Bình Phước", "Bình Thuận", "Cà Mau", "Cần Thơ", "Cao Bằng", "Đà Nẵng", "Đắk Lắk", "Đắk Nông",
    "Điện Biên", "Đồng Nai", "Đồng Tháp", "Gia Lai", "Hà Giang", "Hà Nam", "Hà Nội", "Hà Tĩnh", "Hải Dương",
    "Hải Phòng", "Hậu Giang", "Hồ Chí Minh", "Hòa Bình", "Huế", "Hưng Yên", "Khánh Hòa", "Kiên Giang", "Kon Tum",
    "Lai Châu", "Lâm Đồng", "Lạng Sơn", "Lào Cai", "Long An", "Nam Định", "Nghệ An", "Ninh Bình", "Ninh Thuận",
    "Phú Thọ", "Phú Yên", "Quảng Bình", "Quảng Nam", "Quảng Ngãi", "Quảng Ninh", "Quảng Trị", "Sóc Trăng", "Sơn La",
    "Tây Ninh", "Thái Bình", "Thái Nguyên", "Thanh Hóa", "Tiền Giang", "Trà Vinh", "Tuyên Quang", "Vĩnh Long",
    "Vĩnh Phúc", "Yên Bái",
]


def test_provinces_sort_in_official_order():
    names = [unit.name for unit in UnitRegistry.load().expected("province", 2024)]
    random.Random(0).shuffle(names)
    assert sorted_vi(names) == OFFICIAL_63


def test_reproduces_the_2024_appendix_order_under_the_names_it_was_sorted_by():
    """The appendix sorted Huế and Hồ Chí Minh under their old names (Thừa Thiên Huế, TP Hồ Chí Minh)."""
    with APPENDIX.open(encoding="utf-8") as handle:
        rows = list(csv.reader(handle))
    section = [row[1] for row in rows[rows.index(next(r for r in rows if r[0] == "II")) + 1 :]]
    listed = [re.sub(r"^UBND (tỉnh|thành phố) ", "", name) for name in section]
    old_names = [{"Huế": "Thừa Thiên Huế", "Hồ Chí Minh": "TP Hồ Chí Minh"}.get(name, name) for name in listed]
    assert len(old_names) == 63
    assert sorted_vi(reversed(old_names)) == old_names


def test_ties_on_base_letters_follow_the_vietnamese_alphabet():
    letters = list(LETTERS)
    random.Random(1).shuffle(letters)
    assert "".join(sorted_vi(letters)) == LETTERS
    assert sorted_vi(["Bắc", "Bạc", "Bác"]) == ["Bác", "Bạc", "Bắc"]


def test_ties_on_letters_follow_tone_order():
    assert sorted_vi(["mạ", "má", "mã", "mả", "mà", "ma"]) == ["ma", "mà", "mả", "mã", "má", "mạ"]


def test_case_does_not_decide_before_letters():
    assert sorted_vi(["Bình Định", "an Giang"]) == ["an Giang", "Bình Định"]


# Orders that plain `sorted` (code points) gets wrong, each as an official list prints it.
PLAIN_SORT_GETS_WRONG = [
    ["d", "đ", "e"],  # Đ after D, before E (plain puts đ after z)
    ["Đồng Nai", "Gia Lai", "Hà Nội"],
    ["an", "ăn", "ân", "bơ"],  # a ă â, then b (plain: a â ă, and both after b)
    ["An Giang", "Ân Thi", "Bắc Ninh"],
    ["Bắc Giang", "Bắc Kạn", "Bạc Liêu", "Bắc Ninh"],  # base letters word by word first
    ["Cà Mau", "Cần Thơ", "Cao Bằng"],
    ["ma", "mà", "mả", "mã", "má", "mạ"],  # tones: ngang, huyền, hỏi, ngã, sắc, nặng
    ["Ỷ La", "Yên Bái", "Yết Kiêu"],  # word by word: "y" before "yen"
    ["Hòa Bình", "Huế", "Hưng Yên"],  # u before ư
    ["Ô Môn", "Ơ Môn", "Pleiku"],  # ô before ơ on equal base letters, both before p
]


@pytest.mark.parametrize("expected", PLAIN_SORT_GETS_WRONG, ids=lambda names: names[0])
def test_official_order_where_code_point_order_differs(expected):
    shuffled = list(reversed(expected))
    assert sorted(shuffled) != expected  # the example tells the two orders apart
    assert sorted_vi(shuffled) == expected


def test_sorted_vi_uses_the_given_key():
    rows = [{"ten": "Cà Mau"}, {"ten": "An Giang"}]
    assert sorted_vi(rows, key=lambda row: row["ten"]) == [{"ten": "An Giang"}, {"ten": "Cà Mau"}]


@given(NAMES)
def test_key_ignores_unicode_composition(name):
    assert sort_key(unicodedata.normalize("NFD", name)) == sort_key(name)


# Open syllables ending in oa / oe / uy, old tone placement → official placement.
TONE_PAIRS = [("oà", "òa"), ("oá", "óa"), ("oả", "ỏa"), ("oã", "õa"), ("oạ", "ọa"), ("oè", "òe"), ("uỷ", "ủy"), ("uý", "úy")]


@given(st.sampled_from(["", "h", "kh", "th", "x", "ng", "t"]), st.sampled_from(TONE_PAIRS), NAMES)
def test_key_ignores_tone_placement(onset, pair, rest):
    old, new = pair
    assert sort_key(f"{onset}{old} {rest}") == sort_key(f"{onset}{new} {rest}")


@given(NAMES, NAMES)
def test_equal_keys_only_for_the_same_name(first, second):
    assert (sort_key(first) == sort_key(second)) == (normalize(first) == normalize(second))


@given(st.lists(NAMES, max_size=8), st.randoms())
def test_order_does_not_depend_on_input_order(names, rng):
    shuffled = list(names)
    rng.shuffle(shuffled)
    assert [normalize(n) for n in sorted_vi(shuffled)] == [normalize(n) for n in sorted_vi(names)]
