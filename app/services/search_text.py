"""How names and queries are folded for search, the same way at write and at query time.

Folding: Unicode NFKC; traditional Chinese to simplified (OpenCC `t2s`, so 氣候 finds 气候);
case folding; accents removed; every run of punctuation or spaces becomes one space.
`compact` drops the spaces too, so `UN-Habitat`, `un habitat` and `unhabitat` meet.
Chinese has no spaces and most words are two characters, so runs of CJK characters are also
indexed as character unigrams and bigrams (`grams`), as Elasticsearch's CJK analyzer does.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

import opencc

_NON_WORD = re.compile(r"[\W_]+", re.UNICODE)
_CJK_RUN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002fa1f]+")


@lru_cache(maxsize=1)
def _to_simplified() -> opencc.OpenCC:
    return opencc.OpenCC("t2s")


def fold(text: str) -> str:
    text = unicodedata.normalize("NFKC", text)
    if _CJK_RUN.search(text):
        text = _to_simplified().convert(text)
    text = unicodedata.normalize("NFKD", text.casefold())
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return _NON_WORD.sub(" ", unicodedata.normalize("NFKC", text)).strip()


def compact(folded: str) -> str:
    return folded.replace(" ", "")


def grams(folded: str) -> list[str]:
    """Unigrams and bigrams of every run of CJK characters, without duplicates."""
    found: dict[str, None] = {}
    for run in _CJK_RUN.findall(folded):
        for i, ch in enumerate(run):
            found[ch] = None
            if i + 1 < len(run):
                found[run[i : i + 2]] = None
    return list(found)


def has_cjk(text: str) -> bool:
    return _CJK_RUN.search(text) is not None
