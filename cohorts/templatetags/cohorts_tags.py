from __future__ import annotations

from django import template
from django.utils.translation import gettext_lazy as _

from cohorts import selectors
from cohorts.models import Cohort

register = template.Library()


@register.simple_tag
def cohort_schedule(cohort: Cohort, user: object) -> selectors.Schedule:
    """The schedule page is rendered by courses/ (Wagtail); this loads its data."""
    return selectors.cohort_schedule(cohort=cohort, user=user)  # type: ignore[arg-type]


@register.filter
def percent(value: float | None) -> str:
    return "—" if value is None else f"{round(value * 100)}%"


ROSTER_OUTCOMES = {
    "new_user": (_("New account: will be created and invited"), "badge-info"),
    "existing_user": (_("Existing account: will be enrolled"), "badge-good"),
    "already_enrolled": (_("Already enrolled: nothing to do"), ""),
    "bad_email": (_("Not a valid email address"), "badge-bad"),
    "missing_email": (_("Email is missing"), "badge-bad"),
    "missing_name": (_("Name is missing"), "badge-bad"),
    "duplicate": (_("Same email as line %(first_line)s: skipped"), "badge-bad"),
}
ROSTER_RESULTS = {
    "enrolled": (_("Enrolled"), "badge-good"),
    "invited": (_("Account created, invited and enrolled"), "badge-good"),
    "waitlisted": (_("Cohort full: waitlisted"), "badge-warn"),
    "already_enrolled": (_("Already enrolled: nothing to do"), ""),
}


@register.inclusion_tag("cohorts/includes/roster_outcome.html")
def roster_outcome(outcome: str, params: dict[str, object], result: str | None) -> dict:
    if result:
        label, tone = ROSTER_RESULTS.get(result, (result, ""))
    else:
        label, tone = ROSTER_OUTCOMES.get(outcome, (outcome, ""))
    return {"label": str(label) % params if params else label, "tone": tone}
