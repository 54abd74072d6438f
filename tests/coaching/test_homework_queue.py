"""The review queue answers in a constant number of queries, however long it is."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.paginator import Paginator
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from cohorts.coaching.homework import queue
from cohorts.coaching.models import Submission, SubmissionStatus
from tests.factories.coaching import AssignmentFactory, SubmissionFactory
from tests.factories.cohorts import CoachFactory, CohortFactory

pytestmark = pytest.mark.django_db

STATUSES = [
    SubmissionStatus.SUBMITTED,
    SubmissionStatus.IN_REVIEW,
    SubmissionStatus.RETURNED,
    SubmissionStatus.APPROVED,
]


def _bulk_submissions(*, cohorts, trainees_per_assignment: int, per_cohort: int):  # type: ignore[no-untyped-def]
    """``per_cohort`` assignments in each cohort, every trainee submitted to each."""
    now = timezone.now()
    trainees = User.objects.bulk_create(
        User(
            email=f"bulk{i}@example.com",
            display_name=f"Trainee {i:05d}",
            password="!",
        )
        for i in range(trainees_per_assignment)
    )
    coach = cohorts[0].coaches.first()
    rows = []
    for cohort in cohorts:
        for _ in range(per_cohort):
            assignment = AssignmentFactory(cohort=cohort)
            for n, trainee in enumerate(trainees):
                status = STATUSES[n % 4]
                rows.append(
                    Submission(
                        assignment=assignment,
                        trainee=trainee,
                        status=status,
                        version_count=1 + n % 3,
                        waiting_since=now - dt.timedelta(minutes=len(rows)),
                        claimed_by=coach
                        if status == SubmissionStatus.IN_REVIEW
                        else None,
                        claimed_at=now
                        if status == SubmissionStatus.IN_REVIEW
                        else None,
                    )
                )
    Submission.objects.bulk_create(rows, batch_size=1000)
    return len(rows)


def _client(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _queries(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured.captured_queries)


def test_queue_with_5000_submissions_uses_as_many_queries_as_with_a_handful(
    django_assert_num_queries,  # type: ignore[no-untyped-def]
) -> None:
    coach = CoachFactory()
    cohorts = [CohortFactory(coaches=[coach]) for _ in range(2)]
    SubmissionFactory(assignment=AssignmentFactory(cohort=cohorts[0]))
    client = _client(coach)
    url = reverse("coaching:review_queue") + "?status=all"
    client.get(url)  # warm caches (site root, content types)
    small = _queries(client, url)

    total = _bulk_submissions(
        cohorts=cohorts, trainees_per_assignment=500, per_cohort=5
    )
    assert total == 5_000
    assert Submission.objects.count() == 5_001

    with django_assert_num_queries(small):
        response = client.get(url)
    page = response.context["page"]
    assert page.paginator.count == 5_001
    assert len(page.object_list) == 50
    waits = [s.waiting_since for s in page.object_list]
    assert waits == sorted(waits)  # oldest first

    filtered = (
        reverse("coaching:review_queue")
        + f"?cohort={cohorts[1].pk}&status=in_review&waited=24"
    )
    with django_assert_num_queries(small):
        client.get(filtered)


def test_queue_selector_is_two_queries_per_page(django_assert_num_queries) -> None:  # type: ignore[no-untyped-def]
    coach = CoachFactory()
    cohort = CohortFactory(coaches=[coach])
    _bulk_submissions(cohorts=[cohort], trainees_per_assignment=300, per_cohort=2)
    with django_assert_num_queries(2):
        rows = queue.review_queue(user=coach, filters=queue.QueueFilters())
        page = Paginator(rows, 50).get_page(2)
        names = [
            (
                s.trainee.display_name,
                s.assignment.cohort.name,
                getattr(s.claimed_by, "pk", None),
            )
            for s in page.object_list
        ]
    assert len(names) == 50
    assert page.paginator.count == 300  # submitted + in review of 600


def test_queue_filters() -> None:
    coach = CoachFactory()
    cohort = CohortFactory(coaches=[coach])
    now = timezone.now()
    old = SubmissionFactory(
        assignment=AssignmentFactory(cohort=cohort),
        waiting_since=now - dt.timedelta(hours=80),
    )
    SubmissionFactory(
        assignment=AssignmentFactory(cohort=cohort),
        waiting_since=now - dt.timedelta(hours=30),
    )
    SubmissionFactory(
        assignment=AssignmentFactory(cohort=cohort), status=SubmissionStatus.APPROVED
    )
    SubmissionFactory()  # another cohort: never listed

    def count(**kwargs: object) -> int:
        return queue.review_queue(
            user=coach, filters=queue.QueueFilters(**kwargs), now=now
        ).count()

    assert count() == 2
    assert count(status=queue.ALL) == 3
    assert count(status=SubmissionStatus.APPROVED) == 1
    assert count(waited_hours=24) == 2
    assert count(waited_hours=72) == 1
    assert count(assignment_id=old.assignment_id) == 1
