"""Reads for applications; every `*_or_404` checks the viewer on the object."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404

from accounts.models import Membership, MembershipRole, User
from cohorts.admissions.models import (
    AdmissionSettings,
    Application,
    ApplicationState,
    Registrant,
    RegistrantStatus,
    application_state,
)
from cohorts.admissions.services import accepts_applications, admission_settings_for
from cohorts.models import Cohort, Enrolment, EnrolmentStatus

# Applying --------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Offer:
    """What the cohort page says about applying."""

    cohort: Cohort
    settings: AdmissionSettings
    is_open: bool
    seats_left: int | None

    @property
    def is_full(self) -> bool:
        return self.seats_left is not None and self.seats_left <= 0


def cohort_offer(*, cohort: Cohort) -> Offer:
    found = admission_settings_for(cohort)
    seats_left = None
    if cohort.capacity is not None:
        taken = Enrolment.objects.filter(
            cohort=cohort, status=EnrolmentStatus.ACTIVE
        ).count()
        seats_left = max(cohort.capacity - taken, 0)
    return Offer(
        cohort=cohort,
        settings=found,
        is_open=accepts_applications(cohort, found),
        seats_left=seats_left,
    )


def cohort_to_apply_or_404(*, user: User, slug: str) -> Cohort:
    """A cohort the visitor can see (in-house ones only for their people)."""
    cohort = (
        Cohort.objects.visible_to(user)
        .select_related("course", "organization")
        .filter(slug=slug)
        .first()
    )
    if cohort is None:
        raise Http404
    return cohort


# One application -------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ApplicationAccess:
    is_applicant: bool = False
    is_org_admin: bool = False
    is_reviewer: bool = False
    is_staff: bool = False

    @property
    def can_send_invoice_details(self) -> bool:
        return self.is_applicant or self.is_org_admin or self.is_staff


def _with_people(queryset: QuerySet[Application]) -> QuerySet[Application]:
    return queryset.select_related(
        "cohort__course", "organization", "invoice", "submitted_by"
    ).prefetch_related(
        Prefetch(
            "registrants",
            queryset=Registrant.objects.select_related("user", "decided_by").order_by(
                "position", "pk"
            ),
        )
    )


def application_access(*, application: Application, user: User) -> ApplicationAccess:
    if not user.is_authenticated:
        return ApplicationAccess()
    is_applicant = application.submitted_by_id == user.pk or (
        application.email.lower() == user.email.lower()
    )
    is_org_admin = bool(
        application.organization_id
        and Membership.objects.filter(
            user=user,
            organization_id=application.organization_id,
            role=MembershipRole.ADMIN,
        ).exists()
    )
    is_reviewer = (
        user.is_staff or application.cohort.coaches.filter(pk=user.pk).exists()
    )
    return ApplicationAccess(
        is_applicant=is_applicant,
        is_org_admin=is_org_admin,
        is_reviewer=is_reviewer,
        is_staff=user.is_staff,
    )


def application_for_viewer_or_404(
    *, user: User, pk: int
) -> tuple[Application, ApplicationAccess]:
    """The applicant, their organisation's admins, reviewers and staff; else 404."""
    application = _with_people(Application.objects.filter(pk=pk)).first()
    if application is None:
        raise Http404
    access = application_access(application=application, user=user)
    if not (access.is_applicant or access.is_org_admin or access.is_reviewer):
        raise Http404
    return application, access


def application_for_reviewer_or_404(*, user: User, pk: int) -> Application:
    application, access = application_for_viewer_or_404(user=user, pk=pk)
    if not access.is_reviewer:
        raise Http404
    return application


def application_by_key_or_404(*, key: str) -> Application:
    """The secret status link a visitor got by email."""
    if not key or len(key) < 20:
        raise Http404
    application = _with_people(Application.objects.filter(access_key=key)).first()
    if application is None:
        raise Http404
    return application


def registrant_for_reviewer_or_404(*, user: User, pk: int) -> Registrant:
    registrant = (
        Registrant.objects.select_related("application", "cohort", "user")
        .filter(pk=pk)
        .first()
    )
    if (
        registrant is None
        or not reviewable_cohorts(user).filter(pk=registrant.cohort_id).exists()
    ):
        raise Http404
    return registrant


def state_of(application: Application) -> str:
    return application_state([r.status for r in application.registrants.all()])


# Lists -----------------------------------------------------------------------


def reviewable_cohorts(user: User) -> QuerySet[Cohort]:
    if not user.is_authenticated:
        return Cohort.objects.none()
    if user.is_staff:
        return Cohort.objects.all()
    return Cohort.objects.filter(coaches=user)


def is_reviewer(user: User) -> bool:
    return user.is_authenticated and (
        user.is_staff or reviewable_cohorts(user).exists()
    )


_STATE_FILTERS = {
    ApplicationState.PENDING: Q(n_pending__gt=0),
    ApplicationState.APPROVED: Q(n_pending=0, n_rejected=0, n_approved__gt=0),
    ApplicationState.REJECTED: Q(n_pending=0, n_approved=0, n_rejected__gt=0),
    ApplicationState.PARTIAL: Q(n_pending=0, n_approved__gt=0, n_rejected__gt=0),
}


def _counted(queryset: QuerySet[Application]) -> QuerySet[Application]:
    def count(status: str) -> Count:
        return Count("registrants", filter=Q(registrants__status=status))

    return queryset.annotate(
        n_pending=count(RegistrantStatus.PENDING),
        n_approved=count(RegistrantStatus.APPROVED),
        n_rejected=count(RegistrantStatus.REJECTED),
    )


@dataclass(slots=True)
class Queue:
    applications: list[Application]
    cohorts: list[Cohort]
    cohort: Cohort | None
    state: str
    pending_people: int


def review_queue(*, user: User, cohort_slug: str = "", state: str = "") -> Queue:
    """The reviewer's applications, oldest pending first; a fixed number of queries."""
    cohorts = list(reviewable_cohorts(user).order_by("-starts_on", "name"))
    if not cohorts:
        raise Http404
    chosen = next((c for c in cohorts if c.slug == cohort_slug), None)
    if cohort_slug and chosen is None:
        raise Http404
    applications = _counted(
        Application.objects.filter(cohort__in=[chosen] if chosen else cohorts)
    )
    pending_people = Registrant.objects.filter(
        cohort__in=[chosen] if chosen else cohorts, status=RegistrantStatus.PENDING
    ).count()
    if state in _STATE_FILTERS:
        applications = applications.filter(_STATE_FILTERS[state])
    ordered = _with_people(applications).order_by("created_at", "pk")
    rows = list(ordered if state == ApplicationState.PENDING else ordered.reverse())
    return Queue(
        applications=rows,
        cohorts=cohorts,
        cohort=chosen,
        state=state,
        pending_people=pending_people,
    )


def applications_of(*, user: User) -> list[Application]:
    """'My applications': sent by the user or with their email as the contact."""
    return list(
        _with_people(
            Application.objects.filter(
                Q(submitted_by=user) | Q(email__iexact=user.email)
            )
        ).order_by("-created_at", "-pk")
    )


def pending_applications_of(*, user: User) -> list[Application]:
    return list(
        _counted(
            Application.objects.filter(
                Q(submitted_by=user) | Q(email__iexact=user.email)
            )
        )
        .filter(n_pending__gt=0)
        .select_related("cohort")
        .order_by("-created_at")[:5]
    )


def pending_review_count(*, user: User) -> int:
    return Registrant.objects.filter(
        cohort__in=reviewable_cohorts(user), status=RegistrantStatus.PENDING
    ).count()
