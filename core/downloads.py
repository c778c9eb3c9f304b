"""Downloaded files: cells a spreadsheet will not run, and report files as HTTP answers, for pages and API.

CSV is streamed as it is written, so a province's 明细 never sits whole in memory; a workbook
is built into a temporary file first (a zip cannot be streamed before it is finished) and sent
from there.
"""

from collections.abc import Iterable, Iterator
from typing import IO

from django.http import FileResponse, StreamingHttpResponse

CSV_TYPE = "text/csv; charset=utf-8"
BLOCK = 64 * 1024
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value) -> str:
    """A cell a spreadsheet will not run: text starting like a formula gets a leading apostrophe."""
    if value is None:
        return ""
    text = str(value)
    return "'" + text if text.startswith(_FORMULA_STARTS) else text


def _blocks(pieces: Iterable[str]) -> Iterator[str]:
    # The BOM lets Excel open the Chinese text as UTF-8. Pieces are joined into blocks of some
    # 64 KB: one write to the client per CSV line would cost more than writing the CSV.
    block, size = ["\ufeff"], 0
    for piece in pieces:
        block.append(piece)
        size += len(piece)
        if size >= BLOCK:
            yield "".join(block)
            block, size = [], 0
    if block:
        yield "".join(block)


def csv_response(pieces: Iterable[str]) -> StreamingHttpResponse:
    """A streamed UTF-8 CSV (with BOM) from pieces of CSV text; the caller names the attachment."""
    return StreamingHttpResponse(_blocks(pieces), content_type=CSV_TYPE)


def file_response(file: IO[bytes], content_type: str) -> FileResponse:
    """The file from its current position; FileResponse closes it (a temporary file then goes) when sent."""
    return FileResponse(file, content_type=content_type)
