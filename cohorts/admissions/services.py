"""Writes for applications: submit, approve or reject each person, cohort settings.

Every function checks the acting user on the object and raises `AdmissionError` with
a message for the user when it refuses; nothing is written then (one transaction).
Emails go out after commit through django-q2 (`cohorts.admissions.tasks`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from accounts.models import Membership, MembershipRole, User
from cohorts.admissions.models import (
    AdmissionSettings,
    Application,
    ApprovalMode,
    Registrant,
    RegistrantStatus,
)
from cohorts.models import Cohort, Enrolment, EnrolmentSource, EnrolmentStatus
from cohorts.selectors import cohort_access
from cohorts.services import CohortFull, enrolment_admit

MAX_REGISTRANTS = 30


class AdmissionError(Exception):
    def __init__(self, message: str | Promise, *, field: str | None = None) -> None:
        super().__init__(str(message))
        self.message = message
        self.field = field


# Settings --------------------------------------------------------------------


def admission_settings_for(cohort: Cohort) -> AdmissionSettings:
    """The cohort's settings; without a row, reviewed, and open unless in-house.

    In-house cohorts fill their seats through HR's bulk enrolment, so they take
    applications only when staff open them.
    """
    found = AdmissionSettings.objects.filter(cohort=cohort).first()
    return found or AdmissionSettings(cohort=cohort, is_open=not cohort.is_in_house)


def admission_settings_save(
    *,
    cohort: Cohort,
    user: User,
    is_open: bool,
    approval: str,
    price: Decimal | None,
    currency: str,
) -> AdmissionSettings:
    if not user.is_staff:
        raise AdmissionError(_("Only staff change how a cohort takes applications."))
    found, _created = AdmissionSettings.objects.update_or_create(
        cohort=cohort,
        defaults={
            "is_open": is_open,
            "approval": approval,
            "price": price,
            "currency": currency,
        },
    )
    return found


def accepts_applications(cohort: Cohort, found: AdmissionSettings) -> bool:
    today = timezone.localdate()
    return found.is_open and not (cohort.ends_on and cohort.ends_on < today)


# Submitting ------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class PersonDetails:
    name: str
    email: str
    role: str = ""


@dataclass(frozen=True, slots=True)
class ApplicantDetails:
    company_name: str
    applicant_name: str
    applicant_role: str
    team_size: str
    revenue_band: str
    phone: str
    email: str
    channels: list[str] = field(default_factory=list)
    pains: list[str] = field(default_factory=list)
    problems: str = ""


def _seats(cohort: Cohort) -> tuple[int, int | None]:
    taken = Enrolment.objects.filter(
        cohort=cohort, status=EnrolmentStatus.ACTIVE
    ).count()
    return taken, cohort.capacity


def _organization_of(user: User | None) -> int | None:
    """The organisation an applicant applies for: the one they administer, else theirs."""
    if user is None or not user.is_authenticated:
        return None
    memberships = list(
        Membership.objects.filter(user=user).values_list("organization_id", "role")
    )
    for organization_id, role in memberships:
        if role == MembershipRole.ADMIN:
            return organization_id
    return memberships[0][0] if memberships else None


def _check_repeats(
    cohort: Cohort, details: ApplicantDetails, emails: list[str]
) -> None:
    earlier = Registrant.objects.filter(cohort=cohort).exclude(
        status=RegistrantStatus.REJECTED
    )
    if earlier.filter(application__email__iexact=details.email).exists():
        raise AdmissionError(
            _(
                "You have already applied for this cohort with %(email)s. The link in "
                "our email shows its status; write to us to change it."
            )
            % {"email": details.email},
            field="email",
        )
    taken = sorted(
        set(earlier.filter(email__in=emails).values_list("email", flat=True))
    )
    if taken:
        raise AdmissionError(
            _("%(emails)s already applied for this cohort.")
            % {"emails": ", ".join(taken)},
            field="people",
        )
    enrolled = sorted(
        Enrolment.objects.filter(
            cohort=cohort,
            status__in=[EnrolmentStatus.ACTIVE, EnrolmentStatus.WAITLISTED],
            user__email__in=emails,
        ).values_list("user__email", flat=True)
    )
    if enrolled:
        raise AdmissionError(
            _("%(emails)s is already enrolled in this cohort.")
            % {"emails": ", ".join(enrolled)},
            field="people",
        )


def _check_people(people: list[PersonDetails]) -> list[str]:
    if not people:
        raise AdmissionError(
            _("Add at least one person to enrol (it may be you)."), field="people"
        )
    if len(people) > MAX_REGISTRANTS:
        raise AdmissionError(
            _("One application enrols at most %(n)s people; send another for the rest.")
            % {"n": MAX_REGISTRANTS},
            field="people",
        )
    emails = [p.email.strip().lower() for p in people]
    seen: set[str] = set()
    for email in emails:
        if email in seen:
            raise AdmissionError(
                _("%(email)s appears twice in the list of people.") % {"email": email},
                field="people",
            )
        seen.add(email)
    return emails


def _check_seats(cohort: Cohort, automatic: bool, count: int) -> None:
    taken, capacity = _seats(cohort)
    if capacity is None:
        return
    if taken >= capacity:
        raise AdmissionError(
            _(
                "This cohort is full (%(capacity)s of %(capacity)s seats taken), so it "
                "takes no more applications. Choose another cohort on the course page."
            )
            % {"capacity": capacity}
        )
    if automatic and taken + count > capacity:
        raise AdmissionError(
            _(
                "Seats left: %(left)s. You listed %(count)s people; remove some, or "
                "apply for the others in another cohort."
            )
            % {"left": capacity - taken, "count": count},
            field="people",
        )


def application_submit(
    *,
    cohort: Cohort,
    applicant: User | None,
    details: ApplicantDetails,
    people: list[PersonDetails],
    language: str,
) -> Application:
    """Record an application; in an automatic cohort everyone is enrolled at once.

    The cohort row is locked while repeats and seats are checked, so two identical
    submissions at the same moment cannot both pass; the database's unique constraint
    on (cohort, email) of open registrants is the last guard.
    """
    emails = _check_people(people)
    found = admission_settings_for(cohort)
    if not accepts_applications(cohort, found):
        raise AdmissionError(_("This cohort is not taking applications."))
    try:
        with transaction.atomic():
            locked = Cohort.objects.select_for_update().get(pk=cohort.pk)
            _check_seats(locked, found.is_automatic, len(people))
            _check_repeats(locked, details, emails)
            application = Application.objects.create(
                cohort=locked,
                submitted_by=applicant if applicant and applicant.pk else None,
                organization_id=_organization_of(applicant),
                company_name=details.company_name.strip(),
                applicant_name=details.applicant_name.strip(),
                applicant_role=details.applicant_role.strip(),
                team_size=details.team_size,
                channels=list(details.channels),
                revenue_band=details.revenue_band,
                pains=list(details.pains),
                problems=details.problems.strip(),
                phone=details.phone.strip(),
                email=details.email.strip().lower(),
                language=language,
            )
            registrants = [
                Registrant.objects.create(
                    application=application,
                    cohort=locked,
                    name=person.name.strip(),
                    email=email,
                    role=person.role.strip(),
                    position=index,
                )
                for index, (person, email) in enumerate(
                    zip(people, emails, strict=True)
                )
            ]
            if found.approval == ApprovalMode.AUTOMATIC:
                for registrant in registrants:
                    _admit(registrant, cohort=locked, decided_by=None)
    except IntegrityError:
        raise AdmissionError(
            _("Someone with one of these emails has just applied for this cohort."),
            field="people",
        ) from None
    _after_commit_updates(application.pk, ["received"])
    return application


# Deciding --------------------------------------------------------------------


def can_review(*, cohort: Cohort, user: User) -> bool:
    """Staff and the cohort's own coaches decide who takes a seat."""
    return cohort_access(cohort=cohort, user=user).can_teach


