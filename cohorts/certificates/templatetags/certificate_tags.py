"""The cohort tab bar's certificate entries (no queries: the access flags decide)."""

from __future__ import annotations

from typing import Any

from django import template

from cohorts.models import Cohort

register = template.Library()


@register.inclusion_tag("certificates/includes/cohort_tabs.html")
def certificate_tabs(cohort: Cohort, access: Any, tab: str = "") -> dict[str, Any]:
    issuer = access is not None and (
        access.can_teach or (access.is_org_admin and cohort.is_in_house)
    )
    trainee = access is not None and access.enrolment is not None
    return {"cohort": cohort, "tab": tab, "issuer": issuer, "trainee": trainee}
