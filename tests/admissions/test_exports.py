"""The finance XLSX: numbers as numbers, dates as dates, formulas escaped."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from io import BytesIO

import pytest
from openpyxl import load_workbook

from cohorts.admissions.exports import finance_xlsx
from cohorts.admissions.finance import cohort_finance
from cohorts.admissions.models import InvoiceStatus
from tests.factories.admissions import (
    InvoiceRequestFactory,
    PaymentAgreementFactory,
    PaymentFactory,
)
from tests.factories.cohorts import CohortFactory

pytestmark = pytest.mark.django_db


def test_finance_export_types_and_escaping():
    cohort = CohortFactory()
    agreement = PaymentAgreementFactory(
        application__cohort=cohort,
        application__company_name='=HYPERLINK("http://evil")',
        price=Decimal("12800.00"),
        discount=Decimal("800.00"),
        amount_due=Decimal("12000.00"),
        due_on=dt.date(2026, 12, 15),
    )
    PaymentFactory(
        agreement=agreement,
        amount=Decimal("5000.50"),
        received_on=dt.date(2026, 11, 20),
        reference="+CMB-2026-1120",
    )
    InvoiceRequestFactory(
        application=agreement.application,
        status=InvoiceStatus.ISSUED,
        number="24442000000012345678",
        issued_on=dt.date(2026, 11, 21),
    )
    book = load_workbook(BytesIO(finance_xlsx(cohort_finance(cohort=cohort))))
    agreements, transfers, invoices = book.worksheets
    header = [c.value for c in agreements[1]]
    row = dict(zip(header, [c.value for c in agreements[2]], strict=True))
    assert row["Company"] == '\'=HYPERLINK("http://evil")'
    assert row["Price"] == 12800 and row["Discount"] == 800
    assert row["Amount due"] == 12000
    assert row["Received"] == pytest.approx(5000.50)
    assert row["Outstanding"] == pytest.approx(6999.50)
    assert row["Due date"] == dt.datetime(2026, 12, 15)
    assert row["Payment status"] == "Partly paid"
    assert row["Invoice number"] == "24442000000012345678"
    assert (
        agreements.cell(row=2, column=header.index("Price") + 1).number_format
        == "#,##0.00"
    )
    transfer = [c.value for c in transfers[2]]
    assert transfer[3] == pytest.approx(5000.50)
    assert transfer[4] == dt.datetime(2026, 11, 20)
    assert transfer[5] == "'+CMB-2026-1120"
    invoice = [c.value for c in invoices[2]]
    assert invoice[3] == "91330100716105852F"
    assert invoice[11] == dt.datetime(2026, 11, 21)
    assert agreements.max_row == 2 and transfers.max_row == 2 and invoices.max_row == 2
