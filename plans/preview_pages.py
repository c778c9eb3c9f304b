"""The import preview in pages, so a long plan opens quickly: a page holds whole sections.

A page is a run of clauses in document order, possibly from several small plans. It
ends at a top-level section (一、二、…) or a new plan once it holds `PAGE_MIN`
clauses, and in any case at `PAGE_MAX`. The source pane of a page shows only the
text its clauses were read from, with the importer's marks (units, dates, phases)
and the place of each warning, cut into runs for the template to print escaped.
"""

from typing import NamedTuple

PAGE_MIN = 25
PAGE_MAX = 60
SOURCE_MAX = 200_000  # characters of source one page shows


class Part(NamedTuple):
    plan: int
    start: int  # first clause index
    stop: int  # one past the last


class Page(NamedTuple):
    number: int  # from 1
    parts: tuple[Part, ...]
    title: str

    @property
    def size(self) -> int:
        return sum(part.stop - part.start for part in self.parts)


def _is_section(clause: dict) -> bool:
    return "/" not in (clause.get("path") or "")


def preview_pages(preview: dict) -> list[Page]:
    pages: list[Page] = []
    parts: list[Part] = []
    count = 0
    title = ""

    def close():
        nonlocal parts, count
        if parts:
            pages.append(Page(len(pages) + 1, tuple(parts), title))
        parts, count = [], 0

    for plan_index, plan in enumerate(preview.get("plans", [])):
        clauses = plan.get("clauses", [])
        if count >= PAGE_MIN:
            close()
        start = 0
        for index, clause in enumerate(clauses):
            if count >= PAGE_MAX or (count >= PAGE_MIN and _is_section(clause)):
                if index > start:
                    parts.append(Part(plan_index, start, index))
                close()
                start = index
            if count == 0:
                title = f"{clause.get('label') or ''}{(clause.get('heading') or clause.get('text') or '')[:16]}"
            count += 1
        if len(clauses) > start:
            parts.append(Part(plan_index, start, len(clauses)))
    close()
    return pages or [Page(1, (), "")]


class PageIndex:
    """Which page holds a clause, for links that work from any page."""

    def __init__(self, pages: list[Page]):
        self.pages = pages
        self._parts = sorted((part.plan, part.start, part.stop, page.number) for page in pages for part in page.parts)

    def __call__(self, plan: int | None, clause: int | None) -> int:
        if plan is None or clause is None:
            return 1
        lo, hi = 0, len(self._parts)
        while lo < hi:  # the last part that starts at or before (plan, clause)
            mid = (lo + hi) // 2
            if self._parts[mid][:2] <= (plan, clause):
                lo = mid + 1
            else:
                hi = mid
        if lo:
            p, start, stop, number = self._parts[lo - 1]
            if p == plan and start <= clause < stop:
                return number
        return 1


def page_of(pages: list[Page], plan: int, clause: int) -> int:
    return PageIndex(pages)(plan, clause)


_MARK_CLASSES = {"due": "m-date", "date": "m-date", "phase": "m-phase"}


def _clause_marks(clause: dict) -> list[tuple[int, int, str]]:
    """The importer's own marks of a clause; a unit is coloured by the role it has now."""
    lead, co = set(clause.get("lead") or []), set(clause.get("co") or [])
    out = []
    for mark in clause.get("marks") or []:
        s, e = mark["span"]
        if mark["kind"] in ("lead", "co"):
            unit = mark.get("unit")
            cls = "m-lead" if unit in lead else "m-unit" if unit in co else None
        else:
            cls = _MARK_CLASSES.get(mark["kind"])
        if cls and e > s:
            out.append((s, e, cls))
    return out


def _runs(source: str, start: int, end: int, marks) -> list[dict]:
    runs, pos = [], start
    for s, e, cls, mid in marks:
        if e <= start or s >= end:
            continue
        s, e = max(s, start), min(e, end)
        if s > pos:
            runs.append({"text": source[pos:s], "cls": "", "id": ""})
        runs.append({"text": source[s:e], "cls": cls, "id": mid})
        pos = e
    if pos < end:
        runs.append({"text": source[pos:end], "cls": "", "id": ""})
    return runs


class SourceWindow(NamedTuple):
    pieces: list[dict]
    start: int
    end: int
    cut: bool  # the page's source was longer than SOURCE_MAX


def source_window(source: str, preview: dict, page: Page) -> SourceWindow:
    """The part of the source the page's clauses were read from, cut into clause blocks and marked runs."""
    plans = preview.get("plans", [])
    clauses = [
        (part.plan, index, plans[part.plan]["clauses"][index])
        for part in page.parts
        for index in range(part.start, part.stop)
    ]
    if not clauses:
        return SourceWindow([], 0, 0, False)
    spans = [tuple(c.get("span") or (0, 0)) for _, _, c in clauses]
    start = 0 if page.number == 1 else min(s for s, _ in spans)
    end = max(e for _, e in spans)
    cut = end - start > SOURCE_MAX
    end = min(end, start + SOURCE_MAX)

    marks, blocks, warn_marks = [], [], []
    for plan_index, index, clause in clauses:
        s, e = clause.get("span") or (0, 0)
        blocks.append((s, e, f"src-{plan_index}-{index}"))
        marks.extend(_clause_marks(clause))
        for k, warning in enumerate(clause.get("warnings") or []):
            ws, we = (warning.get("span") or [0, 0])[:2]
            if we > ws:
                warn_marks.append((ws, we, f"w-{plan_index}-{index}-{k}"))
    chosen: list[tuple[int, int, str, str]] = []
    taken: list[tuple[int, int]] = []

    def free(s, e):
        return all(e <= ts or s >= te for ts, te in taken)

    for s, e, wid in warn_marks:  # warnings first, then the marks in document order
        if free(s, e):
            chosen.append((s, e, "m-warn", wid))
            taken.append((s, e))
    for s, e, cls in sorted(marks, key=lambda m: (m[0], -(m[1] - m[0]))):
        if free(s, e):
            chosen.append((s, e, cls, ""))
            taken.append((s, e))
    chosen.sort()
    clean_blocks, last_end = [], start
    for s, e, bid in sorted(b for b in blocks if b[1] > b[0]):
        s, e = max(s, start), min(e, end)
        if s >= last_end and e > s:
            clean_blocks.append((s, e, bid))
            last_end = e
    pieces, pos = [], start
    for s, e, bid in clean_blocks:
        if s > pos:
            pieces.append({"id": "", "runs": _runs(source, pos, s, chosen)})
        pieces.append({"id": bid, "runs": _runs(source, s, e, chosen)})
        pos = e
    if pos < end:
        pieces.append({"id": "", "runs": _runs(source, pos, end, chosen)})
    return SourceWindow(pieces, start, end, cut)
