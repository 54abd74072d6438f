"""Background-job health for staff: the worker cluster's status and a round-trip ping.

django-q2 runs long work (imports, PDFs, bulk certificates, reminders). This page
shows whether a worker is alive, how many tasks wait, the latest results, and lets
staff send a ping task through the real broker and watch it come back.
"""

from __future__ import annotations

import os
from datetime import UTC, datetime

from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST
from django_htmx.http import HttpResponseStopPolling
from django_q.brokers import get_broker
from django_q.models import Failure, OrmQ, Schedule, Success, Task
from django_q.status import Stat
from django_q.tasks import async_task

from accounts.tasks import last_reminder_run


def ping(message: str) -> dict[str, object]:
    """The smoke-test task: proves a worker picked it up and stored a result."""
    return {
        "echo": message,
        "worker_pid": os.getpid(),
        "finished_at": datetime.now(UTC).isoformat(),
    }


def _require_staff(request: HttpRequest) -> None:
    if not (request.user.is_authenticated and request.user.is_staff):
        raise Http404


@require_GET
def jobs_status(request: HttpRequest) -> HttpResponse:
    _require_staff(request)
    broker = get_broker()
    try:
        clusters = Stat.get_all(broker=broker)
        queued = broker.queue_size()
        broker_error = ""
    except Exception as exc:  # a broker that is down must not break the page
        clusters, queued, broker_error = [], None, str(exc)
    context = {
        "clusters": clusters,
        "queued": queued,
        "broker_error": broker_error,
        "broker_name": type(broker).__name__,
        "orm_queue": OrmQ.objects.count() if type(broker).__name__ == "ORM" else None,
        "recent": Task.objects.order_by("-stopped")[:10],
        "success_count": Success.objects.count(),
        "failure_count": Failure.objects.count(),
        "reminder_run": last_reminder_run(),
        "reminder_schedule": Schedule.objects.filter(name="reminders").first(),
    }
    template = "jobs/status.html"
    if request.htmx:
        template += "#clusters"
    return render(request, template, context)


@require_POST
def jobs_ping(request: HttpRequest) -> HttpResponse:
    _require_staff(request)
    task_id = async_task(
        "config.jobs.ping", f"ping from {request.user.email}", task_name="ping"
    )
    return HttpResponseRedirect(reverse("jobs_task", args=[task_id]))


@require_GET
def jobs_task(request: HttpRequest, task_id: str) -> HttpResponse:
    _require_staff(request)
    task = Task.objects.filter(id=task_id).first()
    context = {"task": task, "task_id": task_id}
    if request.htmx:
        response = render(request, "jobs/task.html#result", context)
        if task is not None:
            response.status_code = HttpResponseStopPolling.status_code
            # 286 tells htmx to stop polling; the final content is still swapped in.
        return response
    return render(request, "jobs/task.html", context)
