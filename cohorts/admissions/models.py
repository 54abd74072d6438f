"""Applications (报名) to a cohort, their review per person, payments and invoices.

An `Application` is what one applicant sends: their company and the `Registrant`s
(the people they enrol, often several colleagues). Each registrant is approved or
rejected on their own; approval enrols them. Money is recorded, never collected:
`PaymentAgreement` is what was agreed (per application or per person), `Payment` what
came in by bank transfer, `InvoiceRequest` the company's 发票 details and, once
issued, its number. Money is `Decimal` with two places, in the agreement's currency.
"""

from __future__ import annotations

import secrets
from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


def new_access_key() -> str:
    return secrets.token_urlsafe(24)


class ApprovalMode(models.TextChoices):
    REVIEWED = "reviewed", pgettext_lazy("admissions", "Reviewed by staff")
    AUTOMATIC = "automatic", pgettext_lazy("admissions", "Approved automatically")


class Currency(models.TextChoices):
    CNY = "CNY", pgettext_lazy("admissions", "CNY (Chinese yuan)")
    USD = "USD", pgettext_lazy("admissions", "USD (US dollar)")
    HKD = "HKD", pgettext_lazy("admissions", "HKD (Hong Kong dollar)")


class AdmissionSettings(models.Model):
    """How one cohort takes applications; a cohort without a row uses the defaults."""

    cohort = models.OneToOneField(
        "cohorts.Cohort",
        on_delete=models.CASCADE,
        related_name="admission_settings",
        verbose_name=pgettext_lazy("admissions", "cohort"),
    )
    is_open = models.BooleanField(
        pgettext_lazy("admissions", "accepting applications"),
        default=True,
        help_text=_("Visitors see an Apply button on the cohort's page."),
    )
    approval = models.CharField(
        pgettext_lazy("admissions", "approval"),
        max_length=20,
        choices=ApprovalMode.choices,
        default=ApprovalMode.REVIEWED,
    )
    price = models.DecimalField(
        pgettext_lazy("admissions", "price per person"),
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal(0))],
        help_text=_("Shown to applicants and proposed when staff record an agreement."),
    )
    currency = models.CharField(
        pgettext_lazy("admissions", "currency"),
        max_length=3,
        choices=Currency.choices,
        default=Currency.CNY,
    )
    updated_at = models.DateTimeField(
        pgettext_lazy("admissions", "updated"), auto_now=True
    )

    class Meta:
        verbose_name = pgettext_lazy("admissions", "admission settings")
        verbose_name_plural = pgettext_lazy("admissions", "admission settings")

    def __str__(self) -> str:
        return str(self.cohort)

    @property
    def is_automatic(self) -> bool:
        return self.approval == ApprovalMode.AUTOMATIC


class TeamSize(models.TextChoices):
    SOLO = "1-5", pgettext_lazy("admissions", "1–5 people")
    SMALL = "6-20", pgettext_lazy("admissions", "6–20 people")
    MEDIUM = "21-50", pgettext_lazy("admissions", "21–50 people")
    LARGE = "51-200", pgettext_lazy("admissions", "51–200 people")
    HUGE = "200+", pgettext_lazy("admissions", "More than 200 people")


class RevenueBand(models.TextChoices):
    UNDER_10M = "<10m", _("Under ¥10 million a year")
    TO_50M = "10-50m", pgettext_lazy("admissions", "¥10–50 million a year")
    TO_200M = "50-200m", pgettext_lazy("admissions", "¥50–200 million a year")
    TO_1B = "200m-1b", _("¥200 million – 1 billion a year")
    OVER_1B = "1b+", _("Over ¥1 billion a year")
    UNDISCLOSED = "undisclosed", pgettext_lazy("admissions", "Prefer not to say")


class SalesChannel(models.TextChoices):
    AMAZON_US = "amazon_us", pgettext_lazy("admissions", "Amazon US")
    AMAZON_EU = "amazon_eu", pgettext_lazy("admissions", "Amazon EU")
    AMAZON_JP = "amazon_jp", pgettext_lazy("admissions", "Amazon JP")
    SHOPIFY = "shopify", pgettext_lazy("admissions", "Shopify")
    TIKTOK_SHOP = "tiktok_shop", pgettext_lazy("admissions", "TikTok Shop")
    SHOPEE = "shopee", pgettext_lazy("admissions", "Shopee")
    WALMART = "walmart", pgettext_lazy("admissions", "Walmart")
    TEMU = "temu", pgettext_lazy("admissions", "Temu")
    OTHER = "other", pgettext_lazy("sales channel", "Other")


