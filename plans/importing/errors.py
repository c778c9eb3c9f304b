"""Errors raised by the importer.

Only :class:`PlanImportError` ever leaves :func:`plans.importing.parse.parse_document`;
its ``message_zh`` is meant to be shown to the user as is, ``code`` is stable and
machine-readable.
"""

from __future__ import annotations


class PlanImportError(Exception):
    """A document could not be imported.  ``message_zh`` is user-facing Chinese text."""

    def __init__(self, message_zh: str, code: str = "invalid") -> None:
        super().__init__(message_zh)
        self.message_zh = message_zh
        self.code = code

    def __str__(self) -> str:  # pragma: no cover - trivial
        return f"[{self.code}] {self.message_zh}"