def _locked_pending(registrant: Registrant) -> Registrant:
    locked = (
        Registrant.objects.select_for_update()
        .select_related("application")
        .get(pk=registrant.pk)
    )
    if locked.status != RegistrantStatus.PENDING:
        raise AdmissionError(
            _("%(name)s was already decided: %(status)s.")
            % {"name": locked.name, "status": locked.get_status_display()}
        )
    return locked


def _admit(registrant: Registrant, *, cohort: Cohort, decided_by: User | None) -> None:
    """Find or create the account and take a seat; the caller's transaction."""
    user = User.objects.filter(email__iexact=registrant.email).first()
    if user is None:
        user = User.objects.create_user(
            email=registrant.email,
            password=None,
            display_name=registrant.name,
            preferred_language=registrant.application.language,
        )
    if cohort.organization_id:
        Membership.objects.get_or_create(
            user=user, organization_id=cohort.organization_id
        )
    try:
        enrolment_admit(cohort=cohort, user=user, source=EnrolmentSource.STAFF)
    except CohortFull as full:
        raise AdmissionError(
            _(
                "No seat left for %(name)s: %(taken)s of %(capacity)s seats are taken. "
                "Raise the capacity or free a seat first."
            )
            % {"name": registrant.name, "taken": full.taken, "capacity": full.capacity}
        ) from None
    registrant.status = RegistrantStatus.APPROVED
    registrant.user = user
    registrant.reason = ""
    registrant.decided_by = decided_by
    registrant.decided_at = timezone.now()
    registrant.save(
        update_fields=["status", "user", "reason", "decided_by", "decided_at"]
    )


def registrant_approve(*, registrant: Registrant, reviewer: User) -> Registrant:
    """Enrol one person; refused when the cohort has no seat left."""
    cohort = registrant.cohort
    if not can_review(cohort=cohort, user=reviewer):
        raise AdmissionError(
            _("Only staff and the cohort's coaches review applications.")
        )
    with transaction.atomic():
        locked = _locked_pending(registrant)
        _admit(locked, cohort=cohort, decided_by=reviewer)
    _after_commit_updates(locked.application_id, [f"registrant-{locked.pk}-approved"])
    return locked


def registrant_reject(
    *, registrant: Registrant, reviewer: User, reason: str
) -> Registrant:
    """Turn one person down; the reason is required and shown to the applicant."""
    cohort = registrant.cohort
    if not can_review(cohort=cohort, user=reviewer):
        raise AdmissionError(
            _("Only staff and the cohort's coaches review applications.")
        )
    reason = (reason or "").strip()
    if not reason:
        raise AdmissionError(
            _("Give a reason: the applicant reads it in their status email."),
            field="reason",
        )
    with transaction.atomic():
        locked = _locked_pending(registrant)
        locked.status = RegistrantStatus.REJECTED
        locked.reason = reason[:2000]
        locked.decided_by = reviewer
        locked.decided_at = timezone.now()
        locked.save(update_fields=["status", "reason", "decided_by", "decided_at"])
    _after_commit_updates(locked.application_id, [f"registrant-{locked.pk}-rejected"])
    return locked


def _after_commit_updates(application_id: int, events: list[str]) -> None:
    def enqueue() -> None:
        from django_q.tasks import async_task

        for event in events:
            async_task(
                "cohorts.admissions.tasks.send_application_update",
                application_id,
                event,
            )

    transaction.on_commit(enqueue)
