"""Match what people type to a keyword: case-insensitive, small typos forgiven ("CEKK", "rehap", "Menu.")."""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Iterable

_PUNCTUATION = re.compile(r"[^\w\s/]+")


def normalise(text: str) -> str:
    """Upper case, no accents or punctuation, single spaces: what we compare."""
    text = unicodedata.normalize("NFKD", text)
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return " ".join(_PUNCTUATION.sub(" ", text).upper().split())


def closest(word: str, keywords: Iterable[str]) -> str | None:
    """The keyword this word means, allowing one slip in a short word and a little more in long ones."""
    word = normalise(word)
    candidates = list(keywords)
    if word in candidates:
        return word
    if len(word) < 3:
        return None
    matches = difflib.get_close_matches(word, candidates, n=1, cutoff=0.75)
    return matches[0] if matches else None