class ManagementPain(models.TextChoices):
    NO_TARGETS = "no_targets", _("Targets are not broken down to teams and people")
    TOO_MANY_KPIS = "too_many_kpis", _("Too many KPIs, nobody knows which matter")
    UNTRUSTED_DATA = "untrusted_data", _("Data is scattered or not trusted")
    AD_SPEND = "ad_spend", _("Ad spend grows faster than profit")
    INVENTORY = (
        "inventory",
        pgettext_lazy("admissions", "Stock-outs or slow-moving inventory"),
    )
    NO_REVIEW = "no_review", _("No weekly review; problems are found too late")
    CROSS_TEAM = "cross_team", _("Cross-department goals have no clear owner")


class Application(models.Model):
    """One applicant's request to enrol one or more people in one cohort."""

    cohort = models.ForeignKey(
        "cohorts.Cohort",
        on_delete=models.PROTECT,
        related_name="applications",
        verbose_name=pgettext_lazy("admissions", "cohort"),
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="applications",
        verbose_name=pgettext_lazy("admissions", "submitted by"),
    )
    organization = models.ForeignKey(
        "accounts.Organization",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="applications",
        verbose_name=pgettext_lazy("admissions", "organization"),
        help_text=_("Its admins may see the application and send invoice details."),
    )
    company_name = models.CharField(
        pgettext_lazy("admissions", "company name"), max_length=200
    )
    applicant_name = models.CharField(
        pgettext_lazy("admissions", "applicant name"), max_length=120
    )
    applicant_role = models.CharField(
        pgettext_lazy("admissions", "applicant role"), max_length=120
    )
    team_size = models.CharField(
        pgettext_lazy("admissions", "team size"),
        max_length=20,
        choices=TeamSize.choices,
    )
    channels = models.JSONField(
        pgettext_lazy("admissions", "platforms and sites"), default=list
    )
    revenue_band = models.CharField(
        pgettext_lazy("admissions", "yearly revenue"),
        max_length=20,
        choices=RevenueBand.choices,
    )
    pains = models.JSONField(
        pgettext_lazy("admissions", "management problems"), default=list
    )
    problems = models.TextField(
        pgettext_lazy("admissions", "problems in their words"), blank=True
    )
    phone = models.CharField(
        pgettext_lazy("admissions", "contact phone"), max_length=40
    )
    email = models.EmailField(pgettext_lazy("admissions", "contact email"))
    language = models.CharField(
        pgettext_lazy("admissions", "language"),
        max_length=10,
        default=settings.LANGUAGE_CODE,
    )
    access_key = models.CharField(
        pgettext_lazy("admissions", "status link key"),
        max_length=64,
        unique=True,
        default=new_access_key,
    )
    created_at = models.DateTimeField(
        pgettext_lazy("admissions", "submitted"), default=timezone.now
    )

    class Meta:
        verbose_name = pgettext_lazy("admissions", "application")
        verbose_name_plural = pgettext_lazy("admissions", "applications")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["cohort", "email"])]

    def __str__(self) -> str:
        return f"{self.company_name} → {self.cohort}"

    def channel_labels(self) -> list[str]:
        labels = dict(SalesChannel.choices)
        return [str(labels.get(key, key)) for key in self.channels]

    def pain_labels(self) -> list[str]:
        labels = dict(ManagementPain.choices)
        return [str(labels.get(key, key)) for key in self.pains]


class RegistrantStatus(models.TextChoices):
    PENDING = "pending", pgettext_lazy("admissions", "Waiting for review")
    APPROVED = "approved", pgettext_lazy("admissions", "Approved and enrolled")
    REJECTED = "rejected", pgettext_lazy("admissions", "Not accepted")


