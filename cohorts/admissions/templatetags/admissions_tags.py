"""`{% admission_offer cohort as offer %}` for the cohort page's Apply button; `|money`."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django import template

from cohorts.admissions.selectors import Offer, cohort_offer
from cohorts.models import Cohort

register = template.Library()


@register.simple_tag
def admission_offer(cohort: Cohort) -> Offer:
    return cohort_offer(cohort=cohort)


@register.filter
def money(value: object) -> str:
    """12800 → "12,800.00" in every language: finance reads the same digits."""
    if value is None or value == "":
        return ""
    try:
        return f"{Decimal(str(value)):,.2f}"
    except (InvalidOperation, ValueError):
        return str(value)
