"""The finance XLSX for one cohort: agreements, bank transfers and invoices.

Numbers are written as numbers (two-decimal format), dates as dates, and every text
cell goes through `escape_cell` so a company name starting with "=" never runs.
Built synchronously: a cohort has at most a few hundred applications, which takes
milliseconds (see docs/architecture.md), so no background job is needed.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from io import BytesIO

from django.utils.translation import pgettext

from cohorts.admissions.finance import CohortFinance, PaymentState
from kpi.readers import escape_cell

MONEY = "#,##0.00"
DATE = "yyyy-mm-dd"


def _text(value: object) -> str:
    return escape_cell("" if value is None else str(value))


def _state_label(state: str) -> str:
    return {
        PaymentState.PAID: pgettext("admissions", "Paid"),
        PaymentState.PARTLY: pgettext("admissions", "Partly paid"),
        PaymentState.UNPAID: pgettext("admissions", "Unpaid"),
        PaymentState.NO_AGREEMENT: pgettext("admissions", "No agreement yet"),
    }[state]


def finance_xlsx(finance: CohortFinance) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    agreements = book.active
    agreements.title = pgettext("admissions", "Agreements")[:31]
    transfers = book.create_sheet(pgettext("admissions", "Bank transfers")[:31])
    invoices = book.create_sheet(pgettext("admissions", "Invoices")[:31])
    agreements.append(
        [
            pgettext("admissions", "Application"),
            pgettext("admissions", "Company"),
            pgettext("admissions", "Applicant"),
            pgettext("admissions", "Contact email"),
            pgettext("admissions", "Contact phone"),
            pgettext("admissions", "Agreement for"),
            pgettext("admissions", "Currency"),
            pgettext("admissions", "Price"),
            pgettext("admissions", "Discount"),
            pgettext("admissions", "Amount due"),
            pgettext("admissions", "Due date"),
            pgettext("admissions", "Received"),
            pgettext("admissions", "Outstanding"),
            pgettext("admissions", "Payment status"),
            pgettext("admissions", "Invoice status"),
            pgettext("admissions", "Invoice number"),
        ]
    )
    transfers.append(
        [
            pgettext("admissions", "Application"),
            pgettext("admissions", "Company"),
            pgettext("admissions", "Currency"),
            pgettext("admissions", "Amount received"),
            pgettext("admissions", "Received on"),
            pgettext("admissions", "Bank transfer reference"),
            pgettext("admissions", "Paid by"),
        ]
    )
    invoices.append(
        [
            pgettext("admissions", "Application"),
            pgettext("admissions", "Invoice type"),
            pgettext("admissions", "Invoice title"),
            pgettext("admissions", "Tax ID"),
            pgettext("admissions", "Registered address"),
            pgettext("admissions", "Company phone"),
            pgettext("admissions", "Bank"),
            pgettext("admissions", "Bank account"),
            pgettext("admissions", "Email for the e-invoice"),
            pgettext("admissions", "Invoice status"),
            pgettext("admissions", "Invoice number"),
            pgettext("admissions", "Issued on"),
        ]
    )
    for row in finance.rows:
        app = row.application
        invoice = row.invoice
        head = [app.pk, _text(app.company_name), _text(app.applicant_name)]
        contact = [_text(app.email), _text(app.phone)]
        invoice_cells = [
            _text(invoice.get_status_display()) if invoice else "",
            _text(invoice.number) if invoice else "",
        ]
        if not row.lines:
            agreements.append(
                [
                    *head,
                    *contact,
                    "",
                    "",
                    *([None] * 6),
                    _state_label(PaymentState.NO_AGREEMENT),
                    *invoice_cells,
                ]
            )
        for line in row.lines:
            agreement = line.agreement
            who = (
                _text(agreement.registrant.name)
                if agreement.registrant
                else pgettext("admissions", "The whole application")
            )
            agreements.append(
                [
                    *head,
                    *contact,
                    who,
                    agreement.currency,
                    agreement.price,
                    agreement.discount,
                    agreement.amount_due,
                    agreement.due_on,
                    line.received,
                    line.outstanding,
                    _state_label(line.state),
                    *invoice_cells,
                ]
            )
            for payment in line.payments:
                transfers.append(
                    [
                        app.pk,
                        _text(app.company_name),
                        agreement.currency,
                        payment.amount,
                        payment.received_on,
                        _text(payment.reference),
                        _text(payment.payer),
                    ]
                )
        if invoice:
            invoices.append(
                [
                    app.pk,
                    _text(invoice.get_kind_display()),
                    _text(invoice.title),
                    _text(invoice.tax_id),
                    _text(invoice.address),
                    _text(invoice.phone),
                    _text(invoice.bank_name),
                    _text(invoice.bank_account),
                    _text(invoice.email),
                    _text(invoice.get_status_display()),
                    _text(invoice.number),
                    invoice.issued_on,
                ]
            )
    for sheet in (agreements, transfers, invoices):
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        sheet.freeze_panes = "A2"
        for column in sheet.iter_cols(min_row=2):
            for cell in column:
                if isinstance(cell.value, Decimal):
                    cell.number_format = MONEY
                elif isinstance(cell.value, dt.date):
                    cell.number_format = DATE
        for column in sheet.columns:
            letter = column[0].column_letter
            sheet.column_dimensions[letter].width = 16
    out = BytesIO()
    book.save(out)
    return out.getvalue()
