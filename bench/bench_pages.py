"""Pages for a supervisor at province scale: server time (in process) and queries per page."""

import statistics
import time

from common import replay, row, section
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import NoReverseMatch, reverse

from org.models import User
from plans.models import Plan

RUNS = 10


def main(results: list | None = None):
    client = Client()
    client.force_login(User.objects.get(username="sup0"))
    plan = Plan.objects.order_by("pk").first()
    urls = [("home /", "/")]
    try:
        urls.append((f"plan page /plans/{plan.pk}/", reverse("plans:detail", args=[plan.pk])))
    except NoReverseMatch:
        print("no plan page yet (plans:detail)")
    with section(f"pages for a supervisor (median of {RUNS})"):
        for name, url in urls:
            response = client.get(url)
            if response.status_code != 200:
                print(f"{name}: answered {response.status_code}, skipped")
                continue
            samples, floors = [], []
            for _ in range(RUNS):
                with CaptureQueriesContext(connection) as captured:
                    started = time.perf_counter()
                    response = client.get(url)
                    samples.append(time.perf_counter() - started)
                floors.append(replay(captured.captured_queries))
            figure, floor = statistics.median(samples), statistics.median(floors)
            extra = f"{len(captured.captured_queries)} queries, {len(response.content) / 1024:.0f} KB"
            line = row(name, figure, floor, extra=extra)
            if results is not None:
                results.append((f"page: {name}", figure, floor, extra, line))


if __name__ == "__main__":
    main()
