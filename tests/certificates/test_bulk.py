"""Bulk issuing runs through django-q2: progress is counted, one trainee's failure is
reported without stopping the others, and the ZIP holds every valid certificate."""

from __future__ import annotations

import io
import zipfile
from typing import Any
from unittest import mock

import pytest
from django.test import Client
from django.urls import reverse

from cohorts.certificates import bulk, services
from cohorts.certificates.models import BatchStatus, Certificate, CertificateBatch
from cohorts.certificates.tasks import auto_issue_certificates
from tests.factories.accounts import UserFactory
from tests.factories.cohorts import EnrolmentFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def trainees(cohort: Any, trainee: Any) -> list[Any]:
    people = [trainee]
    for name in ("王小明", "赵六"):
        user = UserFactory(display_name=name)
        EnrolmentFactory(cohort=cohort, user=user)
        people.append(user)
    return people


def test_batch_issues_everyone_and_zips_the_pdfs(
    cohort: Any, coach: Any, trainees: list[Any]
) -> None:
    already = services.certificate_issue(
        cohort=cohort, trainee=trainees[0], actor=coach
    )
    batch = CertificateBatch.objects.create(cohort=cohort, requested_by=coach)

    batch = bulk.batch_run(batch.pk, "zh-hans")

    assert batch.status == BatchStatus.DONE
    assert (batch.total, batch.done, batch.failed, batch.skipped) == (2, 2, 0, 0)
    assert Certificate.objects.filter(cohort=cohort, batch=batch).count() == 2
    with zipfile.ZipFile(io.BytesIO(batch.archive.read())) as archive:
        names = sorted(archive.namelist())
        assert len(names) == 3
        assert any(already.code in n for n in names)
        assert any(n.startswith("王小明 ") for n in names)
        assert all(archive.read(n).startswith(b"%PDF") for n in names)
    # running the same batch again issues nothing more
    assert bulk.batch_run(batch.pk).done == 2
    assert Certificate.objects.count() == 3


def test_one_failure_does_not_stop_the_others(
    cohort: Any, coach: Any, trainees: list[Any]
) -> None:
    real = services.pdf.render_pdf

    def flaky(frozen: dict[str, Any]) -> bytes:
        if frozen["name"]["zh"] == "王小明":
            raise RuntimeError("font exploded")
        return real(frozen)

    batch = CertificateBatch.objects.create(cohort=cohort, requested_by=coach)
    with mock.patch.object(services.pdf, "render_pdf", side_effect=flaky):
        batch = bulk.batch_run(batch.pk, "en")
    assert batch.status == BatchStatus.DONE
    assert (batch.done, batch.failed) == (2, 1)
    assert batch.errors == [
        {
            "user_id": trainees[1].pk,
            "name": "王小明",
            "error": "Could not render this certificate.",
        }
    ]
    assert not Certificate.objects.filter(user=trainees[1]).exists()


def test_not_eligible_trainees_are_counted_as_skipped(
    cohort: Any, coach: Any, trainees: list[Any]
) -> None:
    rule = cohort.completion_rule
    rule.min_attendance_percent = 50
    rule.save()
    batch = bulk.batch_run(
        CertificateBatch.objects.create(cohort=cohort, requested_by=coach).pk
    )
    assert (batch.total, batch.done, batch.skipped) == (0, 0, 3)
    assert batch.status == BatchStatus.DONE


def test_bulk_page_starts_a_task_and_polls(
    client: Client,
    cohort: Any,
    coach: Any,
    trainees: list[Any],
    django_capture_on_commit_callbacks: Any,
) -> None:
    client.force_login(coach)
    with (
        mock.patch("django_q.tasks.async_task") as queued,
        django_capture_on_commit_callbacks(execute=True),
    ):
        response = client.post(reverse("certificates:bulk", args=[cohort.slug]))
    batch = CertificateBatch.objects.get()
    assert response["Location"] == reverse("certificates:batch", args=[batch.pk])
    queued.assert_called_once()
    assert queued.call_args.args[:2] == (
        "cohorts.certificates.tasks.run_certificate_batch",
        batch.pk,
    )
    page = client.get(response["Location"])
    assert 'hx-trigger="every 1s"' in page.content.decode()

    bulk.batch_run(batch.pk)
    fragment = client.get(response["Location"], HTTP_HX_REQUEST="true")
    html = fragment.content.decode()
    assert "hx-trigger" not in html
    assert reverse("certificates:batch_archive", args=[batch.pk]) in html
    archive = client.get(reverse("certificates:batch_archive", args=[batch.pk]))
    assert archive.status_code == 200
    assert archive["Content-Type"] == "application/zip"


def test_batch_pages_are_404_for_others(
    client: Client, cohort: Any, coach: Any, trainees: list[Any]
) -> None:
    batch = bulk.batch_run(
        CertificateBatch.objects.create(cohort=cohort, requested_by=coach).pk
    )
    client.force_login(trainees[0])
    assert client.get(reverse("certificates:batch", args=[batch.pk])).status_code == 404
    assert (
        client.get(reverse("certificates:batch_archive", args=[batch.pk])).status_code
        == 404
    )


def test_auto_issue_only_for_opted_in_cohorts(
    cohort: Any, trainees: list[Any], django_capture_on_commit_callbacks: Any
) -> None:
    from django.utils import timezone

    assert auto_issue_certificates(timezone.now()) == 0
    rule = cohort.completion_rule
    rule.auto_issue = True
    rule.save()
    with django_capture_on_commit_callbacks(execute=True):
        assert auto_issue_certificates(timezone.now()) == 3
    assert auto_issue_certificates(timezone.now()) == 0
    certificate = Certificate.objects.filter(cohort=cohort).first()
    assert certificate.issued_by is None
    assert certificate.events.get().actor is None
