"""What the plan itself proposes for a work clause that names no unit or no date.

A supervisor confirms a proposal instead of typing it:

* **lead**: the unit the plan names as its own lead (``本方案由市教育局负责解释``,
  ``由市教育局牵头组织实施``), else its issuing unit (the signature or 发布机构; of
  several joint issuers the first), else the organ the title starts with
  (``芜湖市教育局2024年工作要点``); the clause gets ``lead_from_issuer``;
* **due date**: the end of the plan's period: ``（2019—2023年）`` → 2023-12-31, a plan
  of one year (``2024年工作要点``) → 2024-12-31; the clause gets
  ``due_from_plan_period``.  A clause with a recurring deadline keeps it instead; one
  with no date in a plan with no period gets ``task_without_due``.
"""

from __future__ import annotations

import re
from datetime import date

from .textutil import fold
from .unitnames import classify

_RANGE_RE = re.compile(r"((?:19|20)\d{2})\s*(?:年)?\s*[—\-–~至到]+\s*((?:19|20)?\d{2,4})\s*年")
_ONE_YEAR_RE = re.compile(r"((?:19|20)\d{2})\s*年(?:度)?")
# A title that starts with its organ names a place or level first: 芜湖市教育局…, 省教育厅…
_PLACE_RE = re.compile(r"^(?:国家|中央|国务院|中共|[\u4e00-\u9fff]{0,6}?(?:省|市|区|县|州|旗|盟|镇|乡))")


def plan_period_end(title: str) -> date | None:
    """The last day of the period a plan's title names, or ``None``."""
    # a period inside 《》 is another document's (落实《…规划(2018-2022年)》的方案)
    t = re.sub(r"《[^》]*》", "", fold(title or ""))
    m = _RANGE_RE.search(t)
    if m:
        start, end = m.group(1), m.group(2)
        year = int(end) if len(end) == 4 else int(start[:2] + end[-2:])
        return date(year, 12, 31) if int(start) <= year <= int(start) + 20 else None
    years = {int(y) for y in _ONE_YEAR_RE.findall(t)}
    if len(years) == 1:
        return date(years.pop(), 12, 31)
    return None


_STATED_OWNER_RE = re.compile(
    r"(?:本(?:方案|计划|意见|办法|细则|政策|措施|要点)(?:自[^。]{0,20}?)?[,]?\s*)由(?P<u>[\u4e00-\u9fff]{2,20}?)"
    r"(?:负责解释|负责组织实施|牵头组织实施|牵头实施|负责实施|统筹实施)"
)


def plan_owner(issuer: str | None, title: str, text: str = "") -> str | None:
    """The plan's own lead unit, as a name the registry can resolve."""
    for m in _STATED_OWNER_RE.finditer(fold(text)):
        if classify(m.group("u")) == "unit":
            return m.group("u")
    if issuer:
        first = re.split(r"[、,，\s]+", issuer.strip())[0]
        if first:
            return first
    t = fold(title or "")
    if not _PLACE_RE.match(t):
        return None
    for end in range(min(len(t), 24), 2, -1):
        head = t[:end]
        if classify(head) == "unit":
            return head
    return None
