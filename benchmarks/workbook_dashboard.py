"""Dashboard and report timings for the demo workbook (run by hand: not a test).

Builds a throwaway SQLite database with the full demo (`seed_demo`: the demo workbook
imports four sample exports through the real pipeline), then times, for 陈思远's
workbook and May 2026:

- the dashboard page through Django's test client (median of 15 requests, after one
  warm-up), and its SQL query count;
- the PDF report (WeasyPrint) and the XLSX export, median of 3.

    .venv/bin/python benchmarks/workbook_dashboard.py
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from io import StringIO
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
DB = Path(tempfile.mkdtemp()) / "bench.sqlite3"
os.environ["DATABASE_URL"] = f"sqlite:///{DB}"
os.environ.pop("REDIS_URL", None)
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import reverse  # noqa: E402

from accounts.models import User  # noqa: E402
from workbook.models import Workbook  # noqa: E402
from workbook.reports import build_xlsx, timed_pdf  # noqa: E402


def main() -> None:
    call_command("migrate", verbosity=0)
    call_command("createcachetable", verbosity=0)
    call_command("seed_demo", stdout=StringIO())
    owner = User.objects.get(email="chen.siyuan@seabright.demo")
    workbook = Workbook.objects.filter(owner=owner).first()
    assert workbook is not None, "the demo workbook was not built"
    client = Client()
    client.force_login(owner)
    url = reverse("workbook:dashboard", args=[workbook.pk]) + "?period=2026-05"
    assert client.get(url).status_code == 200  # warm-up
    times = []
    for _ in range(15):
        start = time.perf_counter()
        response = client.get(url)
        times.append(time.perf_counter() - start)
        assert response.status_code == 200
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    pdf_times, xlsx_times = [], []
    for _ in range(3):
        content, seconds = timed_pdf(workbook, "2026-05")
        pdf_times.append(seconds)
        start = time.perf_counter()
        build_xlsx(workbook, period_label="2026-05")
        xlsx_times.append(time.perf_counter() - start)
    facts = workbook.facts.count()
    nodes = len(workbook.document["tree"]["nodes"])
    print(f"demo workbook: {nodes} nodes, {facts:,} facts")
    print(
        f"dashboard: median {statistics.median(times) * 1000:.0f} ms "
        f"(min {min(times) * 1000:.0f}, max {max(times) * 1000:.0f}) over 15; "
        f"{len(queries)} SQL queries"
    )
    print(
        f"PDF report: median {statistics.median(pdf_times):.2f} s, "
        f"{len(content) / 1024:.0f} KB; XLSX: median {statistics.median(xlsx_times):.2f} s"
    )


if __name__ == "__main__":
    main()
