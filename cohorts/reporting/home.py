"""The org admin's panel on the signed-in home page: three headline numbers."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.http import HttpRequest
from django.utils import timezone

from accounts.home import HomePanel
from accounts.models import Organization
from accounts.selectors import organizations_administered_by
from cohorts.certificates.models import Certificate, CertificateStatus
from cohorts.coaching.models import RetrainingSession
from cohorts.models import Enrolment, EnrolmentStatus


@dataclass(frozen=True, slots=True)
class HomeCard:
    organization: Organization
    people: int
    certificates: int
    retraining: int


def _quarter_start(day: dt.date) -> dt.date:
    return dt.date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)


def headline(organization: Organization) -> HomeCard:
    """Numbers that match the dashboard's tiles with no filter (three queries)."""
    people = (
        Enrolment.objects.filter(
            user__memberships__organization=organization,
            status=EnrolmentStatus.ACTIVE,
        )
        .values("user_id")
        .distinct()
        .count()
    )
    today = timezone.localdate()
    retraining = RetrainingSession.objects.filter(
        organization=organization,
        held_on__gte=_quarter_start(today),
        held_on__lte=today,
    ).count()
    certificates = Certificate.objects.filter(
        status=CertificateStatus.VALID, user__memberships__organization=organization
    ).count()
    return HomeCard(organization, people, certificates, retraining)


def org_admin_panel(request: HttpRequest) -> HomePanel | None:
    user = request.user
    if not user.is_authenticated:
        return None
    organizations = list(organizations_administered_by(user).order_by("name")[:3])
    if not organizations:
        return None
    return HomePanel(
        template="reporting/home_panel.html",
        context={"cards": [headline(org) for org in organizations]},
        order=15,
    )
