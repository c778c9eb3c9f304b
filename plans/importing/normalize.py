"""Clean decoded text while keeping every offset mappable to the source.

Two views are produced from the decoded text:

* ``display`` — the source with *deletions only*: pinyin annotations injected after
  characters (``關(guān)`` → ``關``), web-page chrome lines (breadcrumbs, share/print
  buttons, view counters, font-size switches …) and bare page-number lines
  (``- 3 -``, ``— 12 —``, ``第3页``).  Characters are never changed, so clause text
  can be shown as written;
* ``match`` — ``display`` folded character for character (traditional → simplified,
  full width → half width, see :func:`textutil.fold`).  All the rules of the importer
  run on this view; because it has the same length as ``display`` an index in one is
  an index in the other.

:meth:`NormalizedText.to_source` maps a display offset back to the decoded text.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

from .textutil import CJK, fold

_TONED = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ"
_PINYIN_TONED_RE = re.compile(f"(?<=[{CJK}])[(（]\\s?[a-zü{_TONED}]*[{_TONED}][a-zü{_TONED}]*\\s?[)）]")
_PINYIN_PLAIN_RE = re.compile(f"(?<=[{CJK}])[(（]\\s?[a-zü]{{1,6}}\\s?[)）]")

# A line is chrome when, once folded and stripped of spaces, it starts with one of
# these …
_CHROME_PREFIX = re.compile(
    r"^(?:当前位置|您当前的位置|您现在的位置|您的位置|首页>|首页›|首页»|"
    r"扫一扫|扫描二维码|分享到|打印本页|【打印|打印|关闭窗口|【关闭|关闭|浏览量|浏览次数|阅读量|阅读次数|访问量|点击量|点击数|"
    r"【字体|字体[:大]|字号[:大]|【字号|无障碍|长者版|适老化|"
    r"一图读懂|『图文解读|【图文解读|图文解读|点击查看|点击访问|推荐阅读|相关阅读|相关链接|相关文件|相关政策|最新政策|"
    r"本文链接|本文关键词|本文转载自|文章来源|来源:|信息来源|上一篇|下一篇|上一条|下一条|网友评论|暂无数据|"
    r"【我要纠错|我要纠错|收藏本页|加入收藏|返回顶部|【返回顶部|视频|政务微博|政务微信|"
    r"https?://|www\.)"
)
# … or when it is short and contains one of these.
_CHROME_ANY = re.compile(
    r"扫一扫|二维码|分享到|打印本页|关闭窗口|【打印】|【关闭】|无障碍|长者版|浏览量|浏览次数|阅读次数|"
    r"字体:大中小|字体:【大中小】|【大】【中】【小】|微信公众号|关注我们|版权所有|ICP备|网站标识码|公网安备"
)
_PAGE_NUMBER = re.compile(
    r"^(?:[-—–－~〜_]+\s*\d{1,4}\s*[-—–－~〜_]+|第\s*\d{1,4}\s*页(?:\s*[,/]?\s*共\s*\d{1,4}\s*页)?|"
    r"\d{1,4}\s*/\s*\d{1,4}\s*页?|[Pp]age\s*\d{1,4}(?:\s*of\s*\d{1,4})?)$"
)
# SEO spam lines: several short keywords joined by underscores.
_SPAM = re.compile(r"^[^,。,;:]{2,20}(?:_[^,。,;:_]{2,20}){2,}$")


@dataclass
class NormalizedText:
    source: str
    display: str
    match: str
    # kept segments: (display_start, source_start); each runs to the next segment
    _disp_starts: list[int]
    _src_starts: list[int]

    def to_source(self, i: int) -> int:
        """Map an offset in ``display``/``match`` to an offset in ``source``."""
        if not self._disp_starts:
            return 0
        if i >= len(self.display):
            if not self.display:
                return len(self.source)
            return self.to_source(len(self.display) - 1) + 1
        k = bisect.bisect_right(self._disp_starts, i) - 1
        k = max(k, 0)
        return self._src_starts[k] + (i - self._disp_starts[k])

    def span_to_source(self, start: int, end: int) -> tuple[int, int]:
        if end <= start:
            s = self.to_source(start)
            return s, s
        return self.to_source(start), self.to_source(end - 1) + 1


def is_chrome_line(folded_line: str) -> bool:
    s = re.sub(r"\s+", "", folded_line)
    if not s:
        return False
    if _CHROME_PREFIX.match(s):
        # "关闭" / "打印" / "视频" may start real prose; require a short line for those
        return len(s) <= 60 or s.startswith(
            ("当前位置", "您当前", "您现在", "推荐阅读", "本文", "上一", "下一", "http", "www")
        )
    if len(s) <= 50 and _CHROME_ANY.search(s):
        return True
    if _SPAM.match(s) and len(s) <= 200:
        return True
    return False


def is_page_number_line(folded_line: str) -> bool:
    return bool(_PAGE_NUMBER.match(folded_line.strip()))


def _deletions(source: str, folded: str) -> list[tuple[int, int]]:
    dels: list[tuple[int, int]] = []
    # pinyin annotations
    toned = [m.span() for m in _PINYIN_TONED_RE.finditer(source)]
    dels.extend(toned)
    plain = len(toned) >= 3
    if plain:
        dels.extend(m.span() for m in _PINYIN_PLAIN_RE.finditer(source))
    # whole lines
    pos = 0
    n = len(source)
    while pos < n:
        nl = source.find("\n", pos)
        end = n if nl < 0 else nl
        line = folded[pos:end]
        if toned and "(" in line:
            line = fold(_PINYIN_TONED_RE.sub("", source[pos:end]))
            if plain:
                line = _PINYIN_PLAIN_RE.sub("", line)
        if line.strip() and (is_chrome_line(line) or is_page_number_line(line)):
            dels.append((pos, end + 1 if nl >= 0 else end))
        pos = end + 1
    if not dels:
        return []
    dels.sort()
    merged: list[tuple[int, int]] = []
    for s, e in dels:
        if merged and s <= merged[-1][1]:
            if e > merged[-1][1]:
                merged[-1] = (merged[-1][0], e)
        else:
            merged.append((s, e))
    return merged


def normalize(source: str) -> NormalizedText:
    folded_source = fold(source)
    dels = _deletions(source, folded_source)
    disp_parts: list[str] = []
    disp_starts: list[int] = []
    src_starts: list[int] = []
    cursor = 0
    dpos = 0
    for s, e in dels:
        if s > cursor:
            disp_starts.append(dpos)
            src_starts.append(cursor)
            disp_parts.append(source[cursor:s])
            dpos += s - cursor
        cursor = e
    if cursor < len(source) or not disp_starts:
        disp_starts.append(dpos)
        src_starts.append(cursor)
        disp_parts.append(source[cursor:])
    display = "".join(disp_parts)
    return NormalizedText(source, display, _tab_rows_as_cells(fold(display)), disp_starts, src_starts)


# A table pasted from Word, Excel or a web page arrives with tabs between its cells.
_TAB_ROW = re.compile(r"^[^\n\t]*(?:\t+[^\n\t]*){2,}$", re.M)


def _tab_rows_as_cells(match: str) -> str:
    """Write tab-separated rows with `|` between cells, as tables read them; offsets stay the same."""
    return _TAB_ROW.sub(lambda m: re.sub(r"\t+", lambda t: "|" + " " * (len(t.group()) - 1), m.group()), match)
