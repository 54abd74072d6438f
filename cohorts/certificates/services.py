"""Writes: issuing, revoking and reinstating certificates, the holder's printed name,
and bulk batches. Each issue runs in one transaction: the row, its frozen text, its
PDF and its audit event are saved together or not at all.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts.models import NotificationKind, User
from accounts.notifications import notify
from cohorts.certificates import pdf
from cohorts.certificates.codes import new_code
from cohorts.certificates.eligibility import Standing, cohort_standings, rule_for
from cohorts.certificates.frozen import (
    HolderName,
    build_frozen,
    course_titles,
    holder_name,
    logo_for,
)
from cohorts.certificates.models import (
    BatchStatus,
    Certificate,
    CertificateAction,
    CertificateBatch,
    CertificateDesign,
    CertificateEvent,
    CertificateName,
    CertificateStatus,
    CompletionRule,
)
from cohorts.models import Cohort, Enrolment, EnrolmentStatus
from cohorts.selectors import CohortAccess, cohort_access

logger = logging.getLogger(__name__)


class CertificateError(Exception):
    """A refusal with a message for the person who asked (already translated)."""


def can_issue(access: CohortAccess, cohort: Cohort) -> bool:
    """Coaches of the cohort, staff, and org admins of an in-house cohort's org."""
    return access.can_teach or (access.is_org_admin and cohort.is_in_house)


@dataclass(slots=True)
class IssueContext:
    """What every certificate of one cohort shares, loaded once for a bulk run."""

    cohort: Cohort
    rule: CompletionRule
    design: CertificateDesign
    titles: dict[str, str]
    logo: str


def issue_context(cohort: Cohort, rule: CompletionRule | None = None) -> IssueContext:
    rule = rule if rule is not None else rule_for(cohort)
    if rule is None:
        raise CertificateError(_("This cohort has no completion rules yet."))
    if rule.design is None:
        raise CertificateError(
            _("Choose a certificate design in the completion rules.")
        )
    design = CertificateDesign.objects.prefetch_related("signatures").get(
        pk=rule.design_id
    )
    return IssueContext(
        cohort=cohort,
        rule=rule,
        design=design,
        titles=course_titles(cohort),
        logo=logo_for(design, cohort),
    )


def _check_issuer(*, cohort: Cohort, actor: User | None) -> None:
    if actor is None:  # automatic issue
        return
    if not can_issue(cohort_access(cohort=cohort, user=actor), cohort):
        raise CertificateError(_("You cannot issue certificates for this cohort."))


def certificate_issue(
    *,
    cohort: Cohort,
    trainee: User,
    actor: User | None,
    override_reason: str = "",
    standing: Standing | None = None,
    context: IssueContext | None = None,
    batch: CertificateBatch | None = None,
    check_permission: bool = True,
    name: HolderName | None = None,
) -> Certificate:
    """Issue one certificate, or raise CertificateError saying why not.

    Refused when the trainee does not meet the rules, unless a staff member overrides
    with a reason (kept on the certificate and in its audit event).
    """
    if check_permission:
        _check_issuer(cohort=cohort, actor=actor)
    context = context or issue_context(cohort)
    override_reason = override_reason.strip()
    if standing is None:
        standing = cohort_standings(cohort, [trainee.pk], rule=context.rule).get(
            trainee.pk
        )
    if standing is None:
        raise CertificateError(_("This person is not enrolled in the cohort."))
    if not standing.eligible:
        if not override_reason:
            raise CertificateError(
                _("%(name)s does not meet the completion rules yet.")
                % {"name": trainee.display_name}
            )
        if actor is None or not actor.is_staff:
            raise CertificateError(_("Only staff can issue despite the rules."))
    if Certificate.objects.filter(
        user=trainee, cohort=cohort, status=CertificateStatus.VALID
    ).exists():
        raise CertificateError(
            _("%(name)s already holds a valid certificate for this cohort.")
            % {"name": trainee.display_name}
        )
    issued_at = timezone.now()
    progress = standing.progress
    code = new_code()
    frozen = build_frozen(
        code=code,
        cohort=cohort,
        design=context.design,
        name=name or holder_name(trainee),
        titles=context.titles,
        hours=context.rule.hours,
        score=progress.average_score_percent if progress else None,
        issued_at=issued_at,
        logo=context.logo,
    )
    content = pdf.render_pdf(frozen)
    overridden = not standing.eligible
    try:
        with transaction.atomic():
            certificate = Certificate(
                user=trainee,
                cohort=cohort,
                code=code,
                issued_at=issued_at,
                issued_by=actor,
                design=context.design,
                frozen=frozen,
                override_reason=override_reason if overridden else "",
                batch=batch,
            )
            certificate.pdf.save(f"{code}.pdf", ContentFile(content), save=False)
            certificate.save()
            CertificateEvent.objects.create(
                certificate=certificate,
                action=(
                    CertificateAction.ISSUED_OVERRIDE
                    if overridden
                    else CertificateAction.ISSUED
                ),
                actor=actor,
                reason=override_reason if overridden else "",
                created_at=issued_at,
            )
            transaction.on_commit(lambda: _notify_issued(certificate))
    except IntegrityError:
        raise CertificateError(
            _("%(name)s already holds a valid certificate for this cohort.")
            % {"name": trainee.display_name}
        ) from None
    certificate._pdf_bytes = content  # type: ignore[attr-defined]  # for the ZIP
    return certificate


