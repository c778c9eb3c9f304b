"""What evidence files are accepted: judged by their bytes, never by the name or the browser's word."""

import zipfile
from contextlib import contextmanager
from pathlib import PurePosixPath

from django.conf import settings
from django.http import FileResponse
from django.template.defaultfilters import filesizeformat

from core.errors import DomainError

# The types 佐证材料 come in; Office files are zip archives told apart by their main part.
KINDS = {
    "pdf": ("application/pdf", ".pdf"),
    "png": ("image/png", ".png"),
    "jpg": ("image/jpeg", ".jpg"),
    "docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", ".docx"),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", ".xlsx"),
}
MAX_FILES_PER_REPORT = 10


def max_bytes() -> int:
    return getattr(settings, "EVIDENCE_MAX_BYTES", 20 * 1024 * 1024)


def sniff(upload) -> str | None:
    """The kind of the file from its leading bytes (and, for zip, its parts), or None."""
    upload.seek(0)
    head = upload.read(8)
    upload.seek(0)
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head.startswith(b"\xff\xd8\xff"):
        return "jpg"
    if head.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(upload) as archive:
                names = set(archive.namelist())
        except (zipfile.BadZipFile, OSError, ValueError, EOFError, NotImplementedError, RuntimeError):
            # A damaged or unusual archive (a version or feature zipfile does not read) is not an Office file.
            return None
        finally:
            upload.seek(0)
        if "[Content_Types].xml" in names:
            if "word/document.xml" in names:
                return "docx"
            if "xl/workbook.xml" in names:
                return "xlsx"
    return None


def evidence_check(upload) -> tuple[str, str]:
    """Refuse files too large or of another type; answer (content type, file suffix) from the bytes."""
    if upload.size > max_bytes():
        raise DomainError(f"文件“{upload.name}”超过 {filesizeformat(max_bytes())} 的上限。", "evidence_too_large")
    kind = sniff(upload)
    if kind is None:
        raise DomainError(f"文件“{upload.name}”不是允许的类型(PDF、Word、Excel、JPG、PNG)。", "file_type")
    return KINDS[kind]


def download_name(evidence) -> str:
    """The uploader's name with the extension of the type its bytes were found to be.

    A PNG named 说明.html is downloaded as 说明.png: the browser and the desktop judge a file by its
    extension, so the extension must be the one that was checked.
    """
    suffix = next((ext for content_type, ext in KINDS.values() if content_type == evidence.content_type), None)
    suffix = suffix or PurePosixPath(evidence.file.name).suffix or ".bin"
    stem = PurePosixPath(evidence.original_name).stem.lstrip(".").strip() or "佐证材料"
    return f"{stem}{suffix}"


def evidence_response(evidence) -> FileResponse:
    """The evidence file, always as an attachment: never shown inline, never sniffed by the browser."""
    response = FileResponse(
        evidence.file.open("rb"),
        as_attachment=True,
        filename=download_name(evidence),
        content_type=evidence.content_type or "application/octet-stream",
    )
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@contextmanager
def files_removed_on_failure():
    """Collects stored files; if the block fails they are deleted, since the rows naming them roll back."""
    stored = []
    try:
        yield stored
    except BaseException:
        for field_file in stored:
            field_file.storage.delete(field_file.name)
        raise
