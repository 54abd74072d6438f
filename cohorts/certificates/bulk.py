"""Bulk issuing, run by the django-q2 worker (`tasks.run_certificate_batch`).

One failing trainee is recorded in `batch.errors` and the run goes on. Progress is
written after each certificate so the page polling the batch moves. The ZIP holds
every valid certificate of the cohort when the run ends (those just issued, from
memory, and earlier ones, read from storage), stored without recompression because
PDFs are already compressed.
"""

from __future__ import annotations

import logging
import tempfile
import zipfile

from django.core.files import File
from django.db.models import F
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts.models import User
from cohorts.certificates import pdf
from cohorts.certificates.eligibility import cohort_standings
from cohorts.certificates.frozen import holder_name
from cohorts.certificates.models import (
    BatchStatus,
    Certificate,
    CertificateBatch,
    CertificateName,
    CertificateStatus,
)
from cohorts.certificates.services import (
    CertificateError,
    batch_fail,
    certificate_issue,
    eligible_without_certificate,
    issue_context,
)

logger = logging.getLogger(__name__)


def archive_entry_name(certificate: Certificate) -> str:
    name = (certificate.frozen.get("name") or {}).get("zh") or str(certificate.user_id)
    safe = "".join(ch for ch in name if ch not in '/\\:*?"<>|').strip() or "certificate"
    return f"{safe} {certificate.code}.pdf"


def batch_run(batch_id: int, language: str = "zh-hans") -> CertificateBatch:
    batch = CertificateBatch.objects.select_related(
        "cohort__course", "cohort__organization", "requested_by"
    ).get(pk=batch_id)
    if batch.status != BatchStatus.PENDING:
        return batch  # a retried task does not issue twice
    with translation.override(language):
        try:
            _run(batch)
        except Exception:
            logger.exception("Certificate batch %s stopped", batch.pk)
            batch_fail(batch, _("The run stopped on an unexpected error."))
    batch.refresh_from_db()
    return batch


def _run(batch: CertificateBatch) -> None:
    cohort = batch.cohort
    try:
        context = issue_context(cohort)
    except CertificateError as error:
        batch_fail(batch, str(error))
        return
    standings = cohort_standings(cohort, rule=context.rule)
    eligible, skipped = eligible_without_certificate(cohort, standings)
    users = User.objects.in_bulk(eligible)
    names = {
        saved.user_id: saved
        for saved in CertificateName.objects.filter(user_id__in=eligible)
    }
    order = sorted(eligible, key=lambda uid: (users[uid].display_name, uid))
    CertificateBatch.objects.filter(pk=batch.pk).update(
        status=BatchStatus.RUNNING, total=len(order), skipped=skipped
    )
    pdf.clear_image_cache()
    errors: list[dict[str, object]] = []
    with tempfile.TemporaryFile() as spool:
        with zipfile.ZipFile(spool, "w", zipfile.ZIP_STORED) as archive:
            for user_id in order:
                trainee = users[user_id]
                try:
                    certificate = certificate_issue(
                        cohort=cohort,
                        trainee=trainee,
                        actor=batch.requested_by,
                        standing=standings[user_id],
                        context=context,
                        batch=batch,
                        check_permission=False,
                        name=holder_name(
                            trainee, names.get(user_id) or _no_saved_name(trainee)
                        ),
                    )
                except Exception as error:  # one trainee never stops the others
                    if not isinstance(error, CertificateError):
                        logger.exception("Certificate for user %s failed", user_id)
                    message = (
                        str(error)
                        if isinstance(error, CertificateError)
                        else _("Could not render this certificate.")
                    )
                    errors.append(
                        {
                            "user_id": user_id,
                            "name": trainee.display_name,
                            "error": message,
                        }
                    )
                    CertificateBatch.objects.filter(pk=batch.pk).update(
                        failed=F("failed") + 1, errors=errors
                    )
                    continue
                archive.writestr(
                    archive_entry_name(certificate),
                    certificate._pdf_bytes,  # type: ignore[attr-defined]
                )
                CertificateBatch.objects.filter(pk=batch.pk).update(done=F("done") + 1)
            earlier = Certificate.objects.filter(
                cohort=cohort, status=CertificateStatus.VALID
            ).exclude(batch=batch)
            for certificate in earlier.only("code", "frozen", "pdf", "user_id"):
                if not certificate.pdf:
                    continue
                with certificate.pdf.open("rb") as handle:
                    archive.writestr(archive_entry_name(certificate), handle.read())
        spool.seek(0)
        batch.archive.save(
            f"certificates-{cohort.slug}-{batch.pk}.zip", File(spool), save=False
        )
    CertificateBatch.objects.filter(pk=batch.pk).update(
        archive=batch.archive.name,
        status=BatchStatus.DONE,
        finished_at=timezone.now(),
    )


def _no_saved_name(trainee: User) -> CertificateName:
    """An unsaved name row from the display name (avoids one query per trainee)."""
    return CertificateName(user=trainee, name_zh=trainee.display_name or trainee.email)
