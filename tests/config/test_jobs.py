"""A django-q2 task makes the real round trip: broker → worker → result store."""

from __future__ import annotations

import time
from multiprocessing import Event, Queue, Value

import pytest
from django.test import Client
from django.urls import reverse
from django_q.brokers import get_broker
from django_q.models import Task
from django_q.monitor import monitor
from django_q.pusher import pusher
from django_q.tasks import async_task, result
from django_q.worker import worker

from tests.factories.accounts import UserFactory


def run_one_worker_cycle() -> None:
    """Drain the broker once through django-q2's own pusher, worker and monitor.

    The ORM broker hands out a task only once its lock time lies in the past; a cycle in
    the same instant as the enqueue would find nothing, so it waits a beat first.
    """
    time.sleep(0.2)
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


@pytest.mark.django_db(transaction=True)
def test_ping_task_round_trip() -> None:
    broker = get_broker()
    broker.purge_queue()
    task_id = async_task("config.jobs.ping", "你好 Lodestar", task_name="ping")
    assert broker.queue_size() == 1
    run_one_worker_cycle()
    stored = Task.objects.get(id=task_id)
    assert stored.success
    assert result(task_id)["echo"] == "你好 Lodestar"
    assert broker.queue_size() == 0


@pytest.mark.django_db
def test_jobs_page_is_staff_only(client: Client) -> None:
    client.force_login(UserFactory())
    assert client.get(reverse("jobs_status")).status_code == 404
    assert client.post(reverse("jobs_ping")).status_code == 404
    assert client.get(reverse("jobs_task", args=["x" * 32])).status_code == 404


@pytest.mark.django_db
def test_jobs_page_reports_no_worker(client: Client) -> None:
    client.force_login(UserFactory(is_staff=True))
    response = client.get(reverse("jobs_status"))
    assert response.status_code == 200
    content = response.content.decode()
    assert "没有正在运行的工作进程" in content
    fragment = client.get(reverse("jobs_status"), headers={"hx-request": "true"})
    assert (
        fragment.content.decode()
        .lstrip()
        .startswith('<section class="panel" id="clusters"')
    )


@pytest.mark.django_db(transaction=True)
def test_staff_ping_is_queued_and_its_page_polls_until_done(client: Client) -> None:
    get_broker().purge_queue()
    client.force_login(UserFactory(is_staff=True))
    response = client.post(reverse("jobs_ping"))
    assert response.status_code == 302
    task_id = response["Location"].rstrip("/").rsplit("/", 1)[-1]
    waiting = client.get(response["Location"], headers={"hx-request": "true"})
    assert waiting.status_code == 200
    assert 'hx-trigger="every 1s"' in waiting.content.decode()
    # Drain until ours ran. The ORM broker hands out a task only once its lock time is in
    # the past, so a cycle in the same instant as the enqueue can find nothing: wait a beat.
    for _ in range(10):
        time.sleep(0.2)
        run_one_worker_cycle()
        if Task.objects.filter(id=task_id).exists():
            break
    done = client.get(response["Location"], headers={"hx-request": "true"})
    assert done.status_code == 286  # htmx stops polling
    assert "ping from" in done.content.decode()
    assert Task.objects.get(id=task_id).success
