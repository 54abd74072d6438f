"""Background jobs (django-q2): the emails an application's changes send.

One job per change (`event`): "received", "registrant-<id>-approved",
"registrant-<id>-rejected". The applicant hears about every change — as a
notification when they have an account (`accounts.notifications.notify`, deduplicated
by the event, so a retried job sends nothing twice), as a plain email in the language
they applied in when they do not. An approved person also gets their own message: the
cohort's page, or a set-password link when their account is new.
"""

from __future__ import annotations

from django.contrib.auth.tokens import default_token_generator
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from accounts.models import NotificationKind, User
from accounts.notifications import notify, site_url
from cohorts.admissions.models import Application, Registrant, RegistrantStatus


def _render(template: str, context: dict[str, object]) -> tuple[str, str]:
    subject = render_to_string(f"admissions/email/{template}_subject.txt", context)
    body = render_to_string(f"admissions/email/{template}.txt", context)
    return " ".join(subject.split()), body.strip()


def _applicant_account(application: Application) -> User | None:
    if application.submitted_by_id and application.submitted_by.is_active:
        return application.submitted_by
    return User.objects.filter(email__iexact=application.email, is_active=True).first()


def send_application_update(application_id: int, event: str) -> int:
    """Tell the applicant (and an approved person) about one change; messages sent."""
    application = (
        Application.objects.select_related("cohort", "submitted_by")
        .filter(pk=application_id)
        .first()
    )
    if application is None:
        return 0
    registrants = list(application.registrants.select_related("user"))
    changed = None
    if event.startswith("registrant-"):
        registrant_id = int(event.split("-")[1])
        changed = next((r for r in registrants if r.pk == registrant_id), None)
        if changed is None:
            return 0
    account = _applicant_account(application)
    language = account.preferred_language if account else application.language
    status_path = (
        reverse("admissions:detail", args=[application.pk])
        if account
        else reverse("admissions:status", args=[application.access_key])
    )
    context = {
        "application": application,
        "cohort": application.cohort,
        "registrants": registrants,
        "changed": changed,
        "event": "received" if changed is None else changed.status,
        "url": site_url() + status_path,
    }
    sent = 0
    with translation.override(language):
        subject, body = _render("update", context)
    if account is not None:
        if notify(
            user=account,
            kind=NotificationKind.APPLICATION_STATUS,
            title=subject,
            body=body,
            url=status_path,
            dedupe_key=f"admission:{application.pk}:{event}",
        ):
            sent += 1
    else:
        send_mail(subject, f"{body}\n\n{context['url']}", None, [application.email])
        sent += 1
    approved = (
        [changed]
        if changed is not None
        else [r for r in registrants if r.status == RegistrantStatus.APPROVED]
    )
    for registrant in approved:
        if registrant.status == RegistrantStatus.APPROVED and registrant.user:
            sent += _send_enrolled(registrant, application)
    return sent


def _send_enrolled(registrant: Registrant, application: Application) -> int:
    user = registrant.user
    assert user is not None
    new_account = not user.has_usable_password()
    if new_account:
        path = reverse(
            "accounts:password_reset_confirm",
            args=[
                urlsafe_base64_encode(force_bytes(user.pk)),
                default_token_generator.make_token(user),
            ],
        )
    else:
        path = reverse("cohorts:detail", args=[application.cohort.slug])
    context = {
        "cohort": application.cohort,
        "user": user,
        "applicant": application.applicant_name,
        "company": application.company_name,
        "new_account": new_account,
    }
    with translation.override(user.preferred_language):
        subject, body = _render("enrolled", context)
    sent = notify(
        user=user,
        kind=NotificationKind.APPLICATION_STATUS,
        title=subject,
        body=body,
        url=path,
        dedupe_key=f"admission:registrant:{registrant.pk}:enrolled",
    )
    return 1 if sent else 0
