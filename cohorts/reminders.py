"""Cohort reminders: a session tomorrow (registered from CohortsConfig.ready()).

"Tomorrow" is the recipient's: a session is announced when it starts on tomorrow's
calendar date in the recipient's own time zone, once their day has started
(`accounts.reminders.is_tomorrow_for`). Recipients are the cohort's active trainees
and its coaches; a 1:1 session goes to its trainee and the coaches only. The key
names the session and its date, so a session moved to another day is announced again
and one that stays put never twice.
"""

from __future__ import annotations

from datetime import datetime

from django.db.models import Prefetch
from django.utils import formats
from django.utils.translation import gettext as _

from accounts.models import NotificationKind, User
from accounts.notifications import Message, Reminder, send_reminders, url_or
from accounts.reminders import TOMORROW_HORIZON, is_tomorrow_for, user_zone
from cohorts.models import Enrolment, EnrolmentStatus, Session, SessionKind


def _recipients(session: Session) -> list[User]:
    cohort = session.cohort
    coaches = list(cohort.coaches.all())
    if session.kind == SessionKind.ONE_TO_ONE and session.trainee_id:
        return [session.trainee, *coaches]
    return [e.user for e in cohort.active_enrolments] + coaches


def _message(session: Session, user: User) -> Message:
    zone = user_zone(user)
    when = formats.date_format(session.starts_at.astimezone(zone), "DATETIME_FORMAT")
    where = session.meeting_url or session.address
    body = _("%(cohort)s · %(when)s (%(zone)s)") % {
        "cohort": session.cohort.name,
        "when": when,
        "zone": zone.key,
    }
    if where:
        body += "\n" + _("Where: %(where)s") % {"where": where}
    return Message(
        title=_("Tomorrow: %(session)s") % {"session": session.title},
        body=body,
        url=url_or(
            "cohorts:session",
            session.cohort.slug,
            session.pk,
            fallback=url_or("cohorts:detail", session.cohort.slug),
        ),
    )


def sessions_tomorrow(now: datetime) -> int:
    """Remind everyone with a session on their tomorrow; three queries to find them."""
    sessions = (
        Session.objects.filter(starts_at__gt=now, starts_at__lte=now + TOMORROW_HORIZON)
        .select_related("cohort", "trainee")
        .prefetch_related(
            "cohort__coaches",
            Prefetch(
                "cohort__enrolments",
                queryset=Enrolment.objects.filter(
                    status=EnrolmentStatus.ACTIVE
                ).select_related("user"),
                to_attr="active_enrolments",
            ),
        )
    )
    reminders = [
        Reminder(
            user=user,
            kind=NotificationKind.SESSION_TOMORROW,
            dedupe_key=(
                f"session_tomorrow:session:{session.pk}:"
                f"{session.starts_at.astimezone(user_zone(user)).date().isoformat()}"
            ),
            compose=lambda session=session, user=user: _message(session, user),
        )
        for session in sessions
        for user in _recipients(session)
        if is_tomorrow_for(user, session.starts_at, now)
    ]
    return send_reminders(reminders)


def register() -> None:
    from accounts.reminders import register_reminder

    register_reminder(sessions_tomorrow)
