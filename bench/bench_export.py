"""Export of the province-wide supervision report: CSV (tasks.reports) and XLSX (tasks.report_files).

Each export runs in its own process, so its peak memory (VmHWM, the resident high-water
mark, which includes Python, Django and the imports) is its own. Floor: PostgreSQL COPY … TO STDOUT of the same
overdue rows (the bulk of either file).
"""

import json
import resource
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def _peak_mb() -> float:
    # ru_maxrss would carry the parent's figure across exec on Linux; VmHWM belongs to this process.
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def one(kind: str) -> dict:
    import common  # noqa: F401  (Django set-up)
    from django.db import connection

    from tasks.reports import supervision_report, supervision_report_csv
    from tasks.selectors import overdue_assignments

    baseline = _peak_mb()
    started = time.perf_counter()
    if kind == "copy":
        queryset = overdue_assignments(as_of=common.TODAY).values_list(
            "task__plan__title", "task__title", "department__name", "role", "effective_due", "days_overdue"
        )
        sql, params = queryset.query.sql_with_params()
        size = rows = 0
        with connection.cursor() as cursor:
            cursor.execute("BEGIN; SET LOCAL jit = off")
            with cursor.cursor.copy(f"COPY ({sql}) TO STDOUT WITH CSV", params) as copy:
                for chunk in copy:
                    size += len(chunk)
                    rows += bytes(chunk).count(b"\n")
            cursor.execute("COMMIT")
    else:
        report = supervision_report(as_of=common.TODAY)
        rows = len(report["overdue"]) + len(report["departments"])
        if kind == "csv":
            size = len(("\ufeff" + supervision_report_csv(report)).encode())
        else:
            from tasks import report_files

            size = len(report_files.xlsx(report))
    seconds = time.perf_counter() - started
    peak = _peak_mb()
    return {"seconds": seconds, "peak_mb": peak, "baseline_mb": baseline, "rows": rows, "bytes": size}


def run(kind: str) -> dict:
    out = subprocess.run(
        [sys.executable, str(Path(__file__)), "--one", kind], cwd=HERE, capture_output=True, text=True, check=True
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def main(results: list | None = None):
    from common import row, section

    with section("export of the supervision report, all plans (each in a fresh process)"):
        floor = run("copy")
        for kind in ("csv", "xlsx"):
            try:
                figure = run(kind)
            except subprocess.CalledProcessError as error:
                print(f"{kind}: failed: {error.stderr.strip().splitlines()[-1:]}")
                continue
            extra = (
                f"peak {figure['peak_mb']:.0f} MB (process at start {figure['baseline_mb']:.0f} MB), "
                f"{figure['rows']} rows, {figure['bytes'] / 1e6:.1f} MB; COPY {floor['rows']} rows"
            )
            line = row(f"supervision report {kind.upper()}", figure["seconds"], floor["seconds"], extra=extra)
            if results is not None:
                results.append(
                    (f"export: supervision report {kind.upper()}", figure["seconds"], floor["seconds"], extra, line)
                )


if __name__ == "__main__":
    if sys.argv[1:2] == ["--one"]:
        print(json.dumps(one(sys.argv[2])))
    else:
        main()
