"""Money for applications: what was agreed, what came in, invoices; writes and reads.

No payment gateway: staff type in what a company agreed to pay and the bank transfers
that arrived. Amounts are `Decimal` throughout (parsed by `validation.parse_amount`);
a cohort's list sums them exactly, per currency.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import transaction
from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from accounts.models import User
from cohorts.admissions.models import (
    Application,
    InvoiceKind,
    InvoiceRequest,
    InvoiceStatus,
    Payment,
    PaymentAgreement,
    Registrant,
    RegistrantStatus,
)
from cohorts.admissions.services import AdmissionError
from cohorts.admissions.validation import clean_tax_id
from cohorts.models import Cohort

ZERO = Decimal("0.00")


def _require_staff(user: User) -> None:
    if not user.is_staff:
        raise AdmissionError(_("Only staff record payments and invoices."))


# Agreements and payments -----------------------------------------------------


def agreement_record(
    *,
    application: Application,
    staff: User,
    price: Decimal,
    discount: Decimal,
    currency: str,
    due_on: dt.date | None,
    registrant: Registrant | None = None,
    note: str = "",
) -> PaymentAgreement:
    """What a company agreed to pay, for the application or one person in it."""
    _require_staff(staff)
    if registrant is not None and registrant.application_id != application.pk:
        raise AdmissionError(_("That person is not in this application."))
    if discount > price:
        raise AdmissionError(
            _("The discount cannot be more than the price."), field="discount"
        )
    return PaymentAgreement.objects.create(
        application=application,
        registrant=registrant,
        price=price,
        discount=discount,
        amount_due=price - discount,
        currency=currency,
        due_on=due_on,
        note=note.strip(),
        created_by=staff,
    )


def payment_record(
    *,
    agreement: PaymentAgreement,
    staff: User,
    amount: Decimal,
    received_on: dt.date,
    reference: str,
    payer: str = "",
) -> Payment:
    """A bank transfer that came in; several may settle one agreement."""
    _require_staff(staff)
    reference = reference.strip()
    if not reference:
        raise AdmissionError(
            _("Enter the bank transfer's reference so finance can match it."),
            field="reference",
        )
    if received_on > timezone.localdate() + dt.timedelta(days=1):
        raise AdmissionError(
            _("A payment cannot be received in the future."), field="received_on"
        )
    with transaction.atomic():
        locked = PaymentAgreement.objects.select_for_update().get(pk=agreement.pk)
        return Payment.objects.create(
            agreement=locked,
            amount=amount,
            received_on=received_on,
            reference=reference,
            payer=payer.strip(),
            recorded_by=staff,
        )


# Invoices --------------------------------------------------------------------


def invoice_details_save(
    *,
    application: Application,
    user: User | None,
    kind: str,
    title: str,
    tax_id: str,
    email: str,
    address: str = "",
    phone: str = "",
    bank_name: str = "",
    bank_account: str = "",
) -> InvoiceRequest:
    """Create or correct the invoice details; refused once the invoice is issued.

    The caller has checked that `user` (None for a visitor with the status link)
    may act for this application.
    """
    tax_id = clean_tax_id(tax_id)
    if kind == InvoiceKind.SPECIAL and not (
        address.strip() and phone.strip() and bank_name.strip() and bank_account.strip()
    ):
        raise AdmissionError(
            _(
                "A VAT special invoice needs the registered address, company phone, "
                "bank and bank account."
            ),
            field="kind",
        )
    with transaction.atomic():
        existing = (
            InvoiceRequest.objects.select_for_update()
            .filter(application=application)
            .first()
        )
        if existing is not None and existing.is_issued:
            raise AdmissionError(
                _("This invoice has been issued; write to us to change it.")
            )
        invoice = existing or InvoiceRequest(application=application)
        invoice.kind = kind
        invoice.title = title.strip()
        invoice.tax_id = tax_id
        invoice.email = email.strip()
        invoice.address = address.strip()
        invoice.phone = phone.strip()
        invoice.bank_name = bank_name.strip()
        invoice.bank_account = bank_account.strip()
        invoice.submitted_by = user if user and user.pk else None
        invoice.submitted_at = timezone.now()
        invoice.save()
    return invoice


def invoice_issue(
    *, invoice: InvoiceRequest, staff: User, number: str, issued_on: dt.date
) -> InvoiceRequest:
    _require_staff(staff)
    number = number.strip()
    if not number:
        raise AdmissionError(
            pgettext_lazy("admissions", "Enter the invoice number."), field="number"
        )
    with transaction.atomic():
        locked = InvoiceRequest.objects.select_for_update().get(pk=invoice.pk)
        locked.status = InvoiceStatus.ISSUED
        locked.number = number
        locked.issued_on = issued_on
        locked.issued_by = staff
        locked.save(update_fields=["status", "number", "issued_on", "issued_by"])
    return locked


# Reads -----------------------------------------------------------------------


class PaymentState:
    PAID = "paid"
    PARTLY = "partly"
    UNPAID = "unpaid"
    NO_AGREEMENT = "no_agreement"


def payment_state(due: Decimal, received: Decimal) -> str:
    if received >= due:
        return PaymentState.PAID
    return PaymentState.PARTLY if received > 0 else PaymentState.UNPAID


@dataclass(slots=True)
class AgreementLine:
    agreement: PaymentAgreement
    payments: list[Payment]
    received: Decimal
    outstanding: Decimal
    state: str
    form: object = None  # the staff page's "record a bank transfer" form


@dataclass(slots=True)
class FinanceRow:
    """One application in a cohort's money list, with its agreements and invoice."""

    application: Application
    approved: int
    lines: list[AgreementLine] = field(default_factory=list)
    invoice: InvoiceRequest | None = None

    @property
    def state(self) -> str:
        if not self.lines:
            return PaymentState.NO_AGREEMENT
        states = {line.state for line in self.lines}
        if states == {PaymentState.PAID}:
            return PaymentState.PAID
        if states == {PaymentState.UNPAID}:
            return PaymentState.UNPAID
        return PaymentState.PARTLY


