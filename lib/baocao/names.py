"""Normalise Vietnamese unit names so that spelling variants of one name compare equal.

Names reach baocao typed by many hands: tone marks placed on either vowel ("Hoà" / "Hòa"), decomposed
Unicode from PDFs, hyphens or dashes of any kind between words, "UBND tỉnh" prefixes. `normalize` gives
the one printed form; `match_key` gives the lookup key. Neither removes tone or vowel marks: "Hà Nam"
and "Hà Năm" must never be confused, so a diacritic-free form (`strip_diacritics`) is only for
suggesting what the user may have meant.
"""

import difflib
import functools
import re
import unicodedata
from collections import defaultdict
from typing import Generic, TypeVar

T = TypeVar("T")

# Combining tone marks in dictionary order: ngang (none), huyền, hỏi, ngã, sắc, nặng.
TONES = ("", "\u0300", "\u0309", "\u0303", "\u0301", "\u0323")

EN_DASH = "\u2013"
_DASH_BETWEEN_WORDS = re.compile(r"(?<=\w)\s*[-\u2010-\u2015\u2212]\s*(?=\w)")
_WORD = re.compile(r"\w+")
_NON_WORD = re.compile(r"[\W_]+")
# Open syllables ending in oa / oe / uy carry the tone on their first vowel in official names
# ("Hòa", "Khánh Hòa", "Thủy"). The onset excludes q: in "quý" the u belongs to "qu".
_OPEN_OA_OE_UY = re.compile(r"^[bcdđghklmnprstvx]*(?:oa|oe|uy)$")
# What a cell can hold that nobody sees, pasted from web pages, PDFs and Word: zero-width spaces and joiners, the
# word joiner, the byte order mark, the soft hyphen, direction marks. A name must match (and print) without them.
_INVISIBLE = re.compile("[\u00ad\u061c\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]")
_UNIT_PREFIX = re.compile(r"^(?:(?:ubnd|ủy ban nhân dân) (?:(?:tỉnh|thành phố|tp) )?|(?:tỉnh|thành phố|tp) )(?=\S)")


def visible(text: str) -> str:
    """The text as a person sees it: NFC, without invisible characters, every run of white space (no-break spaces
    of any width, a line break typed with Alt+Enter) one space, no space at either end."""
    return " ".join(unicodedata.normalize("NFC", _INVISIBLE.sub("", text)).split())


def split_tone(char: str) -> tuple[str, int]:
    """Split one letter into its toneless letter (NFC, vowel marks kept) and its tone's index in TONES."""
    decomposed = unicodedata.normalize("NFD", char)
    tone = next((index for index, mark in enumerate(TONES) if index and mark in decomposed), 0)
    bare = decomposed.replace(TONES[tone], "") if tone else decomposed
    return unicodedata.normalize("NFC", bare), tone


def strip_diacritics(text: str) -> str:
    """Base Latin letters only (ă, â → a; đ → d; tones dropped): for suggestions and slugs, never for matching."""
    decomposed = unicodedata.normalize("NFD", text).replace("đ", "d").replace("Đ", "D")
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def _place_tone(word: str) -> str:
    letters = [split_tone(char) for char in word]
    toned = [index for index, (_, tone) in enumerate(letters) if tone]
    bare = "".join(letter for letter, _ in letters).lower()
    if toned != [len(word) - 1] or not _OPEN_OA_OE_UY.match(bare):
        return word
    tone = letters[-1][1]
    first, last = letters[-2][0], letters[-1][0]
    return word[:-2] + unicodedata.normalize("NFC", first + TONES[tone]) + last


# The same few hundred names (provinces, ministries, column headers) are normalised for every unit of a
# batch; the function is pure, so each is worked out once per process.
@functools.lru_cache(maxsize=8192)
def normalize(text: str) -> str:
    """The printed form of a name: visible characters only, NFC, official tone placement, " – " between words,
    single spaces."""
    text = visible(text)
    text = _WORD.sub(lambda word: _place_tone(word.group()), text)
    text = _DASH_BETWEEN_WORDS.sub(f" {EN_DASH} ", text)
    return " ".join(text.split())


def match_key(text: str) -> str:
    """Lookup key: normalised, case-folded, punctuation as spaces, "UBND tỉnh" / "TP." prefixes removed.

    Diacritics are kept on purpose (see the module docstring).
    """
    words = _NON_WORD.sub(" ", normalize(text).casefold()).strip()
    return _UNIT_PREFIX.sub("", words, count=1)


SUGGESTION_CUTOFF = 0.6
SUGGESTION_MARGIN = 0.05


class NameIndex(Generic[T]):
    """Items found by any of their names through `match_key`, with suggestions for a name that matches none.

    One index per list (the provinces of an era, the communes of one province, a province's departments),
    so that every list matches and suggests the same way."""

    def __init__(self) -> None:
        self._keys: dict[str, list[T]] = defaultdict(list)

    def add(self, item: T, name: str) -> None:
        found = self._keys[match_key(name)]
        if item not in found:
            found.append(item)

    def find(self, text: str) -> list[T]:
        """Every item one of whose names has the same key as `text` (one, none, or several: ambiguous)."""
        return list(self._keys.get(match_key(text), ()))

    def suggest(self, text: str) -> list[T]:
        """The closest items on diacritic-free keys (only to suggest, never to match): the best match
        and any within a small margin of it, so a near-miss gets one answer, not a list."""
        plain = strip_diacritics(match_key(text))
        scores: dict[T, float] = {}
        for key, items in self._keys.items():
            score = difflib.SequenceMatcher(None, plain, strip_diacritics(key)).ratio()
            for item in items:
                scores[item] = max(score, scores.get(item, 0.0))
        best = max(scores.values(), default=0.0)
        if best < SUGGESTION_CUTOFF:
            return []
        close = [item for item, score in scores.items() if score >= best - SUGGESTION_MARGIN]
        return sorted(close, key=lambda item: -scores[item])