class Registrant(models.Model):
    """One person an application enrols; reviewed on their own."""

    application = models.ForeignKey(
        Application,
        on_delete=models.CASCADE,
        related_name="registrants",
        verbose_name=pgettext_lazy("admissions", "application"),
    )
    cohort = models.ForeignKey(
        "cohorts.Cohort",
        on_delete=models.PROTECT,
        related_name="registrants",
        verbose_name=pgettext_lazy("admissions", "cohort"),
        help_text=_("The application's cohort, kept here so one email applies once."),
    )
    name = models.CharField(
        pgettext_lazy("admissions", "registrant name"), max_length=120
    )
    email = models.EmailField(pgettext_lazy("admissions", "registrant email"))
    role = models.CharField(
        pgettext_lazy("admissions", "registrant role"), max_length=120, blank=True
    )
    status = models.CharField(
        pgettext_lazy("admissions", "status"),
        max_length=20,
        choices=RegistrantStatus.choices,
        default=RegistrantStatus.PENDING,
    )
    reason = models.TextField(
        pgettext_lazy("admissions", "decision reason"), blank=True
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=pgettext_lazy("admissions", "decided by"),
    )
    decided_at = models.DateTimeField(
        pgettext_lazy("admissions", "decided"), null=True, blank=True
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="registrations",
        verbose_name=pgettext_lazy("admissions", "account"),
    )
    position = models.PositiveSmallIntegerField(
        pgettext_lazy("admissions", "position"), default=0
    )

    class Meta:
        verbose_name = pgettext_lazy("admissions", "registrant")
        verbose_name_plural = pgettext_lazy("admissions", "registrants")
        ordering = ["application", "position", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["cohort", "email"],
                condition=~Q(status="rejected"),
                name="registrant_unique_open_email_per_cohort",
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} <{self.email}>"


class ApplicationState(models.TextChoices):
    """An application's state, derived from its registrants' decisions."""

    PENDING = "pending", pgettext_lazy("admissions", "Waiting for review")
    APPROVED = "approved", pgettext_lazy("admissions", "Approved")
    PARTIAL = "partial", pgettext_lazy("admissions", "Partly approved")
    REJECTED = "rejected", pgettext_lazy("admissions", "Not accepted")


def application_state(statuses: list[str]) -> str:
    if not statuses or RegistrantStatus.PENDING in statuses:
        return ApplicationState.PENDING
    if all(s == RegistrantStatus.APPROVED for s in statuses):
        return ApplicationState.APPROVED
    if all(s == RegistrantStatus.REJECTED for s in statuses):
        return ApplicationState.REJECTED
    return ApplicationState.PARTIAL


class PaymentAgreement(models.Model):
    """What was agreed: for a whole application, or for one of its registrants."""

    application = models.ForeignKey(
        Application,
        on_delete=models.PROTECT,
        related_name="agreements",
        verbose_name=pgettext_lazy("admissions", "application"),
    )
    registrant = models.ForeignKey(
        Registrant,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="agreements",
        verbose_name=pgettext_lazy("admissions", "for registrant"),
        help_text=_("Empty: the agreement covers the whole application."),
    )
    price = models.DecimalField(
        pgettext_lazy("admissions", "price"), max_digits=12, decimal_places=2
    )
    discount = models.DecimalField(
        pgettext_lazy("admissions", "discount"),
        max_digits=12,
        decimal_places=2,
        default=Decimal("0.00"),
    )
    amount_due = models.DecimalField(
        pgettext_lazy("admissions", "amount due"), max_digits=12, decimal_places=2
    )
    currency = models.CharField(
        pgettext_lazy("admissions", "currency"),
        max_length=3,
        choices=Currency.choices,
        default=Currency.CNY,
    )
    due_on = models.DateField(
        pgettext_lazy("admissions", "due date"), null=True, blank=True
    )
    note = models.CharField(
        pgettext_lazy("admissions", "agreement note"), max_length=300, blank=True
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=pgettext_lazy("admissions", "recorded by"),
    )
    created_at = models.DateTimeField(
        pgettext_lazy("admissions", "recorded"), default=timezone.now
    )

    class Meta:
        verbose_name = pgettext_lazy("admissions", "payment agreement")
        verbose_name_plural = pgettext_lazy("admissions", "payment agreements")
        ordering = ["application", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(price__gte=0)
                & Q(discount__gte=0)
                & Q(discount__lte=models.F("price"))
                & Q(amount_due=models.F("price") - models.F("discount")),
                name="agreement_amounts_consistent",
            )
        ]

    def __str__(self) -> str:
        return f"{self.application} {self.amount_due} {self.currency}"


