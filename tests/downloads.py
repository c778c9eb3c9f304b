"""Reading what a download answered, streamed (CSV, workbooks) or not."""

import csv
import io


def body(response) -> bytes:
    """All of the response's bytes; a streamed answer is read to its end."""
    return b"".join(response.streaming_content) if response.streaming else response.content


def csv_rows(response) -> list[list[str]]:
    """The CSV's rows, after checking the BOM that lets Excel read it as UTF-8."""
    text = body(response).decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:])))
