"""A workbook handed in as homework: frozen snapshot, the coach's per-node comments."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from cohorts.coaching.models import AssignmentKind, NodeComment, Submission
from tests.factories.accounts import UserFactory
from tests.factories.coaching import homework_cohort
from workbook.models import Snapshot
from workbook.services import workbook_create

pytestmark = pytest.mark.django_db


def _client(user) -> Client:  # type: ignore[no-untyped-def]
    user.preferred_language = "en"
    user.save(update_fields=["preferred_language"])
    client = Client()
    client.force_login(user)
    return client


def test_workbook_hand_in_freezes_a_snapshot_and_the_coach_comments_per_node() -> None:
    _, coach, trainee, assignment = homework_cohort()
    assignment.kind = AssignmentKind.WORKBOOK
    assignment.save()
    workbook = workbook_create(owner=trainee, name="店铺", template_key="amazon_store")
    client = _client(trainee)
    url = reverse("workbook:homework_submit", args=[assignment.pk])
    page = client.get(url)
    assert page.status_code == 200 and "店铺" in page.content.decode()
    detail = client.get(reverse("coaching:assignment", args=[assignment.pk]))
    assert url in detail.content.decode()  # the assignment page links to the hand-in

    response = client.post(url, {"workbook": workbook.pk, "note": "第一版"})
    assert response.status_code == 302
    submission = Submission.objects.get()
    snapshot = Snapshot.objects.get()
    assert snapshot.submission_version == submission.versions.get()
    assert snapshot.workbook == workbook

    coach_client = _client(coach)
    review_url = reverse("coaching:review", args=[submission.pk])
    review_page = coach_client.get(review_url).content.decode()
    node_key = snapshot.document["tree"]["nodes"][0]["key"]
    assert f'name="node-{node_key}"' in review_page
    logic, numbers = assignment.criteria.all()
    response = coach_client.post(
        review_url,
        {
            "decision": "return",
            f"points-{logic.pk}": "2",
            f"points-{numbers.pk}": "2",
            f"node-{node_key}": "目标太保守",
        },
    )
    assert response.status_code == 302
    assert list(NodeComment.objects.values_list("node_id", "body")) == [
        (node_key, "目标太保守")
    ]
    feedback = client.get(reverse("coaching:assignment", args=[assignment.pk]))
    assert "目标太保守" in feedback.content.decode()
    assert "Show the frozen workbook" in feedback.content.decode()
    after = coach_client.get(review_url).content.decode()
    assert (
        "Show the frozen workbook" in after and f'name="node-{node_key}"' not in after
    )


def test_someone_elses_workbook_cannot_be_handed_in() -> None:
    _, _, trainee, assignment = homework_cohort()
    assignment.kind = AssignmentKind.WORKBOOK
    assignment.save()
    stranger_workbook = workbook_create(
        owner=UserFactory(), name="别人的", template_key="amazon_store"
    )
    response = _client(trainee).post(
        reverse("workbook:homework_submit", args=[assignment.pk]),
        {"workbook": stranger_workbook.pk},
    )
    assert response.status_code == 200  # the form refuses the choice
    assert not Submission.objects.exists()
    assert not Snapshot.objects.exists()


def test_text_assignment_has_no_workbook_hand_in() -> None:
    _, _, trainee, assignment = homework_cohort()
    response = _client(trainee).get(
        reverse("workbook:homework_submit", args=[assignment.pk])
    )
    assert response.status_code == 404
