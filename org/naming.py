"""How unit names are compared: the one name key, for the registry in the database and for the importer.

Plans write the same unit many ways: traditional or simplified characters, full- or half-width
brackets and letters, stray spaces, 人民政府 for 政府, a leading 中共. Two names are the same unit when
their keys (normalize_name) are equal; the database stores each unit's key, and the importer's
registry matches on the same key. Pure Python, no Django: plans/importing, which knows no database,
imports it too.

fold() is the character folding under the key: traditional → simplified (OpenCC's character table,
one character for one) and full → half width. It never changes a text's length, which is what lets the
importer fold a whole document and map every match back to the source.
"""

import os
import re
import unicodedata
from functools import lru_cache


def _t2s_characters() -> dict[int, str]:
    import opencc

    table: dict[int, str] = {}
    path = os.path.join(os.path.dirname(opencc.__file__), "dictionary", "TSCharacters.txt")
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            parts = line.rstrip("\n").split("\t")
            if len(parts) != 2 or len(parts[0]) != 1:
                continue
            target = parts[1].split(" ")[0]
            if len(target) == 1 and target != parts[0]:
                table[ord(parts[0])] = target
    return table


def _width_table() -> dict[int, str]:
    table: dict[int, str] = {}
    for code in range(0xFF01, 0xFF5F):  # full-width ASCII block
        table[code] = chr(code - 0xFEE0)
    table.update(
        {
            0x3000: " ",  # ideographic space
            0x00A0: " ",
            0x2002: " ",
            0x2003: " ",
            0x2009: " ",
            0x200B: " ",  # zero width space (kept as a space to preserve length)
            0xFEFF: " ",
            0x2018: "'",
            0x2019: "'",
            0xFF0E: ".",
            0xFE52: ".",  # small full stop, as in "1﹒"
            0xFE51: "、",  # small ideographic comma
            0x2014: "—",
            0xFE59: "(",
            0xFE5A: ")",
            0x3014: "〔",
            0x3015: "〕",
        }
    )
    # Scraped pages put private-use glyphs where a font icon stood, most often the
    # full stop after a clause number ("1\ue010突破…"): read them as a full stop.
    table.update({code: "." for code in range(0xE000, 0xF900)})
    # keep one-to-one mappings only
    return {k: v for k, v in table.items() if len(v) == 1}


@lru_cache(maxsize=1)
def _fold_table() -> dict[int, str]:
    table = _t2s_characters()
    table.update(_width_table())
    return table


def fold(text: str) -> str:
    """Traditional→simplified and full→half width, character for character."""
    return text.translate(_fold_table())


_BRACKETS = str.maketrans(
    {
        "（": "(", "）": ")", "〔": "(", "〕": ")", "[": "(", "]": ")", "【": "(", "】": ")",
        "<": "(", ">": ")", "〈": "(", "〉": ")", "《": "(", "》": ")", "﹙": "(", "﹚": ")",
    }
)  # fmt: skip
_SPACES = re.compile(r"[\s\u3000]+")
_TRIM = re.compile(r"^[、,;:。.\s]+|[、,;:。.\s]+$")


@lru_cache(maxsize=8192)
def plain_name(raw: str) -> str:
    """Folded, compatibility forms unified (NFKC), without spaces, every bracket written (), no
    punctuation at either end: how a name is shown when no unit answers to it."""
    text = unicodedata.normalize("NFKC", fold(raw))
    return _TRIM.sub("", _SPACES.sub("", text).translate(_BRACKETS))


@lru_cache(maxsize=8192)
def normalize_name(raw: str) -> str:
    """The key names are matched on: the plain name, with 人民政府 read as 政府 and a leading 中共 dropped."""
    return plain_name(raw).replace("人民政府", "政府").removeprefix("中共")


@lru_cache(maxsize=1)
def _t2s_phrases():
    from opencc import OpenCC

    return OpenCC("t2s")


@lru_cache(maxsize=4096)
def to_simplified(text: str) -> str:
    """Simplified characters by OpenCC's phrases (not only its characters): for a name kept as written."""
    return _t2s_phrases().convert(text)
