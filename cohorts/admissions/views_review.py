"""Reviewer and staff pages: the queue, decisions per person, settings, money.

Reviewers are staff and the cohort's coaches (they know who fits the class); money,
invoices and settings are for staff only. Anyone else gets 404.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.models import User
from cohorts.admissions import finance, selectors, services
from cohorts.admissions.exports import finance_xlsx
from cohorts.admissions.forms import (
    AgreementForm,
    IssueForm,
    PaymentForm,
    RejectForm,
    SettingsForm,
)
from cohorts.admissions.models import (
    Application,
    ApplicationState,
    InvoiceRequest,
    PaymentAgreement,
)
from cohorts.models import Cohort


def _staff_or_404(user: User) -> None:
    if not user.is_staff:
        raise Http404


def _staff_cohort_or_404(user: User, slug: str) -> Cohort:
    _staff_or_404(user)
    return get_object_or_404(Cohort.objects.select_related("course"), slug=slug)


@require_GET
@login_required
def review_queue(request: HttpRequest) -> HttpResponse:
    state = request.GET.get("state", ApplicationState.PENDING)
    if state not in {*ApplicationState.values, "all"}:
        state = ApplicationState.PENDING
    queue = selectors.review_queue(
        user=request.user,
        cohort_slug=request.GET.get("cohort", ""),
        state="" if state == "all" else state,
    )
    rows = [(a, selectors.state_of(a)) for a in queue.applications]
    return render(
        request,
        "admissions/review_queue.html",
        {
            "queue": queue,
            "rows": rows,
            "state": state,
            "states": [
                *ApplicationState.choices,
                ("all", pgettext("admissions", "All applications")),
            ],
        },
    )


def _review_context(
    request: HttpRequest,
    application: Application,
    *,
    payment_form: PaymentForm | None = None,
    payment_agreement_id: int | None = None,
    agreement_form: AgreementForm | None = None,
    issue_form: IssueForm | None = None,
) -> dict[str, object]:
    """The review page; staff also get the money and invoice forms."""
    is_staff = request.user.is_staff
    registrants = list(application.registrants.all())
    lines = finance.application_lines(application) if is_staff else []
    for line in lines:
        pk = line.agreement.pk
        line.form = (
            payment_form
            if payment_form is not None and pk == payment_agreement_id
            else PaymentForm(auto_id=f"pay-{pk}-%s")
        )
    if is_staff and agreement_form is None:
        agreement_form = AgreementForm(
            registrants=registrants, initial=_agreement_initial(application)
        )
    return {
        "application": application,
        "state": selectors.state_of(application),
        "offer": selectors.cohort_offer(cohort=application.cohort),
        "reject_form": RejectForm(),
        "lines": lines,
        "invoice": getattr(application, "invoice", None),
        "agreement_form": agreement_form,
        "issue_form": issue_form or (IssueForm() if is_staff else None),
    }


def _agreement_initial(application: Application) -> dict[str, object]:
    found = services.admission_settings_for(application.cohort)
    approved = sum(1 for r in application.registrants.all() if r.status == "approved")
    price = (found.price or 0) * max(approved, 1)
    return {"price": f"{price:.2f}", "currency": found.currency, "discount": "0"}


@require_GET
@login_required
def review_detail(request: HttpRequest, pk: int) -> HttpResponse:
    application = selectors.application_for_reviewer_or_404(user=request.user, pk=pk)
    return render(
        request,
        "admissions/review_detail.html",
        _review_context(request, application),
    )


def _decided(
    request: HttpRequest,
    registrant_id: int,
    *,
    ok: bool,
    text: str,
    reject_form: RejectForm | None = None,
) -> HttpResponse:
    """The person's row again (htmx), or the application page with a message."""
    registrant = selectors.registrant_for_reviewer_or_404(
        user=request.user, pk=registrant_id
    )
    if not request.htmx:
        (messages.success if ok else messages.error)(request, text)
        return redirect("admissions:review_detail", pk=registrant.application_id)
    return render(
        request,
        "admissions/review_detail.html#registrant-row",
        {
            "registrant": registrant,
            "reject_form": reject_form or RejectForm(),
            "notice": text,
            "notice_ok": ok,
            "oob_state": selectors.state_of(registrant.application),
        },
    )


@require_POST
@login_required
def approve(request: HttpRequest, registrant_id: int) -> HttpResponse:
    registrant = selectors.registrant_for_reviewer_or_404(
        user=request.user, pk=registrant_id
    )
    try:
        services.registrant_approve(registrant=registrant, reviewer=request.user)
    except services.AdmissionError as error:
        return _decided(request, registrant_id, ok=False, text=str(error.message))
    return _decided(
        request,
        registrant_id,
        ok=True,
        text=_("%(name)s is approved and enrolled.") % {"name": registrant.name},
    )


