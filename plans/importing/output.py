"""The parse result: dataclasses for the Django side and the stable JSON shape.

JSON (other tools read it — keep it exactly)::

    {"plans": [{"title", "doc_number", "issuer", "issued_on",
                "clauses": [{"label", "path", "heading", "text", "lead", "co", "due", "due_text",
                             "recurrence", "phases": [{"kind", "name", "start", "end", "text"}],
                             "warnings": [{"code", "message", "span"}], "span", "is_task",
                             "marks": [{"kind", "span", "text", "unit"?}]}]}],
     "warnings": [{"code", "message", "span"}]}

``marks`` (see :class:`Mark`) say where each unit, date and phase was read.
Dates are ``YYYY-MM-DD`` or ``null``; spans are ``[start, end)`` offsets into the
decoded source text (``ParseResult.source_text``).  Plan-level warnings (no clauses,
header date typo, assumed lead rule …) are listed in the top-level ``warnings``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any


@dataclass(frozen=True)
class Warning:  # noqa: A001 - the name is part of the public API
    code: str
    message: str
    span: tuple[int, int]

    def to_json(self) -> dict[str, Any]:
        return {"code": self.code, "message": self.message, "span": [self.span[0], self.span[1]]}


@dataclass(frozen=True)
class Mark:
    """A span of the source the importer read: a unit group, a unit, a date or a phase.

    ``kind``: ``units`` (a whole unit group), ``lead`` / ``co`` (one unit, with its
    canonical ``unit`` name), ``due`` (the due date), ``phase`` (a phase name),
    ``date`` (a phase's dates).
    """

    kind: str
    span: tuple[int, int]
    text: str
    unit: str | None = None

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"kind": self.kind, "span": [self.span[0], self.span[1]], "text": self.text}
        if self.unit is not None:
            out["unit"] = self.unit
        return out


@dataclass
class ParsedPhase:
    kind: str  # preparation | operation | evaluation
    name: str
    start: date | None
    end: date | None
    text: str


@dataclass
class ParsedClause:
    label: str
    path: str
    heading: str
    text: str
    lead: list[str]
    co: list[str]
    due: date | None
    due_text: str
    recurrence: str | None
    phases: list[ParsedPhase]
    warnings: list[Warning]
    span: tuple[int, int]
    is_task: bool
    depth: int = 0
    parent_path: str | None = None
    units_inherited: bool = False
    marks: list[Mark] = field(default_factory=list)


@dataclass
class ParsedPlan:
    title: str
    doc_number: str | None
    issuer: str | None
    issued_on: date | None
    clauses: list[ParsedClause] = field(default_factory=list)
    warnings: list[Warning] = field(default_factory=list)
    span: tuple[int, int] = (0, 0)

    @property
    def tasks(self) -> list[ParsedClause]:
        return [c for c in self.clauses if c.is_task]


@dataclass
class ParseResult:
    plans: list[ParsedPlan]
    warnings: list[Warning]
    source_text: str = ""
    source_kind: str = "text"
    encoding: str | None = None


def _d(value: date | None) -> str | None:
    return value.isoformat() if value else None


def clause_to_json(c: ParsedClause) -> dict[str, Any]:
    return {
        "label": c.label,
        "path": c.path,
        "heading": c.heading,
        "text": c.text,
        "lead": list(c.lead),
        "co": list(c.co),
        "due": _d(c.due),
        "due_text": c.due_text,
        "recurrence": c.recurrence,
        "phases": [
            {"kind": p.kind, "name": p.name, "start": _d(p.start), "end": _d(p.end), "text": p.text} for p in c.phases
        ],
        "warnings": [w.to_json() for w in c.warnings],
        "span": [c.span[0], c.span[1]],
        "is_task": c.is_task,
        "marks": [m.to_json() for m in c.marks],
    }


def result_to_json(result: ParseResult) -> dict[str, Any]:
    warnings = list(result.warnings)
    for plan in result.plans:
        warnings.extend(plan.warnings)
    return {
        "plans": [
            {
                "title": p.title,
                "doc_number": p.doc_number,
                "issuer": p.issuer,
                "issued_on": _d(p.issued_on),
                "clauses": [clause_to_json(c) for c in p.clauses],
            }
            for p in result.plans
        ],
        "warnings": [w.to_json() for w in warnings],
    }
