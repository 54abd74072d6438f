"""Links from the cohort's pages into diagnosis and feedback, and field rendering."""

from __future__ import annotations

from typing import Any

from django import forms, template

from cohorts.feedback import selectors
from cohorts.models import Cohort, Session

register = template.Library()


@register.inclusion_tag("feedback/includes/cohort_tabs.html")
def feedback_tabs(cohort: Cohort, access: Any, tab: str = "") -> dict[str, Any]:
    """The cohort tab bar's entries for diagnosis and feedback (two queries)."""
    shown = access is not None and (access.can_teach or access.is_active_trainee)
    links = selectors.cohort_links(cohort) if shown else None
    return {"cohort": cohort, "access": access, "tab": tab, "links": links}


@register.inclusion_tag("feedback/includes/session_link.html")
def session_feedback_link(session: Session, access: Any, user: Any) -> dict[str, Any]:
    """“Rate this session” for its trainees, “Feedback results” for its coaches."""
    can_answer = bool(
        access is not None
        and user.is_authenticated
        and selectors.may_answer_session(session, access, user)
        and selectors.survey_is_open(session)
    )
    answered = can_answer and session.feedback.filter(user=user).exists()
    return {
        "session": session,
        "cohort": session.cohort,
        "can_answer": can_answer,
        "answered": answered,
        "can_read": bool(access is not None and access.can_teach),
    }


@register.filter
def input_kind(field: forms.BoundField) -> str:
    """How a field is drawn on a phone: scale buttons, choice rows, text."""
    widget = field.field.widget
    if isinstance(widget, forms.RadioSelect):
        return "scale" if "scale-input" in widget.attrs.get("class", "") else "radio"
    if isinstance(widget, forms.CheckboxSelectMultiple):
        return "checkbox"
    if isinstance(widget, forms.Textarea):
        return "textarea"
    return "text"


@register.filter
def percent(value: float | None) -> str:
    return "—" if value is None else f"{round(value * 100)}%"
