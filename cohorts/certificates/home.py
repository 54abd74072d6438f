"""The certificates panel on a trainee's home page: standing in their current cohorts
that have completion rules (at most three) and their certificates."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils import timezone

from accounts.home import HomePanel
from cohorts.certificates.eligibility import cohort_standings
from cohorts.certificates.models import Certificate, CertificateStatus, CompletionRule
from cohorts.models import EnrolmentStatus

MAX_COHORTS = 3


def certificates_panel(request: HttpRequest) -> HomePanel | None:
    user = request.user
    if not user.is_authenticated:
        return None
    certificates = list(
        Certificate.objects.filter(user=user, status=CertificateStatus.VALID)
        .select_related("cohort")
        .order_by("-issued_at")[:5]
    )
    held = {c.cohort_id for c in certificates}
    today = timezone.localdate()
    rules = (
        CompletionRule.objects.filter(
            cohort__enrolments__user=user,
            cohort__enrolments__status=EnrolmentStatus.ACTIVE,
            cohort__starts_on__lte=today,
        )
        .exclude(cohort_id__in=held)
        .select_related("cohort")
        .order_by("-cohort__starts_on")[:MAX_COHORTS]
    )
    standings = []
    for rule in rules:
        standing = cohort_standings(rule.cohort, [user.pk], rule=rule).get(user.pk)
        if standing is not None:
            standings.append({"cohort": rule.cohort, "standing": standing})
    if not standings and not certificates:
        return None
    return HomePanel(
        template="certificates/home_panel.html",
        context={"standings": standings, "certificates": certificates},
        order=40,
    )