class Payment(models.Model):
    """Money that came in against an agreement, usually a company bank transfer."""

    agreement = models.ForeignKey(
        PaymentAgreement,
        on_delete=models.CASCADE,
        related_name="payments",
        verbose_name=pgettext_lazy("admissions", "agreement"),
    )
    amount = models.DecimalField(
        pgettext_lazy("admissions", "amount received"),
        max_digits=12,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.01"))],
    )
    received_on = models.DateField(pgettext_lazy("admissions", "received on"))
    reference = models.CharField(
        pgettext_lazy("admissions", "bank transfer reference"), max_length=120
    )
    payer = models.CharField(
        pgettext_lazy("admissions", "paid by"), max_length=200, blank=True
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=pgettext_lazy("admissions", "recorded by"),
    )
    recorded_at = models.DateTimeField(
        pgettext_lazy("admissions", "recorded"), default=timezone.now
    )

    class Meta:
        verbose_name = pgettext_lazy("admissions", "payment")
        verbose_name_plural = pgettext_lazy("admissions", "payments")
        ordering = ["received_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount__gt=0), name="payment_amount_positive"
            )
        ]

    def __str__(self) -> str:
        return f"{self.amount} {self.reference}"


class InvoiceKind(models.TextChoices):
    GENERAL = (
        "general",
        pgettext_lazy("admissions", "VAT general invoice (增值税普通发票)"),
    )
    SPECIAL = (
        "special",
        pgettext_lazy("admissions", "VAT special invoice (增值税专用发票)"),
    )


class InvoiceStatus(models.TextChoices):
    REQUESTED = "requested", pgettext_lazy("admissions", "Requested")
    ISSUED = "issued", pgettext_lazy("admissions", "Issued")


class InvoiceRequest(models.Model):
    """The company's invoice (发票) details for one application, and its issue."""

    application = models.OneToOneField(
        Application,
        on_delete=models.PROTECT,
        related_name="invoice",
        verbose_name=pgettext_lazy("admissions", "application"),
    )
    kind = models.CharField(
        pgettext_lazy("admissions", "invoice type"),
        max_length=20,
        choices=InvoiceKind.choices,
        default=InvoiceKind.GENERAL,
    )
    title = models.CharField(
        pgettext_lazy("admissions", "invoice title (company name)"), max_length=200
    )
    tax_id = models.CharField(_("tax ID (unified social credit code)"), max_length=18)
    address = models.CharField(
        pgettext_lazy("admissions", "registered address"), max_length=300, blank=True
    )
    phone = models.CharField(
        pgettext_lazy("admissions", "company phone"), max_length=40, blank=True
    )
    bank_name = models.CharField(
        pgettext_lazy("admissions", "bank"), max_length=200, blank=True
    )
    bank_account = models.CharField(
        pgettext_lazy("admissions", "bank account"), max_length=60, blank=True
    )
    email = models.EmailField(pgettext_lazy("admissions", "email for the e-invoice"))
    status = models.CharField(
        pgettext_lazy("admissions", "status"),
        max_length=20,
        choices=InvoiceStatus.choices,
        default=InvoiceStatus.REQUESTED,
    )
    number = models.CharField(
        pgettext_lazy("admissions", "invoice number"), max_length=40, blank=True
    )
    issued_on = models.DateField(
        pgettext_lazy("admissions", "issued on"), null=True, blank=True
    )
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=pgettext_lazy("admissions", "issued by"),
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=pgettext_lazy("admissions", "submitted by"),
    )
    submitted_at = models.DateTimeField(
        pgettext_lazy("admissions", "submitted"), default=timezone.now
    )

    class Meta:
        verbose_name = pgettext_lazy("admissions", "invoice request")
        verbose_name_plural = pgettext_lazy("admissions", "invoice requests")

    def __str__(self) -> str:
        return f"{self.title} ({self.get_status_display()})"

    @property
    def is_issued(self) -> bool:
        return self.status == InvoiceStatus.ISSUED
