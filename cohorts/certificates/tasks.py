"""Background work for certificates (django-q2).

- `run_certificate_batch`: bulk issuing for one cohort, queued by `services.batch_start`.
- `auto_issue_certificates`: registered as a reminder producer in `apps.ready()`, so the
  scheduled reminders job (every 15 minutes) also issues certificates to
  trainees who now meet the rules of cohorts that opted in. Doing it there costs one
  query for cohorts without auto-issue and needs no hook into reviews or attendance.
"""

from __future__ import annotations

import logging
from datetime import datetime

from django.utils import timezone

from cohorts.certificates.models import CompletionRule

logger = logging.getLogger(__name__)

# The reminders job runs every 15 minutes with a 600 s task timeout; at ~0.2 s per
# certificate this keeps one run well inside it. The rest are issued on the next run.
MAX_AUTO_ISSUE_PER_RUN = 200


def run_certificate_batch(batch_id: int, language: str = "zh-hans") -> dict[str, int]:
    from cohorts.certificates.bulk import batch_run

    batch = batch_run(batch_id, language)
    return {"done": batch.done, "failed": batch.failed, "skipped": batch.skipped}


def auto_issue_certificates(now: datetime) -> int:
    """Issue certificates to eligible trainees of opted-in cohorts; returns how many."""
    from cohorts.certificates.eligibility import cohort_standings
    from cohorts.certificates.services import (
        CertificateError,
        certificate_issue,
        cohort_is_current,
        eligible_without_certificate,
        issue_context,
    )

    today = timezone.localdate(now)
    issued = 0
    rules = CompletionRule.objects.filter(
        auto_issue=True, design__isnull=False
    ).select_related("cohort__course", "cohort__organization", "design")
    for rule in rules:
        cohort = rule.cohort
        if not cohort_is_current(cohort, today):
            continue
        try:
            context = issue_context(cohort, rule)
        except CertificateError:
            continue
        standings = cohort_standings(cohort, rule=rule)
        eligible, _skipped = eligible_without_certificate(cohort, standings)
        if not eligible:
            continue
        from accounts.models import User

        room = MAX_AUTO_ISSUE_PER_RUN - issued
        if room <= 0:
            break
        for trainee in User.objects.filter(pk__in=eligible[:room]):
            try:
                certificate_issue(
                    cohort=cohort,
                    trainee=trainee,
                    actor=None,
                    standing=standings[trainee.pk],
                    context=context,
                    check_permission=False,
                )
                issued += 1
            except Exception:
                logger.exception(
                    "Automatic certificate for user %s in %s failed",
                    trainee.pk,
                    cohort.slug,
                )
    return issued
