"""Word's automatic numbering, written back as text.

Plans typed in Word often number their clauses with list numbering ("一、",
"(一)", "1.") that lives in numbering.xml, not in the paragraph text. Without it
the clause tree would lose its labels, so each numbered paragraph gets its label
rendered the way Word shows it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_CN_DIGITS = "〇一二三四五六七八九"
_CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"


def chinese_number(n: int) -> str:
    """1 → 一, 10 → 十, 12 → 十二, 21 → 二十一, 105 → 一百零五 (list numbers stay small)."""
    if n <= 0:
        return str(n)
    if n < 10:
        return _CN_DIGITS[n]
    if n < 20:
        return "十" + (_CN_DIGITS[n % 10] if n % 10 else "")
    if n < 100:
        return _CN_DIGITS[n // 10] + "十" + (_CN_DIGITS[n % 10] if n % 10 else "")
    rest = n % 100
    if rest == 0:
        tail = ""
    elif rest < 10:
        tail = "零" + chinese_number(rest)
    else:  # after 百 the tens keep their 一: 一百一十
        tail = ("一" if rest < 20 else "") + chinese_number(rest)
    return _CN_DIGITS[n // 100] + "百" + tail


def _letters(n: int) -> str:
    out = ""
    while n > 0:
        n, r = divmod(n - 1, 26)
        out = chr(ord("a") + r) + out
    return out


def format_number(n: int, fmt: str) -> str:
    if fmt in (
        "chineseCounting",
        "chineseCountingThousand",
        "chineseLegalSimplified",
        "ideographTraditional",
        "taiwaneseCounting",
        "taiwaneseCountingThousand",
    ):
        return chinese_number(n)
    if fmt == "decimalEnclosedCircle" or fmt == "decimalEnclosedCircleChinese":
        return _CIRCLED[n - 1] if 0 < n <= len(_CIRCLED) else str(n)
    if fmt == "lowerLetter":
        return _letters(n)
    if fmt == "upperLetter":
        return _letters(n).upper()
    if fmt == "decimalFullWidth":
        return "".join(chr(ord(d) - ord("0") + ord("０")) for d in str(n))
    return str(n)


@dataclass
class _Level:
    fmt: str = "decimal"
    text: str = ""
    start: int = 1


@dataclass
class Numbering:
    """Numbering definitions of one document, and the counters as its paragraphs go by."""

    levels: dict[str, dict[int, _Level]] = field(default_factory=dict)  # abstractNumId → ilvl → level
    nums: dict[str, str] = field(default_factory=dict)  # numId → abstractNumId
    style_nums: dict[str, tuple[str, int]] = field(default_factory=dict)  # styleId → (numId, ilvl)
    counters: dict[str, dict[int, int]] = field(default_factory=dict)

    @classmethod
    def from_xml(cls, numbering_root, styles_root=None) -> Numbering:
        numbering = cls()
        if numbering_root is not None:
            for abstract in numbering_root.iter(f"{W}abstractNum"):
                levels = {}
                for lvl in abstract.findall(f"{W}lvl"):
                    level = _Level(
                        fmt=_val(lvl.find(f"{W}numFmt"), "decimal"),
                        text=_val(lvl.find(f"{W}lvlText"), ""),
                        start=_int(_val(lvl.find(f"{W}start"), "1"), 1),
                    )
                    levels[_int(lvl.get(f"{W}ilvl"), 0)] = level
                numbering.levels[abstract.get(f"{W}abstractNumId")] = levels
            for num in numbering_root.iter(f"{W}num"):
                numbering.nums[num.get(f"{W}numId")] = _val(num.find(f"{W}abstractNumId"), "")
        if styles_root is not None:
            for style in styles_root.iter(f"{W}style"):
                num_pr = style.find(f"{W}pPr/{W}numPr")
                if num_pr is not None:
                    num_id = _val(num_pr.find(f"{W}numId"), "")
                    numbering.style_nums[style.get(f"{W}styleId")] = (
                        num_id,
                        _int(_val(num_pr.find(f"{W}ilvl"), "0"), 0),
                    )
        return numbering

    def label(self, paragraph) -> str:
        """The label Word shows before this paragraph, or "" (counting it as Word does)."""
        ppr = paragraph.find(f"{W}pPr")
        if ppr is None:
            return ""
        num_pr = ppr.find(f"{W}numPr")
        num_id, ilvl = None, 0
        if num_pr is not None:
            num_id = _val(num_pr.find(f"{W}numId"), None)
            ilvl = _int(_val(num_pr.find(f"{W}ilvl"), "0"), 0)
        style = _val(ppr.find(f"{W}pStyle"), None)
        if num_id is None and style in self.style_nums:
            num_id, ilvl = self.style_nums[style]
        abstract = self.nums.get(num_id or "")
        levels = self.levels.get(abstract or "")
        if not levels or ilvl not in levels:
            return ""  # numId 0 switches numbering off; unknown ids show nothing
        level = levels[ilvl]
        counters = self.counters.setdefault(abstract, {})
        counters[ilvl] = counters.get(ilvl, level.start - 1) + 1
        for deeper in [k for k in counters if k > ilvl]:
            del counters[deeper]
        if level.fmt in ("bullet", "none"):
            return ""
        text = level.text
        for k in range(9):
            if f"%{k + 1}" in text:
                shown = counters.get(k, levels.get(k, _Level()).start)
                text = text.replace(f"%{k + 1}", format_number(shown, levels.get(k, level).fmt))
        return text


def _val(element, default):
    return element.get(f"{W}val", default) if element is not None else default


def _int(value, default: int) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return default
