"""The user's side of notifications: reading, marking read, choosing what to get.

Reads and writes for `accounts.views_notifications`; sending lives in
`accounts.notifications`. Every function takes the signed-in user and touches only
their rows, so another user's notification is simply not found (404).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.http import url_has_allowed_host_and_scheme

from accounts.models import Notification, NotificationKind, NotificationPreference, User
from accounts.notifications import ALL_ON, Channels

UNREAD_BADGE_LIMIT = 99


def unread_count(user: User) -> int:
    """One indexed COUNT (user, read_at) — the bell runs it on every page."""
    return Notification.objects.filter(user=user, read_at__isnull=True).count()


def notifications_for(
    user: User, *, unread_only: bool = False
) -> QuerySet[Notification]:
    rows = Notification.objects.filter(user=user)
    if unread_only:
        rows = rows.filter(read_at__isnull=True)
    return rows.order_by("-created_at", "-id")


def notification_for_user_or_404(*, user: User, pk: int) -> Notification:
    notification = Notification.objects.filter(user=user, pk=pk).first()
    if notification is None:
        raise Http404
    return notification


def notification_open(*, user: User, pk: int) -> str:
    """Mark one notification read and return where it points (a path on this site)."""
    notification = notification_for_user_or_404(user=user, pk=pk)
    if notification.read_at is None:
        Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(
            read_at=timezone.now()
        )
    url = notification.url
    if url and url.startswith("/") and url_has_allowed_host_and_scheme(url, None):
        return url
    return ""


def notifications_mark_all_read(*, user: User) -> int:
    return Notification.objects.filter(user=user, read_at__isnull=True).update(
        read_at=timezone.now()
    )


@dataclass(frozen=True, slots=True)
class PreferenceRow:
    kind: str
    label: str | Promise
    in_app: bool
    email: bool


def preference_rows(user: User) -> list[PreferenceRow]:
    """Every kind with the user's choice (both on when they never chose)."""
    stored = {
        row.kind: (row.in_app, row.email)
        for row in NotificationPreference.objects.filter(user=user)
    }
    return [
        PreferenceRow(kind, label, *stored.get(kind, ALL_ON))
        for kind, label in NotificationKind.choices
    ]


def notification_preferences_save(*, user: User, choices: dict[str, Channels]) -> None:
    """Store the user's choice for every kind given; kinds left at both-on keep no row."""
    known = set(NotificationKind.values)
    unknown = set(choices) - known
    if unknown:
        raise ValueError(f"Unknown notification kinds: {sorted(unknown)}")
    with transaction.atomic():
        NotificationPreference.objects.filter(
            user=user, kind__in=[k for k, c in choices.items() if c == ALL_ON]
        ).delete()
        for kind, (in_app, email) in choices.items():
            if (in_app, email) == ALL_ON:
                continue
            NotificationPreference.objects.update_or_create(
                user=user, kind=kind, defaults={"in_app": in_app, "email": email}
            )
