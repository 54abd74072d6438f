"""Bulk certificate issuing through the real task path (run by hand: not a test).

Builds a throwaway SQLite database and media folder, one in-house cohort with N
trainees (default 500) who all meet its completion rules and a bilingual design with
two signatures, then queues `cohorts.certificates.tasks.run_certificate_batch` with
django-q2's `async_task` and drains the queue with one worker in this process (the
same pusher → worker → monitor path `qcluster` uses). Reports certificates per second
for that one worker, the ZIP size, and the average PDF size.

    .venv/bin/python benchmarks/certificates_bulk.py [--trainees 500]
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from decimal import Decimal
from io import StringIO
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
WORK = Path(tempfile.mkdtemp(prefix="certbench-"))
os.environ["DATABASE_URL"] = f"sqlite:///{WORK / 'bench.sqlite3'}"
os.environ.pop("REDIS_URL", None)
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.test.utils import override_settings  # noqa: E402


def drain_one_worker() -> None:
    """django-q2's own pusher, one worker and the monitor, in this process."""
    from multiprocessing import Event, Queue, Value

    from django_q.brokers import get_broker
    from django_q.cluster import monitor, pusher, worker

    broker = get_broker()
    task_queue: Queue = Queue()
    result_queue: Queue = Queue()
    event = Event()
    event.set()
    pusher(task_queue, event, broker=broker)
    task_queue.put("STOP")
    worker(task_queue, result_queue, Value("f", -1))
    result_queue.put("STOP")
    monitor(result_queue, broker)


def build(trainees: int) -> tuple[object, object]:
    from accounts.demo import seed_people
    from accounts.models import User
    from cohorts.certificates.demo import _design
    from cohorts.certificates.models import CompletionRule, RequiredAssignments
    from cohorts.models import Cohort, Enrolment
    from tests.factories.cohorts import seed_demo_cohorts

    seed_demo_cohorts()
    seed_people()
    cohort = Cohort.objects.get(slug="seabright-in-house")
    Enrolment.objects.filter(cohort=cohort).delete()
    users = User.objects.bulk_create(
        User(
            email=f"bench{i:04d}@seabright.demo",
            display_name=f"{'王李张刘陈杨赵黄周吴'[i % 10]}{'伟芳娜敏静丽强磊军洋'[i // 10 % 10]}{i}",
            preferred_language="zh-hans",
        )
        for i in range(trainees)
    )
    Enrolment.objects.bulk_create(Enrolment(cohort=cohort, user=u) for u in users)
    CompletionRule.objects.update_or_create(
        cohort=cohort,
        defaults={
            "design": _design(),
            "required_assignments": RequiredAssignments.NONE,
            "hours": Decimal("24"),
        },
    )
    staff = User.objects.get(email="staff@lodestar.demo")
    return cohort, staff


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--trainees", type=int, default=500)
    args = parser.parse_args()
    media = WORK / "media"
    with override_settings(
        MEDIA_ROOT=str(media),
        STORAGES={
            **settings.STORAGES,
            "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        },
        EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
    ):
        call_command("migrate", verbosity=0)
        call_command("createcachetable", verbosity=0, stdout=StringIO())
        from cohorts.certificates.models import BatchStatus, CertificateBatch
        from cohorts.certificates.services import batch_start

        cohort, staff = build(args.trainees)
        from django.db import transaction

        with transaction.atomic():
            batch = batch_start(cohort=cohort, actor=staff)
        start = time.perf_counter()
        cpu = time.process_time()
        drain_one_worker()
        seconds = time.perf_counter() - start
        cpu_seconds = time.process_time() - cpu
        batch = CertificateBatch.objects.get(pk=batch.pk)
        assert batch.status == BatchStatus.DONE, (batch.status, batch.errors[:3])
        archive = media / batch.archive.name
        zip_bytes = archive.stat().st_size
        pdf_total = sum(
            p.stat().st_size for p in (media / "certificates/pdf").rglob("*.pdf")
        )
        print(f"trainees: {args.trainees}; issued {batch.done}, failed {batch.failed}")
        print(
            f"one worker: {seconds:.1f} s wall ({cpu_seconds:.1f} s CPU in this process) "
            f"→ {batch.done / seconds:.2f} certificates/s; "
            f"{batch.done / cpu_seconds:.2f} per CPU-second (the rate on an idle core)"
        )
        print(
            f"ZIP: {zip_bytes / 1024 / 1024:.1f} MB; average PDF "
            f"{pdf_total / max(batch.done, 1) / 1024:.0f} KB"
        )


if __name__ == "__main__":
    main()
