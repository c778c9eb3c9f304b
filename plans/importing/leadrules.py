"""Who leads: one table, read top to bottom, first rule that applies wins.

1. ``explicit``: units with a lead word (牵头, 主责, ``牵头单位:``) lead, all of them
   (joint leads); every other unit is co.
2. ``document``: the document's rule ``逗号前为牵头单位``: the units before the mark
   lead, those after it are co.
3. ``document``: the document's rule ``列第一位的为牵头单位``: the first listed leads.
4. ``single``: one responsible unit (``（X负责）``) leads; co units stay co.
5. ``assumed``: several responsible units and no rule: the first listed leads.
6. ``none``: only co units: no lead.

A document rule is stated once and carries on when it says ``下同`` or stands outside
any unit group (``注:各项任务列第一位的为牵头单位``); a rule inside a group without
``下同`` holds for that group only.  Rule 5 puts a ``lead_assumed`` warning on the clause
so that the supervisor checks it.
"""

from __future__ import annotations

from dataclasses import dataclass

from .unitgroups import Mention, UnitGroup

Convention = tuple[str, str]


@dataclass
class Decision:
    lead: list[Mention]
    co: list[Mention]
    rule: str  # explicit | document | single | assumed | none


def decide(group: UnitGroup, convention: Convention | None) -> Decision:
    conv = group.convention or convention
    if group.lead:
        return Decision(list(group.lead), _minus(group.co + group.resp, group.lead), "explicit")
    resp = group.resp
    if conv and conv[0] == "sep" and resp and conv[1] in group.resp_text:
        cut = group.resp_offset + group.resp_text.index(conv[1])
        lead = [m for m in resp if m.start < cut]
        return Decision(lead, [m for m in resp if m.start >= cut] + group.co, "document")
    if conv and conv[0] == "first" and resp:
        return Decision(resp[:1], resp[1:] + group.co, "document")
    if len(resp) == 1:
        return Decision(resp[:1], list(group.co), "single")
    if resp:
        return Decision(resp[:1], resp[1:] + group.co, "assumed")
    return Decision([], list(group.co), "none")


def _minus(items: list[Mention], taken: list[Mention]) -> list[Mention]:
    names = {m.name for m in taken}
    return [m for m in items if m.name not in names]
