"""API latency in process (Django test client, a supervisor logged in): p50 and p95 over 200 requests.

Floor: the same requests' SQL statements, replayed as they are (the database's share).
"""

import statistics
import time

from common import percentile, replay, row, section
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from org.models import Department, User
from plans.models import Plan

REQUESTS = 200


def measure(client: Client, urls: list[str], n: int) -> tuple[list[float], list[float], list[int]]:
    for url in urls:  # warm-up
        assert client.get(url).status_code == 200, url
    samples, floors, counts = [], [], []
    for i in range(n):
        url = urls[i % len(urls)]
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            response = client.get(url)
            samples.append(time.perf_counter() - started)
        assert response.status_code == 200, (url, response.status_code)
        counts.append(len(captured.captured_queries))
        if i % 10 == 0:
            floors.append(replay(captured.captured_queries))
    return samples, floors, counts


def main(results: list | None = None):
    client = Client()
    client.force_login(User.objects.get(username="sup0"))
    plans = list(Plan.objects.order_by("pk").values_list("pk", flat=True)[:50])
    departments = list(Department.objects.order_by("pk").values_list("pk", flat=True)[:50])
    cases = [
        (
            "GET /api/v1/tasks/ filtered, paginated",
            [
                *(f"/api/v1/tasks/?plan={p}&page=2" for p in plans[:10]),
                *(f"/api/v1/tasks/?department={d}&status=overdue" for d in departments[:10]),
                *(f"/api/v1/tasks/?plan={p}&light=yellow&reporting_cadence=monthly" for p in plans[10:20]),
                "/api/v1/tasks/?page=100",
            ],
            REQUESTS,
        ),
        (
            "GET /api/v1/reports/supervision/?plan=… (JSON)",
            [f"/api/v1/reports/supervision/?plan={p}" for p in plans],
            REQUESTS,
        ),
        ("GET /api/v1/reports/supervision/ all plans (JSON)", ["/api/v1/reports/supervision/"], 10),
    ]
    with section(f"API, in process, {REQUESTS} requests each (p50 / p95)"):
        for name, urls, n in cases:
            samples, floors, counts = measure(client, urls, n)
            p50, p95 = statistics.median(samples), percentile(samples, 95)
            floor = statistics.median(floors)
            extra = f"p95 {p95 * 1000:.1f} ms, {min(counts)}–{max(counts)} queries/request, n={n}"
            line = row(f"{name} p50", p50, floor, extra=extra)
            if results is not None:
                results.append((f"api: {name}", p50, floor, extra, line))


if __name__ == "__main__":
    main()
