"""Turning date words into dates.

All functions take *folded* text (see :func:`textutil.fold`: simplified, half-width)
and return offsets into it, so every derived date keeps the words it came from.

Rules (``Y`` a 4-digit year, ``M`` month, ``D`` day):

==============================================  ==================================  ==========
words                                           result                              kind
==============================================  ==================================  ==========
``到Y年`` ``至Y年`` ``在Y年`` ``截至Y年``          Y-12-31                             due
``Y年底(前)`` ``Y年末`` ``Y年前`` ``Y年以前``       Y-12-31                             due
``Y年上半年`` / ``Y年下半年``                      Y-06-30 / Y-12-31                   due
``Y年第一季度`` … ``Y年四季度``                    last day of the quarter             due
``Y年M月`` ``Y年M月底`` ``Y年M月前``               last day of month M                 due
``Y年M月上旬/中旬/下旬``                           day 10 / 20 / last day              due
``Y年M月D日`` ``Y年M月D日前``                      Y-M-D                               due
``Y年M月至Y2年M2月`` ``Y年M月至M2月``              start Y-M-01, due end of M2         due
``Y年起`` ``自Y年`` ``从Y年`` ``Y年开始`` ``Y年以来``   a start, never a due                start
``"十三五"末`` ``十四五期间`` ``十N五时期``          end of the five-year plan:          due
                                                十一五 2010, 十二五 2015, 十三五 2020,
                                                十四五 2025, 十五五 2030 (12-31)
``每年(的)M月D日(前)``                             recurrence ``yearly:MM-DD``         recurrence
``每年M月(底/前)``                                 recurrence ``yearly:MM-<last day>`` recurrence
``每年`` ``每学年``                                recurrence ``yearly``               recurrence
``每学期`` / ``每季度`` / ``每月`` / ``每周``        ``semester`` / ``quarterly`` /     recurrence
                                                ``monthly`` / ``weekly``
``M月D日前`` (no year)                            next M-D on/after the issue date,   due
                                                with a ``date_year_assumed`` warning
``Y年月M月`` ``YM月`` (``20195月``), month>12,     **no date**; ``date_typo`` warning  typo
day>31
==============================================  ==================================  ==========

Choosing a clause's due date: explicit deadline words (``到``/``前``/``底``/``末``, ranges,
five-year-plan ends) win over bare ``Y年M月`` dates; among equals the *latest* date is the
due (a clause that sets targets for 2019 and 2020 is done in 2020).  Bare years
(``2016年``) are never deadlines.  A clause with phases but no deadline words is due at
the end of its last phase.

Recurring deadlines: the parser does **not** compute the next occurrence from "today";
``due`` is the *first occurrence on or after the issue date* of the plan when the
issue date is known (``每年的8月10日前`` in a plan issued 2017-08-07 → 2017-08-10),
otherwise ``null``.  ``recurrence`` always carries the rule.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass, field
from datetime import date

from core.dates import month_end

from .textutil import cn_digits_to_int, cn_to_int

FIVE_YEAR_END = {11: 2010, 12: 2015, 13: 2020, 14: 2025, 15: 2030, 16: 2035}

_Y = r"(?:19|20)\d{2}"
DATE_RE = re.compile(
    r"(?P<pre>截至|截止到|截止|到|至|在|于|自|从)?\s*"
    rf"(?P<y>{_Y})\s*年\s*"
    r"(?:(?P<m>\d{1,2})\s*月\s*(?:(?P<d>\d{1,2})\s*[日号]\s*)?(?P<xun>上旬|中旬|下旬)?)?"
    r"(?P<half>上半年|下半年)?"
    r"(?:第?(?P<q>[一二三四1-4])季度)?"
    r"(?P<suf>年底前|年底|底前|底|末|之前|以前|前|起|开始|以来|以后|后|内)?"
)
TYPO_RES = [
    re.compile(rf"(?<!\d)(?P<y>{_Y})\s*年\s*月\s*(?P<m>\d{{1,2}})\s*月"),  # 2019年月8月
    re.compile(rf"(?<!\d)(?P<y>{_Y})(?P<m>\d{{1,2}})\s*月(?:\s*(?P<d>\d{{1,2}})\s*日)?"),  # 20195月28日
    re.compile(rf"(?<!\d)(?P<y>{_Y})\s*年\s*(?P<m>\d{{1,2}})\s*年"),  # 2019年8年
]
MONTH_CONT_RE = re.compile(
    r"\s*(?:至|到|—|-|–|~|～)\s*(?P<m>\d{1,2})\s*月(?:\s*(?P<d>\d{1,2})\s*[日号])?(?P<suf>底|末|前)?"
)
RANGE_AHEAD_RE = re.compile(r"\s*(?:至|到|—|–|-|~|～)\s*")
FIVE_RE = re.compile(
    r"[\"“'‘]?十(?P<n>[一二三四五六七八九])五[\"”'’]?\s*(?P<suf>末|期末|期间|时期|规划期|规划期末|期内|内)"
)
YEARLY_DATE_RE = re.compile(
    r"每(?:个)?年(?:度)?的?\s*(?P<m>\d{1,2})\s*月\s*(?:(?P<d>\d{1,2})\s*[日号])?\s*(?P<suf>底|末|前|之前|以前)?"
)
NOYEAR_RE = re.compile(r"(?<![\d年])(?P<m>\d{1,2})\s*月\s*(?P<d>\d{1,2})\s*[日号]\s*(?P<suf>前|之前|以前)")
RECUR_RE = re.compile(r"每(?:个)?(?P<w>学期|季度|季|半年|学年|年度|年|月|周|星期)(?!\d+(?:\.\d+)?\s*(?:万|亿|元|%))")
RECUR_MAP = {
    "学期": "semester",
    "季度": "quarterly",
    "季": "quarterly",
    "半年": "semiannual",
    "学年": "yearly",
    "年度": "yearly",
    "年": "yearly",
    "月": "monthly",
    "周": "weekly",
    "星期": "weekly",
}
CN_DATE_RE = re.compile(
    r"(?P<y>[〇零○Ｏ一二三四五六七八九]{4})年(?P<m>[一二三四五六七八九十]{1,2})月(?P<d>[一二三四五六七八九十]{1,3})日"
)
ISO_DATE_RE = re.compile(rf"(?P<y>{_Y})\s*[-/.年]\s*(?P<m>\d{{1,2}})\s*[-/.月]\s*(?P<d>\d{{1,2}})\s*日?")


def iso(d: date | None) -> str | None:
    return d.isoformat() if d else None


def safe_date(y: int, m: int, d: int) -> date | None:
    try:
        return date(y, m, d)
    except ValueError:
        return None


@dataclass
class DateHit:
    kind: str  # "due" | "bare" | "start" | "typo" | "recurrence" | "noyear"
    start: int
    end: int
    due: date | None = None
    begin: date | None = None
    recurrence: str | None = None
    message: str | None = None


@dataclass
class DueInfo:
    due: date | None = None
    due_text: str = ""
    recurrence: str | None = None
    due_span: tuple[int, int] | None = None
    warnings: list[tuple[str, str, int, int]] = field(default_factory=list)


def _date_of(m: re.Match, *, end: bool) -> tuple[date | None, str | None]:
    """Date meant by one DATE_RE match; ``(None, reason)`` when the numbers are impossible."""
    y = int(m.group("y"))
    if m.group("m"):
        mo = int(m.group("m"))
        if not 1 <= mo <= 12:
            return None, f"月份“{mo}”不存在"
        if m.group("d"):
            dd = safe_date(y, mo, int(m.group("d")))
            if dd is None:
                return None, "日期不存在"
            return dd, None
        xun = m.group("xun")
        if xun == "上旬":
            return date(y, mo, 10), None
        if xun == "中旬":
            return date(y, mo, 20), None
        return (month_end(y, mo) if end else date(y, mo, 1)), None
    if m.group("half") == "上半年":
        return (date(y, 6, 30) if end else date(y, 1, 1)), None
    if m.group("half") == "下半年":
        return (date(y, 12, 31) if end else date(y, 7, 1)), None
    if m.group("q"):
        q = cn_to_int(m.group("q")) or 1
        return (month_end(y, q * 3) if end else date(y, q * 3 - 2, 1)), None
    return (date(y, 12, 31) if end else date(y, 1, 1)), None


def scan_dates(text: str) -> list[DateHit]:
    """Every date expression in ``text`` (folded), classified."""
    hits: list[DateHit] = []
    typo_spans: list[tuple[int, int]] = []
    for rx in TYPO_RES:
        for m in rx.finditer(text):
            if rx is TYPO_RES[1]:
                mo = int(m.group("m"))
                # "2019 5月" is fine only if separated by 年; "20195月" is a typo
                if not 1 <= mo <= 12:
                    continue
            typo_spans.append(m.span())
            hits.append(
                DateHit("typo", m.start(), m.end(), message=f"日期“{m.group(0)}”格式有误,未自动推断,请人工核对")
            )

    def in_typo(s: int, e: int) -> bool:
        return any(s < te and ts < e for ts, te in typo_spans)

    matches = [m for m in DATE_RE.finditer(text) if not in_typo(m.start("y"), m.end())]
    consumed: set[int] = set()
    for i, m in enumerate(matches):
        if i in consumed:
            continue
        pre = m.group("pre") or ""
        suf = m.group("suf") or ""
        s, e = m.start() if pre else m.start("y"), m.end()
        the_date, problem = _date_of(m, end=True)
        if problem:
            hits.append(DateHit("typo", s, e, message=f"日期“{text[s:e]}”{problem},未自动推断,请人工核对"))
            continue
        begin, _ = _date_of(m, end=False)
        # range: "2019年6月至2019年8月" or "2019年7月至8月"
        tail = text[m.end() : m.end() + 20]
        nxt = matches[i + 1] if i + 1 < len(matches) else None
        if (
            nxt is not None
            and suf in ("",)
            and re.fullmatch(r"\s*(?:至|到|—|–|-|~|～)\s*", text[m.end() : nxt.start("y")] or "x")
        ):
            end_date, problem = _date_of(nxt, end=True)
            consumed.add(i + 1)
            e2 = nxt.end()
            if problem or end_date is None:
                hits.append(DateHit("typo", s, e2, message=f"日期“{text[s:e2]}”{problem},未自动推断,请人工核对"))
                continue
            hits.append(DateHit("due", s, e2, due=end_date, begin=begin))
            continue
        cont = MONTH_CONT_RE.match(tail) if suf == "" and m.group("m") else None
        if cont:
            mo2 = int(cont.group("m"))
            y = int(m.group("y"))
            if 1 <= mo2 <= 12:
                end_date = safe_date(y, mo2, int(cont.group("d"))) if cont.group("d") else month_end(y, mo2)
                if end_date is not None:
                    hits.append(DateHit("due", s, m.end() + cont.end(), due=end_date, begin=begin))
                    continue
        # a range whose end is a typo ("2019年6月至2019年月8月"): only the start is known
        sep = RANGE_AHEAD_RE.match(text, m.end())
        if suf == "" and sep and any(ts == sep.end() for ts, _ in typo_spans):
            hits.append(DateHit("start", s, e, begin=begin))
            continue
        if pre in ("自", "从") or suf in ("起", "开始", "以来", "以后", "后"):
            hits.append(DateHit("start", s, e, begin=begin))
            continue
        if pre in ("截至", "截止", "截止到", "到", "至") or suf in (
            "年底前",
            "年底",
            "底前",
            "底",
            "末",
            "之前",
            "以前",
            "前",
            "内",
        ):
            hits.append(DateHit("due", s, e, due=the_date, begin=None))
            continue
        if pre in ("在", "于") and (m.group("m") or suf):
            hits.append(DateHit("due", s, e, due=the_date))
            continue
        if m.group("m") or m.group("half") or m.group("q"):
            hits.append(DateHit("bare", s, e, due=the_date, begin=begin))
    for m in FIVE_RE.finditer(text):
        n = cn_to_int(m.group("n")) or 0
        year = FIVE_YEAR_END.get(10 + n)
        if year:
            hits.append(DateHit("due", m.start(), m.end(), due=date(year, 12, 31)))
    for m in YEARLY_DATE_RE.finditer(text):
        mo = int(m.group("m"))
        if not 1 <= mo <= 12:
            hits.append(DateHit("typo", m.start(), m.end(), message=f"日期“{m.group(0)}”月份有误,请人工核对"))
            continue
        if m.group("d"):
            day = int(m.group("d"))
            if safe_date(2000, mo, day) is None:
                hits.append(DateHit("typo", m.start(), m.end(), message=f"日期“{m.group(0)}”不存在,请人工核对"))
                continue
        else:
            day = calendar.monthrange(2001, mo)[1]
        hits.append(DateHit("recurrence", m.start(), m.end(), recurrence=f"yearly:{mo:02d}-{day:02d}"))
    yearly_spans = [(h.start, h.end) for h in hits if h.kind == "recurrence"]
    for m in NOYEAR_RE.finditer(text):
        if any(s <= m.start() < e for s, e in yearly_spans):
            continue
        mo, day = int(m.group("m")), int(m.group("d"))
        if safe_date(2000, mo, day) is None:
            continue
        hits.append(DateHit("noyear", m.start(), m.end(), recurrence=f"{mo:02d}-{day:02d}"))
    for m in RECUR_RE.finditer(text):
        if any(s <= m.start() < e for s, e in yearly_spans):
            continue
        hits.append(DateHit("recurrence", m.start(), m.end(), recurrence=RECUR_MAP[m.group("w")]))
    hits.sort(key=lambda h: h.start)
    return hits


def first_occurrence(rule: str, after: date) -> date | None:
    """First date matching ``yearly:MM-DD`` (or ``MM-DD``) on or after ``after``."""
    mmdd = rule.split(":", 1)[-1]
    try:
        mo, day = (int(x) for x in mmdd.split("-"))
    except ValueError:
        return None
    for y in (after.year, after.year + 1, after.year + 2):
        d = safe_date(y, mo, day) or (month_end(y, mo) if day > 28 else None)
        if d and d >= after:
            return d
    return None


def resolve_due(text: str, issued_on: date | None = None, hits: list[DateHit] | None = None) -> DueInfo:
    """Pick the due date, recurrence and date warnings for one clause text (folded)."""
    if hits is None:
        hits = scan_dates(text)
    info = DueInfo()
    for h in hits:
        if h.kind == "typo":
            info.warnings.append(("date_typo", h.message or "日期有误", h.start, h.end))
    recs = [h for h in hits if h.kind == "recurrence"]
    dated_rec = [h for h in recs if h.recurrence and ":" in h.recurrence]
    if dated_rec:
        info.recurrence = dated_rec[0].recurrence
    elif recs:
        info.recurrence = recs[0].recurrence
    dues = [h for h in hits if h.kind == "due" and h.due]
    bares = [h for h in hits if h.kind == "bare" and h.due]
    best: DateHit | None = None
    if dues:
        best = max(dues, key=lambda h: h.due)
    elif bares:
        best = max(bares, key=lambda h: h.due)
    if best is not None:
        info.due = best.due
        info.due_span = (best.start, best.end)
        info.due_text = text[best.start : best.end].strip()
        return info
    if dated_rec:
        h = dated_rec[0]
        info.due_span = (h.start, h.end)
        info.due_text = text[h.start : h.end].strip()
        if issued_on is not None:
            info.due = first_occurrence(h.recurrence or "", issued_on)
        return info
    noyear = [h for h in hits if h.kind == "noyear"]
    if noyear:
        h = noyear[0]
        info.due_span = (h.start, h.end)
        info.due_text = text[h.start : h.end].strip()
        if issued_on is not None:
            info.due = first_occurrence(h.recurrence or "", issued_on)
            info.warnings.append(
                ("date_year_assumed", f"“{info.due_text}”未写年份,按发文日期推定为{iso(info.due)}", h.start, h.end)
            )
        else:
            info.warnings.append(("date_year_missing", f"“{info.due_text}”未写年份,无法确定截止日期", h.start, h.end))
    return info


# ---------------------------------------------------------------- phases

PHASE_KINDS = [
    ("evaluation", ("评估", "总结", "验收", "考核", "评价", "督查", "检查", "巩固", "回头看")),
    ("preparation", ("筹备", "制定", "准备", "部署", "动员", "启动", "调研", "宣传", "摸底", "谋划")),
    ("operation", ("运行", "推进", "实施", "落实", "攻坚", "整改", "执行", "建设", "试点", "推广", "提升", "深化")),
]
_ORDINAL_PHASE = re.compile(r"第[一二三四五六七八九十\d]{1,3}阶段")
PHASE_RE = re.compile(r"(?P<name>[\u4e00-\u9fff]{2,10}?阶段)\s*[:]?\s*[(\[【]?\s*(?=(?:19|20)\d{2}|[:]|$)")


@dataclass
class PhaseHit:
    kind: str
    name: str
    start: date | None
    end: date | None
    span: tuple[int, int]  # the whole phase text (line/sentence) in the given text
    name_span: tuple[int, int]
    warnings: list[tuple[str, str, int, int]] = field(default_factory=list)
    date_span: tuple[int, int] | None = None


def phase_kind(name: str) -> str | None:
    for kind, words in PHASE_KINDS:
        if any(w in name for w in words):
            return kind
    return None


_LABEL_PREFIX = re.compile(
    r"^\s*(?:[一二三四五六七八九十]+、|\(?[一二三四五六七八九十\d]{1,3}\)|\d{1,3}[.、]|[①-⑳])?\s*"
)


def find_phase(line: str, offset: int = 0) -> PhaseHit | None:
    """A phase written at the start of ``line`` (folded), e.g. ``操作运行阶段(2019年9月):…``."""
    lab = _LABEL_PREFIX.match(line)
    pos = lab.end() if lab else 0
    m = PHASE_RE.match(line, pos)
    if not m:
        return None
    # "第一阶段:动员部署阶段(2023年3月—4月)": the ordinal is a label; the name comes after it.
    if _ORDINAL_PHASE.fullmatch(m.group("name")):
        after = re.compile(r"[\s:]*").match(line, m.end("name")).end()
        named = PHASE_RE.match(line, after)
        if named and not _ORDINAL_PHASE.fullmatch(named.group("name")):
            m = named
    name = m.group("name")
    kind = phase_kind(name)
    warnings: list[tuple[str, str, int, int]] = []
    if kind is None:
        kind = "operation"
        warnings.append(
            (
                "phase_kind_guess",
                f"阶段“{name}”无法判断类型,按“推进实施”处理",
                offset + m.start("name"),
                offset + m.end("name"),
            )
        )
    # dates: within the head of the phase text (up to the first 。 or the colon after the dates)
    head_end = len(line)
    for stop in ("。", ";"):
        k = line.find(stop, m.end())
        if k >= 0:
            head_end = min(head_end, k)
    head = line[m.end() : min(head_end, m.end() + 40)]
    hits = scan_dates(head)
    start = end = None
    date_span = None
    for h in hits:
        if h.kind == "typo":
            warnings.append(
                ("date_typo", f"阶段“{name}”的{h.message}", offset + m.end() + h.start, offset + m.end() + h.end)
            )
        elif h.kind in ("due", "bare", "start") and start is None and end is None:
            start = h.begin or h.due
            end = h.due
            date_span = (offset + m.end() + h.start, offset + m.end() + h.end)
    if start is None and end is None and not any(h.kind == "typo" for h in hits):
        # a bare "阶段:" with no date at all is still a phase only when followed by a colon
        if not re.match(r"\s*[:]", line[m.end("name") :]):
            return None
    # a typo'd range end: keep the start, leave the end unknown
    if any(h.kind == "typo" for h in hits):
        goods = [h for h in hits if h.kind in ("due", "bare", "start")]
        start = (goods[0].begin or goods[0].due) if goods else None
        end = None
    return PhaseHit(
        kind,
        name,
        start,
        end,
        (offset + (lab.end() if lab else 0), offset + len(line.rstrip())),
        (offset + m.start("name"), offset + m.end("name")),
        warnings,
        date_span,
    )


# ---------------------------------------------------------------- issue dates

ISSUE_KEYS = ("成文日期", "发文日期", "印发日期", "签发日期", "发布日期", "公开日期", "生成日期")


def parse_any_date(text: str) -> tuple[date | None, str | None, tuple[int, int] | None]:
    """A single calendar date in ``text``: ``2019-05-28``, ``2017年7月31日``, ``二〇一七年七月三十一日``,
    or the typo ``20195月28日`` (returned with a warning message)."""
    m = ISO_DATE_RE.search(text)
    if m:
        d = safe_date(int(m.group("y")), int(m.group("m")), int(m.group("d")))
        if d:
            return d, None, m.span()
    m = CN_DATE_RE.search(text)
    if m:
        y = cn_digits_to_int(m.group("y"))
        mo = cn_to_int(m.group("m"))
        dd = cn_to_int(m.group("d"))
        if y and mo and dd:
            d = safe_date(y, mo, dd)
            if d:
                return d, None, m.span()
    m = re.search(rf"(?<!\d)(?P<y>{_Y})(?P<m>\d{{1,2}})\s*月\s*(?P<d>\d{{1,2}})\s*日", text)
    if m:
        d = safe_date(int(m.group("y")), int(m.group("m")), int(m.group("d")))
        if d:
            return d, f"日期“{m.group(0)}”缺少“年”字,按{d.isoformat()}理解,请核对", m.span()
    return None, None, None


DATE_ONLY_LINE = re.compile(
    rf"^\s*(?:{_Y}\s*年?\s*\d{{1,2}}\s*月\s*\d{{1,2}}\s*日|{_Y}\s*[-/.]\s*\d{{1,2}}\s*[-/.]\s*\d{{1,2}}|"
    r"[〇零○Ｏ一二三四五六七八九]{4}年[一二三四五六七八九十]{1,2}月[一二三四五六七八九十]{1,3}日)\s*$"
)
