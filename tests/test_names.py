import unicodedata

import pytest
from hypothesis import given, strategies as st

from baocao.names import match_key, normalize, strip_diacritics

VIETNAMESE_TEXT = st.text(
    alphabet="aăâbcdđeêghiklmnoôơpqrstuưvxyAĂÂĐOÔƠUƯàảãáạằẳẵắặầẩẫấậèẻẽéẹềểễếệìỉĩíịòỏõóọồổỗốộờởỡớợùủũúụừửữứựỳỷỹýỵ -–—",
    max_size=30,
)


@pytest.mark.parametrize(
    ("typed", "printed"),
    [
        ("Hoà Bình", "Hòa Bình"),
        ("Khánh Hoà", "Khánh Hòa"),
        ("Thuỷ", "Thủy"),
        ("uỷ ban", "ủy ban"),
        ("Thanh Hoá", "Thanh Hóa"),
        ("khoẻ", "khỏe"),
        ("HOÀ", "HÒA"),
        ("lũy", "lũy"),
        ("quý", "quý"),
        ("Hoàng", "Hoàng"),
        ("khuỷu", "khuỷu"),
        ("  Tây   Ninh ", "Tây Ninh"),
    ],
)
def test_normalize_gives_the_official_spelling(typed, printed):
    assert normalize(typed) == printed


@pytest.mark.parametrize("typed", ["Bà Rịa - Vũng Tàu", "Bà Rịa-Vũng Tàu", "Bà Rịa – Vũng Tàu", "Bà Rịa—Vũng Tàu"])
def test_dashes_between_words_become_a_spaced_en_dash(typed):
    assert normalize(typed) == "Bà Rịa – Vũng Tàu"


def test_normalize_accepts_decomposed_input():
    assert normalize(unicodedata.normalize("NFD", "Đắk Lắk")) == "Đắk Lắk"


@pytest.mark.parametrize(
    "typed",
    ["Tây Ninh", "tây ninh", "UBND tỉnh Tây Ninh", "Tỉnh Tây Ninh", "Ủy ban nhân dân tỉnh Tây Ninh", "Uỷ ban nhân dân Tây Ninh"],
)
def test_match_key_drops_case_and_unit_prefixes(typed):
    assert match_key(typed) == "tây ninh"


@pytest.mark.parametrize("typed", ["TP. Hồ Chí Minh", "TP Hồ Chí Minh", "Thành phố Hồ Chí Minh", "UBND thành phố Hồ Chí Minh"])
def test_match_key_drops_city_prefixes(typed):
    assert match_key(typed) == "hồ chí minh"


def test_match_key_keeps_diacritics():
    assert match_key("Hà Nam") != match_key("Ha Nam")
    assert match_key("Bắc Giang") != match_key("Bạc Giang")


def test_match_key_keeps_a_name_that_is_only_a_prefix_word():
    assert match_key("Thành phố") == "thành phố"


def test_strip_diacritics_folds_every_mark():
    assert strip_diacritics("Đắk Lắk, Bạc Liêu, Thừa Thiên Huế") == "Dak Lak, Bac Lieu, Thua Thien Hue"


@given(VIETNAMESE_TEXT)
def test_normalize_is_idempotent(text):
    assert normalize(normalize(text)) == normalize(text)


@given(VIETNAMESE_TEXT)
def test_normalize_ignores_unicode_composition(text):
    assert normalize(unicodedata.normalize("NFD", text)) == normalize(text)
    assert unicodedata.is_normalized("NFC", normalize(text))


@given(VIETNAMESE_TEXT)
def test_match_key_ignores_case_and_composition(text):
    assert match_key(unicodedata.normalize("NFD", text.upper())) == match_key(text.lower())