@dataclass(slots=True)
class Totals:
    due: Decimal = ZERO
    received: Decimal = ZERO

    @property
    def outstanding(self) -> Decimal:
        return self.due - self.received


@dataclass(slots=True)
class CohortFinance:
    cohort: Cohort
    rows: list[FinanceRow]
    totals: dict[str, Totals]  # per currency
    counts: dict[str, int]


def _agreement_line(agreement: PaymentAgreement) -> AgreementLine:
    payments = list(agreement.payments.all())
    received = sum((p.amount for p in payments), ZERO)
    return AgreementLine(
        agreement=agreement,
        payments=payments,
        received=received,
        outstanding=max(agreement.amount_due - received, ZERO),
        state=payment_state(agreement.amount_due, received),
    )


def application_lines(application: Application) -> list[AgreementLine]:
    agreements = application.agreements.select_related("registrant").prefetch_related(
        Prefetch("payments", queryset=Payment.objects.order_by("received_on", "pk"))
    )
    return [_agreement_line(a) for a in agreements]


def cohort_finance(*, cohort: Cohort, state: str = "") -> CohortFinance:
    """Applications with an approved person or an agreement: four queries in all."""
    applications = (
        Application.objects.filter(cohort=cohort)
        .select_related("invoice")
        .prefetch_related(
            Prefetch("registrants", queryset=Registrant.objects.order_by("position")),
            Prefetch(
                "agreements",
                queryset=PaymentAgreement.objects.select_related(
                    "registrant"
                ).prefetch_related(
                    Prefetch(
                        "payments",
                        queryset=Payment.objects.order_by("received_on", "pk"),
                    )
                ),
            ),
        )
        .order_by("company_name", "pk")
    )
    rows: list[FinanceRow] = []
    totals: dict[str, Totals] = defaultdict(Totals)
    counts: dict[str, int] = defaultdict(int)
    for application in applications:
        approved = sum(
            1
            for r in application.registrants.all()
            if r.status == RegistrantStatus.APPROVED
        )
        lines = [_agreement_line(a) for a in application.agreements.all()]
        if not approved and not lines:
            continue
        invoice = getattr(application, "invoice", None)
        row = FinanceRow(application, approved, lines, invoice)
        counts[row.state] += 1
        if state and row.state != state:
            continue
        for line in lines:
            total = totals[line.agreement.currency]
            total.due += line.agreement.amount_due
            total.received += line.received
        rows.append(row)
    return CohortFinance(cohort=cohort, rows=rows, totals=dict(totals), counts=counts)
