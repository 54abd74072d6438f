"""Applicant pages: apply, the status page (secret link or signed in), invoice details.

A visitor needs no account: the status page's address holds a secret key we email
them. Signed-in pages answer 404 to anyone who is not the applicant, an admin of
their organisation, a reviewer of the cohort or staff.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from accounts.models import Membership
from cohorts.admissions import finance, selectors, services
from cohorts.admissions.forms import (
    ApplicationForm,
    InvoiceForm,
    PeopleFormSet,
    people_from,
)
from cohorts.admissions.models import Application

PEOPLE_PREFIX = "people"


def _initial_for(request: HttpRequest) -> tuple[dict[str, str], list[dict[str, str]]]:
    user = request.user
    if not user.is_authenticated:
        return {}, []
    membership = (
        Membership.objects.filter(user=user).select_related("organization").first()
    )
    applicant = {
        "applicant_name": user.display_name,
        "email": user.email,
        "company_name": membership.organization.name if membership else "",
        "applicant_role": membership.title if membership else "",
    }
    return applicant, [{"name": user.display_name, "email": user.email}]


@require_http_methods(["GET", "POST"])
def apply(request: HttpRequest, slug: str) -> HttpResponse:
    cohort = selectors.cohort_to_apply_or_404(user=request.user, slug=slug)
    offer = selectors.cohort_offer(cohort=cohort)
    initial, people_initial = _initial_for(request)
    if request.method == "POST" and "add_person" in request.POST:
        return _with_another_row(request, cohort, offer)
    form = ApplicationForm(request.POST or None, initial=initial)
    people = PeopleFormSet(
        request.POST or None, prefix=PEOPLE_PREFIX, initial=people_initial or None
    )
    if request.method == "POST" and not offer.is_open:
        messages.error(request, _("This cohort is not taking applications."))
    elif request.method == "POST" and form.is_valid() and people.is_valid():
        try:
            application = services.application_submit(
                cohort=cohort,
                applicant=request.user if request.user.is_authenticated else None,
                details=form.details(),
                people=people_from(people),
                language=translation.get_language() or "zh-hans",
            )
        except services.AdmissionError as error:
            if error.field == "email":
                form.add_error("email", error.message)
            else:
                form.add_error(None, error.message)
        else:
            return _after_submit(request, application)
    return render(
        request,
        "admissions/apply.html",
        {"cohort": cohort, "offer": offer, "form": form, "people": people},
    )


def _with_another_row(
    request: HttpRequest, cohort: object, offer: object
) -> HttpResponse:
    """Without JavaScript, "Add a colleague" posts the form: show it again, one row more."""
    data = request.POST
    multi = {"channels", "pains"}
    initial = {
        name: data.getlist(name) if name in multi else data.get(name, "")
        for name in ApplicationForm.base_fields
    }
    try:
        total = int(data.get(f"{PEOPLE_PREFIX}-TOTAL_FORMS", "1"))
    except ValueError:
        total = 1
    rows = [
        {
            key: data.get(f"{PEOPLE_PREFIX}-{index}-{key}", "")
            for key in ("name", "email", "role")
        }
        for index in range(max(0, min(total, 29)))
    ]
    return render(
        request,
        "admissions/apply.html",
        {
            "cohort": cohort,
            "offer": offer,
            "form": ApplicationForm(initial=initial),
            "people": PeopleFormSet(prefix=PEOPLE_PREFIX, initial=rows),
        },
    )


def _after_submit(request: HttpRequest, application: Application) -> HttpResponse:
    state = selectors.state_of(application)
    if state == "approved":
        messages.success(
            request,
            _(
                "Thank you. Everyone you listed is enrolled; we have emailed each of them."
            ),
        )
    else:
        messages.success(
            request,
            _(
                "Thank you, your application has arrived. We emailed you a link to this "
                "page; we will write again when it is reviewed."
            ),
        )
    if request.user.is_authenticated:
        return redirect("admissions:detail", pk=application.pk)
    return redirect("admissions:status", key=application.access_key)


@require_GET
def person_row(request: HttpRequest, slug: str) -> HttpResponse:
    """One more person row for the formset (htmx), with the form count bumped."""
    selectors.cohort_to_apply_or_404(user=request.user, slug=slug)
    try:
        index = max(0, min(int(request.GET.get("index", "1")), 29))
    except ValueError:
        index = 1
    formset = PeopleFormSet(prefix=PEOPLE_PREFIX)
    form = formset._construct_form(index, empty_permitted=True)
    return render(
        request,
        "admissions/apply.html#person-row-added",
        {"person": form, "index": index, "next_index": index + 1, "slug": slug},
    )


def _status_context(
    application: Application, *, key: str = "", access: object = None
) -> dict[str, object]:
    return {
        "application": application,
        "state": selectors.state_of(application),
        "lines": finance.application_lines(application),
        "invoice": getattr(application, "invoice", None),
        "key": key,
        "access": access,
    }


@require_GET
def status(request: HttpRequest, key: str) -> HttpResponse:
    application = selectors.application_by_key_or_404(key=key)
    response = render(
        request, "admissions/status.html", _status_context(application, key=key)
    )
    response["Referrer-Policy"] = "no-referrer"  # the key is the address
    response["X-Robots-Tag"] = "noindex"
    return response


@require_GET
@login_required
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    application, access = selectors.application_for_viewer_or_404(
        user=request.user, pk=pk
    )
    return render(
        request,
        "admissions/status.html",
        _status_context(application, access=access),
    )


@require_GET
@login_required
def mine(request: HttpRequest) -> HttpResponse:
    applications = selectors.applications_of(user=request.user)
    rows = [(a, selectors.state_of(a)) for a in applications]
    return render(request, "admissions/mine.html", {"rows": rows})


def _invoice_page(
    request: HttpRequest, application: Application, *, key: str = ""
) -> HttpResponse:
    invoice = getattr(application, "invoice", None)
    initial = (
        {
            "kind": invoice.kind,
            "title": invoice.title,
            "tax_id": invoice.tax_id,
            "address": invoice.address,
            "phone": invoice.phone,
            "bank_name": invoice.bank_name,
            "bank_account": invoice.bank_account,
            "email": invoice.email,
        }
        if invoice
        else {
            "kind": "general",
            "title": application.company_name,
            "email": application.email,
        }
    )
    form = InvoiceForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            finance.invoice_details_save(
                application=application,
                user=request.user if request.user.is_authenticated else None,
                **form.cleaned_data,
            )
        except (services.AdmissionError, ValidationError) as error:
            message = (
                error.message
                if isinstance(error, services.AdmissionError)
                else error.messages[0]
            )
            form.add_error(None, message)
        else:
            messages.success(
                request,
                _("Thank you, we have your invoice details. Finance will issue it."),
            )
            if key:
                return redirect("admissions:status", key=key)
            return redirect("admissions:detail", pk=application.pk)
    return render(
        request,
        "admissions/invoice.html",
        {"application": application, "form": form, "invoice": invoice, "key": key},
    )


@require_http_methods(["GET", "POST"])
def status_invoice(request: HttpRequest, key: str) -> HttpResponse:
    application = selectors.application_by_key_or_404(key=key)
    return _invoice_page(request, application, key=key)


@require_http_methods(["GET", "POST"])
@login_required
def invoice(request: HttpRequest, pk: int) -> HttpResponse:
    application, access = selectors.application_for_viewer_or_404(
        user=request.user, pk=pk
    )
    if not access.can_send_invoice_details:
        raise Http404
    return _invoice_page(request, application)
