"""Send one notification: in the app, by email, or both, as the user chose; never twice.

Callers (reminder jobs, review and application services) build the title and body in
the recipient's language (`translation.override(user.preferred_language)`) and pass a
`dedupe_key` that names the event, e.g. ``"homework_due_soon:assignment:12"``. The
second call with the same key for the same user finds the first row and does nothing,
which is what makes every scheduled job safe to run twice. Two runs at the same moment
race on the unique constraint (user, dedupe_key): the loser's insert fails and it sends
nothing.

Reminder producers hand many candidates at once to `send_reminders`, which reads what
was already sent and everyone's preferences in two queries, so a run that finds nothing
new costs one query however many rows it looked at.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import NoReverseMatch, reverse
from django.utils import timezone, translation

from accounts.models import Notification, NotificationPreference, User

logger = logging.getLogger(__name__)

Channels = tuple[bool, bool]  # (in_app, email)
ALL_ON: Channels = (True, True)


def site_url() -> str:
    """The absolute base for links in emails (no trailing slash)."""
    base = getattr(settings, "SITE_URL", "") or settings.WAGTAILADMIN_BASE_URL
    return str(base).rstrip("/")


def url_or(name: str, *args: object, fallback: str = "") -> str:
    """`reverse(name)`, or `fallback` while the page it names does not exist yet.

    Producers link to pages other apps own; a missing URL name must not stop a
    reminder from going out.
    """
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return fallback


def channels_for(user: User, kind: str) -> Channels:
    """(in_app, email) for one kind; no preference row means both on."""
    preference = NotificationPreference.objects.filter(user=user, kind=kind).first()
    if preference is None:
        return ALL_ON
    return preference.in_app, preference.email


def preferences_of(user_ids: Iterable[int]) -> dict[tuple[int, str], Channels]:
    """Every stored choice of these users, keyed (user_id, kind), in one query."""
    rows = NotificationPreference.objects.filter(user_id__in=set(user_ids))
    return {(row.user_id, row.kind): (row.in_app, row.email) for row in rows}


def notify(
    *,
    user: User,
    kind: str,
    title: str,
    dedupe_key: str,
    body: str = "",
    url: str = "",
    channels: Channels | None = None,
) -> Notification | None:
    """Record and deliver one notification; None when it was already sent or is off.

    The row is written even when the in-app channel is off (marked read), because it
    is also the record that the email went out. `channels` lets a batch pass the
    preference it already loaded. Inactive users get nothing.
    """
    if not user.is_active:
        return None
    in_app, email = channels if channels is not None else channels_for(user, kind)
    if not in_app and not email:
        return None
    now = timezone.now()
    try:
        with transaction.atomic():
            notification = Notification.objects.create(
                user=user,
                dedupe_key=dedupe_key[:200],
                kind=kind,
                title=title[:300],
                body=body,
                url=url[:500],
                created_at=now,
                read_at=None if in_app else now,
            )
    except IntegrityError:  # sent before, or a concurrent run wrote it first
        return None
    if email and user.email and _send_email(notification):
        notification.emailed_at = timezone.now()
        Notification.objects.filter(pk=notification.pk).update(
            emailed_at=notification.emailed_at
        )
    return notification


def _send_email(notification: Notification) -> bool:
    """Plain text with an HTML alternative, in the recipient's language.

    A mail server that refuses is logged and leaves `emailed_at` empty; the in-app
    notification still stands and the other recipients still get theirs.
    """
    user = notification.user
    base = site_url()
    with translation.override(user.preferred_language):
        context = {
            "user": user,
            "notification": notification,
            "link": f"{base}{notification.url}" if notification.url else "",
            "preferences_link": base + reverse("accounts:notification_preferences"),
            "site_link": base + "/",
        }
        text = render_to_string("accounts/email/notification.txt", context)
        html = render_to_string("accounts/email/notification.html", context)
    message = EmailMultiAlternatives(
        subject=" ".join(notification.title.split()),
        body=text,
        to=[user.email],
    )
    message.attach_alternative(html, "text/html")
    try:
        message.send()
    except Exception:
        logger.exception("Could not email notification %s", notification.pk)
        return False
    return True


# --- Batches for reminder producers ------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Message:
    title: str
    body: str = ""
    url: str = ""


@dataclass(frozen=True, slots=True)
class Reminder:
    """One notification a producer would send. `compose` runs only when it is new,
    inside the recipient's language, so nothing is rendered for a repeat run."""

    user: User
    kind: str
    dedupe_key: str
    compose: Callable[[], Message]


def send_reminders(reminders: Iterable[Reminder]) -> int:
    """Send the reminders not sent before; return how many were recorded.

    One query reads the keys already written for these users, one more reads their
    preferences when anything is new; then each new notification is one insert (plus
    its email).
    """
    pending = list(reminders)
    if not pending:
        return 0
    sent = set(
        Notification.objects.filter(
            user_id__in={r.user.pk for r in pending},
            dedupe_key__in={r.dedupe_key for r in pending},
        ).values_list("user_id", "dedupe_key")
    )
    fresh: list[Reminder] = []
    for reminder in pending:
        key = (reminder.user.pk, reminder.dedupe_key)
        if key not in sent and reminder.user.is_active:
            sent.add(key)  # the same event twice in one batch sends once
            fresh.append(reminder)
    if not fresh:
        return 0
    preferences = preferences_of(r.user.pk for r in fresh)
    count = 0
    for reminder in fresh:
        channels = preferences.get((reminder.user.pk, reminder.kind), ALL_ON)
        if channels == (False, False):
            continue
        with translation.override(reminder.user.preferred_language):
            message = reminder.compose()
        notification = notify(
            user=reminder.user,
            kind=reminder.kind,
            title=str(message.title),
            dedupe_key=reminder.dedupe_key,
            body=str(message.body),
            url=message.url,
            channels=channels,
        )
        count += notification is not None
    return count
