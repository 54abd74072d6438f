"""`{% admission_offer cohort as offer %}` for the cohort page's Apply button."""

from __future__ import annotations

from django import template

from cohorts.admissions.selectors import Offer, cohort_offer
from cohorts.models import Cohort

register = template.Library()


@register.simple_tag
def admission_offer(cohort: Cohort) -> Offer:
    return cohort_offer(cohort=cohort)
