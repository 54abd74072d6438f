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

from django.utils.translation import gettext as _

from cohorts.admissions.finance import CohortFinance, PaymentState
from kpi.readers import escape_cell

MONEY = "#,##0.00"
DATE = "yyyy-mm-dd"


def _text(value: object) -> str:
    return escape_cell("" if value is None else str(value))


def _state_label(state: str) -> str:
    return {
        PaymentState.PAID: _("Paid"),
        PaymentState.PARTLY: _("Partly paid"),
        PaymentState.UNPAID: _("Unpaid"),
        PaymentState.NO_AGREEMENT: _("No agreement yet"),
    }[state]


def finance_xlsx(finance: CohortFinance) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    agreements = book.active
    agreements.title = _("Agreements")[:31]
    transfers = book.create_sheet(_("Bank transfers")[:31])
    invoices = book.create_sheet(_("Invoices")[:31])
    agreements.append(
        [
            _("Application"),
            _("Company"),
            _("Applicant"),
            _("Contact email"),
            _("Contact phone"),
            _("Agreement for"),
            _("Currency"),
            _("Price"),
            _("Discount"),
            _("Amount due"),
            _("Due date"),
            _("Received"),
            _("Outstanding"),
            _("Payment status"),
            _("Invoice status"),
            _("Invoice number"),
        ]
    )
    transfers.append(
        [
            _("Application"),
            _("Company"),
            _("Currency"),
            _("Amount received"),
            _("Received on"),
            _("Bank transfer reference"),
            _("Paid by"),
        ]
    )
    invoices.append(
        [
            _("Application"),
            _("Invoice type"),
            _("Invoice title"),
            _("Tax ID"),
            _("Registered address"),
            _("Company phone"),
            _("Bank"),
            _("Bank account"),
            _("Email for the e-invoice"),
            _("Invoice status"),
            _("Invoice number"),
            _("Issued on"),
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
                else _("The whole application")
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
