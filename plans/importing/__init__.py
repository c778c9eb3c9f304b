"""Document-parsing core of Duban: implementation plans → clauses and tasks.

Pure Python, no Django.  Public API::

    from plans.importing import parse_document, result_to_json, PlanImportError
    result = parse_document(uploaded_bytes, filename="plan.docx")
    data = result_to_json(result)
"""

from .errors import PlanImportError
from .output import ParsedClause, ParsedPhase, ParsedPlan, ParseResult, Warning, result_to_json
from .parse import parse_document, parse_text, preview
from .registry import GroupEntry, Registry, RegistryEntry, Resolution, default_registry

__all__ = [
    "GroupEntry",
    "ParseResult",
    "ParsedClause",
    "ParsedPhase",
    "ParsedPlan",
    "PlanImportError",
    "Registry",
    "RegistryEntry",
    "Resolution",
    "Warning",
    "default_registry",
    "parse_document",
    "parse_text",
    "preview",
    "result_to_json",
]
