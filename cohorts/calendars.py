"""RFC 5545 calendars for sessions: each event carries its cohort's time zone."""

from __future__ import annotations

from collections.abc import Iterable

import icalendar
from django.utils import timezone
from django.utils.translation import gettext as _

from cohorts.models import Session, SessionKind

PRODID = "-//Lodestar//Cohort sessions//EN"


def _description(session: Session, base_url: str, with_links: bool) -> str:
    lines = [f"{session.cohort.name} · {session.get_kind_display()}"]
    if with_links and session.meeting_url:
        lines.append(_("Meeting link: %(url)s") % {"url": session.meeting_url})
    if session.map_url:
        lines.append(_("Map: %(url)s") % {"url": session.map_url})
    lines.append(base_url + session_path(session))
    return "\n".join(lines)


def session_path(session: Session) -> str:
    from django.urls import reverse

    return reverse("cohorts:session", args=[session.cohort.slug, session.pk])


def sessions_calendar(
    sessions: Iterable[Session],
    *,
    name: str,
    base_url: str,
    domain: str,
    with_links: bool = True,
) -> bytes:
    """`with_links=False` leaves out meeting links, for people outside the cohort."""
    calendar = icalendar.Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", name)
    stamp = timezone.now()
    for session in sessions:
        zone = session.cohort.zone
        event = icalendar.Event()
        event.add("uid", f"session-{session.pk}@{domain}")
        event.add("dtstamp", stamp)
        event.add("dtstart", session.starts_at.astimezone(zone))
        event.add("dtend", session.ends_at.astimezone(zone))
        event.add("summary", f"{session.title} — {session.cohort.name}")
        event.add("description", _description(session, base_url, with_links))
        if session.kind == SessionKind.WORKSHOP and session.address:
            event.add("location", session.address)
        elif with_links and session.meeting_url:
            event.add("location", session.meeting_url)
            event.add("url", session.meeting_url)
        calendar.add_component(event)
    calendar.add_missing_timezones()
    return calendar.to_ical()