@require_POST
@login_required
def reject(request: HttpRequest, registrant_id: int) -> HttpResponse:
    registrant = selectors.registrant_for_reviewer_or_404(
        user=request.user, pk=registrant_id
    )
    form = RejectForm(request.POST)
    if not form.is_valid():
        text = str(form.errors["reason"][0])
        return _decided(request, registrant_id, ok=False, text=text, reject_form=form)
    try:
        services.registrant_reject(
            registrant=registrant,
            reviewer=request.user,
            reason=form.cleaned_data["reason"],
        )
    except services.AdmissionError as error:
        return _decided(
            request, registrant_id, ok=False, text=str(error.message), reject_form=form
        )
    return _decided(
        request,
        registrant_id,
        ok=True,
        text=_("%(name)s is not accepted.") % {"name": registrant.name},
    )


# Staff: settings and money ----------------------------------------------------


@require_http_methods(["GET", "POST"])
@login_required
def cohort_settings(request: HttpRequest, slug: str) -> HttpResponse:
    cohort = _staff_cohort_or_404(request.user, slug)
    found = services.admission_settings_for(cohort)
    initial = {
        "is_open": found.is_open,
        "approval": found.approval,
        "price": f"{found.price:.2f}" if found.price is not None else "",
        "currency": found.currency,
    }
    form = SettingsForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        services.admission_settings_save(
            cohort=cohort, user=request.user, **form.cleaned_data
        )
        messages.success(request, pgettext("admissions", "Application settings saved."))
        return redirect("admissions:settings", slug=cohort.slug)
    return render(
        request,
        "admissions/settings.html",
        {
            "cohort": cohort,
            "form": form,
            "offer": selectors.cohort_offer(cohort=cohort),
        },
    )


@require_GET
@login_required
def payments(request: HttpRequest, slug: str) -> HttpResponse:
    cohort = _staff_cohort_or_404(request.user, slug)
    state = request.GET.get("state", "")
    money = finance.cohort_finance(cohort=cohort, state=state)
    return render(
        request,
        "admissions/payments.html",
        {"cohort": cohort, "finance": money, "state": state},
    )


@require_GET
@login_required
def payments_xlsx(request: HttpRequest, slug: str) -> HttpResponse:
    cohort = _staff_cohort_or_404(request.user, slug)
    body = finance_xlsx(finance.cohort_finance(cohort=cohort))
    response = HttpResponse(
        body,
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    stamp = timezone.localdate().isoformat()
    response["Content-Disposition"] = (
        f'attachment; filename="payments-{cohort.slug}-{stamp}.xlsx"'
    )
    return response


def _money_page(request: HttpRequest, pk: int, **forms: object) -> HttpResponse:
    """The review page again with the refused form and its messages (400)."""
    application = selectors.application_for_reviewer_or_404(user=request.user, pk=pk)
    context = _review_context(request, application, **forms)
    return render(request, "admissions/review_detail.html", context, status=400)


@require_POST
@login_required
def agreement_add(request: HttpRequest, pk: int) -> HttpResponse:
    _staff_or_404(request.user)
    application = selectors.application_for_reviewer_or_404(user=request.user, pk=pk)
    registrants = list(application.registrants.all())
    form = AgreementForm(request.POST, registrants=registrants)
    if form.is_valid():
        data = form.cleaned_data
        registrant = next((r for r in registrants if r.pk == data["registrant"]), None)
        try:
            finance.agreement_record(
                application=application,
                staff=request.user,
                registrant=registrant,
                price=data["price"],
                discount=data["discount"] or finance.ZERO,
                currency=data["currency"],
                due_on=data["due_on"],
                note=data["note"],
            )
        except services.AdmissionError as error:
            form.add_error(error.field, error.message)
        else:
            messages.success(request, pgettext("admissions", "Agreement recorded."))
            return redirect("admissions:review_detail", pk=pk)
    return _money_page(request, pk, agreement_form=form)


@require_POST
@login_required
def payment_add(request: HttpRequest, agreement_id: int) -> HttpResponse:
    _staff_or_404(request.user)
    agreement = get_object_or_404(PaymentAgreement, pk=agreement_id)
    form = PaymentForm(request.POST)
    if form.is_valid():
        try:
            finance.payment_record(
                agreement=agreement, staff=request.user, **form.cleaned_data
            )
        except services.AdmissionError as error:
            form.add_error(error.field, error.message)
        else:
            messages.success(request, pgettext("admissions", "Payment recorded."))
            return redirect("admissions:review_detail", pk=agreement.application_id)
    return _money_page(
        request,
        agreement.application_id,
        payment_form=form,
        payment_agreement_id=agreement.pk,
    )


@require_POST
@login_required
def invoice_issue(request: HttpRequest, pk: int) -> HttpResponse:
    _staff_or_404(request.user)
    invoice = get_object_or_404(InvoiceRequest, application_id=pk)
    form = IssueForm(request.POST)
    if form.is_valid():
        try:
            finance.invoice_issue(
                invoice=invoice, staff=request.user, **form.cleaned_data
            )
        except services.AdmissionError as error:
            form.add_error(error.field, error.message)
        else:
            messages.success(
                request, pgettext("admissions", "Invoice marked as issued.")
            )
            return redirect("admissions:review_detail", pk=pk)
    return _money_page(request, pk, issue_form=form)
