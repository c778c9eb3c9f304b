"""What a reminder item is about (`item["kind"]`) and how far it has escalated (`item["escalation"]`).

The one list of item kinds: the sweep makes items of the first four, a 催办 of the fifth, the
scorecard counts the late ones, and mails show the labels. A new kind is a member here, its rule
in `notifications.rules` and its wording in `notifications.items`.
"""

from enum import StrEnum


class _Labelled(StrEnum):
    """A stored value with the Chinese words a reader sees for it."""

    label: str

    def __new__(cls, value: str, label: str):
        member = str.__new__(cls, value)
        member._value_ = value
        member.label = label
        return member


class ItemKind(_Labelled):
    DUE = "due", "完成时限"
    PHASE_END = "phase_end", "阶段结束"
    REPORT = "report", "进展报告"
    ACKNOWLEDGE = "acknowledge", "签收"
    CHASE = "chase", "催办"

    @property
    def late(self) -> bool:
        """Chased after its deadline, with escalation to heads and supervisors; what the scorecard counts."""
        return self in LATE_KINDS


# A phase has no completion of its own and an acknowledgement has no deadline: neither is chased as late.
LATE_KINDS = frozenset({ItemKind.DUE, ItemKind.REPORT})


class Escalation(_Labelled):
    """Who, beyond the department, an item is put before; an item to the department itself has None."""

    HEAD = "head", "已提请单位负责人督办"
    SUPERVISORS = "supervisors", "已提请督查员督办"


def escalation_note(escalation: str | None) -> str:
    """The words a mail puts after an escalated item's status; nothing for the department's own."""
    known = Escalation._value2member_map_.get(escalation) if escalation else None
    return f"({known.label})" if known else ""
