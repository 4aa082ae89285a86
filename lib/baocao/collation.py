"""Order Vietnamese names the way official lists print them.

Official lists (e.g. the appendix of Báo cáo 1385/BC-BNV) compare names word by word on their base
letters, ignoring every mark: "Bắc Giang, Bắc Kạn, Bạc Liêu, Bắc Ninh", "Cà Mau, Cần Thơ, Cao Bằng".
Only names that are equal on base letters fall back to the Vietnamese alphabet (a ă â b c d đ e ê ...)
and then to tones (ngang, huyền, hỏi, ngã, sắc, nặng), syllable by syllable.
"""

import functools
import re
from collections.abc import Callable, Iterable
from typing import TypeVar

from baocao.names import normalize, split_tone, strip_diacritics

T = TypeVar("T")

# Vietnamese alphabet, with f j w z placed as in Latin for foreign words.
ALPHABET = "aăâbcdđeêfghijklmnoôơpqrstuưvwxyz"
_RANK = {letter: rank for rank, letter in enumerate(ALPHABET)}
_WORD = re.compile(r"\w+")

SortKey = tuple[tuple[str, ...], tuple[tuple[tuple[tuple[int, int], ...], int], ...], str]


def _letter_rank(letter: str) -> tuple[int, int]:
    """Letters of the alphabet after digits and other characters, which keep code point order."""
    return (1, _RANK[letter]) if letter in _RANK else (0, ord(letter))


def _syllable_key(word: str) -> tuple[tuple[tuple[int, int], ...], int]:
    letters = [split_tone(char) for char in word]
    return tuple(_letter_rank(letter) for letter, _ in letters), max(tone for _, tone in letters)


@functools.lru_cache(maxsize=8192)  # pure; a batch sorts the same names for every unit
def sort_key(text: str) -> SortKey:
    """Key for `sorted`: base letters word by word, then Vietnamese letters and tones, then the text.

    The last component (the normalised text) makes the order total: two names get equal keys only when
    they normalise to the same text, so sorting is reproducible whatever the input order.
    """
    name = normalize(text)
    words = _WORD.findall(name.casefold())
    return (
        tuple(strip_diacritics(word) for word in words),
        tuple(_syllable_key(word) for word in words),
        name,
    )


def sorted_vi(items: Iterable[T], key: Callable[[T], str] = str) -> list[T]:
    """Items sorted in official-list order of the name `key` gives (the item itself by default)."""
    return sorted(items, key=lambda item: sort_key(key(item)))
