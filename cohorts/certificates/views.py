"""Certificate pages: public verification, the holder's certificates and name, the
trainee's standing, issuing (one or in bulk) with its progress page, staff revocation
and the design preview. Views parse input, call a service or selector, and render.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.models import User
from cohorts.certificates import pdf, selectors, services
from cohorts.certificates.codes import normalize_code
from cohorts.certificates.eligibility import rule_for
from cohorts.certificates.forms import (
    CertificateNameForm,
    IssueForm,
    ReasonForm,
    VerifyForm,
)
from cohorts.certificates.frozen import HolderName, build_frozen, verify_url
from cohorts.certificates.models import (
    CertificateDesign,
    CertificateStatus,
)
from cohorts.certificates.ratelimit import allow_lookup
from cohorts.models import Cohort, EnrolmentStatus

# --- Public verification -------------------------------------------------------------


def _verify_response(request: HttpRequest, raw_code: str) -> HttpResponse:
    form = VerifyForm(initial={"code": raw_code})
    context: dict[str, object] = {"form": form, "raw_code": raw_code}
    code = normalize_code(raw_code)
    if code is None:
        context["result"] = "malformed"
        return render(request, "certificates/verify.html", context, status=400)
    if not allow_lookup(request):
        return render(request, "certificates/rate_limited.html", status=429)
    certificate = selectors.verify_lookup(code)
    context.update(
        code=code,
        certificate=certificate,
        result="unknown" if certificate is None else certificate.status,
    )
    return render(
        request,
        "certificates/verify.html",
        context,
        status=404 if certificate is None else 200,
    )


@require_GET
def verify(request: HttpRequest) -> HttpResponse:
    raw_code = request.GET.get("code", "").strip()
    if not raw_code:
        return render(request, "certificates/verify.html", {"form": VerifyForm()})
    code = normalize_code(raw_code)
    if code is not None:
        return redirect("certificates:verify_code", code=code)
    return _verify_response(request, raw_code)


@require_GET
def verify_code(request: HttpRequest, code: str) -> HttpResponse:
    return _verify_response(request, code)


# --- The holder ----------------------------------------------------------------------


@login_required
@require_GET
def mine(request: HttpRequest) -> HttpResponse:
    certificates = list(selectors.certificates_of(request.user))
    for certificate in certificates:
        certificate.share_url = verify_url(certificate.code)  # type: ignore[attr-defined]
    return render(
        request,
        "certificates/mine.html",
        {
            "certificates": certificates,
            "saved_name": selectors.saved_name(request.user),
        },
    )


@login_required
@require_GET
def download(request: HttpRequest, code: str) -> FileResponse:
    certificate = selectors.certificate_for_download_or_404(
        user=request.user, code=code
    )
    if not certificate.pdf:
        raise Http404
    return FileResponse(
        certificate.pdf.open("rb"),
        as_attachment=request.GET.get("inline") != "1",
        filename=f"{certificate.code}.pdf",
        content_type="application/pdf",
    )


@login_required
@require_http_methods(["GET", "POST"])
def name(request: HttpRequest) -> HttpResponse:
    saved = selectors.saved_name(request.user)
    if saved is None:
        initial = {"name_zh": request.user.display_name}
        form = CertificateNameForm(request.POST or None, initial=initial)
    else:
        form = CertificateNameForm(request.POST or None, instance=saved)
    if request.method == "POST" and form.is_valid():
        services.certificate_name_set(
            user=request.user,
            name_zh=form.cleaned_data["name_zh"],
            name_latin=form.cleaned_data["name_latin"],
        )
        messages.success(request, _("Your certificate name is saved."))
        return redirect(request.GET.get("next") or reverse("certificates:mine"))
    return render(request, "certificates/name.html", {"form": form})


@login_required
@require_GET
def standing(request: HttpRequest, slug: str) -> HttpResponse:
    cohort, access = selectors.trainee_cohort_or_404(user=request.user, slug=slug)
    rule, person = selectors.trainee_standing(cohort, request.user)
    certificate = (
        selectors.certificates_of(request.user)
        .filter(cohort=cohort, status=CertificateStatus.VALID)
        .first()
    )
    return render(
        request,
        "certificates/standing.html",
        {
            "cohort": cohort,
            "access": access,
            "rule": rule,
            "standing": person,
            "certificate": certificate,
            "saved_name": selectors.saved_name(request.user),
        },
    )


# --- Issuing -------------------------------------------------------------------------


@login_required
@require_GET
def cohort_certificates(request: HttpRequest, slug: str) -> HttpResponse:
    cohort, access = selectors.issuing_cohort_or_404(user=request.user, slug=slug)
    rule = rule_for(cohort)
    rows = selectors.issuing_rows(cohort, rule)
    return render(
        request,
        "certificates/cohort.html",
        {
            "cohort": cohort,
            "access": access,
            "rule": rule,
            "rows": rows,
            "eligible_count": sum(
                1 for r in rows if r.standing.eligible and r.certificate is None
            ),
            "batches": selectors.recent_batches(cohort),
            "issue_form": IssueForm(),
        },
    )


@login_required
@require_POST
def issue_one(request: HttpRequest, slug: str, user_id: int) -> HttpResponse:
    cohort, _access = selectors.issuing_cohort_or_404(user=request.user, slug=slug)
    trainee = get_object_or_404(
        User,
        pk=user_id,
        enrolments__cohort=cohort,
        enrolments__status=EnrolmentStatus.ACTIVE,
    )
    form = IssueForm(request.POST)
    form.is_valid()
    reason = form.cleaned_data.get("override_reason", "") if form.is_valid() else ""
    try:
        certificate = services.certificate_issue(
            cohort=cohort, trainee=trainee, actor=request.user, override_reason=reason
        )
    except services.CertificateError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request,
            _("Certificate %(code)s issued to %(name)s.")
            % {"code": certificate.code, "name": trainee.display_name},
        )
    return redirect("certificates:cohort", slug=cohort.slug)


@login_required
@require_POST
def bulk_start(request: HttpRequest, slug: str) -> HttpResponse:
    cohort, _access = selectors.issuing_cohort_or_404(user=request.user, slug=slug)
    try:
        batch = services.batch_start(cohort=cohort, actor=request.user)
    except services.CertificateError as error:
        messages.error(request, str(error))
        return redirect("certificates:cohort", slug=cohort.slug)
    return redirect("certificates:batch", pk=batch.pk)


@login_required
@require_GET
def batch(request: HttpRequest, pk: int) -> HttpResponse:
    job = selectors.batch_for_user_or_404(user=request.user, pk=pk)
    context = {"batch": job, "cohort": job.cohort}
    if request.htmx:
        return render(request, "certificates/batch.html#progress", context)
    return render(request, "certificates/batch.html", context)


@login_required
@require_GET
def batch_archive(request: HttpRequest, pk: int) -> FileResponse:
    job = selectors.batch_for_user_or_404(user=request.user, pk=pk)
    if not job.archive:
        raise Http404
    return FileResponse(
        job.archive.open("rb"),
        as_attachment=True,
        filename=f"certificates-{job.cohort.slug}-{job.pk}.zip",
        content_type="application/zip",
    )


# --- Staff ---------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def manage(request: HttpRequest, code: str) -> HttpResponse:
    certificate = selectors.certificate_for_staff_or_404(user=request.user, code=code)
    form = ReasonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        action = (
            services.certificate_revoke
            if certificate.status == CertificateStatus.VALID
            else services.certificate_reinstate
        )
        try:
            action(
                certificate=certificate,
                actor=request.user,
                reason=form.cleaned_data["reason"],
            )
        except services.CertificateError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("Saved in the audit log."))
        return redirect("certificates:manage", code=certificate.code)
    events = certificate.events.select_related("actor")
    return render(
        request,
        "certificates/manage.html",
        {"certificate": certificate, "form": form, "events": events},
    )


@login_required
@require_GET
def staff_list(request: HttpRequest) -> HttpResponse:
    if not request.user.is_staff:
        raise Http404
    query = request.GET.get("q", "").strip()
    certificates = selectors.staff_certificates(query)
    return render(
        request,
        "certificates/staff_list.html",
        {"certificates": certificates, "query": query},
    )


@login_required
@require_GET
def design_preview(request: HttpRequest, pk: int) -> HttpResponse:
    """A sample certificate from the design as saved (staff only)."""
    if not request.user.is_staff:
        raise Http404
    design = get_object_or_404(
        CertificateDesign.objects.prefetch_related("signatures"), pk=pk
    )
    today = timezone.localdate()
    sample_cohort = Cohort(
        name="海明贸易 2026 秋季内训班",
        starts_on=date(today.year, 9, 1),
        ends_on=date(today.year, 11, 20),
    )
    frozen = build_frozen(
        code="LS-0000-0000-0000",
        cohort=sample_cohort,
        design=design,
        name=HolderName(zh="李娜", latin="Li Na"),
        titles={
            "zh": "跨境电商 KPI 体系设计",
            "en": "KPI Design for Cross-border Sellers",
        },
        hours=Decimal("24"),
        score=Decimal("92.5"),
        issued_at=timezone.now(),
        logo=design.logo.name if design.logo else "",
    )
    pdf.clear_image_cache()
    content = pdf.render_pdf(frozen)
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = 'inline; filename="certificate-preview.pdf"'
    return response
