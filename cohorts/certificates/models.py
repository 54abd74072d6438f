"""Certificates: completion rules per cohort, designs staff edit in Wagtail, issued
certificates with their frozen text, the audit trail of issuing and revoking, bulk
issuing batches, and the name a trainee wants printed.

An issued `Certificate` never reads its design or the course again: everything printed
is copied into `frozen` at issue (every language of the design), and the PDF is rendered
from that copy, so later edits to names, courses or designs do not change it.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.models import Orderable

from cohorts.certificates.validators import (
    validate_hex_colour,
    validate_image_upload,
    validate_placeholders,
)
from cohorts.models import Cohort

PERCENT_VALIDATORS = [MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(100))]


class DesignLanguage(models.TextChoices):
    CHINESE = "zh", _("Chinese")
    ENGLISH = "en", _("English")
    BILINGUAL = "bilingual", _("Chinese and English")


class CertificateDesign(ClusterableModel):
    """How a certificate looks and reads; staff edit it as a Wagtail snippet."""

    name = models.CharField(_("design name"), max_length=120)
    language = models.CharField(
        _("certificate language"),
        max_length=12,
        choices=DesignLanguage.choices,
        default=DesignLanguage.BILINGUAL,
    )
    title_zh = models.CharField(
        _("certificate title (Chinese)"), max_length=120, default="结业证书", blank=True
    )
    title_en = models.CharField(
        _("certificate title (English)"),
        max_length=120,
        default="Certificate of Completion",
        blank=True,
    )
    body_zh = models.TextField(
        _("certificate text (Chinese)"),
        blank=True,
        validators=[validate_placeholders],
        help_text=_(
            "Placeholders: {name} {course} {cohort} {start_date} {end_date} {hours} "
            "{score}."
        ),
    )
    body_en = models.TextField(
        _("certificate text (English)"),
        blank=True,
        validators=[validate_placeholders],
        help_text=_(
            "Placeholders: {name} {course} {cohort} {start_date} {end_date} {hours} "
            "{score}."
        ),
    )
    issuer_name = models.CharField(
        _("issued by (organization name)"),
        max_length=120,
        blank=True,
        default="Lodestar 跨境电商学院",
    )
    logo = models.ImageField(
        _("logo"),
        upload_to="certificates/logos/",
        blank=True,
        validators=[validate_image_upload],
        help_text=_(
            "PNG, JPEG or WebP up to 2 MB. For in-house cohorts the organization's "
            "logo is used when this is empty."
        ),
    )
    primary_colour = models.CharField(
        _("main colour"),
        max_length=7,
        default="#1f3a5f",
        validators=[validate_hex_colour],
        help_text=_("A hex colour such as #1f3a5f."),
    )
    accent_colour = models.CharField(
        _("accent colour"),
        max_length=7,
        default="#b8893b",
        validators=[validate_hex_colour],
        help_text=_("A hex colour such as #b8893b."),
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("certificate design")
        verbose_name_plural = _("certificate designs")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def languages(self) -> list[str]:
        if self.language == DesignLanguage.BILINGUAL:
            return ["zh", "en"]
        return [self.language]


class CertificateSignature(Orderable):
    design = ParentalKey(
        CertificateDesign, on_delete=models.CASCADE, related_name="signatures"
    )
    signer_name = models.CharField(_("signer's name"), max_length=120)
    signer_title = models.CharField(_("signer's title"), max_length=120, blank=True)
    image = models.ImageField(
        _("signature image"),
        upload_to="certificates/signatures/",
        blank=True,
        validators=[validate_image_upload],
        help_text=_("PNG, JPEG or WebP up to 2 MB, ideally on a transparent ground."),
    )

    class Meta(Orderable.Meta):
        verbose_name = _("signature")
        verbose_name_plural = _("signatures")

    def __str__(self) -> str:
        return self.signer_name


class RequiredAssignments(models.TextChoices):
    NONE = "none", _("None")
    ALL = "all", _("All required assignments")
    COUNT = "count", _("A number of required assignments")


class CompletionRule(models.Model):
    """What a trainee must reach in one cohort to earn its certificate."""

    cohort = models.OneToOneField(
        Cohort,
        on_delete=models.CASCADE,
        related_name="completion_rule",
        verbose_name=_("cohort"),
    )
    min_attendance_percent = models.DecimalField(
        _("minimum attendance (%)"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=PERCENT_VALIDATORS,
    )
    min_lessons_percent = models.DecimalField(
        _("minimum lessons completed (%)"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=PERCENT_VALIDATORS,
    )
    required_assignments = models.CharField(
        _("required assignments approved"),
        max_length=10,
        choices=RequiredAssignments.choices,
        default=RequiredAssignments.ALL,
    )
    required_assignments_count = models.PositiveIntegerField(
        _("number of required assignments approved"), null=True, blank=True
    )
    min_average_score = models.DecimalField(
        _("minimum average rubric score (%)"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=PERCENT_VALIDATORS,
    )
    final_assessment = models.ForeignKey(
        "coaching.Assignment",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("final assessment"),
        help_text=_("An assignment of this cohort that must be approved."),
    )
    auto_issue = models.BooleanField(
        _("issue certificates automatically"),
        default=False,
        help_text=_("Issue as soon as a trainee meets every rule."),
    )
    design = models.ForeignKey(
        CertificateDesign,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="rules",
        verbose_name=_("certificate design"),
    )
    hours = models.DecimalField(
        _("training hours"), max_digits=6, decimal_places=1, null=True, blank=True
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("completion rules")
        verbose_name_plural = _("completion rules")

    def __str__(self) -> str:
        return str(self.cohort)

    def clean(self) -> None:
        super().clean()
        errors: dict[str, str] = {}
        if (
            self.required_assignments == RequiredAssignments.COUNT
            and not self.required_assignments_count
        ):
            errors["required_assignments_count"] = _(
                "Say how many required assignments must be approved."
            )
        if (
            self.final_assessment_id
            and self.cohort_id
            and self.final_assessment.cohort_id != self.cohort_id
        ):
            errors["final_assessment"] = _(
                "The final assessment must be an assignment of this cohort."
            )
        if errors:
            raise ValidationError(errors)


class CertificateName(models.Model):
    """The name a trainee wants printed, set before issue."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="certificate_name",
    )
    name_zh = models.CharField(_("name in Chinese (legal name)"), max_length=60)
    name_latin = models.CharField(
        _("name in pinyin or English"), max_length=80, blank=True
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("certificate name")
        verbose_name_plural = _("certificate names")

    def __str__(self) -> str:
        return self.name_zh


class CertificateStatus(models.TextChoices):
    VALID = "valid", _("Valid")
    REVOKED = "revoked", _("Revoked")


class Certificate(models.Model):
    """One issued certificate; `frozen` holds everything printed on it."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="certificates",
        verbose_name=_("holder"),
    )
    cohort = models.ForeignKey(
        Cohort,
        on_delete=models.PROTECT,
        related_name="certificates",
        verbose_name=_("cohort"),
    )
    code = models.CharField(_("verification code"), max_length=24, unique=True)
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=CertificateStatus.choices,
        default=CertificateStatus.VALID,
    )
    issued_at = models.DateTimeField(_("issued"), default=timezone.now)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("issued by"),
    )
    design = models.ForeignKey(
        CertificateDesign,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="certificates",
    )
    frozen = models.JSONField(_("text as issued"), default=dict)
    pdf = models.FileField(_("PDF"), upload_to="certificates/pdf/%Y/%m/", blank=True)
    override_reason = models.TextField(_("override reason"), blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    revoked_reason = models.TextField(_("reason for revoking"), blank=True)
    batch = models.ForeignKey(
        "CertificateBatch",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="certificates",
    )

    class Meta:
        verbose_name = _("certificate")
        verbose_name_plural = _("certificates")
        ordering = ["-issued_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "cohort"],
                condition=Q(status="valid"),
                name="one_valid_certificate_per_trainee_cohort",
            )
        ]
        indexes = [models.Index(fields=["cohort", "status"])]

    def __str__(self) -> str:
        return self.code


class CertificateAction(models.TextChoices):
    ISSUED = "issued", _("Issued")
    ISSUED_OVERRIDE = "issued_override", _("Issued by staff override")
    REVOKED = "revoked", _("Revoked")
    REINSTATED = "reinstated", _("Reinstated")


class CertificateEvent(models.Model):
    """Audit log: who did what to a certificate, when and why."""

    certificate = models.ForeignKey(
        Certificate, on_delete=models.CASCADE, related_name="events"
    )
    action = models.CharField(
        _("action"), max_length=20, choices=CertificateAction.choices
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by"),
    )
    reason = models.TextField(_("reason"), blank=True)
    created_at = models.DateTimeField(_("when"), default=timezone.now)

    class Meta:
        verbose_name = _("certificate event")
        verbose_name_plural = _("certificate events")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.certificate} · {self.action}"


class BatchStatus(models.TextChoices):
    PENDING = "pending", _("Waiting to start")
    RUNNING = "running", _("Issuing")
    DONE = "done", _("Finished")
    FAILED = "failed", _("Stopped by an error")


class CertificateBatch(models.Model):
    """Bulk issuing for one cohort, run by a django-q2 task; the page polls it."""

    cohort = models.ForeignKey(
        Cohort,
        on_delete=models.CASCADE,
        related_name="certificate_batches",
        verbose_name=_("cohort"),
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=BatchStatus.choices,
        default=BatchStatus.PENDING,
    )
    total = models.PositiveIntegerField(_("to issue"), default=0)
    done = models.PositiveIntegerField(_("issued"), default=0)
    failed = models.PositiveIntegerField(_("failed"), default=0)
    skipped = models.PositiveIntegerField(_("not eligible"), default=0)
    errors = models.JSONField(_("errors"), default=list, blank=True)
    archive = models.FileField(
        _("ZIP of PDFs"), upload_to="certificates/batches/", blank=True
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        verbose_name = _("certificate batch")
        verbose_name_plural = _("certificate batches")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.cohort} · {self.created_at:%Y-%m-%d %H:%M}"

    @property
    def is_finished(self) -> bool:
        return self.status in (BatchStatus.DONE, BatchStatus.FAILED)

    @property
    def percent(self) -> int:
        if not self.total:
            return 100 if self.is_finished else 0
        return int((self.done + self.failed) * 100 / self.total)
