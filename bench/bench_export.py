"""Exports at province scale, through the pages' views: the supervision report (CSV, XLSX) and its 明细,
every assignment with its status on the day (CSV streamed, XLSX).

Each export runs in its own process, so its peak memory (VmHWM, the resident high-water mark, which
includes Python, Django and the imports) is its own. A download is timed from the request to its last
byte: the streamed CSV is consumed chunk by chunk as a client would, the workbook read through to the
end. The views are called with a request built by hand (RequestFactory), so nothing is written to the
bench database, not even a session.

Floors: PostgreSQL COPY … TO STDOUT (CSV) of the same rows (the overdue list for the report, the
明细 query for the detail).
"""

import json
import resource
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent

KINDS = {
    "report": ("supervision report, all plans", "supervision:report"),
    "assignments": ("supervision report 明细, all plans", "supervision:report_assignments"),
}


def _peak_mb() -> float:
    # ru_maxrss would carry the parent's figure across exec on Linux; VmHWM belongs to this process.
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _copy(queryset) -> tuple[int, int]:
    from django.db import connection

    sql, params = queryset.query.sql_with_params()
    size = rows = 0
    with connection.cursor() as cursor:
        with cursor.cursor.copy(f"COPY ({sql}) TO STDOUT WITH CSV", params) as copy:
            for chunk in copy:
                size += len(chunk)
                rows += bytes(chunk).count(b"\n")
    return rows, size


def _request(route: str, fmt: str, day):
    from django.test import RequestFactory
    from django.urls import resolve, reverse

    from org.models import User

    request = RequestFactory().get(reverse(route), {"as_of": day.isoformat(), "format": fmt})
    request.user = User.objects.get(username="sup0")
    return resolve(request.path).func, request


def _download(route: str, fmt: str, day) -> dict:
    """Call the page's view as a supervisor and read the answer to its end."""
    view, request = _request(route, fmt, day)
    baseline = _peak_mb()  # the views and what they import (XlsxWriter, python-docx) loaded
    started, cpu = time.perf_counter(), time.process_time()
    response = view(request)
    assert response.status_code == 200, response.status_code
    first = None
    size = lines = 0
    for chunk in response.streaming_content if response.streaming else [response.content]:
        if first is None:
            first = time.perf_counter() - started
        size += len(chunk)
        lines += chunk.count(b"\n")
    response.close()
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
    return {"seconds": seconds, "cpu": cpu, "first_byte": first, "bytes": size, "lines": lines, "baseline_mb": baseline}


def _workbook_rows(route: str, day) -> int:
    """Data rows of the downloaded workbook (from its 说明 sheet; the report's two tables counted); not timed."""
    import io

    from openpyxl import load_workbook

    view, request = _request(route, "xlsx", day)
    response = view(request)
    book = load_workbook(io.BytesIO(b"".join(response.streaming_content)), read_only=True)
    if "说明" in book.sheetnames:
        return next(r[1] for r in book["说明"].iter_rows(values_only=True) if r[0] == "责任分工")
    return sum(1 for _ in book["逾期任务"].iter_rows()) - 1 + sum(1 for _ in book["单位排名"].iter_rows()) - 4


def one(kind: str, fmt: str) -> dict:
    import common  # Django set-up

    from supervision.reports import report_assignments_query
    from tasks.selectors import overdue_assignments

    if fmt == "copy":
        if kind == "report":
            queryset = overdue_assignments(as_of=common.TODAY).values_list(
                "task__plan__title", "task__title", "department__name", "role", "effective_due", "days_overdue"
            )
        else:
            queryset = report_assignments_query(as_of=common.TODAY)
        started = time.perf_counter()
        rows, size = _copy(queryset)
        figure = {"seconds": time.perf_counter() - started, "bytes": size, "rows": rows, "baseline_mb": None}
    else:
        figure = _download(KINDS[kind][1], fmt, common.TODAY)
        # CSV: header lines off (the report has a title, a blank line and two heads, its total and a gap).
        figure["rows"] = figure["lines"] - (1 if kind == "assignments" else 7) if fmt == "csv" else None
    figure["peak_mb"] = _peak_mb()
    if fmt == "xlsx":
        figure["rows"] = _workbook_rows(KINDS[kind][1], common.TODAY)
    return figure


def run(kind: str, fmt: str) -> dict:
    out = subprocess.run(
        [sys.executable, str(Path(__file__)), "--one", kind, fmt], cwd=HERE, capture_output=True, text=True, check=True
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def main(results: list | None = None):
    from common import row, section

    for kind, (title, _route) in KINDS.items():
        with section(f"export: {title} (each in a fresh process)"):
            floor = run(kind, "copy")
            for fmt in ("csv", "xlsx"):
                try:
                    figure = run(kind, fmt)
                except subprocess.CalledProcessError as error:
                    print(f"{kind} {fmt}: failed: {error.stderr.strip().splitlines()[-1:]}")
                    continue
                streamed = f"first byte after {figure['first_byte']:.2f} s, " if fmt == "csv" else ""
                extra = (
                    f"peak {figure['peak_mb']:.0f} MB (process at start {figure['baseline_mb']:.0f} MB), "
                    f"{streamed}{figure['cpu']:.1f} s CPU in Python, {figure['rows']} rows, "
                    f"{figure['bytes'] / 1e6:.1f} MB; COPY {floor['rows']} rows, {floor['bytes'] / 1e6:.1f} MB"
                )
                name = f"{title}, {fmt.upper()}"
                line = row(name, figure["seconds"], floor["seconds"], extra=extra)
                if results is not None:
                    results.append((f"export: {name}", figure["seconds"], floor["seconds"], extra, line))


if __name__ == "__main__":
    if sys.argv[1:2] == ["--one"]:
        print(json.dumps(one(sys.argv[2], sys.argv[3])))
    else:
        main()
