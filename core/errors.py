"""The one refusal type of the domain, and the one way a web form shows it.

A service that refuses raises DomainError with a message for the user, in Chinese,
and a stable code for programs. The API answers it through one exception handler
(config.api.exception_handler: 400, 409 for a conflict with the state of the
data, 403 for the code "forbidden"); pages show it beside the form that asked
(form_action) or as a message, and answer a forbidden one with 403.
"""

from django.core.exceptions import PermissionDenied

# The code of a refusal because of who asks (org.access.require): 403 at every front door.
FORBIDDEN = "forbidden"


class DomainError(Exception):
    """A refusal: `message_zh` is shown to the user as is, `code` is stable and machine-readable.

    conflict: the request was well formed but the data, as it stands, refuses it (already
    reviewed, already imported). details: more fields for the API answer, such as the id of
    the plan that already exists.
    """

    def __init__(self, message_zh: str, code: str = "invalid", *, conflict: bool = False, **details) -> None:
        super().__init__(message_zh)
        self.message_zh = message_zh
        self.code = code
        self.conflict = conflict
        self.details = details

    @property
    def forbidden(self) -> bool:
        return self.code == FORBIDDEN

    def __str__(self) -> str:
        return self.message_zh

    def as_dict(self) -> dict:
        return {"detail": self.message_zh, "code": self.code, **self.details}


def form_action(form, action, *, field: str | None = None):
    """action(cleaned_data) for a valid form; a refusal is shown beside the form (or one of its
    fields), as the form's own errors are; one because of who asks is a 403. (True, the action's
    result), or (False, None)."""
    if not form.is_valid():
        return False, None
    try:
        return True, action(form.cleaned_data)
    except DomainError as refusal:
        if refusal.forbidden:
            raise PermissionDenied(refusal.message_zh) from refusal
        form.add_error(field, refusal.message_zh)
        return False, None
