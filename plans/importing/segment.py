"""Splitting a document into plans and reading each plan's metadata.

* A notice (``关于印发《A》《B》《C》的通知``) names the plans it carries: each name is
  looked for as a title line (one or two lines, spaces ignored, brackets forgiven).
* A compilation marks its plans with ``篇一`` … ``篇十``.
* Otherwise a title line is a short line ending in 方案/计划/意见/办法/规划/细则 (with
  an optional ``(2019—2023年)``/``(试行)``) that is followed by numbered clauses.
* A document with no title line is one plan; its title comes from the header fields,
  the notice or its first line.

Metadata: ``doc_number`` (``宁政办〔2017〕164号``) from a 文号 field or a stand-alone
line of the header; ``issuer`` from the signature above the date line, else the
发布机构 field, else the notice title before ``关于``; ``issued_on`` from 成文日期 /
发文日期 / 印发日期 fields, else the signature date (``2017年7月31日``, ``二〇一七年…``,
and the typo ``20195月28日`` with a warning), else 发布日期.  Plans of one notice share
the notice's metadata.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from .clauses import marker_at
from .dates import DATE_ONLY_LINE, parse_any_date
from .normalize import NormalizedText
from .textutil import fold, tidy_spaces

KIND_WORDS = (
    r"(?:实施方案|行动计划|行动方案|工作方案|推进方案|建设方案|实施意见|指导意见|实施细则|实施办法|管理办法|"
    r"工作计划|工作要点|发展规划|专项规划|三年计划|若干政策|若干措施|政策措施|方案|计划|意见|办法|规划|细则|要点)"
)
TITLE_TAIL = re.compile(
    KIND_WORDS
    + r"\s*(?:[(〔【]?\s*(?:19|20)\d{2}\s*[—\-–~至]+\s*(?:19|20)?\d{2,4}\s*年?\s*[)〕】]?"
    + r"|[(](?:试行|暂行|征求意见稿|修订|送审稿)[)])?\s*$"
)
DOC_NO_RE = re.compile(r"[\u4e00-\u9fff]{1,12}\s*[〔\[(【]\s*(?:19|20)\d{2}\s*[〕\])】]\s*\d{1,5}\s*号")
NOTICE_RE = re.compile(r"关于(?:印发|下发|转发|公布)(?P<body>.+?)的?通知")
BOOK_RE = re.compile(r"《(?P<n>[^《》]{4,80})》")
PIAN_RE = re.compile(r"\s*篇(?P<n>[一二三四五六七八九十]{1,3})\s*[:、.]?\s*(?P<rest>.*)$")
ORG_END = re.compile(r"(?:办公厅|办公室|人民政府|政府|教育局|局|委员会|委|厅|部|中心|小组|党委|工委)$")
FIELD_KEYS = {
    "文号": "doc_number",
    "发文字号": "doc_number",
    "发文文号": "doc_number",
    "文件编号": "doc_number",
    "字号": "doc_number",
    "发布机构": "publisher",
    "发文机关": "issuer",
    "发文单位": "issuer",
    "发布机关": "publisher",
    "发布单位": "publisher",
    "成文日期": "written",
    "发文日期": "issued",
    "印发日期": "issued",
    "签发日期": "issued",
    "发布日期": "published",
    "公开日期": "published",
    "标题": "title",
    "名称": "title",
    "题名": "title",
    "文件名称": "title",
}
FIELD_RE = re.compile(
    r"(?P<k>文\s*号|发文字号|发文文号|文件编号|发布机构|发文机关|发文单位|发布机关|发布单位|成文日期|发文日期|印发日期|签发日期|发布日期|公开日期|标\s*题|名\s*称|题\s*名|文件名称)\s*[:|]\s*"
)


@dataclass
class Line:
    start: int
    end: int
    m: str  # folded, stripped
    d: str  # display, stripped


@dataclass
class PlanSegment:
    start: int  # display offset where the plan (its title) starts
    body_start: int
    end: int
    title: str
    title_span: tuple[int, int]
    doc_number: str | None = None
    issuer: str | None = None
    issued_on: date | None = None
    cities: list[str] = field(default_factory=list)
    cuts: list[int] = field(default_factory=list)
    warnings: list[tuple[str, str, int, int]] = field(default_factory=list)


def split_lines(norm: NormalizedText) -> list[Line]:
    out = []
    pos = 0
    text = norm.match
    n = len(text)
    while pos <= n:
        nl = text.find("\n", pos)
        end = n if nl < 0 else nl
        raw = text[pos:end]
        lead = len(raw) - len(raw.lstrip())
        stripped = raw.strip()
        s = pos + lead
        out.append(Line(s, s + len(stripped), stripped, norm.display[s : s + len(stripped)]))
        if nl < 0:
            break
        pos = nl + 1
    return out


def _key(s: str) -> str:
    return re.sub(r"[^\u4e00-\u9fff0-9a-zA-Z]", "", s)


def title_like(m: str) -> bool:
    s = re.sub(r"\s+", "", m)
    if not 4 <= len(s) <= 70 or "|" in s:
        return False
    if re.search(r"[。;!?,:]", s) or s.endswith("》") or "通知" in s[-4:]:
        return False
    if marker_at(s, 0) or s.startswith(("附件", "为", "根据", "按照")):
        return False
    return bool(TITLE_TAIL.search(s))


def _count_markers(lines: list[Line], i: int, j: int) -> int:
    c = 0
    for ln in lines[i:j]:
        if ln.m and marker_at(ln.m, 0):
            c += 1
            if c >= 2:
                break
    return c


def _next_nonblank(lines: list[Line], i: int, limit: int = 4) -> int | None:
    j = i + 1
    while j < len(lines) and j <= i + limit:
        if lines[j].m:
            return j
        j += 1
    return None


def _prev_nonblank(lines: list[Line], i: int, limit: int = 4) -> int | None:
    j = i - 1
    while j >= 0 and j >= i - limit:
        if lines[j].m:
            return j
        j -= 1
    return None


def _merge_title_above(lines: list[Line], i: int) -> int:
    """Index of the first line of a title ending on line ``i`` (two-line titles)."""
    p = _prev_nonblank(lines, i)
    if p is None:
        return i
    prev = re.sub(r"\s+", "", lines[p].m)
    cur = re.sub(r"\s+", "", lines[i].m)
    if not (2 <= len(prev) <= 40) or re.search(r"[。;!?,:|》]", prev) or TITLE_TAIL.search(prev):
        return i
    if DATE_ONLY_LINE.match(prev) or DOC_NO_RE.fullmatch(prev) or ORG_END.search(prev) or marker_at(prev, 0):
        return i
    if len(cur) > 30 and not re.fullmatch(KIND_WORDS, cur):
        return i
    return p


def find_plan_starts(lines: list[Line]) -> list[tuple[int, int, str]]:
    """(first title line, last title line, title) of each plan, in order."""
    # 1. compilations: 篇一 … 篇N
    pian = [i for i, ln in enumerate(lines) if ln.m.startswith("篇") and PIAN_RE.match(ln.m)]
    if len(pian) >= 2:
        out = []
        for i in pian:
            rest = PIAN_RE.match(lines[i].d).group("rest").strip() if PIAN_RE.match(lines[i].d) else ""
            last = i
            if not rest:
                j = _next_nonblank(lines, i)
                if j is not None and title_like(lines[j].m):
                    rest, last = lines[j].d, j
                elif j is not None:
                    rest, last = lines[j].d, j
            out.append((i, last, tidy_spaces(rest)))
        return out
    # 2. names announced by a notice
    names: list[str] = []
    notice_line = None
    for i, ln in enumerate(lines[:80]):
        if "|" in ln.m:
            continue
        nm = NOTICE_RE.search(ln.m)
        if nm:
            body = nm.group("body")
            books = [b.group("n") for b in BOOK_RE.finditer(ln.d if len(ln.d) == len(ln.m) else ln.m)]
            if books:
                names = books
            else:
                start = ln.m.find(body)
                names = [ln.d[start : start + len(body)]]
            notice_line = i
            break
    found: list[tuple[int, int, str]] = []
    if names and notice_line is not None:
        keys = [(_key(n), n) for n in names]
        taken: set[int] = set()
        for k, name in keys:
            if not k:
                continue
            for i in range(notice_line + 1, len(lines)):
                ln = lines[i]
                if not ln.m or i in taken or "|" in ln.m or len(ln.m) > 90:
                    continue
                lk = _key(ln.m)
                if not lk:
                    continue
                first = i
                if lk != k:
                    p = _merge_title_above(lines, i)
                    if p != i and _key(lines[p].m) + lk == k:
                        first = p
                    elif not (len(lk) >= 6 and (lk == k or (k.startswith(lk) and len(lk) >= 0.8 * len(k)))):
                        continue
                if re.search(r"[。;,]", ln.m) or "通知" in ln.m or "一图读懂" in ln.m:
                    continue
                found.append((first, i, tidy_spaces(name)))
                taken.add(i)
                break
        found.sort()
        # keep only names that head some numbered text
        if found:
            kept = []
            for idx, (a, b, t) in enumerate(found):
                nxt = found[idx + 1][0] if idx + 1 < len(found) else len(lines)
                if _count_markers(lines, b + 1, nxt) >= 1:
                    kept.append((a, b, t))
            if kept:
                return kept
    # 3. generic title lines followed by numbered clauses
    cands: list[tuple[int, int, str]] = []
    for i, ln in enumerate(lines):
        if ln.m and title_like(ln.m):
            first = _merge_title_above(lines, i)
            title = tidy_spaces(" ".join(lines[k].d for k in range(first, i + 1) if lines[k].d))
            cands.append((first, i, title))
    kept = []
    for idx, (a, b, t) in enumerate(cands):
        nxt = cands[idx + 1][0] if idx + 1 < len(cands) else len(lines)
        if _count_markers(lines, b + 1, nxt) >= 2:
            kept.append((a, b, t))
    return kept


# ---------------------------------------------------------------- metadata


def _fields(lines: list[Line]) -> dict[str, tuple[str, int, int]]:
    out: dict[str, tuple[str, int, int]] = {}
    for ln in lines:
        if not ln.m:
            continue
        ms = list(FIELD_RE.finditer(ln.m))
        for i, m in enumerate(ms):
            key = re.sub(r"\s+", "", m.group("k"))
            role = FIELD_KEYS.get(key)
            vs = m.end()
            ve = ms[i + 1].start() if i + 1 < len(ms) else len(ln.m)
            val_m = ln.m[vs:ve]
            val_d = ln.d[vs:ve]
            if "|" in val_m:
                cut = val_m.index("|")
                val_d = val_d[:cut]
            val = val_d.strip().strip("|").strip()
            if role and val and role not in out:
                out[role] = (val, ln.start + vs, ln.start + vs + len(val_d.rstrip()))
    return out


def _signature(
    lines: list[Line],
) -> tuple[str | None, date | None, list[tuple[str, str, int, int]], tuple[int, int] | None]:
    warnings: list[tuple[str, str, int, int]] = []
    for i, ln in enumerate(lines):
        if not ln.m or len(ln.m) > 20:
            continue
        if not (
            DATE_ONLY_LINE.match(ln.m) or re.fullmatch(r"(?:19|20)\d{2}\d{1,2}月\d{1,2}日", re.sub(r"\s", "", ln.m))
        ):
            continue
        d, warn, _ = parse_any_date(ln.m)
        if d is None:
            continue
        if warn:
            warnings.append(("date_typo", warn, ln.start, ln.end))
        issuer = None
        p = _prev_nonblank(lines, i, 4)
        if p is not None:
            prev = lines[p]
            parts = [x for x in re.split(r"\s{2,}|\s(?=\S{4,})", prev.d.strip()) if x]
            if (
                prev.m
                and len(prev.m) <= 60
                and all(ORG_END.search(fold(re.sub(r"\s", "", x))) for x in parts)
                and not re.search(r"[。,;:]", prev.m)
            ):
                issuer = "、".join(tidy_spaces(x) for x in parts)
        return issuer, d, warnings, (ln.start, ln.end)
    return None, None, warnings, None


def _signature_cuts(lines: list[Line]) -> list[int]:
    """Start offsets of signature blocks (issuer line + date line) inside a plan."""
    cuts = []
    for i, ln in enumerate(lines):
        if ln.m and len(ln.m) <= 20 and DATE_ONLY_LINE.match(ln.m):
            p = _prev_nonblank(lines, i, 4)
            if (
                p is not None
                and len(lines[p].m) <= 60
                and ORG_END.search(re.sub(r"\s", "", lines[p].m))
                and not re.search(r"[。,;:]", lines[p].m)
            ):
                cuts.append(lines[p].start)
            else:
                cuts.append(ln.start)
    return cuts


def _doc_number(lines: list[Line], fields: dict) -> str | None:
    if "doc_number" in fields:
        m = DOC_NO_RE.search(fold(fields["doc_number"][0]).replace(" ", ""))
        if m:
            return fields["doc_number"][0].strip()
    for ln in lines:
        if not ln.m or "|" in ln.m:
            continue
        m = DOC_NO_RE.match(ln.m)
        if m and (m.end() == len(ln.m) or ln.m[m.end()] in "《 "):
            return ln.d[m.start() : m.end()].strip()
    return None


def _cities(*texts: str | None) -> list[str]:
    out: list[str] = []
    for t in texts:
        if not t:
            continue
        t = t.replace("中共", "、")
        for m in re.finditer(r"(?:^|中共|、|《)([\u4e00-\u9fff]{2,4}?(?:市|区|县))(?=[\u4e00-\u9fff])", t):
            c = m.group(1)
            if c[:-1] in ("全", "本", "我", "城", "都", "各", "地", "县", "市", "区"):
                continue
            if c not in out:
                out.append(c)
    return out


def segment(norm: NormalizedText) -> tuple[list[PlanSegment], list[tuple[str, str, int, int]]]:
    lines = split_lines(norm)
    starts = find_plan_starts(lines)
    warnings: list[tuple[str, str, int, int]] = []
    header_end_idx = starts[0][0] if starts else len(lines)
    header = lines[:header_end_idx]
    fields = _fields(header if starts else lines[:40])
    sig_issuer, sig_date, sig_warn, _ = _signature(header if starts else lines)
    warnings.extend(sig_warn)
    doc_no = _doc_number(header if starts else lines[:30], fields)
    notice_issuer = None
    for ln in header[:40] if starts else lines[:20]:
        nm = NOTICE_RE.search(ln.m)
        if nm and "|" not in ln.m:
            pre = ln.d[: nm.start()]
            dm = DOC_NO_RE.match(fold(pre).strip())
            if dm:
                pre = pre.strip()[dm.end() :]
            pre = pre.strip("《 ").strip()
            if 2 < len(pre) <= 60 and ORG_END.search(fold(pre)):
                notice_issuer = pre
            break
    plans: list[PlanSegment] = []
    if not starts:
        title = None
        if "title" in fields:
            title = fields["title"][0]
        if title is None:
            for ln in lines:
                if ln.m and len(ln.m) <= 80:
                    title = ln.d
                    break
        seg = PlanSegment(0, 0, len(norm.display), tidy_spaces(title or ""), (0, 0))
        plans.append(seg)
    else:
        for k, (a, b, title) in enumerate(starts):
            end = lines[starts[k + 1][0]].start if k + 1 < len(starts) else len(norm.display)
            seg = PlanSegment(lines[a].start, lines[b].end, end, title, (lines[a].start, lines[b].end))
            plans.append(seg)
    for seg in plans:
        seg_lines = [ln for ln in lines if seg.start <= ln.start < seg.end]
        seg.cuts = _signature_cuts(seg_lines)
        issuer, idate = sig_issuer, sig_date
        if len(plans) == 1 or issuer is None or idate is None:
            s_issuer, s_date, s_warn, _ = _signature(seg_lines)
            if len(plans) == 1 or (issuer is None and idate is None):
                issuer = issuer or s_issuer
                idate = idate or s_date
                for w in s_warn:
                    if w not in warnings:
                        seg.warnings.append(w)
        seg.issuer = (
            issuer or (fields.get("issuer") or (None,))[0] or (fields.get("publisher") or (None,))[0] or notice_issuer
        )
        written = fields.get("written") or fields.get("issued")
        chosen = None
        if written:
            chosen, warn, _ = parse_any_date(fold(written[0]))
        if chosen is None:
            chosen = idate
        if chosen is None and fields.get("published"):
            chosen, _, _ = parse_any_date(fold(fields["published"][0]))
        seg.issued_on = chosen
        seg.doc_number = doc_no or _doc_number(seg_lines[:12], {})
        seg.cities = _cities(fold(seg.title), fold(seg.issuer or ""), fold(notice_issuer or ""))
    return plans, warnings
