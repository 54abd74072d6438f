"""Agreements, bank transfers and invoices: exact money, clear refusals."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from cohorts.admissions import finance
from cohorts.admissions.forms import AgreementForm, PaymentForm
from cohorts.admissions.models import InvoiceKind, InvoiceStatus, RegistrantStatus
from cohorts.admissions.services import AdmissionError
from tests.factories.accounts import UserFactory
from tests.factories.admissions import (
    VALID_TAX_ID,
    ApplicationFactory,
    InvoiceRequestFactory,
    PaymentAgreementFactory,
    PaymentFactory,
    RegistrantFactory,
)
from tests.factories.cohorts import CohortFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff():  # type: ignore[no-untyped-def]
    return UserFactory(is_staff=True)


def test_agreement_amount_due_is_price_less_discount(staff):
    application = ApplicationFactory()
    agreement = finance.agreement_record(
        application=application,
        staff=staff,
        price=Decimal("25600.00"),
        discount=Decimal("2560.00"),
        currency="CNY",
        due_on=dt.date(2026, 12, 31),
    )
    assert agreement.amount_due == Decimal("23040.00")


def test_discount_above_price_is_refused(staff):
    with pytest.raises(AdmissionError, match="discount cannot be more"):
        finance.agreement_record(
            application=ApplicationFactory(),
            staff=staff,
            price=Decimal("100"),
            discount=Decimal("100.01"),
            currency="CNY",
            due_on=None,
        )


def test_only_staff_record_money():
    with pytest.raises(AdmissionError, match="Only staff"):
        finance.agreement_record(
            application=ApplicationFactory(),
            staff=UserFactory(),
            price=Decimal(1),
            discount=Decimal(0),
            currency="CNY",
            due_on=None,
        )
    with pytest.raises(AdmissionError, match="Only staff"):
        finance.payment_record(
            agreement=PaymentAgreementFactory(),
            staff=UserFactory(),
            amount=Decimal(1),
            received_on=timezone.localdate(),
            reference="X",
        )


def test_an_agreement_for_a_person_of_another_application_is_refused(staff):
    with pytest.raises(AdmissionError, match="not in this application"):
        finance.agreement_record(
            application=ApplicationFactory(),
            staff=staff,
            registrant=RegistrantFactory(),
            price=Decimal(1),
            discount=Decimal(0),
            currency="CNY",
            due_on=None,
        )


def test_payments_need_a_reference_and_a_past_date(staff):
    agreement = PaymentAgreementFactory()
    with pytest.raises(AdmissionError, match="reference"):
        finance.payment_record(
            agreement=agreement,
            staff=staff,
            amount=Decimal(1),
            received_on=timezone.localdate(),
            reference="  ",
        )
    with pytest.raises(AdmissionError, match="future"):
        finance.payment_record(
            agreement=agreement,
            staff=staff,
            amount=Decimal(1),
            received_on=timezone.localdate() + dt.timedelta(days=5),
            reference="TRX1",
        )
    assert not agreement.payments.exists()


@pytest.mark.parametrize(
    ("amount", "ok"),
    [
        ("12,800.00", True),
        ("12800", True),
        ("12.800,00", False),
        ("abc", False),
        ("-1", False),
    ],
)
def test_payment_form_reads_amounts_strictly(amount, ok):
    form = PaymentForm(
        {"amount": amount, "received_on": "2026-11-20", "reference": "TRX1"}
    )
    assert form.is_valid() is ok
    if ok:
        assert form.cleaned_data["amount"] == Decimal("12800.00")
    else:
        assert form.errors["amount"]


def test_agreement_form_allows_no_discount():
    form = AgreementForm(
        {"price": "12,800.00", "discount": "", "currency": "CNY", "registrant": ""}
    )
    assert form.is_valid(), form.errors
    assert form.cleaned_data["discount"] is None
    assert form.cleaned_data["registrant"] is None


def test_cohort_finance_states_and_exact_totals(staff, django_assert_num_queries):
    cohort = CohortFactory()
    paid = PaymentAgreementFactory(
        application__cohort=cohort, price=Decimal("12800.00")
    )
    PaymentFactory(agreement=paid, amount=Decimal("12799.99"))
    PaymentFactory(agreement=paid, amount=Decimal("0.01"))
    partly = PaymentAgreementFactory(
        application__cohort=cohort,
        price=Decimal("25600.00"),
        discount=Decimal("0.30"),
        amount_due=Decimal("25599.70"),
    )
    PaymentFactory(agreement=partly, amount=Decimal("10000.10"))
    PaymentAgreementFactory(application__cohort=cohort, price=Decimal("0.10"))
    approved_only = RegistrantFactory(
        application__cohort=cohort, status=RegistrantStatus.APPROVED
    )
    RegistrantFactory(application__cohort=cohort)  # pending, no agreement: not listed
    InvoiceRequestFactory(application=paid.application)

    with django_assert_num_queries(4):
        money = finance.cohort_finance(cohort=cohort)
    states = {row.application.pk: row.state for row in money.rows}
    assert states == {
        paid.application_id: "paid",
        partly.application_id: "partly",
        approved_only.application_id: "no_agreement",
        **{
            row.application.pk: "unpaid"
            for row in money.rows
            if row.lines and row.lines[0].agreement.price == Decimal("0.10")
        },
    }
    totals = money.totals["CNY"]
    assert totals.due == Decimal("38399.80")
    assert totals.received == Decimal("22800.10")
    assert totals.outstanding == Decimal("15599.70")
    assert money.counts == {"paid": 1, "partly": 1, "unpaid": 1, "no_agreement": 1}
    assert finance.cohort_finance(cohort=cohort, state="paid").totals["CNY"].due == (
        Decimal("12800.00")
    )


def test_finance_list_queries_do_not_grow(django_assert_num_queries):
    cohort = CohortFactory()
    for _ in range(6):
        agreement = PaymentAgreementFactory(application__cohort=cohort)
        PaymentFactory(agreement=agreement)
        PaymentFactory(agreement=agreement)
        InvoiceRequestFactory(application=agreement.application)
    with django_assert_num_queries(4):
        assert len(finance.cohort_finance(cohort=cohort).rows) == 6


def test_invoice_details_are_checked_and_kept(staff):
    application = ApplicationFactory()
    with pytest.raises(ValidationError) as shape:
        finance.invoice_details_save(
            application=application,
            user=None,
            kind=InvoiceKind.GENERAL,
            title="深圳潮汐",
            tax_id="1234",
            email="f@tidewave.cn",
        )
    assert "18 characters" in shape.value.messages[0]
    with pytest.raises(AdmissionError, match="special invoice needs"):
        finance.invoice_details_save(
            application=application,
            user=None,
            kind=InvoiceKind.SPECIAL,
            title="深圳潮汐",
            tax_id=VALID_TAX_ID,
            email="f@tidewave.cn",
            address="深圳市南山区",
        )
    assert not hasattr(application, "invoice") or application.invoice is None
    invoice = finance.invoice_details_save(
        application=application,
        user=None,
        kind=InvoiceKind.SPECIAL,
        title="深圳潮汐",
        tax_id=VALID_TAX_ID.lower(),
        email="f@tidewave.cn",
        address="深圳市南山区科技园",
        phone="0755-8888 6666",
        bank_name="招商银行深圳分行",
        bank_account="7559 1234 5678 901",
    )
    assert invoice.tax_id == VALID_TAX_ID
    assert invoice.status == InvoiceStatus.REQUESTED

    issued = finance.invoice_issue(
        invoice=invoice,
        staff=staff,
        number="24442000000012345678",
        issued_on=timezone.localdate(),
    )
    assert issued.status == InvoiceStatus.ISSUED
    with pytest.raises(AdmissionError, match="has been issued"):
        finance.invoice_details_save(
            application=application,
            user=None,
            kind=InvoiceKind.GENERAL,
            title="改名",
            tax_id=VALID_TAX_ID,
            email="f@tidewave.cn",
        )
    issued.refresh_from_db()
    assert issued.title == "深圳潮汐"


def test_issuing_needs_a_number(staff):
    invoice = InvoiceRequestFactory()
    with pytest.raises(AdmissionError, match="invoice number"):
        finance.invoice_issue(
            invoice=invoice, staff=staff, number=" ", issued_on=timezone.localdate()
        )
    with pytest.raises(AdmissionError, match="Only staff"):
        finance.invoice_issue(
            invoice=invoice,
            staff=UserFactory(),
            number="1",
            issued_on=timezone.localdate(),
        )
