"""Reads with permission checks: anything a user may not see is a 404."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.http import Http404

from accounts.models import User
from cohorts.certificates.eligibility import Standing, cohort_standings, rule_for
from cohorts.certificates.models import (
    Certificate,
    CertificateBatch,
    CertificateName,
    CertificateStatus,
    CompletionRule,
)
from cohorts.certificates.services import can_issue
from cohorts.models import Cohort, Enrolment, EnrolmentStatus
from cohorts.selectors import CohortAccess, cohort_access, cohort_for_user_or_404


def issuing_cohort_or_404(*, user: User, slug: str) -> tuple[Cohort, CohortAccess]:
    """A cohort the user may issue certificates for (coach, staff, in-house org admin)."""
    cohort = cohort_for_user_or_404(user=user, slug=slug)
    access = cohort_access(cohort=cohort, user=user)
    if not can_issue(access, cohort):
        raise Http404
    return cohort, access


def trainee_cohort_or_404(*, user: User, slug: str) -> tuple[Cohort, CohortAccess]:
    """A cohort the user is (or was) a trainee of."""
    cohort = cohort_for_user_or_404(user=user, slug=slug)
    access = cohort_access(cohort=cohort, user=user)
    if access.enrolment is None:
        raise Http404
    return cohort, access


def certificates_of(user: User) -> QuerySet[Certificate]:
    return Certificate.objects.filter(user=user).select_related("cohort")


def certificate_for_download_or_404(*, user: User, code: str) -> Certificate:
    """The holder, or someone who may issue in the certificate's cohort."""
    certificate = (
        Certificate.objects.select_related("cohort", "cohort__organization")
        .filter(code=code)
        .first()
    )
    if certificate is None:
        raise Http404
    if certificate.user_id == user.pk:
        return certificate
    access = cohort_access(cohort=certificate.cohort, user=user)
    if not can_issue(access, certificate.cohort):
        raise Http404
    return certificate


def certificate_for_staff_or_404(*, user: User, code: str) -> Certificate:
    if not user.is_staff:
        raise Http404
    certificate = (
        Certificate.objects.select_related("cohort", "user", "issued_by")
        .filter(code=code)
        .first()
    )
    if certificate is None:
        raise Http404
    return certificate


def batch_for_user_or_404(*, user: User, pk: int) -> CertificateBatch:
    batch = CertificateBatch.objects.select_related("cohort").filter(pk=pk).first()
    if batch is None:
        raise Http404
    if not can_issue(cohort_access(cohort=batch.cohort, user=user), batch.cohort):
        raise Http404
    return batch


def verify_lookup(code: str) -> Certificate | None:
    return Certificate.objects.select_related("cohort").filter(code=code).first()


@dataclass(frozen=True, slots=True)
class IssuingRow:
    user: User
    standing: Standing
    certificate: Certificate | None


def issuing_rows(cohort: Cohort, rule: CompletionRule | None) -> list[IssuingRow]:
    """Every active trainee with their standing and valid certificate (fixed queries)."""
    standings = cohort_standings(cohort, rule=rule) if rule else {}
    enrolments = (
        Enrolment.objects.filter(cohort=cohort, status=EnrolmentStatus.ACTIVE)
        .select_related("user")
        .order_by("user__display_name", "user_id")
    )
    certificates = {
        c.user_id: c
        for c in Certificate.objects.filter(
            cohort=cohort, status=CertificateStatus.VALID
        )
    }
    return [
        IssuingRow(
            user=e.user,
            standing=standings.get(e.user_id) or Standing(e.user_id, has_rules=False),
            certificate=certificates.get(e.user_id),
        )
        for e in enrolments
    ]


def trainee_standing(
    cohort: Cohort, user: User
) -> tuple[CompletionRule | None, Standing | None]:
    rule = rule_for(cohort)
    if rule is None:
        return None, None
    return rule, cohort_standings(cohort, [user.pk], rule=rule).get(user.pk)


def saved_name(user: User) -> CertificateName | None:
    return CertificateName.objects.filter(user=user).first()


def recent_batches(cohort: Cohort) -> QuerySet[CertificateBatch]:
    return CertificateBatch.objects.filter(cohort=cohort)[:5]


def staff_certificates(query: str = "") -> QuerySet[Certificate]:
    certificates = Certificate.objects.select_related("user", "cohort")
    if query:
        certificates = certificates.filter(
            Q(code__icontains=query)
            | Q(user__display_name__icontains=query)
            | Q(user__email__icontains=query)
            | Q(cohort__name__icontains=query)
        )
    return certificates[:200]
