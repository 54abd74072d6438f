"""Send one notification: in the app, by email, or both, as the user chose; never twice.

Callers (reminder jobs, review and application services) build the title and body in
the recipient's language (`translation.override(user.preferred_language)`) and pass a
`dedupe_key` that names the event, e.g. ``"homework_due_soon:assignment:12"``. The
second call with the same key for the same user finds the first row and does nothing,
which is what makes every scheduled job safe to run twice.
"""

from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.models import Notification, NotificationPreference, User


def site_url() -> str:
    """The absolute base for links in emails (no trailing slash)."""
    base = getattr(settings, "SITE_URL", "") or settings.WAGTAILADMIN_BASE_URL
    return str(base).rstrip("/")


def channels_for(user: User, kind: str) -> tuple[bool, bool]:
    """(in_app, email) for one kind; no preference row means both on."""
    preference = NotificationPreference.objects.filter(user=user, kind=kind).first()
    if preference is None:
        return True, True
    return preference.in_app, preference.email


def notify(
    *,
    user: User,
    kind: str,
    title: str,
    dedupe_key: str,
    body: str = "",
    url: str = "",
) -> Notification | None:
    """Record and deliver one notification; None when it was already sent or is off.

    The row is written even when the in-app channel is off (marked read), because it
    is also the record that the email went out.
    """
    in_app, email = channels_for(user, kind)
    if not (in_app and user.is_active) and not email:
        return None
    now = timezone.now()
    try:
        with transaction.atomic():
            notification, created = Notification.objects.get_or_create(
                user=user,
                dedupe_key=dedupe_key,
                defaults={
                    "kind": kind,
                    "title": title[:300],
                    "body": body,
                    "url": url,
                    "created_at": now,
                    "read_at": None if in_app else now,
                },
            )
    except IntegrityError:  # a concurrent run wrote it first
        return None
    if not created:
        return None
    if email and user.is_active and user.email:
        link = f"\n\n{site_url()}{url}" if url else ""
        send_mail(title, f"{body}{link}".strip(), None, [user.email])
        Notification.objects.filter(pk=notification.pk).update(
            emailed_at=timezone.now()
        )
    return notification
