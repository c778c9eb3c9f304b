"""Small text helpers shared by the importer modules.

``fold`` maps a string to the form used for *matching*: traditional characters to
simplified ones and full-width ASCII to half-width, one character for one, so that every
match can be mapped back to the source text. It is the folding under the unit name key,
defined once in ``org.naming`` (pure Python, like this package).
"""

from __future__ import annotations

import re

from org.naming import fold as fold  # the importer's modules take it from here

CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
CJK_RE = re.compile(f"[{CJK}]")


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
