"""Small text helpers shared by the importer modules.

``fold`` maps a string to the form used for *matching*: traditional characters to
simplified ones (OpenCC's character table, one character for one character so that
offsets stay valid) and full-width ASCII to half-width.  The length of the string
never changes, which is what lets every match be mapped back to the source text.
"""

from __future__ import annotations

import os
import re
from functools import lru_cache

CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
CJK_RE = re.compile(f"[{CJK}]")


def _load_t2s_table() -> dict[int, str]:
    table: dict[int, str] = {}
    try:
        import opencc  # noqa: PLC0415

        path = os.path.join(os.path.dirname(opencc.__file__), "dictionary", "TSCharacters.txt")
        with open(path, encoding="utf-8") as fh:
            for line in fh:
                parts = line.rstrip("\n").split("\t")
                if len(parts) != 2 or len(parts[0]) != 1:
                    continue
                target = parts[1].split(" ")[0]
                if len(target) == 1 and target != parts[0]:
                    table[ord(parts[0])] = target
    except (ImportError, OSError):  # pragma: no cover - opencc is a hard dependency
        pass
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
    table = _load_t2s_table()
    table.update(_width_table())
    return table


def fold(text: str) -> str:
    """Traditional→simplified and full→half width, character for character."""
    return text.translate(_fold_table())


_CJK_GAP_RE = re.compile(f"(?<=[{CJK}》〉」』”）)])[ \t\u3000]+(?=[{CJK}《〈「『“（(])")


def tidy_spaces(text: str) -> str:
    """Drop spaces between CJK characters (``实 施 方 案`` → ``实施方案``)."""
    text = _CJK_GAP_RE.sub("", text)
    return re.sub(r"[ \t\u3000]{2,}", " ", text).strip()


CN_DIGITS = {
    "零": 0,
    "〇": 0,
    "○": 0,
    "Ｏ": 0,
    "O": 0,
    "一": 1,
    "二": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}


def cn_to_int(text: str) -> int | None:
    """Parse a Chinese numeral up to 9999 (``十三`` → 13, ``二十`` → 20); ``None`` if not one."""
    if not text:
        return None
    if text.isdigit():
        return int(text)
    total = 0
    current = 0
    units = {"十": 10, "百": 100, "千": 1000}
    for ch in text:
        if ch in CN_DIGITS:
            current = CN_DIGITS[ch]
        elif ch in units:
            total += (current or 1) * units[ch]
            current = 0
        else:
            return None
    return total + current


def cn_digits_to_int(text: str) -> int | None:
    """Digit-by-digit Chinese numerals, as used for years (``二〇一七`` → 2017)."""
    out = 0
    for ch in text:
        if ch.isdigit():
            out = out * 10 + int(ch)
        elif ch in CN_DIGITS:
            out = out * 10 + CN_DIGITS[ch]
        else:
            return None
    return out
