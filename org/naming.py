"""How department names are compared.

Plans write the same unit many ways: traditional or simplified characters,
full- or half-width brackets, stray spaces. Two names are the same unit when
their normalized forms are equal. Pure Python: the importer uses it too.
"""

import re
import unicodedata
from functools import lru_cache

from opencc import OpenCC

_t2s = OpenCC("t2s")
_SPACES = re.compile(r"\s+")


@lru_cache(maxsize=4096)
def to_simplified(text: str) -> str:
    return _t2s.convert(text)


@lru_cache(maxsize=4096)
def normalize_name(name: str) -> str:
    """Simplified, NFKC-width-folded, without spaces: the key names are matched on."""
    folded = unicodedata.normalize("NFKC", name)
    return _SPACES.sub("", to_simplified(folded)).strip()