def _notify_issued(certificate: Certificate) -> None:
    user = certificate.user
    with translation.override(user.preferred_language):
        notify(
            user=user,
            kind=NotificationKind.CERTIFICATE_ISSUED,
            title=_("Your certificate for %(cohort)s is ready")
            % {"cohort": certificate.cohort.name},
            body=_("Download it and share its verification link: %(code)s")
            % {"code": certificate.code},
            dedupe_key=f"certificate_issued:{certificate.pk}",
            url=reverse("certificates:mine"),
        )


def _require_staff(actor: User, reason: str) -> str:
    if not actor.is_staff:
        raise CertificateError(_("Only staff can revoke or reinstate certificates."))
    reason = reason.strip()
    if not reason:
        raise CertificateError(_("Give a reason; it is kept in the audit log."))
    return reason


def certificate_revoke(
    *, certificate: Certificate, actor: User, reason: str
) -> Certificate:
    reason = _require_staff(actor, reason)
    with transaction.atomic():
        locked = Certificate.objects.select_for_update().get(pk=certificate.pk)
        if locked.status == CertificateStatus.REVOKED:
            raise CertificateError(_("This certificate is already revoked."))
        now = timezone.now()
        locked.status = CertificateStatus.REVOKED
        locked.revoked_at = now
        locked.revoked_reason = reason
        locked.save(update_fields=["status", "revoked_at", "revoked_reason"])
        CertificateEvent.objects.create(
            certificate=locked,
            action=CertificateAction.REVOKED,
            actor=actor,
            reason=reason,
            created_at=now,
        )
    return locked


def certificate_reinstate(
    *, certificate: Certificate, actor: User, reason: str
) -> Certificate:
    reason = _require_staff(actor, reason)
    try:
        with transaction.atomic():
            locked = Certificate.objects.select_for_update().get(pk=certificate.pk)
            if locked.status == CertificateStatus.VALID:
                raise CertificateError(_("This certificate is already valid."))
            locked.status = CertificateStatus.VALID
            locked.revoked_at = None
            locked.revoked_reason = ""
            locked.save(update_fields=["status", "revoked_at", "revoked_reason"])
            CertificateEvent.objects.create(
                certificate=locked,
                action=CertificateAction.REINSTATED,
                actor=actor,
                reason=reason,
            )
    except IntegrityError:
        raise CertificateError(
            _("The holder has another valid certificate for this cohort.")
        ) from None
    return locked


def certificate_name_set(
    *, user: User, name_zh: str, name_latin: str
) -> CertificateName:
    """Save the name to print on future certificates (issued ones keep theirs)."""
    saved, _created = CertificateName.objects.update_or_create(
        user=user,
        defaults={"name_zh": name_zh.strip(), "name_latin": name_latin.strip()},
    )
    return saved


# --- Bulk -------------------------------------------------------------------------------


def batch_start(*, cohort: Cohort, actor: User) -> CertificateBatch:
    """Queue bulk issuing for the cohort's eligible trainees (runs in a worker)."""
    from django_q.tasks import async_task

    _check_issuer(cohort=cohort, actor=actor)
    issue_context(cohort)  # refuse now when rules or design are missing
    batch = CertificateBatch.objects.create(cohort=cohort, requested_by=actor)
    language = translation.get_language() or "zh-hans"
    transaction.on_commit(
        lambda: async_task(
            "cohorts.certificates.tasks.run_certificate_batch",
            batch.pk,
            language,
            task_name=f"certificates-batch-{batch.pk}",
        )
    )
    return batch


def eligible_without_certificate(
    cohort: Cohort, standings: dict[int, Standing]
) -> tuple[list[int], int]:
    """(eligible user ids still without a valid certificate, how many not eligible)."""
    holders = set(
        Certificate.objects.filter(
            cohort=cohort, status=CertificateStatus.VALID
        ).values_list("user_id", flat=True)
    )
    pending = [uid for uid, s in standings.items() if uid not in holders]
    eligible = [uid for uid in pending if standings[uid].eligible]
    return eligible, len(pending) - len(eligible)


def active_trainee_ids(cohort: Cohort) -> list[int]:
    return list(
        Enrolment.objects.filter(
            cohort=cohort, status=EnrolmentStatus.ACTIVE
        ).values_list("user_id", flat=True)
    )


def cohort_is_current(cohort: Cohort, today: date) -> bool:
    return cohort.ends_on is None or (today - cohort.ends_on).days <= 90


def batch_fail(batch: CertificateBatch, message: str) -> None:
    CertificateBatch.objects.filter(pk=batch.pk).update(
        status=BatchStatus.FAILED,
        finished_at=timezone.now(),
        errors=[*batch.errors, {"user_id": None, "name": "", "error": message}],
    )
