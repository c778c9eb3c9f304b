"""Reading a document where a hostile one cannot hurt the process that asked.

A small PDF can hold a stream that inflates to gigabytes, or hundreds of pages that take
pdfminer a minute and a gigabyte; a .docx can be built to do the same to the XML parser. The
bytes are therefore turned into text in a child process (a fork, so nothing is imported twice)
with its own limits: address space, CPU seconds and a wall-clock deadline. The child dies at its
limit, the caller gets a refusal in Chinese and keeps its memory: what the child allocated goes
with it.

Forking is used where the platform has it (Linux, where the service runs); elsewhere the document
is read in-process, with the size, zip and page caps of `decode` as the only guard.
"""

from __future__ import annotations

import os
import pickle
import resource
import select
import signal
import time
from dataclasses import dataclass

from .decode import DecodedDocument, check_document, decode_document, is_pdf
from .errors import PlanImportError

MB = 1024 * 1024


@dataclass(frozen=True)
class Limits:
    memory_bytes: int = 512 * MB  # address space the child may add to what it inherits
    cpu_seconds: int = 20
    wall_seconds: float = 30.0


TOO_COMPLEX = PlanImportError(
    "文件结构过于复杂(例如含有超大的压缩内容),无法在限定的时间和内存内读取。请另存为 .docx 或 .txt 后再导入。",
    "too_complex",
)


def _inherited_address_space() -> int:
    try:
        with open("/proc/self/statm") as statm:
            return int(statm.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return 0


def _out_of_memory(failure: BaseException) -> bool:
    # At the limit, an allocation fails wherever it happens: a reader may turn it into its own error.
    seen = failure
    while seen is not None:
        if isinstance(seen, MemoryError):
            return True
        seen = seen.__cause__ or seen.__context__
    return False


def _refusal_for(failure: Exception) -> tuple[str, str]:
    if _out_of_memory(failure):  # also when a reader turned it into "damaged file"
        return TOO_COMPLEX.message_zh, TOO_COMPLEX.code
    if isinstance(failure, PlanImportError):
        return failure.message_zh, failure.code
    # A reader's own failure: the same refusal parse_document gives for one.
    return "解析文件时发生内部错误,请联系管理员。", "internal_error"


def _child(write_fd: int, work, limits: Limits) -> None:
    try:
        ceiling = _inherited_address_space() + limits.memory_bytes
        resource.setrlimit(resource.RLIMIT_AS, (ceiling, ceiling))
        resource.setrlimit(resource.RLIMIT_CPU, (limits.cpu_seconds, limits.cpu_seconds + 1))
        try:
            outcome = ("ok", work())
        except Exception as failure:  # noqa: BLE001  (MemoryError included)
            outcome = ("refused", _refusal_for(failure))
        payload = pickle.dumps(outcome, protocol=pickle.HIGHEST_PROTOCOL)
        with os.fdopen(write_fd, "wb") as pipe:
            pipe.write(payload)
    finally:
        os._exit(0)  # never run the parent's cleanup (database connections, atexit) in the child


def _read_until(read_fd: int, deadline: float) -> bytes | None:
    chunks = []
    while True:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            return None
        ready, _, _ = select.select([read_fd], [], [], remaining)
        if not ready:
            return None
        chunk = os.read(read_fd, 1024 * 1024)
        if not chunk:
            return b"".join(chunks)
        chunks.append(chunk)


def run_isolated(work, *, pdf: bool = False, limits: Limits | None = None):
    """`work()` run in a child process under `limits`: its answer, or its refusal as a PlanImportError."""
    if not hasattr(os, "fork"):  # without fork there is no child to run it in
        return work()
    limits = limits or Limits()
    if pdf:
        # Imported once here, so that each child has it already instead of spending most of a second on it.
        import pdfplumber  # noqa: F401, PLC0415
    read_fd, write_fd = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.close(read_fd)
        _child(write_fd, work, limits)
    os.close(write_fd)
    try:
        payload = _read_until(read_fd, time.monotonic() + limits.wall_seconds)
    finally:
        os.close(read_fd)
        if payload is None:
            os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
    if not payload:  # past the deadline, or killed at a limit before it could answer
        raise PlanImportError(TOO_COMPLEX.message_zh, TOO_COMPLEX.code)
    kind, value = pickle.loads(payload)
    if kind == "refused":
        raise PlanImportError(*value)
    return value


def decode_isolated(
    data: bytes | str, *, filename: str | None = None, max_bytes: int, limits: Limits | None = None
) -> DecodedDocument:
    """`decode_document` run in a child process under `limits`; the same answers and refusals."""
    if isinstance(data, str):  # text already decoded has nothing left to inflate
        return decode_document(data, filename=filename, max_bytes=max_bytes)
    return run_isolated(
        lambda: decode_document(data, filename=filename, max_bytes=max_bytes), pdf=is_pdf(data), limits=limits
    )


def check_isolated(data: bytes | str, *, filename: str | None = None, max_bytes: int) -> None:
    """`check_document` (the quick refusals, before a document is queued to be read) in a child process."""
    if isinstance(data, str):
        return check_document(data, filename=filename, max_bytes=max_bytes)
    return run_isolated(lambda: check_document(data, filename=filename, max_bytes=max_bytes), pdf=is_pdf(data))
