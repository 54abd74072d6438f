"""Two reviewers approve the last seat at the same moment: only one gets it.

Each approval runs in its own thread with its own database connection. The cohort
row lock is held a little longer than usual (a sleep after `_locked`) so that the
second approval reliably arrives while the first holds the seat count — the test
would fail if the count were taken outside the lock.

PostgreSQL (`DATABASE_URL=postgres://…`): the second thread blocks on
`SELECT … FOR UPDATE` until the first commits, then counts a full cohort.
SQLite: there is no row lock; Django opens every transaction with
`BEGIN IMMEDIATE` (settings: `transaction_mode`), so the whole database is the
lock. The test database is a shared-cache in-memory database, which answers
"database table is locked" at once instead of waiting like a file database's busy
timeout; the thread retries, which is what the busy timeout does.
"""

from __future__ import annotations

import threading
import time

import pytest
from django.db import OperationalError, connection, connections
from django.utils import translation

from cohorts import services as cohort_services
from cohorts.admissions import services
from cohorts.admissions.models import RegistrantStatus
from cohorts.models import Enrolment, EnrolmentStatus
from tests.factories.accounts import UserFactory
from tests.factories.admissions import RegistrantFactory
from tests.factories.cohorts import CohortFactory, EnrolmentFactory

HOLD = 0.4  # seconds the first approval keeps the lock


def _approve_in_thread(registrant, reviewer, barrier, outcomes, spans):  # type: ignore[no-untyped-def]
    try:
        translation.activate("en")
        barrier.wait()
        started = time.monotonic()
        for _attempt in range(200):
            try:
                services.registrant_approve(registrant=registrant, reviewer=reviewer)
                outcomes.append("approved")
                break
            except services.AdmissionError as error:
                outcomes.append(str(error.message))
                break
            except OperationalError as error:  # SQLite shared cache: no busy wait
                if "locked" not in str(error):
                    raise
                time.sleep(0.02)
        spans.append((started, time.monotonic()))
    finally:
        connections.close_all()


@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_approvals_cannot_exceed_capacity(
    monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setattr("django_q.tasks.async_task", lambda *a, **k: None)
    cohort = CohortFactory(capacity=2)
    EnrolmentFactory(cohort=cohort)  # one seat left
    first = RegistrantFactory(application__cohort=cohort, email="a@tidewave.cn")
    second = RegistrantFactory(application__cohort=cohort, email="b@tidewave.cn")
    staff = UserFactory(is_staff=True)

    original = cohort_services._locked

    def slow_locked(c):  # type: ignore[no-untyped-def]
        locked = original(c)
        time.sleep(HOLD)
        return locked

    monkeypatch.setattr(cohort_services, "_locked", slow_locked)
    barrier = threading.Barrier(2)
    outcomes: list[str] = []
    spans: list[tuple[float, float]] = []
    threads = [
        threading.Thread(
            target=_approve_in_thread,
            args=(r, staff, barrier, outcomes, spans),
        )
        for r in (first, second)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    # They really overlapped: both started before either finished.
    (a_start, a_end), (b_start, b_end) = spans
    assert max(a_start, b_start) < min(a_end, b_end)
    approved = [o for o in outcomes if o == "approved"]
    refused = [o for o in outcomes if o != "approved"]
    assert len(approved) == 1 and len(refused) == 1
    assert "No seat left" in refused[0]
    assert (
        Enrolment.objects.filter(cohort=cohort, status=EnrolmentStatus.ACTIVE).count()
        == 2
    )
    statuses = sorted(
        RegistrantStatus(s).value
        for s in type(first).objects.values_list("status", flat=True)
    )
    assert statuses == ["approved", "pending"]


@pytest.mark.django_db(transaction=True)
def test_without_the_row_lock_the_race_would_oversell(monkeypatch):
    """The control: the same race with the lock removed overbooks (PostgreSQL only)."""
    if connection.vendor != "postgresql":
        pytest.skip(
            "SQLite serialises whole transactions; only PostgreSQL has row locks"
        )
    from cohorts.models import Cohort

    cohort = CohortFactory(capacity=1)
    users = [UserFactory(), UserFactory()]

    both_counted = threading.Barrier(2, timeout=10)
    count_seats = cohort_services._seats_taken

    def unlocked(c):  # type: ignore[no-untyped-def]
        return Cohort.objects.get(pk=c.pk)

    def counted_together(c):  # type: ignore[no-untyped-def]
        taken = count_seats(c)
        both_counted.wait()  # both have counted the free seat before either takes it
        return taken

    monkeypatch.setattr(cohort_services, "_seats_taken", counted_together)
    monkeypatch.setattr(cohort_services, "_locked", unlocked)
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def admit(user):  # type: ignore[no-untyped-def]
        try:
            barrier.wait()
            cohort_services.enrolment_admit(cohort=cohort, user=user, source="staff")
            outcomes.append("seated")
        except cohort_services.CohortFull:
            outcomes.append("full")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=admit, args=(u,)) for u in users]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert outcomes == ["seated", "seated"]
    assert Enrolment.objects.filter(cohort=cohort, status="active").count() == 2
